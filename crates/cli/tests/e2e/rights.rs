//! The public rights pages from the real binary: a deployment's folder is read at start; a
//! broken file there stops the start with its name, and a page written only in English is
//! shown in English with a notice in the reader's language.

use crate::common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GOOD: &str = "+++
title = \"Before you leave Colombia\"
country = \"CO\"
stage = \"pre_departure\"
language = \"en\"
slug = \"before-you-leave\"
reviewed = 2026-11-02
emergency = [\"123\"]
+++

Check the job offer **before** you pay anything.
";

#[test]
fn a_broken_rights_file_stops_the_start_and_is_named() {
    let dir = temp_dir("rights-broken");
    let pages = dir.join("rights-extra");
    std::fs::create_dir_all(pages.join("co")).expect("folder");
    std::fs::write(pages.join("co").join("good.en.md"), GOOD).expect("good file");
    // A language the public pages do not have.
    std::fs::write(
        pages.join("co").join("broken.de.md"),
        GOOD.replace("language = \"en\"", "language = \"de\""),
    )
    .expect("broken file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .env("PASSAGE_RIGHTS_DIR", &pages)
        .env("PASSAGE_DEMO_PASSWORD", DEMO_PASSWORD)
        .env_remove("PASSAGE_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start passage");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("passage kept serving with a broken rights page");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = child.wait_with_output().expect("output");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!status.success(), "{said}");
    assert!(said.contains("broken.de.md"), "{said}");
    assert!(said.contains("language"), "{said}");
    assert!(!said.contains("good.en.md"), "{said}");
}

#[test]
fn a_deployment_adds_pages_without_a_rebuild_and_english_fills_a_missing_language() {
    let dir = temp_dir("rights-extra");
    let pages = dir.join("rights");
    std::fs::create_dir_all(&pages).expect("folder");
    std::fs::write(pages.join("before.en.md"), GOOD).expect("file");
    // `DATA_DIR/rights` is read without any setting.
    let server = Server::start_in(dir, &[]);
    let agent = agent();
    let index = agent
        .get(&server.url("/rights?lang=es&country=CO&stage=pre_departure"))
        .call()
        .expect("index");
    assert_eq!(index.status(), 200);
    let html = index.into_body().read_to_string().expect("body");
    assert!(
        html.contains("/rights/CO/pre_departure/before-you-leave?lang=es"),
        "{html}"
    );
    assert!(html.contains("tel:123"), "{html}");
    let page = agent
        .get(&server.url("/rights/CO/pre_departure/before-you-leave?lang=es"))
        .call()
        .expect("page");
    let html = page.into_body().read_to_string().expect("body");
    assert!(
        html.contains("Check the job offer <strong>before</strong>"),
        "{html}"
    );
    assert!(html.contains("Aquí la tiene en inglés"), "{html}");
    assert!(html.contains("2026-11-02"), "{html}");
    // The built-in pages are still there.
    let gb = agent
        .get(&server.url("/rights?lang=ar&country=GB&stage=destination"))
        .call()
        .expect("built in");
    assert_eq!(gb.status(), 200);
}
