//! The register of recruiters and employers through the router (issue 15 items 1, 2, 7 and 8):
//! the contract's shapes exactly, a 422 naming each bad field with nothing written, 404 for a
//! case the caller cannot read, the firewall for immigration enforcement, the pages (register,
//! entity, a case's "Employer / recruiter" section offering the name the report gave for
//! confirmation), and the public recruiter check in French without households or complaints.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

struct World {
    app: App,
    worker: User,
    outsider: User,
    officer: User,
    inspector: User,
    case: String,
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
    let other = app.org(OrgKind::Hotline, "Other hotline").await;
    let outsider = app
        .member(other, "staff@other.test", &[Role::Caseworker, Role::Intake])
        .await;
    let officer = app
        .user(OrgKind::ImmigrationEnforcement, "o@border.test", Role::ALL)
        .await;
    let inspectorate = app.org(OrgKind::LabourInspectorate, "Inspectorate").await;
    let inspector = app
        .member(inspectorate, "i@inspect.test", &[Role::Inspector])
        .await;
    let person = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(json!({"given_name": "Joy", "family_name": "Reyes", "citizenships": ["PH"]})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": "Fees taken."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    World {
        case: case.json()["id"].as_str().expect("id").to_string(),
        app,
        worker,
        outsider,
        officer,
        inspector,
    }
}

async fn create(w: &World, body: Value) -> String {
    let a = w
        .app
        .api(Method::POST, "/entities", Some(&w.worker), Some(body))
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let v = a.json();
    assert_eq!(
        v.as_object().expect("object").keys().collect::<Vec<_>>(),
        ["id"],
        "201 {{\"id\"}} exactly"
    );
    v["id"].as_str().expect("id").to_string()
}

/// How many entities the register lists.
async fn count(w: &World) -> usize {
    w.app
        .api(Method::GET, "/entities", Some(&w.worker), None)
        .await
        .json()
        .as_array()
        .expect("list")
        .len()
}

#[tokio::test]
async fn the_contract_shapes_hold_exactly() {
    let w = world().await;
    let id = create(
        &w,
        json!({"name": "Al Noor Manpower", "kind": "recruitment_agency", "country": "AE",
               "licence_number": "RA-1042", "sector": "N"}),
    )
    .await;
    let found = w
        .app
        .api(
            Method::GET,
            "/entities?q=AlNoor%20manpower%20LLC",
            Some(&w.outsider),
            None,
        )
        .await;
    assert_eq!(found.status, 200, "{}", found.body);
    let list = found.json();
    let first = &list[0];
    let mut keys: Vec<&String> = first.as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "complaints",
            "country",
            "id",
            "kind",
            "licence_status",
            "name"
        ]
    );
    assert_eq!(first["id"], id.as_str());
    assert_eq!(first["name"], "Al Noor Manpower");
    assert_eq!(first["kind"], "recruitment_agency");
    assert_eq!(first["country"], "AE");
    assert_eq!(first["licence_status"], "unknown");
    assert_eq!(first["complaints"], 0);

    let link = w
        .app
        .api(
            Method::POST,
            &format!("/cases/{}/entities", w.case),
            Some(&w.worker),
            Some(json!({"entity_id": id, "role": "recruiter"})),
        )
        .await;
    assert_eq!(link.status, 201, "{}", link.body);
    assert!(link.json()["id"].is_string());
    // One complaint is under k: null, for everyone.
    let found = w
        .app
        .api(Method::GET, "/entities?q=RA-1042", Some(&w.outsider), None)
        .await
        .json();
    assert_eq!(found[0]["complaints"], Value::Null);
    // The detail shows the outsider no link of the worker's organisation.
    let detail = w
        .app
        .api(
            Method::GET,
            &format!("/entities/{id}"),
            Some(&w.outsider),
            None,
        )
        .await
        .json();
    assert_eq!(detail["links"], json!([]));
    assert_eq!(
        detail["sector_htcds"],
        "N_AdministrativeAndSupportServiceActivities"
    );
    let mine = w
        .app
        .api(
            Method::GET,
            &format!("/entities/{id}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(mine["links"][0]["role"], "recruiter");
    assert_eq!(mine["links"][0]["record_id"], w.case.as_str());
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let w = world().await;
    let cases = [
        (json!({"kind": "employer", "country": "AE"}), "name"),
        (
            json!({"name": "X", "kind": "agency", "country": "AE"}),
            "kind",
        ),
        (
            json!({"name": "X", "kind": "employer", "country": "Narnia"}),
            "country",
        ),
        (
            json!({"name": "X", "kind": "employer", "country": "AE", "sector": "Z9"}),
            "sector",
        ),
    ];
    for (body, field) in cases {
        let a = w
            .app
            .api(Method::POST, "/entities", Some(&w.worker), Some(body))
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
    assert_eq!(count(&w).await, 0, "nothing written");
    let id = create(
        &w,
        json!({"name": "Gulf Star", "kind": "employer", "country": "QA"}),
    )
    .await;
    let bad = w
        .app
        .api(
            Method::POST,
            &format!("/entities/{id}/licence"),
            Some(&w.inspector),
            Some(json!({"licence_status": "probably fine"})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.json()["fields"][0]["field"], "licence_status");
    let role = w
        .app
        .api(
            Method::POST,
            &format!("/cases/{}/entities", w.case),
            Some(&w.worker),
            Some(json!({"entity_id": id, "role": "boss"})),
        )
        .await;
    assert_eq!(role.status, 422, "{}", role.body);
    assert_eq!(role.json()["fields"][0]["field"], "role");
}

#[tokio::test]
async fn a_case_the_caller_cannot_read_is_404_and_enforcement_gets_the_firewall() {
    let w = world().await;
    let id = create(
        &w,
        json!({"name": "Al Noor Manpower", "kind": "recruitment_agency", "country": "AE"}),
    )
    .await;
    let a = w
        .app
        .api(
            Method::POST,
            &format!("/cases/{}/entities", w.case),
            Some(&w.outsider),
            Some(json!({"entity_id": id, "role": "employer"})),
        )
        .await;
    assert_eq!(a.status, 404, "{}", a.body);
    let missing = w
        .app
        .api(
            Method::POST,
            &format!("/cases/{}/entities", uuid::Uuid::now_v7()),
            Some(&w.outsider),
            Some(json!({"entity_id": id, "role": "employer"})),
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(a.json()["code"], missing.json()["code"], "the same answer");
    for (method, path, body) in [
        (Method::GET, "/entities?q=Al%20Noor".to_string(), None),
        (Method::GET, format!("/entities/{id}"), None),
        (
            Method::POST,
            "/entities".to_string(),
            Some(json!({"name": "X", "kind": "employer", "country": "AE"})),
        ),
        (
            Method::POST,
            format!("/cases/{}/entities", w.case),
            Some(json!({"entity_id": id, "role": "employer"})),
        ),
        (
            Method::POST,
            format!("/entities/{id}/merge"),
            Some(json!({})),
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
    let page = w.app.page("/entities", Some(&w.officer)).await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(!page.body.contains("Al Noor"));
}

#[tokio::test]
async fn the_pages_offer_the_typed_name_for_confirmation_and_link_only_when_confirmed() {
    let w = world().await;
    let id = create(
        &w,
        json!({"name": "Al Noor Manpower", "kind": "recruitment_agency", "country": "AE"}),
    )
    .await;
    // A hotline report naming the employer as typed, opened as a case.
    let report = w
        .app
        .api(
            Method::POST,
            "/reports",
            Some(&w.worker),
            Some(json!({"caller_type": "victim", "language": "en", "categories": ["unpaid_wages"],
                        "narrative": "Fees taken.", "employer": "AlNoor manpower LLC", "country": "AE"})),
        )
        .await;
    assert_eq!(report.status, 201, "{}", report.body);
    let rid = report.json()["id"].as_str().expect("id").to_string();
    let section = w
        .app
        .page(&format!("/reports/{rid}/entities"), Some(&w.worker))
        .await;
    assert_eq!(section.status, 200, "{}", section.body);
    let html = section.html();
    assert_eq!(select(&html, ".typed bdi"), ["AlNoor manpower LLC"]);
    assert_eq!(select(&html, ".offered .entity-name"), ["Al Noor Manpower"]);
    assert_eq!(select(&html, ".named li").len(), 0, "offered, not linked");
    let confirm = w
        .app
        .post_form(
            &format!("/reports/{rid}/entities"),
            &w.worker,
            &[
                ("csrf", &w.worker.csrf),
                ("entity_id", &id),
                ("role", "recruiter"),
            ],
        )
        .await;
    assert_eq!(confirm.status, 303, "{}", confirm.body);
    let opened = w
        .app
        .api(
            Method::POST,
            &format!("/reports/{rid}/open-case"),
            Some(&w.worker),
            Some(json!({})),
        )
        .await;
    assert!(opened.status < 300, "{}", opened.body);
    let case = opened.json()["case_id"]
        .as_str()
        .or(opened.json()["id"].as_str())
        .expect("case id")
        .to_string();
    let overview = w.app.page(&format!("/cases/{case}"), Some(&w.worker)).await;
    assert_eq!(
        attrs(&overview.html(), "#origin a.match-employer", "href"),
        [format!("/cases/{case}/entities")],
        "the employer the report gave is offered for matching on the case"
    );
    let page = w
        .app
        .page(&format!("/cases/{case}/entities"), Some(&w.worker))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        select(&html, ".named li a bdi"),
        ["Al Noor Manpower"],
        "the case keeps what the report named"
    );
    assert_eq!(
        select(&html, ".typed bdi"),
        ["AlNoor manpower LLC"],
        "and its employer"
    );
    // The register page and the entity page.
    let reg = w.app.page("/entities?q=al%20noor", Some(&w.worker)).await;
    assert_eq!(reg.status, 200);
    assert_eq!(select(&reg.html(), ".entity-name"), ["Al Noor Manpower"]);
    assert!(attrs(&reg.html(), "header nav a", "href").contains(&"/entities".to_string()));
    let bad = w
        .app
        .post_form(
            "/entities",
            &w.worker,
            &[
                ("csrf", &w.worker.csrf),
                ("name", ""),
                ("kind", "employer"),
                ("country", "AE"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        attrs(&bad.html(), ".error-summary a", "href"),
        ["#entity-name"]
    );
    let one = w
        .app
        .page(&format!("/entities/{id}"), Some(&w.outsider))
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(select(&one.html(), ".licence"), ["Unknown"]);
    assert!(
        select(&one.html(), ".links li").is_empty(),
        "no link of another organisation"
    );
}

#[tokio::test]
async fn the_public_check_speaks_french_and_shows_only_the_register_and_confirmed_sanctions() {
    let w = world().await;
    let id = create(
        &w,
        json!({"name": "Al Noor Manpower", "kind": "recruitment_agency", "country": "AE",
               "licence_number": "RA-1042"}),
    )
    .await;
    create(
        &w,
        json!({"name": "Al Noor household", "kind": "household", "country": "AE"}),
    )
    .await;
    let lic = w
        .app
        .api(
            Method::POST,
            &format!("/entities/{id}/licence"),
            Some(&w.inspector),
            Some(
                json!({"licence_status": "suspended", "authority": "Ministère du Travail",
                        "decided_on": "2026-01-15", "version": 1}),
            ),
        )
        .await;
    assert_eq!(lic.status, 204, "{}", lic.body);
    let refused = w
        .app
        .api(
            Method::POST,
            &format!("/entities/{id}/sanctions"),
            Some(&w.worker),
            Some(json!({"description": "Fine", "authority": "Court", "decided_on": "2026-01-15"})),
        )
        .await;
    assert_eq!(refused.status, 403, "only a labour inspectorate confirms");
    let s = w
        .app
        .api(
            Method::POST,
            &format!("/entities/{id}/sanctions"),
            Some(&w.inspector),
            Some(json!({"description": "Amende pour frais de recrutement", "authority": "Inspection du travail",
                        "decided_on": "2026-01-20"})),
        )
        .await;
    assert_eq!(s.status, 201, "{}", s.body);
    w.app
        .api(
            Method::POST,
            &format!("/cases/{}/entities", w.case),
            Some(&w.worker),
            Some(json!({"entity_id": id, "role": "recruiter"})),
        )
        .await;
    let page = w.app.page("/recruiters?q=Al%20Noor&lang=fr", None).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(attrs(&html, "html", "lang"), ["fr"]);
    assert_eq!(
        select(&html, ".recruiter h2"),
        ["Al Noor Manpower"],
        "never a household"
    );
    assert_eq!(select(&html, ".status"), ["Suspendue"]);
    assert_eq!(select(&html, ".sanctions li").len(), 1);
    assert!(!page.body.contains("<script>"), "no inline script needed");
    assert!(!page.body.contains("Joy"), "never who complained");
    let ar = w.app.page("/recruiters?q=RA-1042&lang=ar", None).await;
    assert_eq!(attrs(&ar.html(), "html", "dir"), ["rtl"]);
    assert_eq!(select(&ar.html(), ".recruiter h2"), ["Al Noor Manpower"]);
}

#[tokio::test]
async fn a_supervisor_merges_a_duplicate_from_the_entity_page_and_undoes_it() {
    let w = world().await;
    let a = create(
        &w,
        json!({"name": "Al Noor Manpower", "kind": "recruitment_agency", "country": "AE"}),
    )
    .await;
    let b = create(
        &w,
        json!({"name": "Al-Noor Manpower Co.", "kind": "recruitment_agency", "country": "AE"}),
    )
    .await;
    // A report names the duplicate through the API.
    let report = w
        .app
        .api(
            Method::POST,
            "/reports",
            Some(&w.worker),
            Some(
                json!({"caller_type": "victim", "language": "en", "categories": ["unpaid_wages"],
                        "narrative": "Fees taken."}),
            ),
        )
        .await;
    let rid = report.json()["id"].as_str().expect("id").to_string();
    let named = w
        .app
        .api(
            Method::POST,
            &format!("/reports/{rid}/entities"),
            Some(&w.worker),
            Some(json!({"entity_id": b, "role": "recruiter"})),
        )
        .await;
    assert_eq!(named.status, 201, "{}", named.body);
    // The register's keeper, a labour inspectorate's supervisor, merges; an NGO's supervisor
    // is not offered the merge and is refused it.
    let keepers = w.app.org(OrgKind::LabourInspectorate, "Keeper").await;
    let keeper = w
        .app
        .member(keepers, "keeper@inspect.test", &[Role::Supervisor])
        .await;
    let ngo_page = w.app.page(&format!("/entities/{a}"), Some(&w.worker)).await;
    assert!(select(&ngo_page.html(), ".duplicates input[name=into]").is_empty());
    let page = w.app.page(&format!("/entities/{a}"), Some(&keeper)).await;
    assert_eq!(
        attrs(&page.html(), ".duplicates input[name=into]", "value"),
        std::slice::from_ref(&b),
        "the likely duplicate is offered, not merged"
    );
    for who in [&w.outsider, &w.worker] {
        let refused = w
            .app
            .api(
                Method::POST,
                &format!("/entities/{b}/merge"),
                Some(who),
                Some(json!({"into": a})),
            )
            .await;
        assert_eq!(refused.status, 403, "{}", refused.body);
    }
    let merged = w
        .app
        .post_form(
            &format!("/entities/{a}/merge"),
            &keeper,
            &[("csrf", &keeper.csrf), ("into", &b)],
        )
        .await;
    assert_eq!(merged.status, 303, "{}", merged.body);
    let absorbed = w
        .app
        .api(
            Method::GET,
            &format!("/entities/{b}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(absorbed["merged_into"], a.as_str());
    let survivor = w
        .app
        .api(
            Method::GET,
            &format!("/entities/{a}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(survivor["absorbed"], json!([b]));
    assert_eq!(survivor["links"][0]["record_id"], rid.as_str());
    let listed = w
        .app
        .api(Method::GET, "/entities?q=Al%20Noor", Some(&w.worker), None)
        .await
        .json();
    assert_eq!(listed.as_array().expect("list").len(), 1, "{listed}");
    let undone = w
        .app
        .api(
            Method::POST,
            &format!("/entities/{b}/unmerge"),
            Some(&keeper),
            Some(json!({})),
        )
        .await;
    assert_eq!(undone.status, 204, "{}", undone.body);
    let again = w
        .app
        .api(
            Method::POST,
            &format!("/entities/{b}/unmerge"),
            Some(&keeper),
            Some(json!({})),
        )
        .await;
    assert_eq!(again.status, 422);
    assert_eq!(again.json()["code"], "already_undone");
    let survivor = w
        .app
        .api(
            Method::GET,
            &format!("/entities/{a}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(
        survivor["links"],
        json!([]),
        "the report names the duplicate again"
    );
}
