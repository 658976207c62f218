//! What happened to the worker, and their claims, over HTTP (issue 15 items 3 and 4). The
//! API records fees, debts, both contracts, wages owed and claims (201 with an id) and lists
//! them; the contracts answer with the terms that differ. Bad input is 422 naming each field,
//! nothing written; a claim changes only at its version and only forward. Another
//! organisation gets 404 on every route, immigration enforcement the firewall. The "Work and
//! pay" tab shows the comparison with each differing row marked in words, its forms answer
//! 422 with the typed values, and the screening interview shows "supported by" beside the
//! questions the records support, without changing an answer.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

const PAID_TO: &str = "Quillfeather Manpower";

/// A shelter caseworker with a case; returns (worker, case id).
async fn shelter_case(app: &App) -> (User, String) {
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker],
        )
        .await;
    let person = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(json!({"given_name": "Maricel", "family_name": "Dizon", "citizenships": ["PH"]})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": "Paid a placement fee; a different job on arrival."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    let cid = case.json()["id"].as_str().expect("id").to_string();
    (worker, cid)
}

fn fee() -> Value {
    json!({"kind": "placement_fee", "amount": 150000, "currency": "USD", "paid_to": PAID_TO, "paid_on": "2025-11", "evidence": "Receipt"})
}

fn contract(version: &str, employer: &str, wage: i64) -> Value {
    json!({"version": version, "wage_amount": wage, "wage_currency": "QAR", "wage_period": "month",
           "hours_per_week": 48, "job_title": "Cook", "employer": employer, "place": "Doha", "days_off": 1})
}

fn claim() -> Value {
    json!({"kind": "labour_court", "subject": "wages", "amount": 420000, "currency": "QAR", "deadline": "2026-09-30"})
}

/// Every route with a valid body for its writes.
fn routes(cid: &str) -> Vec<(Method, String, Option<Value>)> {
    let base = format!("/cases/{cid}/labour");
    vec![
        (Method::GET, format!("{base}/fees"), None),
        (Method::POST, format!("{base}/fees"), Some(fee())),
        (Method::GET, format!("{base}/debts"), None),
        (
            Method::POST,
            format!("{base}/debts"),
            Some(json!({"owed_to": PAID_TO, "amount": 90000, "currency": "USD"})),
        ),
        (Method::GET, format!("{base}/contracts"), None),
        (
            Method::POST,
            format!("{base}/contracts"),
            Some(contract("promised", "Seaview Hotel", 250000)),
        ),
        (Method::GET, format!("{base}/wages"), None),
        (
            Method::POST,
            format!("{base}/wages"),
            Some(json!({"period_from": "2026-01", "amount": 480000, "currency": "QAR"})),
        ),
        (Method::GET, format!("{base}/claims"), None),
        (Method::POST, format!("{base}/claims"), Some(claim())),
    ]
}

#[tokio::test]
async fn the_worker_account_is_recorded_and_read_back_with_its_substitution() {
    let app = App::new().await;
    let (worker, cid) = shelter_case(&app).await;
    for (method, path, body) in routes(&cid) {
        let a = app.api(method.clone(), &path, Some(&worker), body).await;
        if method == Method::POST {
            assert_eq!(a.status, 201, "{path}: {}", a.body);
            let id = a.json()["id"].as_str().expect("id").to_string();
            assert!(uuid::Uuid::parse_str(&id).is_ok());
        } else {
            assert_eq!(a.status, 200, "{path}: {}", a.body);
        }
    }
    let found = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/labour/contracts"),
            Some(&worker),
            Some(contract("found", "Brackenmoor Farms", 120000)),
        )
        .await;
    assert_eq!(found.status, 201, "{}", found.body);
    let fees = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/labour/fees"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(fees[0]["kind"], "placement_fee");
    assert_eq!(fees[0]["amount"], 150000);
    assert_eq!(fees[0]["currency"], "USD");
    assert_eq!(fees[0]["paid_to"], PAID_TO);
    assert_eq!(fees[0]["paid_on"], "2025-11");
    let contracts = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/labour/contracts"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(contracts["promised"]["employer"], "Seaview Hotel");
    assert_eq!(contracts["found"]["wage_amount"], 120000);
    assert_eq!(contracts["substitution"], json!(["wage", "employer"]));

    // A claim moves forward at its version; back, or at a stale version, it is refused.
    let claims = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/labour/claims"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(claims[0]["stage"], "preparing");
    assert_eq!(claims[0]["version"], 1);
    let path = format!(
        "/cases/{cid}/labour/claims/{}",
        claims[0]["id"].as_str().expect("id")
    );
    let moved = app
        .api(
            Method::PUT,
            &path,
            Some(&worker),
            Some(json!({"version": 1, "stage": "filed"})),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.json()["version"], 2);
    let stale = app
        .api(
            Method::PUT,
            &path,
            Some(&worker),
            Some(json!({"version": 1, "stage": "hearing"})),
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert_eq!(stale.json()["code"], "version_conflict");
    let back = app
        .api(
            Method::PUT,
            &path,
            Some(&worker),
            Some(json!({"version": 2, "stage": "preparing"})),
        )
        .await;
    assert_eq!(back.status, 422, "{}", back.body);
    assert_eq!(back.json()["fields"][0]["field"], "stage");
    assert_eq!(back.json()["fields"][0]["code"], "transition_not_allowed");
    let recovered = app
        .api(
            Method::PUT,
            &path,
            Some(&worker),
            Some(json!({"version": 2, "stage": "decided", "recovered": 100000})),
        )
        .await;
    assert_eq!(recovered.status, 200, "{}", recovered.body);
    let claims = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/labour/claims"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(claims[0]["stage"], "decided");
    assert_eq!(claims[0]["amount_recovered"], 100000);
}

#[tokio::test]
async fn bad_input_is_a_422_naming_the_field_and_nothing_is_written() {
    let app = App::new().await;
    let (worker, cid) = shelter_case(&app).await;
    let fees = format!("/cases/{cid}/labour/fees");
    let with = |patch: Value| {
        let mut f = fee();
        if let (Some(o), Some(p)) = (f.as_object_mut(), patch.as_object()) {
            for (k, v) in p {
                o.insert(k.clone(), v.clone());
            }
        }
        f
    };
    for (body, field, code) in [
        (with(json!({"currency": ""})), "currency", "required"),
        (with(json!({"amount": -100})), "amount", "negative_amount"),
        (
            with(json!({"currency": "XYZ"})),
            "currency",
            "unknown_currency",
        ),
        (
            with(json!({"paid_on": "2025-02-30"})),
            "paid_on",
            "invalid_date",
        ),
        (with(json!({"paid_on": "2999-01"})), "paid_on", "in_future"),
        (with(json!({"kind": "bribe"})), "kind", "unknown_value"),
    ] {
        let a = app
            .api(Method::POST, &fees, Some(&worker), Some(body.clone()))
            .await;
        assert_eq!(a.status, 422, "{body}: {}", a.body);
        let j = a.json();
        assert_eq!(j["code"], "validation_failed");
        assert_eq!(j["fields"][0]["field"], field, "{j}");
        assert_eq!(j["fields"][0]["code"], code, "{j}");
    }
    for (path, body, field, code) in [
        (
            format!("/cases/{cid}/labour/debts"),
            json!({"owed_to": "X", "amount": 100}),
            "currency",
            "required",
        ),
        (
            format!("/cases/{cid}/labour/wages"),
            json!({"period_from": "2026-01", "amount": -1, "currency": "QAR"}),
            "amount",
            "negative_amount",
        ),
        (
            format!("/cases/{cid}/labour/contracts"),
            json!({"version": "found", "wage_amount": 1000, "wage_currency": "ZZZ", "wage_period": "month"}),
            "wage_currency",
            "unknown_currency",
        ),
        (
            format!("/cases/{cid}/labour/claims"),
            json!({"kind": "labour_court", "subject": "wages", "amount": 100, "currency": "QAR", "deadline": "2026-02-31"}),
            "deadline",
            "invalid_date",
        ),
    ] {
        let a = app
            .api(Method::POST, &path, Some(&worker), Some(body.clone()))
            .await;
        assert_eq!(a.status, 422, "{path} {body}: {}", a.body);
        assert_eq!(a.json()["fields"][0]["field"], field, "{}", a.body);
        assert_eq!(a.json()["fields"][0]["code"], code, "{}", a.body);
    }
    for (method, path, _) in routes(&cid) {
        if method == Method::GET {
            let a = app.api(method, &path, Some(&worker), None).await;
            if path.ends_with("/contracts") {
                assert_eq!(a.json()["promised"], Value::Null, "{path}");
                assert_eq!(a.json()["found"], Value::Null, "{path}");
            } else {
                assert_eq!(a.json(), json!([]), "nothing written: {path}");
            }
        }
    }
}

#[tokio::test]
async fn another_organisation_gets_404_and_immigration_enforcement_the_firewall() {
    let app = App::new().await;
    let (worker, cid) = shelter_case(&app).await;
    app.api(
        Method::POST,
        &format!("/cases/{cid}/labour/fees"),
        Some(&worker),
        Some(fee()),
    )
    .await;
    let outsider = app
        .user(
            OrgKind::Ngo,
            "w@other.test",
            &[Role::Caseworker, Role::Supervisor],
        )
        .await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "o@immigration.test",
            Role::ALL,
        )
        .await;
    let mut all = routes(&cid);
    all.push((
        Method::PUT,
        format!("/cases/{cid}/labour/claims/{}", uuid::Uuid::now_v7()),
        Some(json!({"version": 1, "stage": "filed"})),
    ));
    for (method, path, body) in all {
        let a = app
            .api(method.clone(), &path, Some(&outsider), body.clone())
            .await;
        assert_eq!(a.status, 404, "{method} {path}: {}", a.body);
        assert_eq!(a.json()["code"], "not_found");
        assert!(!a.body.contains(PAID_TO));
        let f = app.api(method.clone(), &path, Some(&officer), body).await;
        assert_eq!(f.status, 403, "{method} {path}: {}", f.body);
        assert_eq!(f.json()["reason"], "immigration_firewall");
        assert!(!f.body.contains(PAID_TO));
    }
    // The page: never to either.
    for who in [&outsider, &officer] {
        let page = app.page(&format!("/cases/{cid}/labour"), Some(who)).await;
        assert!(page.status == 403 || page.status == 404, "{}", page.status);
        assert!(!page.body.contains(PAID_TO));
    }
    // The shelter's record is unchanged: one fee.
    let fees = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/labour/fees"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(fees.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_tab_shows_the_substitution_marked_in_words_and_its_forms_keep_what_was_typed() {
    let app = App::new().await;
    let (worker, cid) = shelter_case(&app).await;
    let page_path = format!("/cases/{cid}/labour");
    let empty = app.page(&page_path, Some(&worker)).await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    let html = empty.html();
    assert_eq!(
        attrs(&html, ".case-nav a[aria-current=page]", "href"),
        vec![page_path.clone()]
    );
    assert!(select(&html, "#substitution tr.differs").is_empty());
    // Referral links open the case's Refer form with the need type chosen.
    assert_eq!(
        attrs(&html, "#refer-legal-aid", "href"),
        vec![format!("/cases/{cid}/referrals?type=legal_aid")]
    );
    assert_eq!(
        attrs(&html, "#refer-union", "href"),
        vec![format!("/cases/{cid}/referrals?type=labour_rights")]
    );

    // A fee with no currency: the page again, 422, the problem linked to the field, the
    // typed values kept, nothing written.
    let bad = app
        .post_form(
            &format!("{page_path}/fees"),
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("kind", "placement_fee"),
                ("amount", "1500"),
                ("currency", ""),
                ("paid_to", PAID_TO),
                ("paid_on", "2025-11"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let html = bad.html();
    assert_eq!(
        attrs(&html, ".error-summary a", "href"),
        vec!["#fee-currency".to_string()]
    );
    assert_eq!(
        attrs(&html, "#fee-paid_to", "value"),
        vec![PAID_TO.to_string()]
    );
    assert!(select(&html, "#fee-list tr.fee").is_empty());

    for fields in [vec![
        ("kind", "placement_fee"),
        ("amount", "1500"),
        ("currency", "usd"),
        ("paid_to", PAID_TO),
        ("paid_on", "2025-11"),
    ]] {
        let mut f = vec![("csrf", worker.csrf.as_str())];
        f.extend(fields);
        let ok = app
            .post_form(&format!("{page_path}/fees"), &worker, &f)
            .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
    }
    for (version, employer, wage) in [
        ("promised", "Seaview Hotel", "2500"),
        ("found", "Brackenmoor Farms", "1200"),
    ] {
        let ok = app
            .post_form(
                &format!("{page_path}/contracts"),
                &worker,
                &[
                    ("csrf", &worker.csrf),
                    ("version", version),
                    ("wage_amount", wage),
                    ("wage_currency", "QAR"),
                    ("wage_period", "month"),
                    ("job_title", "Cook"),
                    ("employer", employer),
                ],
            )
            .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
    }
    let shown = app.page(&page_path, Some(&worker)).await;
    let html = shown.html();
    assert_eq!(
        select(&html, "#fee-list tr.fee .amount"),
        vec!["1500.00 USD".to_string()]
    );
    // The differing rows carry the class and the word, not only a colour.
    assert_eq!(
        attrs(&html, "#substitution tr.differs", "data-term"),
        vec!["wage".to_string(), "employer".to_string()]
    );
    assert_eq!(
        select(&html, "#substitution tr.differs .mark"),
        vec!["Differs".to_string(), "Differs".to_string()]
    );
    let job = select(&html, "#substitution tr[data-term=job_title] td");
    assert_eq!(
        job,
        vec!["Cook".to_string(), "Cook".to_string(), String::new()]
    );
    assert!(select(&html, "#substitution-summary")[0].contains("2 terms differ"));
}

#[tokio::test]
async fn the_screening_shows_what_supports_a_question_without_answering_it() {
    let app = App::new().await;
    let (worker, cid) = shelter_case(&app).await;
    app.api(
        Method::POST,
        &format!("/cases/{cid}/labour/fees"),
        Some(&worker),
        Some(fee()),
    )
    .await;
    let started = app
        .post_form(
            &format!("/cases/{cid}/screenings"),
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("instrument", "ilo_adult_labour"),
                ("language", "en"),
                ("mode", "all"),
            ],
        )
        .await;
    assert_eq!(started.status, 303, "{}", started.body);
    let sid = started
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix("/screenings/"))
        .and_then(|l| l.split('?').next())
        .expect("the interview")
        .to_string();
    let page = app
        .page(&format!("/screenings/{sid}?mode=all"), Some(&worker))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    let lines = select(&html, "#q-dr_travel_recruitment .support-line");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("Supported by: fee recorded on "),
        "{lines:?}"
    );
    // Only that question: nothing recorded supports the others.
    assert_eq!(select(&html, ".support-line").len(), 1);
    // The answer is the interviewer's: nothing is checked for them.
    assert!(attrs(&html, "#q-dr_travel_recruitment input[checked]", "value").is_empty());
}

#[tokio::test]
async fn a_consented_union_without_a_referral_reads_and_writes_nothing() {
    let app = App::new().await;
    let (worker, cid) = shelter_case(&app).await;
    app.api(
        Method::POST,
        &format!("/cases/{cid}/labour/fees"),
        Some(&worker),
        Some(fee()),
    )
    .await;
    let union = app
        .user(OrgKind::Ngo, "rep@union.test", &[Role::Caseworker])
        .await;
    let union_org = app.actor("rep@union.test").await.org_id();
    let pid = app
        .api(Method::GET, &format!("/cases/{cid}"), Some(&worker), None)
        .await
        .json()["person"]["id"]
        .as_str()
        .expect("person")
        .to_string();
    let consent = app
        .api(
            Method::POST,
            &format!("/persons/{pid}/consents"),
            Some(&worker),
            Some(json!({"purpose": "referral", "organisation_id": union_org, "method": "written"})),
        )
        .await;
    assert_eq!(consent.status, 201, "{}", consent.body);
    // Consent to a referral opens nothing by itself: the API and the tab answer as for nothing.
    let read = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/labour/fees"),
            Some(&union),
            None,
        )
        .await;
    assert_eq!(read.status, 404, "{}", read.body);
    assert!(!read.body.contains(PAID_TO));
    let write = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/labour/fees"),
            Some(&union),
            Some(fee()),
        )
        .await;
    assert_eq!(write.status, 404, "{}", write.body);
    let page = app
        .page(&format!("/cases/{cid}/labour"), Some(&union))
        .await;
    assert_eq!(page.status, 404, "{}", page.body);
    assert!(!page.body.contains(PAID_TO));
}

#[tokio::test]
async fn a_claim_moves_on_from_its_page_and_a_refused_move_is_shown_at_the_field() {
    let app = App::new().await;
    let (worker, cid) = shelter_case(&app).await;
    let made = app
        .post_form(
            &format!("/cases/{cid}/labour/claims"),
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("kind", "mediation"),
                ("subject", "compensation"),
                ("amount", "3000"),
                ("currency", "EUR"),
                ("deadline", "2030-01-31"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let claims = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/labour/claims"),
            Some(&worker),
            None,
        )
        .await
        .json();
    let id = claims[0]["id"].as_str().expect("id").to_string();
    let action = format!("/cases/{cid}/labour/claims/{id}");
    let page = app
        .page(&format!("/cases/{cid}/labour"), Some(&worker))
        .await;
    let html = page.html();
    // Only the moves the claim may make are offered.
    assert_eq!(
        attrs(&html, &format!("#claim-{id}-stage option"), "value"),
        vec!["".to_string(), "filed".into(), "closed".into()]
    );
    let moved = app
        .post_form(
            &action,
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("version", "1"),
                ("stage", "filed"),
                ("recovered", "0"),
            ],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    // A move back (a stale page, a forged form): 422, the problem linked to the claim's field.
    let back = app
        .post_form(
            &action,
            &worker,
            &[
                ("csrf", &worker.csrf),
                ("version", "2"),
                ("stage", "preparing"),
            ],
        )
        .await;
    assert_eq!(back.status, 422, "{}", back.body);
    assert_eq!(
        attrs(&back.html(), ".error-summary a", "href"),
        vec![format!("#claim-{id}-stage")]
    );
    let shown = app
        .page(&format!("/cases/{cid}/labour"), Some(&worker))
        .await;
    assert_eq!(
        select(&shown.html(), &format!("#claim-{id} .claim-stage")),
        vec!["Filed".to_string()]
    );
}

/// The tab's forms follow the policy's write decision (what the store will allow), not the
/// organisation alone: the case's own caseworker and the organisation's supervisor see them;
/// a caseworker of the same organisation who may not open the case gets 404. A claim with a
/// deadline puts the deadline on the caseworker's work list ("My tasks") before it passes.
#[tokio::test]
async fn the_tab_shows_its_forms_to_whom_may_change_the_case_and_a_claims_deadline_is_work() {
    let app = App::new().await;
    let (worker, cid) = shelter_case(&app).await;
    let org = app.actor("w@shelter.test").await.org_id();
    let supervisor = app.member(org, "s@shelter.test", &[Role::Supervisor]).await;
    let colleague = app.member(org, "c@shelter.test", &[Role::Caseworker]).await;
    let tab = format!("/cases/{cid}/labour");
    for who in [&worker, &supervisor] {
        let page = app.page(&tab, Some(who)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            !attrs(&page.html(), "form[method=post]", "action").is_empty(),
            "who may change the case sees the forms"
        );
    }
    let page = app.page(&tab, Some(&colleague)).await;
    assert_eq!(page.status, 404, "not this caseworker's case");
    let claim = app
        .api(
            Method::POST,
            &format!("{tab}/claims"),
            Some(&worker),
            Some(claim()),
        )
        .await;
    assert_eq!(claim.status, 201, "{}", claim.body);
    let tasks = app
        .api(Method::GET, "/tasks", Some(&worker), None)
        .await
        .json();
    let due: Vec<&str> = tasks
        .as_array()
        .expect("tasks")
        .iter()
        .filter_map(|t| t["due_on"].as_str())
        .collect();
    assert_eq!(due, ["2026-09-30"], "{tasks}");
    let mine = app.page("/tasks", Some(&worker)).await;
    assert_eq!(mine.status, 200);
    assert!(mine.body.contains("Claim deadline"), "{}", mine.body);
}
