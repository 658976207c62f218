//! An ombudsperson's investigation in Chromium: the demo ombudsperson opens the investigations
//! from the menu and finds the demo investigation of the removal centre, takes a report of the
//! office up from its page, records a recommendation and the authority's acceptance of it.

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
fn the_ombudsperson_takes_up_a_report_and_follows_a_recommendation() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    sign_in(&browser, &server, "ombudsperson@equality.demo");
    browser.goto(&server.url("/"));
    browser
        .find("nav a[href='/investigations']")
        .click_and_wait();
    let lines: Vec<String> = browser
        .find_all("ul.investigations li")
        .iter()
        .map(|e| e.text())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("Northgate Immigration Removal Centre"),
        "{lines:?}"
    );

    // The discrimination report routed to the office, taken up from its page.
    browser.goto(&server.url("/reports"));
    let report = browser
        .find_all("a.report-link")
        .iter()
        .find(|a| a.text().contains("propriétaire"))
        .and_then(|a| a.attr("href"))
        .expect("the discrimination report at the ombudsperson");
    browser.goto(&server.url(&report));
    browser
        .find("#take-up-report button[type=submit]")
        .click_and_wait();
    assert!(
        browser.url().contains("subject_kind=report"),
        "{}",
        browser.url()
    );
    browser
        .find("#take-up-authority_name")
        .send_keys("Riverside Lettings Council");
    browser
        .find("#take-up-authority_kind option[value='local_authority']")
        .click();
    browser
        .find("#take-up-summary")
        .send_keys("A flat refused on hearing the tenant's accent, let the next day.");
    browser
        .find("#take-up-form button[type=submit]")
        .click_and_wait();
    assert!(
        browser.url().contains("/investigations/"),
        "{}",
        browser.url()
    );
    assert!(
        browser.source().contains("Riverside Lettings Council"),
        "{}",
        browser.source()
    );

    // A recommendation, then the authority's acceptance of it.
    browser
        .find("#recommendation-text")
        .send_keys("Train letting staff on equal treatment and apologise in writing.");
    browser
        .find("#recommendation-form button[type=submit]")
        .click_and_wait();
    assert_eq!(browser.find("ol.recommendations .state").text(), "Pending");
    browser
        .find("ol.recommendations select[name=state] option[value='accepted']")
        .click();
    browser
        .find("ol.recommendations textarea[name=note]")
        .send_keys("The council accepted on the phone; a letter follows.");
    browser
        .find("ol.recommendations form button[type=submit]")
        .click_and_wait();
    assert_eq!(
        browser.find("ol.recommendations .state").text(),
        "Accepted",
        "{}",
        browser.source()
    );
    assert!(
        browser
            .find("ol.recommendations .history li")
            .text()
            .contains("The council accepted"),
        "{}",
        browser.source()
    );
    // The work list now holds both.
    browser.goto(&server.url("/investigations"));
    assert_eq!(browser.find_all("ul.investigations li").len(), 2);
}
