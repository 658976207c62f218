//! The retention rules of closed cases are configuration (`case_retention_years`,
//! `closed_case_attachment_days` in `passage.toml`, `PASSAGE_CASE_RETENTION_YEARS`,
//! `PASSAGE_CLOSED_CASE_ATTACHMENT_DAYS`): a period of zero would erase every closed case at the
//! next hourly round, so the server refuses to start with it and names the key; the environment
//! overrides the file.

use crate::common::*;
use std::path::Path;

/// Runs `passage serve` in `data_dir` with `env`; the server must refuse to start. Its stderr.
fn refused(data_dir: &Path, env: &[(&str, &str)]) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_passage"));
    cmd.args(["serve", "--data-dir"])
        .arg(data_dir)
        .args(["--listen", "127.0.0.1:1"])
        .env_remove("PASSAGE_DATABASE_URL")
        .env_remove("PASSAGE_CONFIG")
        .env_remove("PASSAGE_CASE_RETENTION_YEARS")
        .env_remove("PASSAGE_CLOSED_CASE_ATTACHMENT_DAYS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run passage");
    assert!(!out.status.success(), "the server started");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_zero_retention_period_stops_the_start_and_names_its_key() {
    let dir = temp_dir("case-retention");
    let text = refused(&dir, &[("PASSAGE_CASE_RETENTION_YEARS", "0")]);
    assert!(
        text.contains("case_retention_years must be at least 1"),
        "{text}"
    );
    let text = refused(&dir, &[("PASSAGE_CLOSED_CASE_ATTACHMENT_DAYS", "0")]);
    assert!(
        text.contains("closed_case_attachment_days must be at least 1"),
        "{text}"
    );

    // The file's key is read, and the environment wins over it.
    std::fs::write(dir.join("passage.toml"), "case_retention_years = 0\n").expect("config");
    let text = refused(&dir, &[]);
    assert!(
        text.contains("case_retention_years must be at least 1"),
        "{text}"
    );
    let text = refused(
        &dir,
        &[
            ("PASSAGE_CASE_RETENTION_YEARS", "7"),
            ("PASSAGE_CLOSED_CASE_ATTACHMENT_DAYS", "0"),
        ],
    );
    assert!(!text.contains("case_retention_years"), "{text}");
    assert!(
        text.contains("closed_case_attachment_days must be at least 1"),
        "{text}"
    );
    let text = refused(&dir, &[("PASSAGE_CASE_RETENTION_YEARS", "seven")]);
    assert!(text.contains("PASSAGE_CASE_RETENTION_YEARS"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
