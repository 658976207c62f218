//! Residence and work permits on protection grounds over HTTP (issue 17 item 1). The contract:
//! `POST /api/v1/cases/{id}/permits {"kind","status","applied_on"?,"expires_on"?}` → 201
//! `{"id"}`, and a granted permit expiring within the profile's reminder window shows in
//! `GET /api/v1/tasks?overdue=true`. Bad input is 422 naming each field with nothing written.
//! The page shows vocabulary by label and the jurisdiction's named permit types. A permit is
//! the migration status in another form: another organisation gets 404, a referral receiver
//! sees it only when the referral carried the migration status, enforcement the firewall.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::casework::calendar::Day;
use passage_core::casework::deadlines::{PermitType, Profile, Profiles};
use passage_core::casework::permits::PermitKind;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

/// A shelter caseworker with a case of Maricel's; returns (worker, case id, person id).
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
            Some(json!({"given_name": "Maricel", "family_name": "Santos", "date_of_birth": "1991-11-02",
                        "citizenships": ["PH"], "migration_status": "overstayed visa"})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["trafficking"], "stage": "destination", "summary": "Domestic servitude."})),
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

fn today() -> Day {
    Day::from_unix_ms(passage_store::now_ms())
}

/// The UK profile as the binary ships it, in short: VTS for victims, 60 days, 14 days.
fn uk() -> Profiles {
    let gb = Profile {
        name: "gb".into(),
        countries: vec!["GB".into()],
        recovery_reflection_days: 30,
        reasonable_grounds_working_days: 5,
        move_on_support_days: 45,
        follow_up_months: vec![3, 6, 12],
        holidays: vec![],
        permit_reminder_days: 60,
        permit_appeal_days: 14,
        permit_types: vec![PermitType {
            kind: PermitKind::TraffickingVictim,
            name: "Temporary permission to stay for victims of modern slavery (VTS)".into(),
            max_months: Some(30),
        }],
    };
    Profiles::new(Profiles::default().for_country(None).clone(), vec![gb]).expect("profiles")
}

#[tokio::test]
async fn a_permit_expiring_within_the_reminder_window_is_an_overdue_task() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let expires = today().plus_days(45).to_string();
    let created = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/permits"),
            Some(&worker),
            Some(json!({"kind": "trafficking_victim", "status": "granted", "expires_on": expires})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let body = created.json();
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(1),
        "only the id: {body}"
    );
    let pid = body["id"].as_str().expect("id").to_string();

    // The caseworker's own overdue work, and the supervisor's view of the organisation's.
    let org = app.actor("w@shelter.test").await.org_id();
    let supervisor = app.member(org, "s@shelter.test", &[Role::Supervisor]).await;
    let title = format!("Permit expires on {expires}");
    for (who, query) in [
        (&worker, "/tasks?assigned=me&overdue=true"),
        (&supervisor, "/tasks?overdue=true"),
    ] {
        let overdue = app.api(Method::GET, query, Some(who), None).await;
        assert_eq!(overdue.status, 200, "{}", overdue.body);
        let tasks = overdue.json();
        let task = tasks
            .as_array()
            .expect("tasks")
            .iter()
            .find(|t| t["title"] == title.as_str())
            .unwrap_or_else(|| panic!("the reminder is overdue in {query}: {tasks}"));
        assert_eq!(task["overdue"], true);
        assert_eq!(task["due_on"], today().plus_days(-15).to_string());
    }

    // Withdrawn: the reminder leaves the overdue list.
    let withdrawn = app
        .api(
            Method::POST,
            &format!("/cases/{cid}/permits/{pid}/status"),
            Some(&worker),
            Some(json!({"status": "withdrawn"})),
        )
        .await;
    assert_eq!(withdrawn.status, 204, "{}", withdrawn.body);
    let overdue = app
        .api(Method::GET, "/tasks?overdue=true", Some(&supervisor), None)
        .await
        .json();
    assert!(
        overdue
            .as_array()
            .expect("tasks")
            .iter()
            .all(|t| t["title"] != title.as_str()),
        "{overdue}"
    );

    // One expiring far beyond the window is not overdue.
    let later = today().plus_days(200).to_string();
    id(&app
        .api(
            Method::POST,
            &format!("/cases/{cid}/permits"),
            Some(&worker),
            Some(json!({"kind": "humanitarian", "status": "granted", "expires_on": later})),
        )
        .await);
    let overdue = app
        .api(Method::GET, "/tasks?overdue=true", Some(&supervisor), None)
        .await
        .json();
    assert!(
        overdue
            .as_array()
            .expect("tasks")
            .iter()
            .all(|t| !t["title"].as_str().unwrap_or("").starts_with("Permit")),
        "{overdue}"
    );
}

#[tokio::test]
async fn decisions_appeals_and_renewals_follow_the_rules() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let base = format!("/cases/{cid}/permits");
    let pid = id(&app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(json!({"kind": "trafficking_victim", "status": "applied", "applied_on": "2026-05-02",
                        "authority": "Home Office", "reference": "VTS-0042"})),
        )
        .await);
    let step = |body: Value| {
        let app = &app;
        let worker = &worker;
        let path = format!("{base}/{pid}/status");
        async move { app.api(Method::POST, &path, Some(worker), Some(body)).await }
    };
    let refused = step(json!({"status": "refused", "on": "2026-11-02"})).await;
    assert_eq!(refused.status, 204, "{}", refused.body);
    let list = app.api(Method::GET, &base, Some(&worker), None).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let p = &list.json()["permits"][0];
    assert_eq!(p["status"], "refused");
    assert_eq!(p["appeal_deadline"], "2026-11-16", "14 days by default");
    assert_eq!(p["reminder"]["kind"], "appeal");
    assert_eq!(p["reminder"]["due"], "2026-11-13");
    assert_eq!(p["next_statuses"], json!(["appealed", "withdrawn"]));
    assert_eq!(p["reference"], "VTS-0042");
    // A refused permit cannot be granted before it is appealed.
    let skip = step(json!({"status": "granted"})).await;
    assert_eq!(skip.status, 422, "{}", skip.body);
    assert_eq!(skip.json()["code"], "transition_not_allowed");
    assert_eq!(
        step(json!({"status": "appealed"})).await.status,
        204,
        "appealed"
    );
    let granted =
        step(json!({"status": "granted", "on": "2026-12-01", "expires_on": "2029-06-01"})).await;
    assert_eq!(granted.status, 204, "{}", granted.body);
    // Moving the expiry moves the task.
    let moved = app
        .api(
            Method::PUT,
            &format!("{base}/{pid}"),
            Some(&worker),
            Some(json!({"authority": "Home Office", "reference": "VTS-0042", "applied_on": "2026-05-02",
                        "decided_on": "2026-12-01", "valid_from": "2026-12-01", "expires_on": "2029-03-01"})),
        )
        .await;
    assert_eq!(moved.status, 204, "{}", moved.body);
    let tasks = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/tasks"),
            Some(&worker),
            None,
        )
        .await
        .json();
    let open: Vec<&Value> = tasks
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["done"] == false)
        .collect();
    assert_eq!(open.len(), 1, "{tasks}");
    assert_eq!(open[0]["title"], "Permit expires on 2029-03-01");
    assert_eq!(open[0]["due_on"], "2028-12-31");
    // Expired: only a new permit follows.
    assert_eq!(step(json!({"status": "expired"})).await.status, 204);
    let again = step(json!({"status": "applied"})).await;
    assert_eq!(again.status, 422, "{}", again.body);
    let p = &app
        .api(Method::GET, &base, Some(&worker), None)
        .await
        .json()["permits"][0];
    let history: Vec<(Value, Value)> = p["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| (h["from"].clone(), h["to"].clone()))
        .collect();
    assert_eq!(
        history,
        vec![
            (Value::Null, json!("applied")),
            (json!("applied"), json!("refused")),
            (json!("refused"), json!("appealed")),
            (json!("appealed"), json!("granted")),
            (json!("granted"), json!("expired")),
        ]
    );
    assert_eq!(p["next_statuses"], json!([]));
}

#[tokio::test]
async fn bad_input_names_each_field_and_writes_nothing() {
    let app = App::new().await;
    let (worker, cid, _) = shelter_case(&app).await;
    let base = format!("/cases/{cid}/permits");
    let bad = app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(
                json!({"kind": "tourist", "status": "expired", "applied_on": "2026-13-01",
                        "valid_from": "2026-06-01", "expires_on": "2026-05-01"}),
            ),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields: Vec<String> = bad.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(fields, ["kind", "status", "applied_on", "expires_on"]);
    let order = app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(json!({"kind": "work", "status": "granted", "applied_on": "2026-06-01", "decided_on": "2026-05-01"})),
        )
        .await;
    assert_eq!(order.status, 422, "{}", order.body);
    assert_eq!(order.json()["fields"][0]["field"], "decided_on");
    let missing = app
        .api(Method::POST, &base, Some(&worker), Some(json!({})))
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_eq!(missing.json()["fields"][0]["field"], "kind");
    assert_eq!(missing.json()["fields"][1]["field"], "status");
    let unknown = app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(json!({"kind": "work", "status": "applied", "nationality": "PH"})),
        )
        .await;
    assert!(
        unknown.status == 400 || unknown.status == 422,
        "{}",
        unknown.status
    );
    let list = app
        .api(Method::GET, &base, Some(&worker), None)
        .await
        .json();
    assert_eq!(list["permits"], json!([]));
    let tasks = app
        .api(
            Method::GET,
            &format!("/cases/{cid}/tasks"),
            Some(&worker),
            None,
        )
        .await
        .json();
    assert_eq!(tasks, json!([]));
}

#[tokio::test]
async fn outsiders_get_404_receivers_only_what_was_shared_and_enforcement_the_firewall() {
    let app = App::new().await;
    let (worker, cid, pid) = shelter_case(&app).await;
    let base = format!("/cases/{cid}/permits");
    let permit = id(&app
        .api(
            Method::POST,
            &base,
            Some(&worker),
            Some(json!({"kind": "trafficking_victim", "status": "applied", "reference": "VTS-SECRET-7"})),
        )
        .await);
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
    let missing = format!("/cases/{}/permits", uuid::Uuid::now_v7());
    let body = json!({"kind": "work", "status": "applied"});
    let status_path = format!("{base}/{permit}/status");
    let change = json!({"status": "granted"});
    for (path, body) in [
        (&base, body.clone()),
        (&missing, body.clone()),
        (&status_path, change.clone()),
    ] {
        let a = app
            .api(Method::POST, path, Some(&stranger), Some(body.clone()))
            .await;
        assert_eq!(a.status, 404, "{path}: {}", a.body);
        let a = app
            .api(Method::POST, path, Some(&officer), Some(body.clone()))
            .await;
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert_eq!(a.json()["reason"], "immigration_firewall");
    }
    for path in [&base, &missing] {
        let a = app.api(Method::GET, path, Some(&stranger), None).await;
        assert_eq!(a.status, 404, "{path}: {}", a.body);
        let a = app.api(Method::GET, path, Some(&officer), None).await;
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert!(!a.body.contains("VTS-SECRET"));
    }
    for who in [&stranger, &officer] {
        let page = app.page(&base, Some(who)).await;
        assert!(page.status == 403 || page.status == 404, "{}", page.status);
        assert!(!page.body.contains("Maricel") && !page.body.contains("VTS-SECRET"));
    }

    // A partner the case is referred to: the permits come only with the migration status.
    let partner = app
        .user(OrgKind::Ngo, "l@legal.test", &[Role::Caseworker])
        .await;
    let org = app.actor("l@legal.test").await.org_id();
    let admin = app.member(org, "admin@legal.test", &[Role::OrgAdmin]).await;
    let entry = app
        .api(
            Method::POST,
            "/services",
            Some(&admin),
            Some(json!({"name": "Immigration advice", "type": "legal_aid", "country": "GB", "languages": ["en"], "sex": "any"})),
        )
        .await;
    assert_eq!(entry.status, 201, "{}", entry.body);
    let service = entry.json()["id"].as_str().expect("id").to_string();
    let consent = app
        .api(
            Method::POST,
            &format!("/persons/{pid}/consents"),
            Some(&worker),
            Some(json!({"purpose": "referral", "organisation_id": org, "method": "written"})),
        )
        .await;
    assert_eq!(consent.status, 201, "{}", consent.body);
    let refer = |fields: Value| {
        let app = &app;
        let worker = &worker;
        let path = format!("/cases/{cid}/referrals");
        let service = service.clone();
        async move {
            id(&app
                .api(
                    Method::POST,
                    &path,
                    Some(worker),
                    Some(json!({"service_id": service, "purpose": "referral", "shared_fields": fields})),
                )
                .await)
        }
    };
    let plain = refer(json!(["name"])).await;
    let with_status = refer(json!(["name", "migration_status"])).await;
    let read = app
        .api(
            Method::GET,
            &format!("/referrals/{plain}"),
            Some(&partner),
            None,
        )
        .await;
    assert_eq!(read.status, 200, "{}", read.body);
    assert!(
        read.json()["shared"].get("permits").is_none(),
        "{}",
        read.body
    );
    assert!(!read.body.contains("trafficking_victim"));
    let read = app
        .api(
            Method::GET,
            &format!("/referrals/{with_status}"),
            Some(&partner),
            None,
        )
        .await;
    assert_eq!(read.status, 200, "{}", read.body);
    assert_eq!(
        read.json()["shared"]["permits"][0]["kind"],
        "trafficking_victim"
    );
    assert!(!read.body.contains("VTS-SECRET"), "never the reference");
    // The referral's page shows them by label to the receiver.
    let page = app
        .page(&format!("/referrals/{with_status}"), Some(&partner))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Victim of trafficking"), "{}", page.body);
    // The case's permits themselves stay out of reach.
    let a = app.api(Method::GET, &base, Some(&partner), None).await;
    assert_eq!(a.status, 404, "{}", a.body);
    let a = app
        .api(Method::POST, &status_path, Some(&partner), Some(change))
        .await;
    assert_eq!(a.status, 404, "{}", a.body);
}

#[tokio::test]
async fn the_page_shows_labels_and_the_jurisdictions_permit_types() {
    let app = App::configured(|s| s.with_profiles(uk())).await;
    let (worker, cid, _) = shelter_case(&app).await;
    let path = format!("/cases/{cid}/permits");
    // Under the default profile every kind is offered.
    let first = app.page(&path, Some(&worker)).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(
        attrs(&first.html(), ".case-nav a[aria-current]", "href"),
        vec![path.clone()]
    );
    assert_eq!(select(&first.html(), "#permit-kind option").len(), 8);
    // In the UK, the named permit types.
    let version = app
        .api(Method::GET, &format!("/cases/{cid}"), Some(&worker), None)
        .await
        .json()["version"]
        .clone();
    let moved = app
        .api(
            Method::PATCH,
            &format!("/cases/{cid}"),
            Some(&worker),
            Some(json!({"version": version, "country": "GB"})),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let uk_page = app.page(&path, Some(&worker)).await;
    assert_eq!(
        select(&uk_page.html(), "#permit-kind option:not([value=''])"),
        ["Temporary permission to stay for victims of modern slavery (VTS) (up to 30 months)"]
    );
    // A form with problems comes back with them and what was typed.
    let bad = app
        .post_form(
            &path,
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("kind", "trafficking_victim"),
                ("status", "granted"),
                ("authority", "Home Office"),
                ("valid_from", "2026-12-01"),
                ("expires_on", "2026-11-01"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        attrs(&bad.html(), ".error-summary a", "href"),
        ["#permit-expires-on"]
    );
    assert_eq!(
        attrs(&bad.html(), "#permit-authority", "value"),
        ["Home Office"]
    );
    let saved = app
        .post_form(
            &path,
            &worker,
            &[
                ("csrf", worker.csrf.as_str()),
                ("kind", "trafficking_victim"),
                ("status", "granted"),
                ("authority", "Home Office"),
                ("valid_from", "2026-12-01"),
                ("expires_on", "2029-06-01"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("{path}?done=saved").as_str())
    );
    let after = app.page(&path, Some(&worker)).await;
    let html = after.html();
    assert_eq!(
        select(&html, ".permit .permit-kind"),
        ["Victim of trafficking"]
    );
    assert_eq!(select(&html, ".permit .permit-status"), ["Granted"]);
    assert_eq!(select(&html, ".permit-reminder-due"), ["2029-04-02"]);
    assert_eq!(
        select(&html, ".permit-local-name"),
        ["Temporary permission to stay for victims of modern slavery (VTS)"]
    );
    assert!(!after.body.contains(">trafficking_victim<"));
    // The case history lists the change by label.
    let history = app
        .page(&format!("/cases/{cid}/history"), Some(&worker))
        .await;
    let cells = select(&history.html(), "td");
    let at = cells
        .iter()
        .position(|c| c == "Permit status")
        .unwrap_or_else(|| panic!("a permit line in the history: {cells:?}"));
    assert_eq!(cells[at + 2], "Granted");
    // The next step is chosen among the allowed ones, by label; renewal included.
    let pid = attrs(&html, "article.permit", "id")[0]
        .trim_start_matches("permit-")
        .to_string();
    assert_eq!(
        select(&html, &format!("#status-{pid}-status option")),
        ["Renewed (granted again)", "Withdrawn", "Expired"]
    );
    let expired = app
        .post_form(
            &format!("{path}/{pid}/status"),
            &worker,
            &[("csrf", worker.csrf.as_str()), ("status", "expired")],
        )
        .await;
    assert_eq!(expired.status, 303, "{}", expired.body);
    let after = app.page(&path, Some(&worker)).await;
    assert_eq!(select(&after.html(), ".permit .permit-status"), ["Expired"]);
    assert_eq!(select(&after.html(), ".permit-final").len(), 1);
}

#[tokio::test]
async fn staff_who_may_not_read_the_migration_status_do_not_see_permits() {
    let app = App::new().await;
    let intake = app
        .user(OrgKind::Hotline, "i@hotline.test", &[Role::Intake])
        .await;
    let person = app
        .api(
            Method::POST,
            "/persons",
            Some(&intake),
            Some(json!({"given_name": "Joy", "family_name": "Okafor"})),
        )
        .await;
    let pid = id(&person);
    let cid = id(&app
        .api(
            Method::POST,
            "/cases",
            Some(&intake),
            Some(json!({"person_id": pid, "types": ["trafficking"], "stage": "destination", "summary": "Called the hotline."})),
        )
        .await);
    let case_page = app.page(&format!("/cases/{cid}"), Some(&intake)).await;
    assert_eq!(case_page.status, 200);
    assert!(
        attrs(&case_page.html(), ".case-nav a", "href")
            .iter()
            .all(|h| !h.ends_with("/permits")),
        "no permits tab"
    );
    let path = format!("/cases/{cid}/permits");
    assert_eq!(
        app.api(Method::GET, &path, Some(&intake), None)
            .await
            .status,
        404
    );
    let a = app
        .api(
            Method::POST,
            &path,
            Some(&intake),
            Some(json!({"kind": "work", "status": "applied"})),
        )
        .await;
    assert_eq!(a.status, 404, "{}", a.body);
}
