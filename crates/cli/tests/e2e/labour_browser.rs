//! What happened to a worker, in Chromium: the demo caseworker opens Maricel's case, goes to
//! "Work and pay", records the placement fee she paid, the contract she was promised and the
//! one she found, and reads the substitution table with each changed term marked "Differs".
//! The demo world's own worker (María José) already shows a fee, a substituted contract,
//! wages owed and a wage claim.

use crate::common::*;
use crate::webdriver::Browser;

const SHELTER: &str = "caseworker@shelter.demo";

fn sign_in(browser: &Browser, server: &Server, email: &str) {
    browser.clear_cookies();
    browser.goto(&server.url("/login"));
    browser.find("input[name=email]").send_keys(email);
    browser
        .find("input[name=password]")
        .send_keys(DEMO_PASSWORD);
    browser.find("button[type=submit]").click_and_wait();
}

/// The href of the case link whose text starts with `given`.
fn case_of(browser: &Browser, server: &Server, given: &str) -> String {
    browser.goto(&server.url("/cases"));
    browser
        .find_all("a.case-link")
        .iter()
        .find(|a| a.text().starts_with(given))
        .and_then(|a| a.attr("href"))
        .unwrap_or_else(|| panic!("the case of {given}: {}", browser.source()))
}

fn differing(browser: &Browser) -> Vec<String> {
    browser
        .find_all("#substitution tr.differs")
        .iter()
        .filter_map(|r| r.attr("data-term"))
        .collect()
}

#[test]
fn a_caseworker_records_a_fee_and_the_contract_found_and_reads_the_substitution() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    sign_in(&browser, &server, SHELTER);

    // The demo worker's account is there already.
    let maria = case_of(&browser, &server, "María José");
    browser.goto(&server.url(&format!("{maria}/labour")));
    assert_eq!(browser.find_all("#fee-list tr.fee").len(), 1);
    assert_eq!(differing(&browser).len(), 6, "{}", browser.source());
    assert_eq!(browser.find_all("article.claim").len(), 1);
    assert_eq!(browser.find_all("#wage-list tr.wages").len(), 1);

    // Maricel's case: nothing recorded yet; the tab is reached from the case's tabs.
    let maricel = case_of(&browser, &server, "Maricel");
    browser.goto(&server.url(&maricel));
    browser
        .find(&format!(".case-nav a[href='{maricel}/labour']"))
        .click_and_wait();
    assert!(browser.find_all("#fee-list").is_empty());
    assert!(differing(&browser).is_empty());

    // The fee she paid.
    browser
        .find("#fee-kind option[value='placement_fee']")
        .click();
    browser.find("#fee-amount").send_keys("2500");
    browser.find("#fee-currency").send_keys("PHP");
    browser
        .find("#fee-paid_to")
        .send_keys("Bayanihan Overseas Manpower");
    browser.find("#fee-paid_on").send_keys("2025-08");
    browser
        .find("#fee-form button[type=submit]")
        .click_and_wait();
    assert_eq!(
        browser.find("#fee-list tr.fee .amount").text(),
        "2500.00 PHP",
        "{}",
        browser.source()
    );

    // The contract promised, then the contract found.
    for (radio, wage, hours, employer) in [
        ("#contract-version", "1500", "48", "Al Rayyan family"),
        ("#contract-version-found", "900", "84", "Al Rayyan family"),
    ] {
        browser.find(radio).click();
        browser.find("#contract-wage_amount").send_keys(wage);
        browser.find("#contract-wage_currency").send_keys("USD");
        browser
            .find("#contract-wage_period option[value='month']")
            .click();
        browser.find("#contract-hours_per_week").send_keys(hours);
        browser
            .find("#contract-job_title")
            .send_keys("Domestic worker");
        browser.find("#contract-employer").send_keys(employer);
        browser
            .find("#contract-form button[type=submit]")
            .click_and_wait();
    }
    // The employer and the job are the same; the wage and the hours were substituted.
    assert_eq!(
        differing(&browser),
        ["wage", "hours_per_week"],
        "{}",
        browser.source()
    );
    let marks: Vec<String> = browser
        .find_all("#substitution tr.differs .mark")
        .iter()
        .map(|e| e.text())
        .collect();
    assert_eq!(marks, ["Differs", "Differs"]);
    let wage: Vec<String> = browser
        .find_all("#substitution tr[data-term='wage'] td")
        .iter()
        .map(|e| e.text())
        .collect();
    assert_eq!(wage[0], "1500.00 USD / month");
    assert_eq!(wage[1], "900.00 USD / month");
    assert!(
        browser
            .find("#substitution-summary")
            .text()
            .contains("2 terms differ")
    );
}

/// Who holds a worker's passport, in Chromium and without a script: the caseworker records
/// Maricel's passport as held by a recruiter, follows "Who holds it" from the document, types
/// the agency's name as the worker said it, is offered the register's entry, confirms it, and
/// sees it named; a link made by mistake is removed with its button.
#[test]
fn a_caseworker_names_who_holds_a_passport_from_the_document() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    sign_in(&browser, &server, SHELTER);
    let maricel = case_of(&browser, &server, "Maricel");
    browser.goto(&server.url(&format!("{maricel}/person")));
    browser.find("#doc-kind option[value='passport']").click();
    browser
        .find("#doc-held_by option[value='recruiter']")
        .click();
    browser
        .find("form[action$='/person/documents'] button[type=submit]")
        .click_and_wait();
    let holders = browser.find_all("a.doc-entities");
    assert_eq!(holders.len(), 1, "{}", browser.source());
    holders[0].click_and_wait();
    assert_eq!(
        browser.find("#section-h").text(),
        "Who holds the document",
        "{}",
        browser.source()
    );
    assert!(browser.find_all(".named li").is_empty());
    browser.find("#section-q").send_keys("AlNoor manpower LLC");
    browser
        .find("form[role=search] button[type=submit]")
        .click_and_wait();
    let offered: Vec<String> = browser
        .find_all(".offered .entity-name")
        .iter()
        .map(|e| e.text())
        .collect();
    let at = offered
        .iter()
        .position(|n| n == "Al Noor Manpower")
        .unwrap_or_else(|| panic!("the register's entry is offered: {offered:?}"));
    assert!(
        browser.find_all(".named li").is_empty(),
        "offered, not linked"
    );
    browser.find_all(".offered form.confirm button[type=submit]")[at].click_and_wait();
    assert_eq!(
        browser.find(".notice").text(),
        "Saved.",
        "{}",
        browser.source()
    );
    let named: Vec<String> = browser
        .find_all(".named li a bdi")
        .iter()
        .map(|e| e.text())
        .collect();
    assert_eq!(named, ["Al Noor Manpower"]);
    assert!(
        browser
            .find(".named li")
            .text()
            .contains("Holds the person's documents"),
        "confirmed in the holder's role"
    );
    // Made by mistake: removed with its own button.
    browser
        .find(".named form.unlink button[type=submit]")
        .click_and_wait();
    assert_eq!(browser.find(".notice").text(), "The link is removed.");
    assert!(browser.find_all(".named li").is_empty());
}
