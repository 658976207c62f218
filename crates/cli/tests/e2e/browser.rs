//! End-to-end tests in headless Chromium against the real binary with the demo world.
//! Skipped when chromedriver is not installed, unless `CI` is set.

use crate::common::*;
use crate::webdriver::Browser;

const WRONG_LOGIN: &str = "The e-mail address or password is incorrect.";

fn sign_in(browser: &Browser, server: &Server, email: &str, password: &str) {
    browser.goto(&server.url("/login"));
    browser.find("input[name=email]").send_keys(email);
    browser.find("input[name=password]").send_keys(password);
    browser.find("button[type=submit]").click_and_wait();
}

/// The path of the current page, without origin, query or fragment.
fn path(browser: &Browser, server: &Server) -> String {
    let url = browser.url();
    let rest = url
        .strip_prefix(&server.base)
        .unwrap_or_else(|| panic!("left the server: {url}"));
    rest.split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[test]
fn caseworker_signs_in_and_opens_a_case() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    sign_in(&browser, &server, "caseworker@shelter.demo", DEMO_PASSWORD);
    assert_eq!(path(&browser, &server), "/cases");
    assert!(
        browser.find("body").text().contains("Cases"),
        "case list: {}",
        browser.source()
    );

    browser.find("a.case-link").click_and_wait();
    let path = path(&browser, &server);
    let id = path.strip_prefix("/cases/").unwrap_or_default();
    assert!(is_uuid(id), "expected /cases/<uuid>, got {path}");
    assert!(
        !browser.find("h1").text().trim().is_empty(),
        "case page has no name heading"
    );
    assert!(
        browser.find("body").text().contains("Summary"),
        "case page: {}",
        browser.source()
    );
}

#[test]
fn immigration_officer_sees_no_cases() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    sign_in(&browser, &server, "officer@immigration.demo", DEMO_PASSWORD);
    assert_ne!(
        path(&browser, &server),
        "/login",
        "sign-in failed: {}",
        browser.source()
    );

    browser.goto(&server.url("/cases"));
    assert!(
        browser.find_all("a.case-link").is_empty(),
        "officer sees case links"
    );
    let source = browser.source();
    assert!(
        source.to_lowercase().contains("statistics"),
        "officer page: {source}"
    );
}

#[test]
fn wrong_password_message_does_not_reveal_accounts() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    for email in ["caseworker@shelter.demo", "nobody@shelter.demo"] {
        sign_in(&browser, &server, email, "not the password");
        assert_eq!(path(&browser, &server), "/login", "{email}");
        let text = browser.find("body").text();
        assert!(text.contains(WRONG_LOGIN), "{email}: {text}");
        assert!(browser.find_all("a.case-link").is_empty(), "{email}");
    }
}

#[test]
fn a_migrant_reports_in_arabic_on_the_public_form_and_follows_up() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    browser.goto(&server.url("/report?lang=ar"));
    assert!(browser.source().contains("dir=\"rtl\""), "right to left");
    browser
        .find("input[name=category][value=unpaid_wages]")
        .click();
    browser
        .find("textarea[name=narrative]")
        .send_keys("لم أتقاضَ أجري منذ ثلاثة أشهر");
    browser
        .find("form[action='/report'] button[type=submit]")
        .click_and_wait();
    let receipt = browser.find("p.receipt").text();
    let digits: String = receipt.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(digits.len(), 16, "a 16-digit receipt: {receipt}");

    browser.goto(&server.url("/report/follow-up?lang=ar"));
    browser.find("input[name=receipt]").send_keys(&receipt);
    browser.find("button[type=submit]").click_and_wait();
    assert!(
        browser.find("body").text().contains("تم الاستلام"),
        "status in Arabic: {}",
        browser.source()
    );
}

#[test]
fn a_caseworker_screens_one_question_at_a_time_in_french() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    sign_in(&browser, &server, "caseworker@shelter.demo", DEMO_PASSWORD);
    browser.find("a.case-link").click_and_wait();
    let case = path(&browser, &server);
    browser.goto(&server.url(&format!("{case}/screenings")));
    // The forced-labour instrument, asked in French, one question at a time.
    browser
        .find("select#instrument option[value=ilo_forced_labour]")
        .click();
    browser.find("select#language option[value=fr]").click();
    browser.find("input[name=mode][value=one]").click();
    browser
        .find("form[action$='/screenings'] button[type=submit]")
        .click_and_wait();
    let body = browser.find("body").text();
    assert!(body.contains("Question 1 of 11"), "{}", browser.source());
    assert!(
        body.contains("In English:"),
        "the staff member's language beside the question"
    );
    assert!(
        browser.find("legend span[lang=fr]").text().contains('?'),
        "the question in French"
    );
    // Yes to each question, moving on one at a time, then finish.
    for n in 1..=11 {
        browser.find("input[type=radio][value=yes]").click();
        let go = if n < 11 { "next" } else { "finish" };
        browser
            .find(&format!("button[name=go][value={go}]"))
            .click_and_wait();
    }
    let body = browser.find("body").text();
    assert!(
        body.contains("Presumed victim: the indicators meet the rule"),
        "{}",
        browser.source()
    );
    assert!(
        body.contains("Coercion at destination"),
        "the dimensions explained"
    );
    assert!(body.contains("assess and meet the person"));
    // The history lists it.
    browser.goto(&server.url(&format!("{case}/screenings")));
    assert!(browser.find("body").text().contains("Presumed victim"));
}

#[test]
fn a_supervisor_enrols_a_second_factor_in_the_browser_before_any_page() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start_in(temp_dir("2fa-browser"), &[("PASSAGE_REQUIRE_2FA", "true")]);
    sign_in(&browser, &server, "supervisor@shelter.demo", DEMO_PASSWORD);
    assert_eq!(
        path(&browser, &server),
        "/login/code",
        "{}",
        browser.source()
    );
    // No page is reachable before the second factor.
    browser.goto(&server.url("/cases"));
    assert_eq!(path(&browser, &server), "/login");
    browser.goto(&server.url("/login/code"));
    let secret = browser.find("#totp-secret").text();
    let secret = passage_core::totp::base32_decode(secret.trim()).expect("base32 secret");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let code = passage_core::totp::code_at(&secret, passage_core::totp::step_of(now));
    browser.find("input[name=code]").send_keys(&code);
    browser.find("button[type=submit]").click_and_wait();
    assert_eq!(
        browser.find_all("#recovery-codes li").len(),
        10,
        "{}",
        browser.source()
    );
    // On to where a supervisor starts: the dashboard.
    browser.find("#main a[href='/dashboard']").click_and_wait();
    assert_eq!(
        path(&browser, &server),
        "/dashboard",
        "{}",
        browser.source()
    );
}

#[test]
fn sign_out_stays_on_the_first_line_and_the_case_tabs_on_one_row() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    browser.set_size(1280, 900);
    let server = Server::start();
    // The supervisor has the longest header: cases, new case, tasks, dashboard, approvals…
    sign_in(&browser, &server, "supervisor@shelter.demo", DEMO_PASSWORD);
    let top = |css: &str| -> f64 {
        browser
            .execute(&format!(
                "return document.querySelector(\"{css}\").getBoundingClientRect().top;"
            ))
            .as_f64()
            .unwrap_or_else(|| panic!("{css} is not on the page"))
    };
    let brand = top(".top .brand");
    let sign_out = top("form.signout button");
    let sections = top(".top > nav");
    assert!(
        (sign_out - brand).abs() < 30.0,
        "sign-out ({sign_out}) is on the brand's line ({brand})"
    );
    assert!(
        sections > sign_out,
        "the sections are below, on their own line"
    );
    // A case's tabs: one row (it scrolls sideways when narrow), the open one marked.
    browser.goto(&server.url("/cases"));
    browser.find("a.case-link").click_and_wait();
    let rows = browser.execute(
        "return new Set([...document.querySelectorAll('.case-nav li')].map(li => Math.round(li.getBoundingClientRect().top))).size;",
    );
    assert_eq!(rows.as_i64(), Some(1), "the tabs wrap into {rows} rows");
    for width in [390u32, 1280] {
        browser.set_size(width, 844);
        let rows = browser.execute(
            "return new Set([...document.querySelectorAll('.case-nav li')].map(li => Math.round(li.getBoundingClientRect().top))).size;",
        );
        assert_eq!(
            rows.as_i64(),
            Some(1),
            "{width} px: the tabs wrap into {rows} rows"
        );
    }
    assert_eq!(
        browser.find_all(".case-nav a[aria-current=page]").len(),
        1,
        "the open tab is marked"
    );
}
