//! Proceedings, perpetrators and the victim's rights in them over HTTP (issue 17 item 3).
//! The case's own organisation records proceedings with their stages, protection measures,
//! hearings (a task a week before, the day among the case's deadlines), outcome and
//! compensation (which joins the case's remedies on the labour page), and perpetrators. Bad
//! input is 422 naming each field with nothing written; a partner the case was referred to and
//! any other organisation get 404 as for a case that does not exist; immigration enforcement
//! the firewall. The needs and services pages do not change with the person's cooperation.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::casework::calendar::Day;
use passage_core::{OrgKind, Role};
use serde_json::json;

fn today() -> Day {
    Day::from_unix_ms(passage_store::now_ms())
}

/// A shelter caseworker with a case of Rosa's; returns (worker, case id, person id).
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
            Some(json!({"given_name": "Rosa", "family_name": "Lima", "date_of_birth": "1990", "citizenships": ["BR"]})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["trafficking"], "stage": "destination", "summary": "Forced labour."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    let cid = case.json()["id"].as_str().expect("id").to_string();
    (worker, cid, pid)
}

fn id(a: &crate::harness::Answer) -> String {
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn a_proceeding_runs_with_hearings_measures_outcome_and_compensation() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let base = format!("/cases/{cid}/proceedings");
    let pid = id(&app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(json!({"kind": "criminal", "stage": "charge", "authority": "Crown Court", "victim_role": "witness"})),
        )
        .await);
    // The contract's minimal body: kind and stage only.
    id(&app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(json!({"kind": "labour", "stage": "complaint"})),
        )
        .await);
    let perp = id(&app
        .api(
            Method::POST,
            &format!("/cases/{cid}/perpetrators"),
            Some(&worker),
            Some(
                json!({"roles": ["exploiter", "recruiter_or_intermediary"], "sex": "masculine",
                        "age_band": "36_50", "citizenship": "GB", "relation": "acquainted"}),
            ),
        )
        .await);
    let ok = |a: crate::harness::Answer| assert_eq!(a.status, 204, "{}", a.body);
    ok(app
        .api(
            Method::POST,
            &format!("{base}/{pid}/perpetrators"),
            Some(&worker),
            Some(json!({"perpetrator_id": perp})),
        )
        .await);
    ok(app
        .api(
            Method::POST,
            &format!("{base}/{pid}/stage"),
            Some(&worker),
            Some(json!({"stage": "trial"})),
        )
        .await);
    let back = app
        .api(
            Method::POST,
            &format!("{base}/{pid}/stage"),
            Some(&worker),
            Some(json!({"stage": "complaint"})),
        )
        .await;
    assert_eq!(back.status, 422, "{}", back.body);
    assert_eq!(back.json()["fields"][0]["field"], "stage");
    assert_eq!(back.json()["fields"][0]["code"], "transition_not_allowed");
    for kind in ["screen_in_court", "video_link"] {
        ok(app
            .api(
                Method::POST,
                &format!("{base}/{pid}/measures"),
                Some(&worker),
                Some(json!({"kind": kind, "status": "granted"})),
            )
            .await);
    }
    let on = today().plus_days(8);
    let hid = id(&app
        .api(
            Method::POST,
            &format!("{base}/{pid}/hearings"),
            Some(&worker),
            Some(json!({"date": on.to_string(), "time": "10:00", "kind": "trial", "place": "Court 3"})),
        )
        .await);
    // The hearing's task is on the work list a week before, and the day among the deadlines.
    let tasks = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/tasks"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(tasks[0]["due_on"], on.plus_days(-7).to_string(), "{tasks}");
    let case = app
        .api(Method::GET, &format!("/cases/{cid}"), Some(&worker), None)
        .await
        .json();
    let deadlines = case["deadlines"].as_array().expect("deadlines");
    assert!(
        deadlines
            .iter()
            .any(|d| d["kind"] == "hearing" && d["due"] == on.to_string()),
        "{case}"
    );
    // Moving the hearing moves its task.
    let later = on.plus_days(21);
    ok(app
        .api(
            Method::POST,
            &format!("{base}/{pid}/hearings/{hid}"),
            Some(&worker),
            Some(json!({"date": later.to_string()})),
        )
        .await);
    let tasks = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/tasks"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(tasks[0]["due_on"], later.plus_days(-7).to_string());
    ok(app
        .api(
            Method::POST,
            &format!("{base}/{pid}/outcome"),
            Some(&worker),
            Some(json!({"outcome": "conviction", "sentence": "Five years", "decided_on": "2026-12-01"})),
        )
        .await);
    ok(app
        .api(
            Method::POST,
            &format!("{base}/{pid}/compensation"),
            Some(&worker),
            Some(json!({"amount": 800000, "currency": "GBP"})),
        )
        .await);
    id(&app
        .api(
            Method::POST,
            &format!("{base}/{pid}/payments"),
            Some(&worker),
            Some(json!({"amount": 250000, "paid_on": "2026-12-05"})),
        )
        .await);
    let list = app.api(Method::GET, &base, Some(&worker), None).await;
    assert_eq!(list.status, 200);
    let all = list.json();
    let p = all
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["id"] == pid.as_str())
        .expect("the proceeding");
    assert_eq!(p["stage"], "trial");
    assert_eq!(p["victim_role"], "witness");
    assert_eq!(p["perpetrators"][0], perp.as_str());
    assert_eq!(p["measures"].as_array().map(Vec::len), Some(2));
    assert_eq!(p["outcome"], "conviction");
    assert_eq!(p["sentence"], "Five years");
    assert_eq!(p["compensation"]["ordered"], 800000);
    assert_eq!(p["compensation"]["paid"], 250000);
    assert_eq!(p["stages"].as_array().map(Vec::len), Some(2));
    // The labour page shows compensation among the remedies, with its total.
    let labour = app
        .page(&format!("/cases/{cid}/labour"), Some(&worker))
        .await;
    assert_eq!(labour.status, 200, "{}", labour.body);
    let html = labour.html();
    assert_eq!(select(&html, "#remedies .remedy").len(), 1);
    assert_eq!(select(&html, "#remedies .total-awarded"), ["8000.00 GBP"]);
    assert_eq!(select(&html, "#remedies .total-recovered"), ["2500.00 GBP"]);
}

#[tokio::test]
async fn bad_input_names_each_field_and_writes_nothing() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let base = format!("/cases/{cid}/proceedings");
    let bad = app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(json!({"kind": "military", "stage": "verdict", "victim_role": "judge"})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields: Vec<String> = bad.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(fields, ["kind", "stage", "victim_role"]);
    let empty = app
        .api(Method::POST, &base, Some(&worker), Some(json!({})))
        .await;
    assert_eq!(empty.status, 422);
    assert_eq!(empty.json()["fields"][0]["field"], "kind");
    assert_eq!(empty.json()["fields"][1]["field"], "stage");
    let perp = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/perpetrators"),
            Some(&worker),
            Some(json!({"roles": [], "citizenship": "Atlantis"})),
        )
        .await;
    assert_eq!(perp.status, 422);
    assert_eq!(perp.json()["fields"][0]["field"], "roles");
    assert_eq!(perp.json()["fields"][1]["field"], "citizenship");
    let list = app
        .api(Method::GET, &base, Some(&worker), None)
        .await
        .json();
    assert_eq!(list, json!([]));
    let list = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/perpetrators"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(list, json!([]));
}

/// A partner NGO the case was referred to, on the person's consent.
async fn referred_partner(app: &App, worker: &User, cid: &str, pid: &str) -> User {
    let partner = app
        .user(OrgKind::Ngo, "l@partner.test", &[Role::Caseworker])
        .await;
    let org = app.actor("l@partner.test").await.org_id();
    let admin = app
        .member(org, "admin@partner.test", &[Role::OrgAdmin])
        .await;
    let entry = app
        .api(
            Method::POST,
            "/services",
            Some(&admin),
            Some(json!({"name": "Legal clinic", "type": "legal_aid", "country": "GB", "languages": ["en"], "sex": "any"})),
        )
        .await;
    assert_eq!(entry.status, 201, "{}", entry.body);
    let service = entry.json()["id"].as_str().expect("id").to_string();
    let consent = app
        .api(
            Method::POST,
            &format!("/persons/{pid}/consents"),
            Some(worker),
            Some(json!({"purpose": "referral", "organisation_id": org, "method": "written"})),
        )
        .await;
    assert_eq!(consent.status, 201, "{}", consent.body);
    let sent = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/referrals"),
            Some(worker),
            Some(json!({"service_id": service, "purpose": "referral", "shared_fields": []})),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    partner
}

#[tokio::test]
async fn a_partner_and_another_organisation_get_404_and_enforcement_the_firewall() {
    let app = App::new().await;
    let (worker, cid, pid) = shelter_case(&app).await;
    let base = format!("/cases/{cid}/proceedings");
    let proceeding = id(&app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(json!({"kind": "criminal", "stage": "trial", "authority": "Kestrel court"})),
        )
        .await);
    id(&app
        .api(
            Method::POST,
            &format!("/cases/{cid}/perpetrators"),
            Some(&worker),
            Some(json!({"roles": ["exploiter"], "details": "Drives a red van"})),
        )
        .await);
    let partner = referred_partner(&app, &worker, &cid, &pid).await;
    let stranger = app
        .user(
            OrgKind::Ngo,
            "n@ngo.test",
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
    let perps = format!("/cases/{cid}/perpetrators");
    let coop = format!("/cases/{cid}/cooperation");
    let stage = format!("{base}/{proceeding}/stage");
    let missing = format!("/cases/{}/proceedings", uuid::Uuid::now_v7());
    let open = json!({"kind": "criminal", "stage": "trial"});
    for who in [&partner, &stranger] {
        for path in [&base, &perps, &coop, &missing] {
            let a = app.api(Method::GET, path, Some(who), None).await;
            assert_eq!(a.status, 404, "{path}: {}", a.body);
            assert!(!a.body.contains("Kestrel") && !a.body.contains("red van"));
        }
        let a = app
            .api(Method::POST, &base, Some(who), Some(open.clone()))
            .await;
        assert_eq!(a.status, 404, "{}", a.body);
        let a = app
            .api(
                Method::POST,
                &stage,
                Some(who),
                Some(json!({"stage": "closed"})),
            )
            .await;
        assert_eq!(a.status, 404, "{}", a.body);
        let page = app.page(&format!("/cases/{cid}/justice"), Some(who)).await;
        assert_eq!(page.status, 404);
        assert!(!page.body.contains("Kestrel"));
    }
    for (path, body) in [
        (&base, open.clone()),
        (&perps, json!({"roles": ["exploiter"]})),
        (
            &coop,
            json!({"stance": "declined", "stated_on": "2026-11-01"}),
        ),
        (&missing, open.clone()),
    ] {
        for (m, b) in [(Method::GET, None), (Method::POST, Some(body))] {
            let a = app.api(m, path, Some(&officer), b).await;
            assert_eq!(a.status, 403, "{path}: {}", a.body);
            assert_eq!(a.json()["reason"], "immigration_firewall");
        }
    }
    let page = app
        .page(&format!("/cases/{cid}/justice"), Some(&officer))
        .await;
    assert!(page.status == 403 || page.status == 404, "{}", page.status);
    assert!(!page.body.contains("Kestrel"));
    // Nothing was written by any of them.
    let list = app
        .api(Method::GET, &base, Some(&worker), None)
        .await
        .json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["stage"], "trial");
}

/// The main content of a page, without what changes from one rendering to the next.
fn content(app_page: &crate::harness::Answer) -> Vec<String> {
    select(
        &app_page.html(),
        "main form, main section, main table, main ul, main h2",
    )
}

#[tokio::test]
async fn the_needs_and_services_pages_do_not_change_with_cooperation() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let needs = format!("/cases/{cid}/needs");
    let services = format!("/cases/{cid}/services");
    let before_needs = content(&app.page(&needs, Some(&worker)).await);
    let before_services = content(&app.page(&services, Some(&worker)).await);
    assert!(!before_needs.is_empty() && !before_services.is_empty());
    for stance in ["cooperating", "declined", "withdrawn"] {
        let set = app
            .api(
                Method::POST,
                &format!("/cases/{cid}/cooperation"),
                Some(&worker),
                Some(json!({"stance": stance, "stated_on": today().to_string()})),
            )
            .await;
        assert_eq!(set.status, 204, "{}", set.body);
        let n = app.page(&needs, Some(&worker)).await;
        assert_eq!(n.status, 200);
        assert_eq!(content(&n), before_needs, "needs with {stance}");
        let s = app.page(&services, Some(&worker)).await;
        assert_eq!(s.status, 200);
        assert_eq!(content(&s), before_services, "services with {stance}");
    }
    let c = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/cooperation"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(c["stance"], "withdrawn");
}

#[tokio::test]
async fn the_justice_page_records_and_says_assistance_never_depends_on_cooperation() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let path = format!("/cases/{cid}/justice");
    let first = app.page(&path, Some(&worker)).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let html = first.html();
    assert_eq!(
        select(&html, "#never-a-condition strong"),
        ["Assistance never depends on cooperation."]
    );
    assert_eq!(
        attrs(&html, ".case-nav a[aria-current]", "href"),
        vec![path.clone()]
    );
    // A form with problems comes back with them, and what was typed.
    let bad = app
        .post_form(
            &format!("{path}/proceedings"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("kind", "criminal"),
                ("stage", ""),
                ("authority", "Crown Court"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        attrs(&bad.html(), ".error-summary a", "href"),
        ["#proceeding-stage"]
    );
    assert_eq!(
        attrs(&bad.html(), "#proceeding-authority", "value"),
        ["Crown Court"]
    );
    let saved = app
        .post_form(
            &format!("{path}/proceedings"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("kind", "criminal"),
                ("stage", "trial"),
                ("authority", "Crown Court"),
                ("victim_role", "witness"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("{path}?done=saved").as_str())
    );
    let perp = app
        .post_form(
            &format!("{path}/perpetrators"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("roles", "exploiter"),
                ("roles", "transporter"),
                ("age_band", "26_35"),
            ],
        )
        .await;
    assert_eq!(perp.status, 303, "{}", perp.body);
    let coop = app
        .post_form(
            &format!("{path}/cooperation"),
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("stance", "declined"),
                ("stated_on", "2026-11-01"),
            ],
        )
        .await;
    assert_eq!(coop.status, 303, "{}", coop.body);
    let after = app.page(&path, Some(&worker)).await;
    let html = after.html();
    assert_eq!(select(&html, ".proceeding .proceeding-stage"), ["Trial"]);
    assert_eq!(
        select(&html, ".perpetrator .perpetrator-roles"),
        ["Transporter, Exploiter"]
    );
    assert_eq!(select(&html, ".cooperation-stance"), ["Declined"]);
    // Vocabulary is shown by label, never by id.
    assert!(!after.body.contains(">witness<"));
    assert!(after.body.contains("Witness"));
}

/// The supervisor's dashboard shows what comes up: a hearing's preparation falls due within the
/// next fourteen days (listed in "Coming up", not as overdue); one further off is not listed.
#[tokio::test]
async fn the_dashboard_shows_a_hearing_coming_up() {
    let app = App::new().await;
    let shelter = app.org(OrgKind::ServiceProvider, "Shelter").await;
    let worker = app
        .member(shelter, "w@shelter.test", &[Role::Caseworker])
        .await;
    let lead = app
        .member(shelter, "lead@shelter.test", &[Role::Supervisor])
        .await;
    let person = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(json!({"given_name": "Rosa", "family_name": "Lima"})),
        )
        .await;
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let cid = id(&app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["trafficking"], "stage": "destination", "summary": "Forced labour."})),
        )
        .await);
    let base = format!("/cases/{cid}/proceedings");
    let pid = id(&app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(json!({"kind": "criminal", "stage": "trial", "victim_role": "witness"})),
        )
        .await);
    for days in [10, 40] {
        id(&app
            .api(
                Method::POST,
                &format!("{base}/{pid}/hearings"),
                Some(&worker),
                Some(json!({"date": today().plus_days(days).to_string(), "kind": "trial"})),
            )
            .await);
    }
    let dash = app.api(Method::GET, "/dashboard", Some(&lead), None).await;
    assert_eq!(dash.status, 200, "{}", dash.body);
    let upcoming = dash.json()["upcoming_tasks"].clone();
    let dues: Vec<&str> = upcoming
        .as_array()
        .expect("upcoming")
        .iter()
        .filter_map(|t| t["due_on"].as_str())
        .collect();
    assert_eq!(dues, [today().plus_days(3).to_string()], "{upcoming}");
    let page = app.page("/dashboard", Some(&lead)).await;
    let rows = select(&page.html(), "#upcoming tbody tr");
    assert_eq!(rows.len(), 1, "{}", page.body);
    assert!(rows[0].contains("trial hearing"), "{rows:?}");
    // Not a supervisor: no dashboard.
    let refused = app
        .api(Method::GET, "/dashboard", Some(&worker), None)
        .await;
    assert_eq!(refused.status, 403);
}
