//! Family tracing and age assessment, in Chromium: the demo caseworker opens the separated
//! child's case (Amina), goes to "Tracing and age" from the case's tabs, and sees the tracing
//! request searching for her mother and "treated as a child (benefit of the doubt)" from an
//! age assessment of 16 to 19 years.

use crate::common::*;
use crate::webdriver::Browser;

#[test]
fn the_caseworker_sees_the_tracing_request_and_treated_as_a_child() {
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
    let amina = browser
        .find_all("a.case-link")
        .iter()
        .find(|a| a.text().starts_with("Amina"))
        .and_then(|a| a.attr("href"))
        .unwrap_or_else(|| panic!("the child's case: {}", browser.source()));
    browser.goto(&server.url(&amina));
    browser
        .find(&format!(".case-nav a[href='{amina}/tracing']"))
        .click_and_wait();

    assert_eq!(
        browser.find("#treated-as-child strong").text(),
        "Treated as a child (benefit of the doubt)",
        "{}",
        browser.source()
    );
    assert_eq!(browser.find(".age-assessment .age-range").text(), "16–19");
    // The child has a best-interests determination: the note links to it.
    assert_eq!(
        browser.find("#best-interests-link").attr("href").as_deref(),
        Some(format!("{amina}/child").as_str())
    );
    let request = browser.find("article.tracing-request .tracing-status");
    assert_eq!(request.text(), "Open");
    let member = browser.find("li.tracing-member").text();
    assert!(member.contains("Fatoumata Diallo"), "{member}");
    assert!(member.contains("Mother"), "{member}");
    assert_eq!(
        browser.find("li.tracing-member .member-status").text(),
        "Searching"
    );
}
