//! International protection needs over HTTP (issue 14 item 5). `POST
//! /api/v1/cases/{id}/protection-needs` records one (201 with its id); from then on the case
//! never reaches a consulate or other authority of a listed country: a referral it had ends at
//! once for its receiver (the consulate's next read is a 404; the referrer reads why), and
//! referring anew answers 422 `international_protection`. Bad input is 422 `validation_failed`
//! with fields, a case the caller may not see (a consulate it was referred to included) 404,
//! immigration enforcement the firewall. The case page carries the mark and the form.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

const REASON: &str = "Deserted from national service; brother detained after.";

/// A shelter caseworker with a case of Senait's; returns (worker, case id, person id).
async fn shelter_case(app: &App) -> (User, String, String) {
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
            Some(json!({"given_name": "Senait", "family_name": "Tesfay", "date_of_birth": "1991-02-14", "citizenships": ["ER"]})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": "Unpaid for months."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    let cid = case.json()["id"].as_str().expect("id").to_string();
    (worker, cid, pid)
}

/// A consulate (of GB, as the harness makes every organisation) with a consular service; the
/// case referred to it on the person's consent. Returns the consul, the service and the
/// referral's id.
async fn referred_to_consulate(
    app: &App,
    worker: &User,
    cid: &str,
    pid: &str,
) -> (User, String, String) {
    let consul = app
        .user(OrgKind::Consulate, "c@consulate.test", &[Role::Consular])
        .await;
    let consulate = app.actor("c@consulate.test").await.org_id();
    let admin = app
        .member(consulate, "admin@consulate.test", &[Role::OrgAdmin])
        .await;
    let entry = app
        .api(
            Method::POST,
            "/services",
            Some(&admin),
            Some(json!({"name": "Assistance to nationals", "type": "consular_assistance", "country": "GB", "languages": ["en"], "sex": "any"})),
        )
        .await;
    assert_eq!(entry.status, 201, "{}", entry.body);
    let service = entry.json()["id"].as_str().expect("id").to_string();
    let consent = app
        .api(
            Method::POST,
            &format!("/persons/{pid}/consents"),
            Some(worker),
            Some(json!({"purpose": "referral", "organisation_id": consulate, "method": "written"})),
        )
        .await;
    assert_eq!(consent.status, 201, "{}", consent.body);
    let sent = refer(app, worker, cid, &service).await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    let id = sent.json()["id"].as_str().expect("id").to_string();
    (consul, service, id)
}

async fn refer(app: &App, worker: &User, cid: &str, service: &str) -> crate::harness::Answer {
    app.api(
        Method::POST,
        &format!("/cases/{cid}/referrals"),
        Some(worker),
        Some(json!({"service_id": service, "purpose": "referral", "shared_fields": []})),
    )
    .await
}

fn need(countries: &[&str]) -> Value {
    json!({"kind": "refugee", "countries": countries, "reason": REASON})
}

#[tokio::test]
async fn a_recorded_need_answers_201_and_the_consulate_of_the_country_fled_loses_the_referral() {
    let app = App::new().await;
    let (worker, cid, pid) = shelter_case(&app).await;
    let (consul, service, referral) = referred_to_consulate(&app, &worker, &cid, &pid).await;
    let path = format!("/cases/{cid}/protection-needs");
    let referral_path = format!("/referrals/{referral}");
    let read = app
        .api(Method::GET, &referral_path, Some(&consul), None)
        .await;
    assert_eq!(read.status, 200, "the consulate reads the referral before");

    let created = app
        .api(Method::POST, &path, Some(&worker), Some(need(&["gb"])))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let body = created.json();
    let id = body["id"].as_str().expect("the recorded need's id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");

    // At once: the consulate of the listed country finds nothing.
    for p in [referral_path.clone(), format!("/cases/{cid}"), path.clone()] {
        let gone = app.api(Method::GET, &p, Some(&consul), None).await;
        assert_eq!(gone.status, 404, "{p}: {}", gone.body);
        assert_eq!(gone.json()["code"], "not_found");
    }
    // The owner lists the need, with its reason.
    let list = app.api(Method::GET, &path, Some(&worker), None).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list = list.json();
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["kind"], "refugee");
    assert_eq!(list[0]["countries"], json!(["GB"]));
    assert_eq!(list[0]["reason"], REASON);

    let incoming = app
        .api(
            Method::GET,
            "/referrals?direction=incoming",
            Some(&consul),
            None,
        )
        .await;
    assert_eq!(incoming.json(), json!([]), "not in its list either");
    // The referrer reads that the receiver lost it, and why.
    let mine = app
        .api(Method::GET, &referral_path, Some(&worker), None)
        .await
        .json();
    assert_eq!(mine["status"], "withdrawn");
    assert_eq!(mine["access_ended_reason"], "international_protection");

    // Referring the case to that consulate again is refused: 422 international_protection.
    let refused = refer(&app, &worker, &cid, &service).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.json()["code"], "international_protection");
}

#[tokio::test]
async fn bad_input_is_422_and_only_the_cases_own_organisation_records_or_reads_a_need() {
    let app = App::new().await;
    let (worker, cid, pid) = shelter_case(&app).await;
    let path = format!("/cases/{cid}/protection-needs");

    let bad = app
        .api(
            Method::POST,
            &path,
            Some(&worker),
            Some(json!({"kind": "stateless", "countries": ["XX"], "reason": ""})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let bad = bad.json();
    assert_eq!(bad["code"], "validation_failed");
    let fields: Vec<(String, String)> = bad["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default().to_string(),
                f["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("kind".to_string(), "unknown_value".to_string()),
            ("countries".to_string(), "invalid_country".to_string()),
            ("reason".to_string(), "required".to_string()),
        ]
    );
    let none = app
        .api(
            Method::POST,
            &path,
            Some(&worker),
            Some(json!({"kind": "asylum_seeker", "countries": [], "reason": "x"})),
        )
        .await;
    assert_eq!(none.status, 422);
    assert_eq!(none.json()["fields"][0]["field"], "countries");
    assert_eq!(none.json()["fields"][0]["code"], "required");

    // A consulate the case was referred to: as for a case that does not exist.
    let (consul, _, _) = referred_to_consulate(&app, &worker, &cid, &pid).await;
    let receiver = app
        .api(Method::POST, &path, Some(&consul), Some(need(&["ER"])))
        .await;
    assert_eq!(receiver.status, 404, "{}", receiver.body);
    // Another organisation's caseworker: as for a case that does not exist.
    let stranger = app
        .user(OrgKind::Ngo, "n@ngo.test", &[Role::Caseworker])
        .await;
    let hidden = app
        .api(Method::POST, &path, Some(&stranger), Some(need(&["ER"])))
        .await;
    assert_eq!(hidden.status, 404, "{}", hidden.body);
    let missing = app
        .api(
            Method::POST,
            &format!("/cases/{}/protection-needs", uuid::Uuid::now_v7()),
            Some(&worker),
            Some(need(&["ER"])),
        )
        .await;
    assert_eq!(missing.status, 404);
    // Nothing was recorded by any of them.
    let list = app
        .api(Method::GET, &path, Some(&worker), None)
        .await
        .json();
    assert_eq!(list, json!([]));

    // The owner records one; the consulate reads nothing of it.
    let created = app
        .api(Method::POST, &path, Some(&worker), Some(need(&["ER"])))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let seen = app.api(Method::GET, &path, Some(&consul), None).await;
    assert_eq!(seen.status, 404, "{}", seen.body);
    assert!(!seen.body.contains("Deserted"));
}

#[tokio::test]
async fn immigration_enforcement_gets_the_firewall_refusal() {
    let app = App::new().await;
    let (_, cid, _) = shelter_case(&app).await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "o@immigration.test",
            Role::ALL,
        )
        .await;
    let path = format!("/cases/{cid}/protection-needs");
    for (method, body) in [(Method::GET, None), (Method::POST, Some(need(&["ER"])))] {
        let answer = app.api(method, &path, Some(&officer), body).await;
        assert_eq!(answer.status, 403, "{}", answer.body);
        assert_eq!(answer.json()["code"], "forbidden");
        assert_eq!(answer.json()["reason"], "immigration_firewall");
    }
    let page = app
        .page(&format!("/cases/{cid}/protection"), Some(&officer))
        .await;
    assert!(
        page.status == 403 || page.status == 404,
        "never the page: {}",
        page.status
    );
    assert!(!page.body.contains("Senait"));
}

#[tokio::test]
async fn the_case_page_carries_the_mark_and_the_form_records_a_need() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let overview = app.page(&format!("/cases/{cid}"), Some(&worker)).await;
    assert_eq!(overview.status, 200);
    assert!(select(&overview.html(), "#protection-mark").is_empty());
    assert_eq!(
        attrs(&overview.html(), "#protection a", "href"),
        [format!("/cases/{cid}/protection")]
    );

    let form_page = app
        .page(&format!("/cases/{cid}/protection"), Some(&worker))
        .await;
    assert_eq!(form_page.status, 200, "{}", form_page.body);
    let html = form_page.html();
    assert_eq!(
        attrs(&html, "#protection-kind option", "value"),
        ["", "asylum_seeker", "refugee", "fear_of_return"]
    );
    let countries = attrs(
        &html,
        "select#protection-countries[multiple] option",
        "value",
    );
    assert!(countries.contains(&"ER".to_string()) && countries.len() > 200);

    // A form with problems comes back with them, and what was typed.
    let bad = app
        .post_form(
            &format!("/cases/{cid}/protection"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("kind", "refugee"),
                ("reason", "Fled"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        attrs(&bad.html(), ".error-summary a", "href"),
        ["#protection-countries"]
    );
    assert_eq!(select(&bad.html(), "#protection-reason"), ["Fled"]);

    let saved = app
        .post_form(
            &format!("/cases/{cid}/protection"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("kind", "fear_of_return"),
                ("countries", "ER"),
                ("countries", "SD"),
                ("reason", REASON),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/cases/{cid}/protection?done=saved").as_str())
    );
    let after = app
        .page(&format!("/cases/{cid}/protection"), Some(&worker))
        .await;
    let html = after.html();
    assert_eq!(
        select(&html, ".protection-need .protection-countries"),
        ["Eritrea, Sudan"]
    );
    assert!(after.body.contains(REASON), "the owner reads the reason");

    let overview = app.page(&format!("/cases/{cid}"), Some(&worker)).await;
    let mark = select(&overview.html(), "#protection-mark strong");
    assert_eq!(
        mark,
        ["International protection needs: do not share with authorities of Eritrea, Sudan"]
    );
}

// ------------------------------------------------ who raised it, reviews, the end, the banner

/// The shelter's supervisor (of the worker's organisation).
async fn supervisor(app: &App) -> User {
    let shelter = app.actor("w@shelter.test").await.org_id();
    app.member(shelter, "s@shelter.test", &[Role::Supervisor])
        .await
}

/// Records a need on the case through the API and returns its id.
async fn record(app: &App, worker: &User, cid: &str, body: Value) -> String {
    let created = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/protection-needs"),
            Some(worker),
            Some(body),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    created.json()["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn a_need_is_reviewed_and_ended_over_the_api_by_a_supervisor_only() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let boss = supervisor(&app).await;
    let path = format!("/cases/{cid}/protection-needs");
    // The request of before (no raised_by) still records, as raised by a caseworker.
    let old = record(&app, &worker, &cid, need(&["SD"])).await;
    let nid = record(
        &app,
        &worker,
        &cid,
        json!({"kind": "fear_of_return", "countries": ["ER"], "reason": REASON,
               "raised_by": "the_person", "next_review_on": "2030-03-01"}),
    )
    .await;
    let list = app
        .api(Method::GET, &path, Some(&worker), None)
        .await
        .json();
    assert_eq!(list[0]["id"], old);
    assert_eq!(list[0]["raised_by"], "caseworker");
    assert_eq!(list[1]["raised_by"], "the_person");
    assert_eq!(list[1]["status"], "in_force");
    assert_eq!(list[1]["next_review_on"], "2030-03-01");
    assert_eq!(list[1]["reviews"], json!([]));

    let reviews = format!("{path}/{nid}/reviews");
    let bad = app
        .api(
            Method::POST,
            &reviews,
            Some(&worker),
            Some(json!({"reviewed_on": "2000-01-01", "outcome": "maybe", "note": ""})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.json()["code"], "validation_failed");
    let reviewed = app
        .api(
            Method::POST,
            &reviews,
            Some(&worker),
            Some(json!({"reviewed_on": "2000-01-01", "outcome": "changed", "note": "Also fears Sudan",
                        "countries": ["ER", "SD"], "next_review_on": "2031-01-01"})),
        )
        .await;
    assert_eq!(reviewed.status, 201, "{}", reviewed.body);
    let list = app
        .api(Method::GET, &path, Some(&worker), None)
        .await
        .json();
    assert_eq!(list[1]["countries"], json!(["ER", "SD"]));
    assert_eq!(list[1]["reviews"][0]["outcome"], "changed");
    assert_eq!(list[1]["reviews"][0]["note"], "Also fears Sudan");
    assert_eq!(list[1]["next_review_on"], "2031-01-01");

    // Ending: a caseworker of the organisation is 403, another organisation 404, no reason 422.
    let end = format!("{path}/{nid}/end");
    let why = json!({"reason": "Recognised as a refugee and naturalised"});
    let caseworker = app
        .api(Method::POST, &end, Some(&worker), Some(why.clone()))
        .await;
    assert_eq!(caseworker.status, 403, "{}", caseworker.body);
    let stranger = app
        .user(
            OrgKind::Ngo,
            "n@ngo.test",
            &[Role::Caseworker, Role::Supervisor],
        )
        .await;
    let outsider = app
        .api(Method::POST, &end, Some(&stranger), Some(why.clone()))
        .await;
    assert_eq!(outsider.status, 404, "{}", outsider.body);
    let missing = app
        .api(
            Method::POST,
            &format!("{path}/{}/end", uuid::Uuid::now_v7()),
            Some(&boss),
            Some(why.clone()),
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    let blank = app
        .api(
            Method::POST,
            &end,
            Some(&boss),
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(blank.status, 422, "{}", blank.body);
    let ended = app.api(Method::POST, &end, Some(&boss), Some(why)).await;
    assert_eq!(ended.status, 204, "{}", ended.body);
    let list = app
        .api(Method::GET, &path, Some(&worker), None)
        .await
        .json();
    assert_eq!(list[1]["status"], "ended");
    assert_eq!(
        list[1]["end_reason"],
        "Recognised as a refugee and naturalised"
    );
    assert!(list[1]["ended_at"].is_i64());
    assert_eq!(list[0]["status"], "in_force", "the other need stands");
    let again = app
        .api(
            Method::POST,
            &reviews,
            Some(&worker),
            Some(json!({"reviewed_on": "2000-01-02", "outcome": "confirmed", "note": "x"})),
        )
        .await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert_eq!(again.json()["code"], "protection_need_ended");
}

#[tokio::test]
async fn the_overview_shows_a_banner_while_a_need_is_in_force() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let boss = supervisor(&app).await;
    let nid = record(
        &app,
        &worker,
        &cid,
        json!({"kind": "fear_of_return", "countries": ["ER"], "reason": REASON,
               "raised_by": "the_person", "next_review_on": "2030-03-01"}),
    )
    .await;
    let overview = app.page(&format!("/cases/{cid}"), Some(&worker)).await;
    let html = overview.html();
    assert_eq!(
        select(&html, "#protection-mark .banner-kind"),
        ["Fears return"]
    );
    assert_eq!(
        select(&html, "#protection-mark .banner-countries"),
        ["Eritrea"]
    );
    let line = select(&html, "#protection-mark .protection-banner-need").join(" ");
    assert!(
        line.contains("Never disclosed to the authorities of these countries."),
        "{line}"
    );
    assert_eq!(
        select(&html, "#protection-mark .banner-next-review"),
        ["Next review: 2030-03-01"]
    );
    assert!(
        select(&html, "#protection-mark .banner-reason")
            .join(" ")
            .contains(REASON),
        "the case's own organisation reads the reason"
    );
    // Once ended, no banner.
    let ended = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/protection-needs/{nid}/end"),
            Some(&boss),
            Some(json!({"reason": "Naturalised"})),
        )
        .await;
    assert_eq!(ended.status, 204, "{}", ended.body);
    let overview = app.page(&format!("/cases/{cid}"), Some(&worker)).await;
    assert!(select(&overview.html(), "#protection-mark").is_empty());
}

#[tokio::test]
async fn the_protection_page_reviews_refers_and_only_a_supervisor_ends() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let boss = supervisor(&app).await;
    let nid = record(
        &app,
        &worker,
        &cid,
        json!({"kind": "asylum_seeker", "countries": ["ER"], "reason": REASON, "raised_by": "legal_representative"}),
    )
    .await;
    let page_path = format!("/cases/{cid}/protection");
    let html = app.page(&page_path, Some(&worker)).await.html();
    assert_eq!(select(&html, ".need-raised-by"), ["Legal representative"]);
    assert_eq!(select(&html, ".need-status"), ["In force"]);
    let history = select(&html, ".need-history li");
    assert_eq!(history.len(), 1);
    assert!(history[0].starts_with("Raised · "), "{history:?}");
    let refer_link = attrs(&html, "a.refer-protection", "href");
    assert_eq!(
        refer_link,
        [format!(
            "/cases/{cid}/referrals?type=asylum_support&need={nid}"
        )]
    );
    assert!(
        select(&html, ".end-form").is_empty(),
        "a caseworker is offered no end"
    );
    // The referral form opens prefilled for the need.
    let form = app.page(&refer_link[0], Some(&worker)).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let fh = form.html();
    assert_eq!(
        attrs(&fh, "#refer-form input[name=protection_need_id]", "value"),
        [nid.as_str()]
    );
    assert_eq!(
        attrs(&fh, "#refer-type option[selected]", "value"),
        ["asylum_support"]
    );
    assert_eq!(select(&fh, "#referral-for-protection").len(), 1);

    // A review through the form.
    let reviewed = app
        .post_form(
            &format!("{page_path}/{nid}/review"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("reviewed_on", "2000-01-01"),
                ("outcome", "confirmed"),
                ("note", "Interview at the asylum office set"),
                ("next_review_on", "2030-06-01"),
            ],
        )
        .await;
    assert_eq!(reviewed.status, 303, "{}", reviewed.body);
    let html = app.page(&page_path, Some(&worker)).await.html();
    assert_eq!(
        select(&html, ".need-reviews tbody td"),
        [
            "2000-01-01",
            "Confirmed",
            "Interview at the asylum office set",
            "2030-06-01"
        ]
    );
    assert_eq!(select(&html, ".need-next-review"), ["2030-06-01"]);

    // The caseworker's end is refused (403); the supervisor's form ends it.
    let fields = [("csrf", worker.csrf.as_str()), ("reason", "Naturalised")];
    let refused = app
        .post_form(&format!("{page_path}/{nid}/end"), &worker, &fields)
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let html = app.page(&page_path, Some(&boss)).await.html();
    assert_eq!(
        attrs(&html, ".end-form", "action"),
        [format!("{page_path}/{nid}/end")]
    );
    let ended = app
        .post_form(
            &format!("{page_path}/{nid}/end"),
            &boss,
            &[("csrf", boss.csrf.as_str()), ("reason", "Naturalised")],
        )
        .await;
    assert_eq!(ended.status, 303, "{}", ended.body);
    let html = app.page(&page_path, Some(&worker)).await.html();
    assert_eq!(select(&html, ".need-status"), ["Ended"]);
    assert_eq!(select(&html, ".need-end-reason"), ["Naturalised"]);
    assert!(select(&html, "a.refer-protection").is_empty());
    let history = select(&html, ".need-history li");
    assert!(history[1].starts_with("Reviewed"), "{history:?}");
    assert!(history[2].starts_with("Ended"), "{history:?}");
}

#[tokio::test]
async fn a_consulate_of_the_country_fled_gets_the_answer_for_a_missing_case_everywhere() {
    let app = App::new().await;
    let (worker, cid, pid) = shelter_case(&app).await;
    let (consul, service, _) = referred_to_consulate(&app, &worker, &cid, &pid).await;
    // The harness's organisations are all of GB.
    let nid = record(&app, &worker, &cid, need(&["GB"])).await;
    let missing = uuid::Uuid::now_v7();
    for (method, p, body) in [
        (Method::GET, "/cases/{}".to_string(), None),
        (Method::GET, "/cases/{}/protection-needs".to_string(), None),
        (
            Method::POST,
            format!("/cases/{{}}/protection-needs/{nid}/reviews"),
            Some(json!({"reviewed_on": "2000-01-01", "outcome": "confirmed", "note": "x"})),
        ),
        (
            Method::POST,
            format!("/cases/{{}}/protection-needs/{nid}/end"),
            Some(json!({"reason": "x"})),
        ),
    ] {
        let real = app
            .api(
                method.clone(),
                &p.replace("{}", &cid),
                Some(&consul),
                body.clone(),
            )
            .await;
        let none = app
            .api(
                method,
                &p.replace("{}", &missing.to_string()),
                Some(&consul),
                body,
            )
            .await;
        assert_eq!((real.status, none.status), (404, 404), "{p}: {}", real.body);
        assert_eq!(real.json(), none.json(), "{p}");
    }
    for tab in ["protection", "referrals"] {
        let page = app
            .page(&format!("/cases/{cid}/{tab}"), Some(&consul))
            .await;
        let none = app
            .page(&format!("/cases/{missing}/{tab}"), Some(&consul))
            .await;
        assert_eq!((page.status, none.status), (404, 404), "{tab}");
    }
    // Referring to it again is refused by the rule; the protection page lists the refusal.
    let refused = refer(&app, &worker, &cid, &service).await;
    assert_eq!(refused.json()["code"], "international_protection");
    let html = app
        .page(&format!("/cases/{cid}/protection"), Some(&worker))
        .await
        .html();
    assert_eq!(select(&html, "#protection-refusals li").len(), 1);
    let overview = app
        .page(&format!("/cases/{cid}"), Some(&worker))
        .await
        .html();
    let refusal = select(&overview, ".protection-refusals li");
    assert_eq!(refusal.len(), 1);
    assert!(
        refusal[0].starts_with("A referral to an authority of a listed country was refused"),
        "{refusal:?}"
    );
    // Immigration enforcement gets the firewall on the new routes too.
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "o@immigration.test",
            Role::ALL,
        )
        .await;
    let answer = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/protection-needs/{nid}/end"),
            Some(&officer),
            Some(json!({"reason": "x"})),
        )
        .await;
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(answer.json()["reason"], "immigration_firewall");
}
