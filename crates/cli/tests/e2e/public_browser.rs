//! The public door in Chromium at phone size, in Arabic, as a frightened reporter meets it:
//! leaving quickly must not leave the typed story one Back away, and a receipt typed on an
//! Arabic keyboard must find its report.

use crate::common::*;
use crate::webdriver::Browser;
use serde_json::json;

const PHONE: (u32, u32) = (390, 844);

#[test]
fn back_after_the_quick_exit_does_not_bring_the_story_back() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    browser.set_size(PHONE.0, PHONE.1);
    let server = Server::start();
    // The reporter arrives from somewhere (here: the follow-up page), opens the form, types.
    browser.goto(&server.url("/report/follow-up?lang=ar"));
    browser.goto(&server.url("/report?lang=ar"));
    let story = "أخذ صاحب العمل جوازات سفرنا";
    browser.find("#narrative").send_keys(story);
    assert_eq!(browser.find("#narrative").value(), story, "typed");
    browser.find("a.exit").click();
    let left = (0..200).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        !browser.url().starts_with(&server.base)
    });
    assert!(left, "the exit left the site: {}", browser.url());
    browser.back();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let url = browser.url();
    // Back does not return to the form (its history entry was replaced) or, if a browser
    // brings the page back anyway, the story is gone from it.
    let on_form = url.contains("/report?") || url.ends_with("/report");
    if on_form {
        assert_eq!(
            browser.find("#narrative").value(),
            "",
            "the story came back at {url}"
        );
    }
    assert!(
        !browser.source().contains(story),
        "the story is on the page Back shows: {url}"
    );
    // The page says how to keep the visit private.
    browser.goto(&server.url("/report?lang=ar"));
    assert!(!browser.find("p.private").text().trim().is_empty());
}

#[test]
fn a_receipt_typed_in_arabic_digits_at_phone_size_finds_its_report() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    browser.set_size(PHONE.0, PHONE.1);
    let server = Server::start();
    let (s, v) = call(
        "POST",
        &server.url("/api/v1/public/reports"),
        None,
        Some(
            json!({"language": "ar", "category": "debt", "narrative": "لم يدفعوا لنا منذ ثلاثة أشهر"}),
        ),
    );
    assert_eq!(s, 201, "{v}");
    let receipt = v["receipt"].as_str().expect("receipt").to_string();
    let arabic: String = receipt
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let d = char::from_u32(0x0660 + c.to_digit(10).unwrap_or(0)).unwrap_or(c);
            (i > 0 && i % 4 == 0)
                .then_some(' ')
                .into_iter()
                .chain(std::iter::once(d))
        })
        .collect();
    browser.goto(&server.url("/report/follow-up?lang=ar"));
    assert_eq!(browser.find("html").attr("dir").as_deref(), Some("rtl"));
    browser.find("#receipt").send_keys(&arabic);
    browser
        .find("form[action='/report/follow-up'] button")
        .click_and_wait();
    let page = browser.source();
    assert!(
        !page.contains("error-summary") && browser.find_all("#body").len() == 1,
        "the receipt {arabic} did not open its report: {page}"
    );
}

#[test]
fn a_country_is_chosen_by_its_arabic_name_at_phone_size_and_kept_whole() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    browser.set_size(PHONE.0, PHONE.1);
    let server = Server::start();
    browser.goto(&server.url("/report?lang=ar"));
    let lebanon = browser.find("#country option[value='LB']");
    assert_eq!(
        lebanon.text().trim(),
        "لبنان",
        "the list names countries in Arabic"
    );
    assert!(
        browser.find_all("#country option").len() > 249,
        "every country is offered"
    );
    let story = "صاحب العمل في بيروت لا يدفع أجورنا";
    browser
        .find("input[name=category][value=unpaid_wages]")
        .click();
    browser.find("#narrative").send_keys(story);
    lebanon.click();
    browser.find("#place").send_keys("بيروت");
    browser
        .find("form[action='/report'] button[type=submit]")
        .click_and_wait();
    assert!(
        !browser.source().contains("error-summary"),
        "the report was refused: {}",
        browser.source()
    );
    // Staff read the country as its code, and the place exactly as typed: nothing cut.
    let intake = server.token("intake@hotline.demo");
    let (s, queue) = call(
        "GET",
        &server.url("/api/v1/reports?status=new"),
        Some(&intake),
        None,
    );
    assert_eq!(s, 200, "{queue}");
    let report = queue
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .map(|id| {
            call(
                "GET",
                &server.url(&format!("/api/v1/reports/{id}")),
                Some(&intake),
                None,
            )
            .1
        })
        .find(|r| r["narrative"] == story)
        .expect("the report is in the queue");
    assert_eq!(report["narrative"], story);
    assert_eq!(report["country"], "LB");
    assert_eq!(report["place"], "بيروت");
}
