//! Proceedings on a case, in Chromium: the demo caseworker opens the trafficking victim's
//! case (María José), goes to "Justice" from the case's tabs, and sees the trial with her as
//! a witness, a screen and a video link granted, two perpetrators and the trial hearing next
//! week; the hearing's preparation task is on her work list and its day among the case's
//! deadlines.

use crate::common::*;
use crate::webdriver::Browser;

#[test]
fn the_caseworker_sees_the_trial_next_week_and_its_task() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    browser.clear_cookies();
    browser.goto(&server.url("/login"));
    browser
        .find("input[name=email]")
        .send_keys("caseworker@shelter.demo");
    browser
        .find("input[name=password]")
        .send_keys(DEMO_PASSWORD);
    browser.find("button[type=submit]").click_and_wait();

    browser.goto(&server.url("/cases"));
    let maria = browser
        .find_all("a.case-link")
        .iter()
        .find(|a| a.text().starts_with("María José"))
        .and_then(|a| a.attr("href"))
        .unwrap_or_else(|| panic!("the victim's case: {}", browser.source()));
    browser.goto(&server.url(&maria));
    // The hearing day is among the case's deadlines.
    let deadlines = browser.find("#deadlines").text();
    assert!(deadlines.contains("Hearing"), "{deadlines}");
    browser
        .find(&format!(".case-nav a[href='{maria}/justice']"))
        .click_and_wait();

    assert_eq!(
        browser.find("#never-a-condition strong").text(),
        "Assistance never depends on cooperation.",
        "{}",
        browser.source()
    );
    assert_eq!(
        browser.find("article.proceeding .proceeding-stage").text(),
        "Trial"
    );
    let facts = browser.find("article.proceeding dl.facts").text();
    assert!(facts.contains("Witness"), "{facts}");
    assert!(facts.contains("Perpetrator 1, Perpetrator 2"), "{facts}");
    let granted: Vec<String> = browser
        .find_all("li.measure[data-status=granted]")
        .iter()
        .map(|m| m.text())
        .collect();
    assert_eq!(granted.len(), 2, "{granted:?}");
    assert!(granted.iter().any(|m| m.contains("Screen in court")));
    assert!(granted.iter().any(|m| m.contains("Video link")));
    assert_eq!(browser.find_all("article.perpetrator").len(), 2);
    let hearing = browser.find("li.hearing").text();
    assert!(hearing.contains("Trial"), "{hearing}");

    // The hearing's preparation task is on the caseworker's work list.
    browser.goto(&server.url("/tasks"));
    let tasks = browser.find("main").text();
    assert!(
        tasks.contains("Prepare the person for the trial hearing"),
        "{tasks}"
    );
}
