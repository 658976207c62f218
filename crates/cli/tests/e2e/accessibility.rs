//! An automated accessibility check of every page, in Chromium: the public pages in English
//! and Arabic, and every page each kind of staff user reaches by following links from where
//! they land. Each page is checked against the WCAG 2.0, 2.1 and 2.2 A and AA rules of the
//! axe-core engine (installed by `.ci/run` from the npm registry; `PASSAGE_AXE_JS` names the
//! file). Skipped when the engine or chromedriver is missing, unless `CI` is set.

use crate::common::*;
use crate::webdriver::Browser;
use serde_json::Value;
use std::collections::{BTreeSet, VecDeque};
use std::path::PathBuf;

const RULES: &str = "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']";

fn axe_source() -> Option<String> {
    let path = std::env::var_os("PASSAGE_AXE_JS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| {
                PathBuf::from(h).join(".cache/passage-axe/node_modules/axe-core/axe.min.js")
            })
        })?;
    match std::fs::read_to_string(&path) {
        Ok(src) => Some(src),
        Err(_) => {
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
            assert!(
                !ci,
                "the accessibility engine is missing at {} (set PASSAGE_AXE_JS)",
                path.display()
            );
            eprintln!(
                "skipping the accessibility check: no engine at {}",
                path.display()
            );
            None
        }
    }
}

/// The rule violations on the current page, one line each.
fn violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser.execute(&format!("{axe}\nreturn true;"));
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {RULES} }} }})
           .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
               + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
           .catch(e => done(['engine error: ' + e]));"
    );
    match browser.execute_async(&script) {
        Value::Array(v) => v
            .into_iter()
            .map(|x| x.as_str().unwrap_or_default().to_string())
            .collect(),
        other => vec![format!("unexpected answer: {other}")],
    }
}

/// Same-origin links of the current page worth visiting: pages, not downloads or sign-out.
fn links(browser: &Browser, server: &Server) -> Vec<String> {
    let found = browser
        .execute("return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);");
    found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .filter_map(|href| href.strip_prefix(&server.base))
        .map(|p| p.split('#').next().unwrap_or_default().to_string())
        .filter(|p| {
            p.starts_with('/')
                && !p.starts_with("/logout")
                && !p.starts_with("/static")
                && !p.starts_with("/api")
                && !p.starts_with("/attachments")
                && !p.contains("lang=")
                // A page refreshing itself because the user turned it on (and can turn it
                // off on the page) is the timing WCAG 2.2.1 allows; the engine flags any.
                && !p.contains("auto=1")
        })
        .collect()
}

/// The page's path with every id replaced, so one page of each shape is checked.
fn shape(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap_or_default()
        .split('/')
        .map(|seg| {
            if seg.len() == 36 && seg.chars().filter(|c| *c == '-').count() == 4 {
                "{id}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn sign_in(browser: &Browser, server: &Server, email: &str) {
    browser.goto(&server.url("/login"));
    browser.find("input[name=email]").send_keys(email);
    browser
        .find("input[name=password]")
        .send_keys(DEMO_PASSWORD);
    browser.find("button[type=submit]").click_and_wait();
}

#[test]
fn every_page_passes_the_wcag_a_and_aa_rules() {
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    // The engine runs and sees: a page with an image that has no text alternative fails.
    browser.goto(&server.url("/report"));
    browser.execute(
        "document.body.appendChild(document.createElement('img')).src = '/x.png'; return true;",
    );
    let canary = violations(&browser, &axe);
    assert!(
        canary.iter().any(|v| v.starts_with("image-alt")),
        "the engine did not find a missing alt: {canary:?}"
    );
    let mut report = Vec::new();
    let mut checked = BTreeSet::new();
    let mut check = |browser: &Browser, label: &str| {
        let url = browser.url();
        for v in violations(browser, &axe) {
            report.push(format!("{label} {url}: {v}"));
        }
    };
    for lang in ["en", "ar"] {
        for page in [
            "/report",
            "/report/follow-up",
            "/services",
            "/rights",
            "/rights/GB/destination/work",
            "/statistics",
        ] {
            browser.goto(&server.url(&format!("{page}?lang={lang}")));
            check(&browser, "public");
            checked.insert(format!("public {page}?lang={lang}"));
        }
    }
    for lang in ["en", "ar"] {
        let page = format!("/rights?country=PH&stage=pre_departure&lang={lang}");
        browser.goto(&server.url(&page));
        check(&browser, "public");
        checked.insert(format!("public {page}"));
    }
    for lang in ["en", "ar"] {
        let page = format!("/recruiters?q=Al%20Noor%20Manpower&lang={lang}");
        browser.goto(&server.url(&page));
        check(&browser, "public");
        checked.insert(format!("public {page}"));
    }
    browser.goto(&server.url("/login"));
    check(&browser, "public");
    for email in [
        "caseworker@shelter.demo",
        "supervisor@shelter.demo",
        "intake@hotline.demo",
        "orgadmin@shelter.demo",
        "analyst@statistics.demo",
    ] {
        sign_in(&browser, &server, email);
        let mut seen = BTreeSet::new();
        let mut queue: VecDeque<String> = VecDeque::from([browser
            .url()
            .strip_prefix(&server.base)
            .unwrap_or("/")
            .to_string()]);
        while let Some(path) = queue.pop_front() {
            if !seen.insert(shape(&path)) || seen.len() > 40 {
                continue;
            }
            browser.goto(&server.url(&path));
            check(&browser, email);
            checked.insert(format!("{email} {}", shape(&path)));
            queue.extend(links(&browser, &server));
        }
        browser.clear_cookies();
    }
    // The screening pages reached by buttons, not links: a new interview, the question before
    // finishing with questions open, and the result.
    sign_in(&browser, &server, "caseworker@shelter.demo");
    browser.find("a.case-link").click_and_wait();
    let case = browser.url();
    let case = case
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string();
    browser.goto(&format!("{case}/screenings"));
    browser
        .find("form[action$='/screenings'] button[type=submit]")
        .click_and_wait();
    check(&browser, "screening interview");
    browser
        .find("button[name=go][value=finish]")
        .click_and_wait();
    assert!(
        browser.find_all("form#finish-anyway").len() == 1,
        "the question before finishing: {}",
        browser.source()
    );
    check(&browser, "screening finish");
    browser.find("form#finish-anyway button").click_and_wait();
    check(&browser, "screening result");
    // The transfer pages: the case's Transfer tab and the organisation's transfers (the crawl
    // may stop before it reaches them).
    browser.goto(&format!("{case}/transfer"));
    check(&browser, "transfer form");
    browser.goto(&server.url("/transfers"));
    check(&browser, "transfers");
    // The Erasure tab (legal hold and, for supervisors, the erasure form).
    browser.goto(&format!("{case}/erasure"));
    check(&browser, "erasure");
    // The dashboards: the organisation's and the country's (the crawl may stop before them).
    browser.goto(&server.url("/stats/dashboard"));
    check(&browser, "organisation dashboard");
    browser.goto(&server.url("/stats/national?breakdown=age"));
    check(&browser, "national dashboard");
    // The Work and pay tab: empty on this case, and filled on the demo worker's.
    browser.goto(&format!("{case}/labour"));
    check(&browser, "work and pay");
    browser.goto(&server.url("/cases"));
    let maria = browser
        .find_all("a.case-link")
        .iter()
        .find(|a| a.text().starts_with("María José"))
        .and_then(|a| a.attr("href"))
        .expect("the demo worker's case");
    browser.goto(&server.url(&format!("{maria}/labour")));
    assert_eq!(browser.find_all("#substitution tr.differs").len(), 6);
    check(&browser, "work and pay filled");
    // The Tracing and age tab: empty on this case, and filled on the separated child's.
    browser.goto(&format!("{case}/tracing"));
    check(&browser, "tracing and age");
    browser.goto(&server.url("/cases"));
    let amina = browser
        .find_all("a.case-link")
        .iter()
        .find(|a| a.text().starts_with("Amina"))
        .and_then(|a| a.attr("href"))
        .expect("the separated child's case");
    browser.goto(&server.url(&format!("{amina}/tracing")));
    assert_eq!(browser.find_all("article.tracing-request").len(), 1);
    check(&browser, "tracing and age filled");
    // The International protection tab, with no need recorded (the filled one is the
    // inspectorate's, below).
    browser.goto(&format!("{case}/protection"));
    check(&browser, "international protection");
    // The Return tab: empty on this case, and filled on the demo returnee's, with the
    // 3-month visit that flowed back from the partner abroad.
    browser.goto(&format!("{case}/return"));
    check(&browser, "return");
    browser.goto(&server.url("/cases"));
    let rosalinda = browser
        .find_all("a.case-link")
        .iter()
        .find(|a| a.text().starts_with("Rosalinda"))
        .and_then(|a| a.attr("href"))
        .expect("the demo returnee's case");
    browser.goto(&server.url(&format!("{rosalinda}/return")));
    assert_eq!(browser.find_all("article.reintegration-visit").len(), 1);
    check(&browser, "return filled");
    // The Permits tab: on this case, and on the recognised victim's with a granted permit
    // whose reminder is due.
    browser.goto(&format!("{case}/permits"));
    check(&browser, "permits");
    browser.goto(&server.url("/cases"));
    let maricel = browser
        .find_all("a.case-link")
        .iter()
        .find(|a| a.text().starts_with("Maricel"))
        .and_then(|a| a.attr("href"))
        .expect("the recognised victim's case");
    browser.goto(&server.url(&format!("{maricel}/permits")));
    assert_eq!(browser.find_all("article.permit").len(), 1);
    assert_eq!(browser.find_all(".permit-reminder").len(), 1);
    check(&browser, "permits filled");
    // The Justice tab: empty on this case, and filled on the trafficking victim's.
    browser.goto(&format!("{case}/justice"));
    check(&browser, "justice");
    browser.goto(&server.url(&format!("{maria}/justice")));
    assert_eq!(browser.find_all("article.proceeding").len(), 1);
    check(&browser, "justice filled");
    checked.extend(
        [
            "international protection",
            "return",
            "return filled",
            "work and pay",
            "work and pay filled",
            "tracing and age",
            "tracing and age filled",
            "permits",
            "permits filled",
            "justice",
            "justice filled",
            "screening interview",
            "screening finish",
            "screening result",
            "transfer form",
            "transfers",
        ]
        .map(String::from),
    );
    // The referral pages: the case's tab with its Refer form, the lists, and one referral as
    // the referrer and as the receiver (with its answer forms). The caseworker refers the
    // case to the helpline's service on a consent recorded over the API.
    let id = case.rsplit('/').next().unwrap_or_default().to_string();
    let token = server.token("caseworker@shelter.demo");
    let api = |p: &str| server.url(&format!("/api/v1{p}"));
    let (_, found) = call("GET", &api(&format!("/cases/{id}")), Some(&token), None);
    let person = found["person"]["id"].as_str().expect("person").to_string();
    let (_, services) = call("GET", &api("/services?type=legal_aid"), Some(&token), None);
    let helpline = services
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|e| e["name"] == "Migrant Helpline advice line")
        })
        .cloned()
        .unwrap_or_else(|| panic!("the helpline's service: {services}"));
    let (s, v) = call(
        "POST",
        &api(&format!("/persons/{person}/consents")),
        Some(&token),
        Some(
            serde_json::json!({"purpose": "referral", "organisation_id": helpline["organisation_id"], "method": "written"}),
        ),
    );
    assert_eq!(s, 201, "{v}");
    let (s, v) = call(
        "POST",
        &api(&format!("/cases/{id}/referrals")),
        Some(&token),
        Some(serde_json::json!({"service_id": helpline["id"], "purpose": "referral"})),
    );
    assert_eq!(s, 201, "{v}");
    let referral = v["id"].as_str().expect("id").to_string();
    for (label, path) in [
        ("referrals case tab", format!("{case}/referrals")),
        ("referrals list", server.url("/referrals")),
        (
            "referral as referrer",
            server.url(&format!("/referrals/{referral}")),
        ),
    ] {
        browser.goto(&path);
        check(&browser, label);
        checked.insert(label.to_string());
    }
    // The person's copy (in English and in Arabic) and the Disclosures tab, with the referral
    // just sent in the register and a correction waiting for its decision form.
    let (s, v) = call(
        "POST",
        &api(&format!("/cases/{id}/corrections")),
        Some(&token),
        Some(serde_json::json!({"what": "The spelling of my village", "asked_on": "2026-05-04"})),
    );
    assert_eq!(s, 201, "{v}");
    for (label, path) in [
        ("person's copy", format!("{case}/copy")),
        ("person's copy in Arabic", format!("{case}/copy?lang=ar")),
        ("disclosures tab", format!("{case}/disclosures")),
    ] {
        browser.goto(&path);
        assert!(!browser.find_all("tr.disclosure").is_empty(), "{label}");
        check(&browser, label);
        checked.insert(label.to_string());
    }
    // The register of recruiters and employers: the register with a search, the demo
    // recruiter's page, and the case's Employer / recruiter section with its offer.
    let (_, entities) = call(
        "GET",
        &api("/entities?q=Al%20Noor%20Manpower"),
        Some(&token),
        None,
    );
    let recruiter = entities[0]["id"]
        .as_str()
        .expect("the demo recruiter")
        .to_string();
    for (label, path) in [
        (
            "entities register",
            server.url("/entities?q=Al%20Noor%20Manpower"),
        ),
        ("entity page", server.url(&format!("/entities/{recruiter}"))),
        (
            "case employer section",
            format!("{case}/entities?q=Al%20Noor"),
        ),
    ] {
        browser.goto(&path);
        check(&browser, label);
        checked.insert(label.to_string());
    }
    // Who holds a document, and who is involved in a screening: the same section on a held
    // document's page and on a screening's page, with a link to remove on each named entity.
    let (s, v) = call(
        "POST",
        &api(&format!("/persons/{person}/documents")),
        Some(&token),
        Some(serde_json::json!({"kind": "passport", "held_by": "recruiter", "country": "PH"})),
    );
    assert_eq!(s, 201, "{v}");
    let doc = v["id"].as_str().expect("id").to_string();
    let (s, v) = call(
        "POST",
        &api(&format!("/documents/{doc}/entities")),
        Some(&token),
        Some(serde_json::json!({"entity_id": recruiter, "role": "document_holder"})),
    );
    assert_eq!(s, 201, "{v}");
    let (_, screenings) = call(
        "GET",
        &api(&format!("/cases/{id}/screenings")),
        Some(&token),
        None,
    );
    let screening = screenings[0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("the case's screening: {screenings}"))
        .to_string();
    for (label, path) in [
        (
            "document holder section",
            format!("{case}/person/documents/{doc}/entities?q=Al%20Noor"),
        ),
        (
            "screening entities section",
            server.url(&format!("/screenings/{screening}/entities?q=Al%20Noor")),
        ),
    ] {
        browser.goto(&path);
        check(&browser, label);
        checked.insert(label.to_string());
    }
    browser.clear_cookies();
    sign_in(&browser, &server, "intake@hotline.demo");
    browser.goto(&server.url(&format!("/referrals/{referral}")));
    assert_eq!(
        browser.find_all("#referral-accept").len(),
        1,
        "the receiver's answer forms: {}",
        browser.source()
    );
    check(&browser, "referral as receiver");
    checked.insert("referral as receiver".to_string());
    browser.clear_cookies();
    // The partner abroad's follow-up page on its hand-over referral, with the visit form.
    let rosalinda_id = rosalinda.rsplit('/').next().unwrap_or_default().to_string();
    let (_, ret) = call(
        "GET",
        &api(&format!("/cases/{rosalinda_id}/return")),
        Some(&token),
        None,
    );
    let handover = ret["handover"]["referral_id"]
        .as_str()
        .unwrap_or_else(|| panic!("the demo hand-over: {ret}"))
        .to_string();
    sign_in(&browser, &server, "reintegration@partner.demo");
    browser.goto(&server.url(&format!("/referrals/{handover}/reintegration")));
    assert_eq!(browser.find_all("form#visit-form select").len(), 23);
    check(&browser, "reintegration follow-up");
    checked.insert("reintegration follow-up".to_string());
    browser.clear_cookies();
    // Labour inspection: the inspector's work list, the targets and the demo visit.
    let inspector = server.token("inspector@labour.demo");
    let (_, list) = call("GET", &api("/inspections"), Some(&inspector), None);
    let visit = list["overdue_orders"][0]["inspection_id"]
        .as_str()
        .expect("the demo visit")
        .to_string();
    // A planned visit shows the outcome form (joint agencies, order, sanction).
    let (s, v) = call(
        "POST",
        &api("/inspections"),
        Some(&inspector),
        Some(
            serde_json::json!({"entity_id": recruiter, "status": "planned", "planned_on": "2099-01-10"}),
        ),
    );
    assert_eq!(s, 201, "{v}");
    let planned = v["id"].as_str().expect("id").to_string();
    // Maricel Dizon's case: a fear-of-return need and the consulate's refusal.
    let (_, cases) = call("GET", &api("/cases"), Some(&inspector), None);
    let dizon = cases
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| {
            c["person_name"]
                .as_str()
                .unwrap_or("")
                .starts_with("Maricel Dizon")
        })
        .and_then(|c| c["id"].as_str())
        .expect("the demo case with a protection need")
        .to_string();
    sign_in(&browser, &server, "inspector@labour.demo");
    for (label, path) in [
        ("inspection work list", server.url("/inspections")),
        (
            "inspection targets",
            server.url("/inspections/targets?country=AE"),
        ),
        (
            "inspection visit",
            server.url(&format!("/inspections/{visit}")),
        ),
        (
            "inspection visit planned",
            server.url(&format!("/inspections/{planned}")),
        ),
        (
            "international protection filled",
            server.url(&format!("/cases/{dizon}/protection")),
        ),
        (
            "case with protection banner",
            server.url(&format!("/cases/{dizon}")),
        ),
    ] {
        browser.goto(&path);
        check(&browser, label);
        checked.insert(label.to_string());
    }
    browser.clear_cookies();
    // Incidents and monitoring: the list, the form, one incident with its verification and
    // link forms, the monitoring views (tile map, trend, breakdowns) and the visits.
    let supervisor = server.token("supervisor@shelter.demo");
    let (_, incidents) = call("GET", &api("/incidents"), Some(&supervisor), None);
    let incident = incidents[0]["id"]
        .as_str()
        .expect("a demo incident")
        .to_string();
    let (_, visits) = call("GET", &api("/monitoring/visits"), Some(&supervisor), None);
    let visit = visits[0]["id"]
        .as_str()
        .expect("the demo visit")
        .to_string();
    sign_in(&browser, &server, "supervisor@shelter.demo");
    for (label, path) in [
        ("incidents", server.url("/incidents")),
        ("incident form", server.url("/incidents/new")),
        ("incident", server.url(&format!("/incidents/{incident}"))),
        ("monitoring", server.url("/monitoring?country=GB")),
        ("monitoring visits", server.url("/monitoring/visits")),
        (
            "monitoring visit form",
            server.url("/monitoring/visits/new"),
        ),
        (
            "monitoring visit",
            server.url(&format!("/monitoring/visits/{visit}")),
        ),
    ] {
        browser.goto(&path);
        check(&browser, label);
        checked.insert(label.to_string());
    }
    browser.clear_cookies();
    // The ombudsperson's investigations: the work list and the demo investigation.
    let ombudsperson = server.token("ombudsperson@equality.demo");
    let (_, list) = call("GET", &api("/investigations"), Some(&ombudsperson), None);
    let investigation = list[0]["id"]
        .as_str()
        .expect("the demo investigation")
        .to_string();
    sign_in(&browser, &server, "ombudsperson@equality.demo");
    for (label, path) in [
        ("investigation work list", server.url("/investigations")),
        (
            "investigation",
            server.url(&format!("/investigations/{investigation}")),
        ),
    ] {
        browser.goto(&path);
        check(&browser, label);
        checked.insert(label.to_string());
    }
    browser.clear_cookies();
    // A witness's report with a file: the confirmation page with the day of erasure, the
    // receipt page that repeats it, in both directions, and the report page with the file.
    let photo = crate::common::temp_dir("a11y-photo").join("photo.png");
    std::fs::write(
        &photo,
        b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\0\0\0\0\0\0\0\0\0\0\0\0IEND\0\0\0\0",
    )
    .expect("photo");
    for lang in ["en", "ar"] {
        browser.goto(&server.url(&format!("/report?lang={lang}")));
        browser.find("#witness").click();
        browser.find("input[name=category][value=housing]").click();
        browser
            .find("input[name=category][value=abuse_by_officials]")
            .click();
        browser.find("#narrative").send_keys("Seen from the window");
        browser
            .find("input[type=file][name=file]")
            .send_keys(&photo.display().to_string());
        browser
            .find("form[action='/report'] button[type=submit]")
            .click_and_wait();
        assert_eq!(browser.find_all("#expiry").len(), 1, "{}", browser.source());
        check(&browser, "public report sent");
        let receipt = browser.find("p.receipt").text();
        browser.goto(&server.url(&format!("/report/follow-up?lang={lang}")));
        browser.find("input[name=receipt]").send_keys(&receipt);
        browser
            .find("form[action='/report/follow-up'] button[type=submit]")
            .click_and_wait();
        assert_eq!(browser.find_all("#expiry").len(), 1, "{}", browser.source());
        check(&browser, "public receipt page");
        checked.insert(format!("public report sent ?lang={lang}"));
        checked.insert(format!("public receipt page ?lang={lang}"));
    }
    let (_, queue) = call(
        "GET",
        &api("/reports"),
        Some(&server.token("intake@hotline.demo")),
        None,
    );
    let with_file = queue
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|r| r["categories"] == serde_json::json!(["abuse_by_officials", "housing"]))
        })
        .and_then(|r| r["id"].as_str())
        .expect("the witness's report")
        .to_string();
    sign_in(&browser, &server, "intake@hotline.demo");
    browser.goto(&server.url(&format!("/reports/{with_file}")));
    assert_eq!(browser.find_all(".report-files a").len(), 1);
    check(&browser, "report with a file");
    checked.insert("report with a file".to_string());
    browser.clear_cookies();
    // The record of statistics releases, in both directions of writing.
    sign_in(&browser, &server, "analyst@statistics.demo");
    for lang in ["en", "ar"] {
        browser.goto(&server.url(&format!("/stats/releases?lang={lang}")));
        assert_eq!(browser.find_all("h1").len(), 1, "{}", browser.source());
        check(&browser, "statistics releases");
        checked.insert(format!("statistics releases ?lang={lang}"));
    }
    browser.clear_cookies();
    // The pages every signed-in frame links to, reached by the crawl.
    for page in [
        "analyst@statistics.demo /stats/releases",
        "caseworker@shelter.demo /inbox",
        "orgadmin@shelter.demo /inbox",
        "orgadmin@shelter.demo /admin/webhooks",
        // The four Ps, linked from the statistics page.
        "analyst@statistics.demo /stats/measures",
    ] {
        assert!(
            checked.contains(page),
            "{page} was not checked: {checked:#?}"
        );
    }
    eprintln!("accessibility: {} pages checked", checked.len());
    assert!(
        checked.len() >= 25,
        "the crawl reached the pages: {checked:#?}"
    );
    assert!(
        report.is_empty(),
        "{} violations on {} pages:\n{}",
        report.len(),
        checked.len(),
        report.join("\n")
    );
}
