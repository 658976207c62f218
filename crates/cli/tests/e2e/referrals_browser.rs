//! A referral's whole life in Chromium, between two demo organisations: the hotline refers a
//! person to the shelter through the Refer form, the shelter accepts, opens a case of its own
//! from what was shared, works on it, and closes the referral with an outcome; the hotline
//! reads `Closed` and the outcome on its case's referrals page.

use crate::common::*;
use crate::webdriver::Browser;
use serde_json::json;

const HOTLINE: &str = "intake@hotline.demo";
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

/// The path of the current page, without origin, query or fragment.
fn path(browser: &Browser, server: &Server) -> String {
    let url = browser.url();
    url.strip_prefix(&server.base)
        .unwrap_or_else(|| panic!("left the server: {url}"))
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_hotline_refers_to_the_shelter_which_works_and_closes_and_the_hotline_reads_the_outcome() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    let api = |p: &str| server.url(&format!("/api/v1{p}"));
    let token = server.token(HOTLINE);

    // The hotline's own case, and the person's consent to a referral to the shelter.
    let (s, person) = call(
        "POST",
        &api("/persons"),
        Some(&token),
        Some(
            json!({"given_name": "Rosa", "family_name": "Mendoza", "sex": "feminine", "citizenships": ["PH"]}),
        ),
    );
    assert_eq!(s, 201, "{person}");
    let person = person["id"].as_str().expect("id").to_string();
    let (s, case) = call(
        "POST",
        &api("/cases"),
        Some(&token),
        Some(
            json!({"person_id": person, "types": ["labour_exploitation"], "stage": "destination", "summary": "Called from a bus station; left the employer's house tonight."}),
        ),
    );
    assert_eq!(s, 201, "{case}");
    let case = case["id"].as_str().expect("id").to_string();
    let (s, services) = call("GET", &api("/services?type=shelter"), Some(&token), None);
    assert_eq!(s, 200, "{services}");
    let shelter = services
        .as_array()
        .expect("list")
        .iter()
        .find(|e| e["name"] == "Safe Harbour women's shelter")
        .unwrap_or_else(|| panic!("the demo shelter: {services}"))
        .clone();
    let service = shelter["id"].as_str().expect("id").to_string();
    let (s, v) = call(
        "POST",
        &api(&format!("/persons/{person}/consents")),
        Some(&token),
        Some(
            json!({"purpose": "referral", "organisation_id": shelter["organisation_id"], "method": "verbal"}),
        ),
    );
    assert_eq!(s, 201, "{v}");

    // The hotline refers through the form: the minimal fields are ticked; the summary is added.
    sign_in(&browser, &server, HOTLINE);
    let tab = format!("/cases/{case}/referrals");
    browser.goto(&server.url(&tab));
    browser.find("#refer-type option[value='shelter']").click();
    browser.find("#refer-filter button").click_and_wait();
    browser
        .find(&format!("#referral-service option[value='{service}']"))
        .click();
    let checked: Vec<String> = browser
        .find_all("#referral-fields input:checked")
        .iter()
        .filter_map(|e| e.attr("value"))
        .collect();
    assert_eq!(checked, ["name", "languages", "needs"]);
    browser
        .find("#referral-fields input[value='summary']")
        .click();
    browser
        .find("#referral-note")
        .send_keys("She can arrive within the hour.");
    browser
        .find("#refer-form button[type=submit]")
        .click_and_wait();
    assert_eq!(path(&browser, &server), tab, "{}", browser.source());
    assert_eq!(browser.find("tr.referral .referral-status").text(), "Sent");

    // The shelter finds it in incoming, reads only what was shared, and accepts.
    sign_in(&browser, &server, SHELTER);
    browser.goto(&server.url("/referrals"));
    browser.find("#incoming a.referral-link").click_and_wait();
    let referral = path(&browser, &server);
    assert!(referral.starts_with("/referrals/"), "{referral}");
    let shared: Vec<String> = browser
        .find_all("#referral-shared dt")
        .iter()
        .map(|e| e.text())
        .collect();
    assert_eq!(shared, ["Name", "Languages", "Needs", "Case summary"]);
    browser.find("#referral-accept button").click_and_wait();
    assert_eq!(
        browser
            .find("#referral-status")
            .attr("data-status")
            .as_deref(),
        Some("accepted")
    );

    // It opens a case of its own from the referral and works on it.
    browser.find("#referral-open-case button").click_and_wait();
    let linked = path(&browser, &server);
    let linked_id = linked
        .strip_prefix("/cases/")
        .unwrap_or_default()
        .to_string();
    assert_eq!(linked_id.len(), 36, "on the new case: {linked}");
    assert_ne!(linked_id, case);
    assert!(browser.find("h1").text().contains("Rosa Mendoza"));
    browser.goto(&server.url(&format!("{linked}/notes")));
    browser
        .find("#note-body")
        .send_keys("Arrived 22:40; given a room on the quiet floor.");
    browser
        .find("#note-form button[type=submit]")
        .click_and_wait();
    assert!(
        browser
            .find("ol.messages")
            .text()
            .contains("Arrived 22:40; given a room on the quiet floor."),
        "{}",
        browser.source()
    );

    // It closes the referral with an outcome.
    browser.goto(&server.url(&referral));
    assert_eq!(
        browser
            .find("#referral-linked-case")
            .attr("href")
            .as_deref(),
        Some(linked.as_str())
    );
    browser
        .find("#referral-outcome")
        .send_keys("Stayed three weeks; now with her sister in Leeds.");
    browser
        .find("#close-form button[type=submit]")
        .click_and_wait();
    assert_eq!(
        browser
            .find("#referral-status")
            .attr("data-status")
            .as_deref(),
        Some("closed")
    );

    // The hotline reads the status and the outcome on its case.
    sign_in(&browser, &server, HOTLINE);
    browser.goto(&server.url(&tab));
    assert_eq!(
        browser.find("tr.referral .referral-status").text(),
        "Closed"
    );
    assert_eq!(
        browser.find("tr.referral .referral-outcome").text(),
        "Stayed three weeks; now with her sister in Leeds."
    );
}
