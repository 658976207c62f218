//! Permits on protection grounds, in Chromium: the demo caseworker opens the recognised
//! victim's case (Maricel, in the UK), goes to "Permits" from the case's tabs, and sees her
//! temporary permission to stay as a victim of trafficking, granted and expiring in 45 days,
//! with its reminder already due; the reminder is an overdue task on "My tasks".

use crate::common::*;
use crate::webdriver::Browser;

#[test]
fn the_caseworker_sees_the_permit_and_its_overdue_reminder() {
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
    let maricel = browser
        .find_all("a.case-link")
        .iter()
        .find(|a| a.text().starts_with("Maricel"))
        .and_then(|a| a.attr("href"))
        .unwrap_or_else(|| panic!("the victim's case: {}", browser.source()));
    browser.goto(&server.url(&maricel));
    browser
        .find(&format!(".case-nav a[href='{maricel}/permits']"))
        .click_and_wait();

    assert_eq!(
        browser.find("article.permit .permit-kind").text(),
        "Victim of trafficking",
        "{}",
        browser.source()
    );
    assert_eq!(
        browser.find("article.permit .permit-status").text(),
        "Granted"
    );
    let local = browser.find(".permit-local-name").text();
    assert!(local.contains("(VTS)"), "the UK's name for it: {local}");
    let reminder = browser.find(".permit-reminder").text();
    assert!(reminder.starts_with("Expires on"), "{reminder}");

    // The reminder is on the caseworker's work list, overdue.
    browser.goto(&server.url("/tasks"));
    let rows = browser.find_all("tr");
    let row = rows
        .iter()
        .map(|r| r.text())
        .find(|t| t.contains("Permit expires on"))
        .unwrap_or_else(|| panic!("the reminder task: {}", browser.source()));
    assert!(row.contains("overdue") || row.contains("Overdue"), "{row}");
}
