//! Labour inspection in Chromium: the demo inspector opens the work list from the menu, goes to
//! the targets, chooses the recruiter's country, and finds Al Noor Manpower first with its
//! reasons in words; then records a visit planned to the second entity and lands on it.

use crate::common::*;
use crate::webdriver::Browser;

fn sign_in(browser: &Browser, server: &Server, email: &str) {
    browser.clear_cookies();
    browser.goto(&server.url("/login"));
    browser.find("input[name=email]").send_keys(email);
    browser
        .find("input[name=password]")
        .send_keys(DEMO_PASSWORD);
    browser.find("button[type=submit]").click_and_wait();
}

#[test]
fn the_inspector_finds_al_noor_first_on_the_targets_page() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    sign_in(&browser, &server, "inspector@labour.demo");
    browser.goto(&server.url("/"));
    browser.find("nav a[href='/inspections']").click_and_wait();
    assert_eq!(
        browser.find_all("ul.overdue-orders li").len(),
        1,
        "{}",
        browser.source()
    );
    browser
        .find("a[href='/inspections/targets']")
        .click_and_wait();
    browser.find("#targets-country option[value='AE']").click();
    browser
        .find("form.filters button[type=submit]")
        .click_and_wait();
    assert!(browser.url().contains("country=AE"), "{}", browser.url());
    let names: Vec<String> = browser
        .find_all("table.targets tbody tr .entity-name")
        .iter()
        .map(|e| e.text())
        .collect();
    assert_eq!(
        names.first().map(String::as_str),
        Some("Al Noor Manpower"),
        "{names:?}"
    );
    let reasons: Vec<String> = browser
        .find_all("table.targets tbody tr:first-child ul.parts li")
        .iter()
        .map(|e| e.text())
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(reasons[2].contains("Revoked"), "{reasons:?}");
    assert!(
        reasons[1].contains(": 3"),
        "three indicators found: {reasons:?}"
    );
    let page = browser.source();
    for never in ["Reza", "Karimi", "Maricel", "María"] {
        assert!(!page.contains(never), "never who complained: {never}");
    }

    // A visit planned from the work list's form.
    browser.goto(&server.url("/inspections"));
    let gulf = browser
        .find_all("#visit-entity_id option")
        .iter()
        .find(|o| o.text().starts_with("Gulf Star Recruitment"))
        .and_then(|o| o.attr("value"))
        .expect("the second agency");
    browser
        .find(&format!("#visit-entity_id option[value='{gulf}']"))
        .click();
    browser
        .find("#visit-status option[value='planned']")
        .click();
    browser
        .execute("document.getElementById('visit-planned_on').value = '2030-05-01'; return true;");
    browser
        .find("#visit-form button[type=submit]")
        .click_and_wait();
    assert!(browser.url().contains("/inspections/"), "{}", browser.url());
    assert!(
        browser.source().contains("Gulf Star Recruitment"),
        "{}",
        browser.source()
    );
}
