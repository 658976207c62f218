//! Labour inspection through the router (issue 15 items 5, 6 and 8): the targets' contract
//! shape exactly, ranked with each score's parts and a count under k shown as `null`; a 422
//! naming each bad field with nothing written; 403 `forbidden` for staff who do not inspect,
//! 404 for another inspectorate's visit, `immigration_firewall` on every route; the pages (work
//! list, targets, one visit) — and no answer names a complainant, a case or a person.

use crate::harness::{App, User, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

struct World {
    app: App,
    worker: User,
    inspector: User,
    other: User,
    officer: User,
    top: String,
    few: String,
    /// Ids and names of the complaints' records: none may appear in an inspector's answer.
    secrets: Vec<String>,
}

fn id_of(a: &crate::harness::Answer) -> String {
    assert!(a.status < 300, "{} {}", a.status, a.body);
    a.json()["id"].as_str().expect("id").to_string()
}

async fn entity(app: &App, who: &User, name: &str) -> String {
    id_of(
        &app.api(
            Method::POST,
            "/entities",
            Some(who),
            Some(
                json!({"name": name, "kind": "recruitment_agency", "country": "AE", "sector": "N"}),
            ),
        )
        .await,
    )
}

async fn name_in_cases(app: &App, who: &User, entity: &str, n: usize, secrets: &mut Vec<String>) {
    for i in 0..n {
        let family = format!("Zephyrine{i}x{}", &entity[..8]);
        let person = id_of(
            &app.api(
                Method::POST,
                "/persons",
                Some(who),
                Some(json!({"given_name": "Ottoline", "family_name": family, "citizenships": ["PH"]})),
            )
            .await,
        );
        let case = id_of(
            &app.api(
                Method::POST,
                "/cases",
                Some(who),
                Some(
                    json!({"person_id": person, "types": ["labour_exploitation"],
                            "stage": "destination", "summary": "Fees taken."}),
                ),
            )
            .await,
        );
        let named = app
            .api(
                Method::POST,
                &format!("/cases/{case}/entities"),
                Some(who),
                Some(json!({"entity_id": entity, "role": "recruiter"})),
            )
            .await;
        assert!(named.status < 300, "{}", named.body);
        secrets.extend([person, case, family]);
    }
}

async fn world() -> World {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::Ngo,
            "worker@ngo.test",
            &[Role::Caseworker, Role::Intake, Role::Supervisor],
        )
        .await;
    let inspectorate = app.org(OrgKind::LabourInspectorate, "Inspectorate").await;
    let inspector = app
        .member(inspectorate, "i@inspect.test", &[Role::Inspector])
        .await;
    let second = app
        .org(OrgKind::LabourInspectorate, "Other inspectorate")
        .await;
    let other = app
        .member(second, "s@inspect.test", &[Role::Supervisor])
        .await;
    let officer = app
        .user(OrgKind::ImmigrationEnforcement, "o@border.test", Role::ALL)
        .await;
    let top = entity(&app, &worker, "Al Noor Manpower").await;
    let few = entity(&app, &worker, "Gulf Star Recruitment").await;
    let mut secrets = vec!["Ottoline".to_string()];
    name_in_cases(&app, &worker, &top, 10, &mut secrets).await;
    name_in_cases(&app, &worker, &few, 2, &mut secrets).await;
    World {
        app,
        worker,
        inspector,
        other,
        officer,
        top,
        few,
        secrets,
    }
}

fn visit(entity: &str) -> Value {
    json!({
        "entity_id": entity, "status": "done",
        "planned_on": "2026-01-10", "done_on": "2026-01-12",
        "indicators": ["fl_debt_bondage", "fl_retention_of_identity_documents"],
        "law_categories": ["recruitment_fees"],
        "orders": [{"category": "recruitment_fees", "deadline": "2026-02-12"}],
        "sanction": {"description": "Fine for charging recruitment fees",
                     "authority": "Labour Inspectorate", "decided_on": "2026-01-20"},
        "follow_up_on": "2026-03-01"
    })
}

fn no_secret(w: &World, body: &str) {
    for s in &w.secrets {
        assert!(!body.contains(s.as_str()), "{s} leaked: {body}");
    }
}

async fn visits(w: &World) -> usize {
    let list = w
        .app
        .api(Method::GET, "/inspections", Some(&w.inspector), None)
        .await
        .json();
    list["planned"].as_array().expect("planned").len()
        + list["overdue_follow_ups"]
            .as_array()
            .expect("follow-ups")
            .len()
}

#[tokio::test]
async fn the_targets_keep_the_contract_and_explain_each_score() {
    let w = world().await;
    let a = w
        .app
        .api(
            Method::GET,
            "/inspections/targets?country=AE",
            Some(&w.inspector),
            None,
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    no_secret(&w, &a.body);
    let v = a.json();
    let items = v.as_array().expect("array");
    assert_eq!(items.len(), 2);
    for item in items {
        let mut keys: Vec<&String> = item.as_object().expect("object").keys().collect();
        keys.sort();
        assert_eq!(keys, ["entity_id", "parts", "score"], "{item}");
        let mut sum = 0;
        for p in item["parts"].as_array().expect("parts") {
            let mut keys: Vec<&String> = p.as_object().expect("part").keys().collect();
            keys.sort();
            assert_eq!(keys, ["factor", "points", "value"], "{p}");
            sum += p["points"].as_u64().expect("points");
        }
        assert_eq!(item["score"].as_u64(), Some(sum), "the score is its parts");
    }
    assert_eq!(
        items[0]["entity_id"],
        w.top.as_str(),
        "most complained of first"
    );
    let factors: Vec<&str> = items[0]["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| p["factor"].as_str().expect("factor"))
        .collect();
    assert_eq!(
        factors,
        [
            "complaints",
            "indicators_found",
            "licence_status",
            "days_since_last_visit"
        ]
    );
    assert_eq!(items[0]["parts"][0]["value"], 10);
    assert_eq!(items[0]["parts"][2]["value"], "unknown");
    assert_eq!(items[0]["parts"][3]["value"], Value::Null, "never visited");
    assert_eq!(items[1]["entity_id"], w.few.as_str());
    assert_eq!(
        items[1]["parts"][0],
        json!({"factor": "complaints", "value": null, "points": 0}),
        "two complaints are under k: no figure, no points"
    );
    // Another country: nothing; a country or sector that does not exist: 422 naming it.
    let ph = w
        .app
        .api(
            Method::GET,
            "/inspections/targets?country=PH",
            Some(&w.inspector),
            None,
        )
        .await;
    assert_eq!(ph.json(), json!([]));
    for (q, field) in [("country=XX1", "country"), ("sector=Z", "sector")] {
        let bad = w
            .app
            .api(
                Method::GET,
                &format!("/inspections/targets?{q}"),
                Some(&w.inspector),
                None,
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert_eq!(bad.json()["fields"][0]["field"], field);
    }
    // The page: the same ranking, each part in words.
    let page = w
        .app
        .page("/inspections/targets?country=AE", Some(&w.inspector))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    no_secret(&w, &page.body);
    let html = page.html();
    assert_eq!(
        select(&html, "table.targets tbody tr .entity-name"),
        ["Al Noor Manpower", "Gulf Star Recruitment"]
    );
    let reasons = select(&html, "table.targets tbody tr:first-child ul.parts li");
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(
        reasons[0].starts_with("Complaints and cases"),
        "{reasons:?}"
    );
    assert!(reasons[3].contains("never visited"), "{reasons:?}");
}

#[tokio::test]
async fn a_visit_is_recorded_checked_and_read_by_its_inspectorate_only() {
    let w = world().await;
    // Each bad field named, nothing written.
    for (body, field) in [
        (
            json!({"status": "planned", "planned_on": "2026-01-10"}),
            "entity_id",
        ),
        (
            json!({"entity_id": w.top, "status": "maybe", "planned_on": "2026-01-10"}),
            "status",
        ),
        (
            json!({"entity_id": w.top, "status": "planned", "planned_on": "someday"}),
            "planned_on",
        ),
        (
            json!({"entity_id": w.top, "status": "done", "planned_on": "2026-01-10",
                   "done_on": "2026-01-12", "indicators": ["fl_unheard_of"]}),
            "indicators",
        ),
        (
            json!({"entity_id": w.top, "status": "done", "planned_on": "2026-01-10",
                   "done_on": "2026-01-12", "orders": [{"category": "taxes", "deadline": "2026-02-01"}]}),
            "orders.category",
        ),
        (
            json!({"entity_id": w.top, "status": "planned", "planned_on": "2026-01-10",
                   "law_categories": ["wages"]}),
            "law_categories",
        ),
        (
            json!({"entity_id": w.top, "status": "done", "planned_on": "2026-01-10",
                   "done_on": "2026-01-12", "joint_with": [w.top]}),
            "joint_with",
        ),
    ] {
        let a = w
            .app
            .api(Method::POST, "/inspections", Some(&w.inspector), Some(body))
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        let v = a.json();
        assert_eq!(v["code"], "validation_failed");
        let fields: Vec<&str> = v["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f["field"].as_str().expect("field"))
            .collect();
        assert_eq!(fields, [field], "{v}");
    }
    assert_eq!(visits(&w).await, 0, "nothing written");

    let created = w
        .app
        .api(
            Method::POST,
            "/inspections",
            Some(&w.inspector),
            Some(visit(&w.top)),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let v = created.json();
    assert_eq!(
        v.as_object().expect("object").keys().collect::<Vec<_>>(),
        ["id"]
    );
    let id = v["id"].as_str().expect("id").to_string();
    let read = w
        .app
        .api(
            Method::GET,
            &format!("/inspections/{id}"),
            Some(&w.inspector),
            None,
        )
        .await;
    assert_eq!(read.status, 200, "{}", read.body);
    no_secret(&w, &read.body);
    let r = read.json();
    assert_eq!(r["status"], "done");
    assert_eq!(r["orders"][0]["category"], "recruitment_fees");
    assert_eq!(r["follow_ups"][0]["planned_on"], "2026-03-01");
    assert_eq!(r["sanctions"][0]["authority"], "Labour Inspectorate");
    // The visit now weighs in the ranking.
    let targets = w
        .app
        .api(
            Method::GET,
            "/inspections/targets",
            Some(&w.inspector),
            None,
        )
        .await
        .json();
    assert_eq!(targets[0]["parts"][1]["value"], 2, "{targets}");
    assert!(targets[0]["parts"][3]["value"].is_u64(), "{targets}");
    // The sanction is on the public recruiter check.
    let public = w.app.page("/recruiters?q=Al%20Noor", None).await;
    assert!(
        public.body.contains("Fine for charging recruitment fees"),
        "{}",
        public.body
    );
    // The work list and the visit's page.
    let list = w.app.page("/inspections", Some(&w.inspector)).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(
        select(&list.html(), "ul.overdue-orders li").len(),
        1,
        "the order's deadline has passed"
    );
    let page = w
        .app
        .page(&format!("/inspections/{id}"), Some(&w.inspector))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    no_secret(&w, &page.body);
    assert_eq!(
        select(&page.html(), "ul.indicators li"),
        ["Debt bondage", "Retention of identity documents"]
    );
    // A visit recorded from the page's form.
    let posted = w
        .app
        .post_form(
            "/inspections",
            &w.inspector,
            &[
                ("csrf", &w.inspector.csrf),
                ("entity_id", &w.few),
                ("status", "planned"),
                ("planned_on", "2030-05-01"),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let refused = w
        .app
        .post_form(
            "/inspections",
            &w.inspector,
            &[
                ("csrf", &w.inspector.csrf),
                ("entity_id", &w.few),
                ("status", "planned"),
                ("planned_on", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        crate::harness::attrs(&refused.html(), ".error-summary a", "href"),
        ["#visit-planned_on"]
    );

    // The visit planned from the form is concluded from its page.
    let list = w
        .app
        .api(Method::GET, "/inspections", Some(&w.inspector), None)
        .await
        .json();
    let planned = list["planned"]
        .as_array()
        .expect("planned")
        .iter()
        .find(|v| v["entity_id"] == w.few.as_str())
        .and_then(|v| v["id"].as_str())
        .expect("the visit planned from the form")
        .to_string();
    let form = format!("/inspections/{planned}/outcome");
    let page = w
        .app
        .page(&format!("/inspections/{planned}"), Some(&w.inspector))
        .await;
    assert_eq!(select(&page.html(), "#outcome-form").len(), 1);
    let refused = w
        .app
        .post_form(
            &form,
            &w.inspector,
            &[("csrf", &w.inspector.csrf), ("status", "done")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        crate::harness::attrs(&refused.html(), ".error-summary a", "href"),
        ["#outcome-done_on"]
    );
    let posted = w
        .app
        .post_form(
            &form,
            &w.inspector,
            &[
                ("csrf", &w.inspector.csrf),
                ("status", "done"),
                ("done_on", "2026-03-03"),
                ("indicators", "fl_isolation"),
                ("indicators", "fl_deception"),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let page = w
        .app
        .page(&format!("/inspections/{planned}"), Some(&w.inspector))
        .await;
    let html = page.html();
    assert_eq!(
        select(&html, "ul.indicators li"),
        ["Deception", "Isolation"]
    );
    assert!(select(&html, "#outcome-form").is_empty(), "concluded once");

    // The follow-up is concluded as done, once; the order past its deadline is complied with.
    let follow_up = r["follow_ups"][0]["id"]
        .as_str()
        .expect("follow-up")
        .to_string();
    let outcome = format!("/inspections/{follow_up}/outcome");
    let concluded = json!({"status": "done", "done_on": "2026-03-02",
                           "indicators": ["fl_debt_bondage"]});
    let a = w
        .app
        .api(
            Method::POST,
            &outcome,
            Some(&w.other),
            Some(concluded.clone()),
        )
        .await;
    assert_eq!(a.status, 404, "another inspectorate's visit: {}", a.body);
    let a = w
        .app
        .api(
            Method::POST,
            &outcome,
            Some(&w.inspector),
            Some(json!({"status": "done"})),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.json()["fields"][0]["field"], "done_on");
    let a = w
        .app
        .api(
            Method::POST,
            &outcome,
            Some(&w.inspector),
            Some(concluded.clone()),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.body);
    let again = w
        .app
        .api(Method::POST, &outcome, Some(&w.inspector), Some(concluded))
        .await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert_eq!(again.json()["code"], "already_done");
    let list = w
        .app
        .api(Method::GET, "/inspections", Some(&w.inspector), None)
        .await
        .json();
    assert_eq!(list["overdue_follow_ups"], json!([]), "{list}");
    let order = list["overdue_orders"][0]["id"]
        .as_str()
        .expect("order")
        .to_string();
    let complied = format!("/inspections/orders/{order}/complied");
    let a = w
        .app
        .api(
            Method::POST,
            &complied,
            Some(&w.inspector),
            Some(json!({"complied_on": "2099-01-01"})),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.json()["fields"][0]["field"], "complied_on");
    let a = w
        .app
        .api(
            Method::POST,
            &complied,
            Some(&w.other),
            Some(json!({"complied_on": "2026-03-02"})),
        )
        .await;
    assert_eq!(a.status, 404, "{}", a.body);
    let a = w
        .app
        .api(
            Method::POST,
            &complied,
            Some(&w.inspector),
            Some(json!({"complied_on": "2026-03-02"})),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.body);
    let list = w
        .app
        .api(Method::GET, "/inspections", Some(&w.inspector), None)
        .await
        .json();
    assert_eq!(list["overdue_orders"], json!([]), "{list}");

    // Another inspectorate: 404, as for a visit that does not exist.
    for path in [
        format!("/inspections/{id}"),
        format!("/inspections/{}", uuid::Uuid::now_v7()),
    ] {
        let a = w.app.api(Method::GET, &path, Some(&w.other), None).await;
        assert_eq!(a.status, 404, "{}", a.body);
    }
    let page = w
        .app
        .page(&format!("/inspections/{id}"), Some(&w.other))
        .await;
    assert_eq!(page.status, 404);
    // Staff who do not inspect: 403 forbidden with a reason.
    for (method, path, body) in [
        (Method::GET, "/inspections/targets".to_string(), None),
        (Method::GET, "/inspections".to_string(), None),
        (Method::GET, format!("/inspections/{id}"), None),
        (
            Method::POST,
            "/inspections".to_string(),
            Some(visit(&w.top)),
        ),
    ] {
        let a = w.app.api(method, &path, Some(&w.worker), body).await;
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert_eq!(a.json()["code"], "forbidden", "{path}: {}", a.body);
    }
    assert_eq!(
        w.app
            .page("/inspections/targets", Some(&w.worker))
            .await
            .status,
        403
    );
    // Immigration enforcement: the firewall on every route, whatever it sent.
    for (method, path, body) in [
        (
            Method::GET,
            "/inspections/targets?country=AE".to_string(),
            None,
        ),
        (Method::GET, "/inspections".to_string(), None),
        (Method::GET, format!("/inspections/{id}"), None),
        (Method::POST, "/inspections".to_string(), Some(json!({}))),
        (
            Method::POST,
            "/inspections".to_string(),
            Some(visit(&w.top)),
        ),
    ] {
        let a = w.app.api(method, &path, Some(&w.officer), body).await;
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert!(
            a.body.contains("immigration_firewall"),
            "{path}: {}",
            a.body
        );
        assert!(!a.body.contains("Al Noor"), "{path}: {}", a.body);
    }
    for path in ["/inspections", "/inspections/targets"] {
        let page = w.app.page(path, Some(&w.officer)).await;
        assert_eq!(page.status, 403, "{}", page.body);
        assert!(!page.body.contains("Al Noor"));
    }
}
