//! `passage export htcds` and `passage export ctdc` against the real binary and the demo world:
//! the header rows are exactly the layouts, every value is in its column's closed list, and a
//! release past the dataset's privacy budget exits non-zero, saying what is left, and writes
//! nothing.

use crate::common::*;
use passage_stats::{ctdc, htcds};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

fn passage(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("PASSAGE_DATABASE_URL")
        .env_remove("PASSAGE_STATS_EPSILON_BUDGET")
        .env_remove("PASSAGE_STATS_K")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run passage")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let body = r
        .records()
        .map(|rec| rec.expect("row").iter().map(str::to_string).collect())
        .collect();
    (header, body)
}

/// Gives every person of the demo world's shelter a statistics consent.
fn consent_everyone(server: &Server) -> usize {
    let token = server.token("caseworker@shelter.demo");
    let (s, list) = call(
        "GET",
        &server.url("/api/v1/cases?limit=200"),
        Some(&token),
        None,
    );
    assert_eq!(s, 200, "{list}");
    let persons: BTreeSet<String> = list
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["person_id"].as_str().expect("person").to_string())
        .collect();
    assert!(!persons.is_empty(), "the demo world has cases");
    for p in &persons {
        let (s, v) = call(
            "POST",
            &server.url(&format!("/api/v1/persons/{p}/consents")),
            Some(&token),
            Some(serde_json::json!({"purpose": "statistics", "method": "verbal"})),
        );
        assert_eq!(s, 201, "{v}");
    }
    persons.len()
}

#[test]
fn exports_keep_their_layouts_and_domains_and_the_budget_refuses() {
    let server = Server::start();
    let persons = consent_everyone(&server);
    let dir = server.kill();

    // HTCDS: the layout, one row per consented case, every value in its picklist.
    let out = dir.join("htcds.csv");
    let run = passage(
        &["export", "htcds", "--out", out.to_str().expect("path")],
        &dir,
    );
    assert!(run.status.success(), "htcds: {}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("(k = 11)"),
        "{}",
        text(&run.stdout)
    );
    let (header, body) = rows(&out);
    assert_eq!(header, htcds::COLUMNS);
    assert!(body.len() >= persons, "one row per consented case");
    for row in &body {
        assert_eq!(row.len(), htcds::COLUMNS.len());
        assert!(row[0].is_empty() || (row[0].len() == 4 && row[0].parse::<u32>().is_ok()));
        for (i, v) in row.iter().enumerate() {
            if let Some(list) = htcds::domain(i) {
                for part in v.split(';').filter(|p| !p.is_empty()) {
                    assert!(list.contains(&part), "{}: {part}", htcds::COLUMNS[i]);
                }
            }
        }
        // The demo world is small: fewer than k share any combination.
        assert!(htcds::QUASI.iter().all(|&i| row[i].is_empty()), "{row:?}");
    }

    // CTDC at ε = 1: the layout, every value in its closed list.
    let out = dir.join("ctdc.csv");
    let run = passage(
        &[
            "export",
            "ctdc",
            "--epsilon",
            "1.0",
            "--from",
            "2020-01",
            "--out",
            out.to_str().expect("path"),
        ],
        &dir,
    );
    assert!(run.status.success(), "ctdc: {}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("epsilon 2 left"),
        "{}",
        text(&run.stdout)
    );
    let (header, body) = rows(&out);
    assert_eq!(header, ctdc::HEADER);
    let this_year: i32 = body
        .iter()
        .map(|r| r[0].parse::<i32>().expect("a year"))
        .max()
        .unwrap_or(2026)
        .max(2026);
    let domains = ctdc::header_domains(2020, this_year);
    for row in &body {
        assert_eq!(row.len(), ctdc::HEADER.len());
        for (i, v) in row.iter().enumerate() {
            for part in v.split(';') {
                assert!(
                    domains[i].iter().any(|d| d == part),
                    "{}: {v}",
                    ctdc::HEADER[i]
                );
            }
        }
    }

    // Past the budget (3 per dataset; 1 spent on months overlapping these): refused, nothing
    // written, and the message says what is left.
    let refused = dir.join("refused.csv");
    let run = passage(
        &[
            "export",
            "ctdc",
            "--epsilon",
            "2.5",
            "--out",
            refused.to_str().expect("path"),
        ],
        &dir,
    );
    assert!(!run.status.success());
    let err = text(&run.stderr);
    assert!(err.contains("privacy_budget_spent"), "{err}");
    assert!(err.contains("epsilon 2 is left"), "{err}");
    assert!(!err.contains("backtrace"), "one line: {err}");
    assert!(!refused.exists());
    assert!(
        std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().ends_with(".partial")),
        "no partial file is left"
    );
    // Other refusals exit non-zero too.
    for args in [
        vec!["export", "ctdc", "--epsilon", "0", "--out", "x.csv"],
        vec!["export", "ctdc", "--epsilon", "11", "--out", "x.csv"],
        vec![
            "export", "htcds", "--from", "2026-05", "--to", "2026-01", "--out", "x.csv",
        ],
        vec!["export", "htcds", "--from", "May", "--out", "x.csv"],
    ] {
        let run = passage(&args, &dir);
        assert!(!run.status.success(), "{args:?}");
        assert!(text(&run.stderr).starts_with("error: "), "{args:?}");
    }

    // Both releases are on record with their parameters; the refusals are not.
    let server = Server::start_in(dir, &[]);
    let token = server.token("analyst@statistics.demo");
    let (s, v) = call(
        "GET",
        &server.url("/api/v1/stats/releases"),
        Some(&token),
        None,
    );
    assert_eq!(s, 200, "{v}");
    let releases = v["releases"].as_array().expect("releases");
    assert_eq!(releases.len(), 2, "{v}");
    assert_eq!(releases[0]["kind"], "ctdc");
    assert_eq!(releases[0]["epsilon"], "1");
    assert!(
        releases[0]["parameters"]
            .as_str()
            .expect("json")
            .contains("\"queries\":28")
    );
    assert_eq!(v["datasets"][0]["left"], "2");
}
