//! The immigration firewall over every route of the API, read from the OpenAPI document so
//! that a route added later is covered without anyone remembering to add it here.
//!
//! A shelter holds a person, a case with a note and a task, a consent, a report and a
//! referral to a service of another organisation, and names a household in the register of
//! employers; each carries a word found nowhere else.
//! An immigration-enforcement user with every role then calls every operation of the
//! document with every id filled in (and with `{}` as the body of a write). No answer may
//! carry one of those words or a record's id, no write may succeed outside the short list of
//! routes that concern the caller alone, and afterwards the shelter's records are unchanged.

use crate::harness::{App, User};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Words that stand for personal data: each appears in exactly one record.
const MARKS: &[&str] = &[
    "Quetzalli",
    "Marrowbone",
    "Ossington orchard",
    "Blackthorn lodgings",
    "Fenwick quarry",
    "Harebell clinic",
    "Quillfeather Manpower",
    "Wrenfield household",
    "Tamarisk underpass",
    "Cormorant wing",
    "Thistlewood holding centre",
    "Larkspur Oyelaran",
    "Juniper assessment panel",
    "Pelican ferry debt",
    "Saltmarsh permit office",
    "PRM-Gorsefield-1187",
    "Saltmarsh magistrates",
    "Gorsemoor farmhand",
    "Pelican annexe",
];

/// Operations an immigration-enforcement user may complete: about themselves, the public
/// door, aggregate statistics and the public service directory (which never lists a person).
const ALLOWED: &[(&str, &str)] = &[
    ("get", "/api/v1/me"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/auth/token"),
    ("delete", "/api/v1/auth/token"),
    ("get", "/api/v1/stats/summary"),
    ("get", "/api/v1/stats/measures"),
    ("get", "/api/v1/stats/releases"),
    ("get", "/api/v1/services"),
    ("get", "/api/v1/services/{id}"),
    ("get", "/api/v1/screening/instruments"),
    ("get", "/api/v1/public/reports/form-token"),
    ("post", "/api/v1/public/reports"),
    ("post", "/api/v1/public/reports/follow-up"),
    ("post", "/api/v1/public/reports/messages"),
    // Lists answer 200 with nothing in them (the firewall filters, it does not refuse).
    ("get", "/api/v1/cases"),
    ("get", "/api/v1/reports"),
    ("get", "/api/v1/referrals"),
    ("get", "/api/v1/tasks"),
    ("get", "/api/v1/approvals"),
    ("get", "/api/v1/duplicates"),
    ("get", "/api/v1/merges"),
    ("get", "/api/v1/role-grants"),
    ("get", "/api/v1/dashboard"),
    ("get", "/api/v1/transfers"),
    // The caller's own inbox and organisation endpoints: empty for immigration enforcement.
    ("get", "/api/v1/notifications"),
    ("get", "/api/v1/webhooks"),
];

struct Shelter {
    ids: BTreeMap<&'static str, String>,
    worker: User,
    case: String,
    person: String,
}

fn id_of(a: &crate::harness::Answer) -> String {
    assert!(a.status < 300, "{} {}", a.status, a.body);
    a.json()["id"].as_str().expect("id").to_string()
}

async fn shelter(app: &App) -> Shelter {
    let worker = app
        .user(
            OrgKind::ServiceProvider,
            "w@shelter.test",
            &[Role::Caseworker, Role::Supervisor, Role::Intake],
        )
        .await;
    let clinic = app.org(OrgKind::ServiceProvider, "Clinic").await;
    let clinic_admin = app
        .member(clinic, "admin@clinic.test", &[Role::OrgAdmin])
        .await;
    let service = id_of(
        &app.api(
            Method::POST,
            "/services",
            Some(&clinic_admin),
            Some(
                json!({"name": "Harebell clinic", "type": "medical", "country": "GB",
                        "languages": ["en"], "sex": "any"}),
            ),
        )
        .await,
    );
    let person = id_of(
        &app.api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(
                json!({"given_name": "Quetzalli", "family_name": "Marrowbone",
                        "date_of_birth": "1991-07", "citizenships": ["MX"],
                        "migration_status": "irregular"}),
            ),
        )
        .await,
    );
    let case = id_of(
        &app.api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(
                json!({"person_id": person, "types": ["labour_exploitation"],
                        "stage": "destination", "summary": "Kept at the Ossington orchard."}),
            ),
        )
        .await,
    );
    let note = app
        .api(
            Method::POST,
            &format!("/cases/{case}/notes"),
            Some(&worker),
            Some(json!({"confidentiality": "normal", "body": "Sleeps at Blackthorn lodgings."})),
        )
        .await;
    assert!(note.status < 300, "{}", note.body);
    let task = id_of(
        &app.api(
            Method::POST,
            &format!("/cases/{case}/tasks"),
            Some(&worker),
            Some(json!({"title": "Visit Blackthorn lodgings", "due_on": "2030-01-02"})),
        )
        .await,
    );
    let consent = id_of(
        &app.api(
            Method::POST,
            &format!("/persons/{person}/consents"),
            Some(&worker),
            Some(json!({"purpose": "referral", "organisation_id": clinic, "method": "written"})),
        )
        .await,
    );
    let referral = id_of(
        &app.api(
            Method::POST,
            &format!("/cases/{case}/referrals"),
            Some(&worker),
            Some(json!({"service_id": service, "purpose": "referral",
                        "shared_fields": ["name", "needs"], "note": "Harebell clinic first."})),
        )
        .await,
    );
    let report = id_of(
        &app.api(
            Method::POST,
            "/reports",
            Some(&worker),
            Some(json!({"caller_type": "victim", "language": "en",
                        "categories": ["unpaid_wages"],
                        "narrative": "Unpaid for months at the Fenwick quarry."})),
        )
        .await,
    );
    // What happened to the worker: a fee paid to a recruiter, and a wage claim.
    let fee = app
        .api(
            Method::POST,
            &format!("/cases/{case}/labour/fees"),
            Some(&worker),
            Some(
                json!({"kind": "placement_fee", "amount": 150000, "currency": "USD",
                        "paid_to": "Quillfeather Manpower", "paid_on": "2025-11"}),
            ),
        )
        .await;
    assert!(fee.status < 300, "{}", fee.body);
    let claim = id_of(
        &app.api(
            Method::POST,
            &format!("/cases/{case}/labour/claims"),
            Some(&worker),
            Some(
                json!({"kind": "labour_court", "subject": "wages", "amount": 420000,
                        "currency": "USD"}),
            ),
        )
        .await,
    );
    // A family tracing request searching for a mother, and an age assessment: who is
    // searched for and who assessed are personal.
    let tracing = id_of(
        &app.api(
            Method::POST,
            &format!("/cases/{case}/tracing"),
            Some(&worker),
            Some(json!({"opened_on": "2026-10-01", "reason": "migration_journey"})),
        )
        .await,
    );
    let member = id_of(
        &app.api(
            Method::POST,
            &format!("/cases/{case}/tracing/{tracing}/members"),
            Some(&worker),
            Some(json!({"relation": "mother", "name": "Larkspur Oyelaran"})),
        )
        .await,
    );
    let assessed = app
        .api(
            Method::POST,
            &format!("/cases/{case}/age-assessments"),
            Some(&worker),
            Some(json!({"assessed_on": "2026-10-02", "method": "interview",
                        "assessed_by": "Juniper assessment panel", "age_lower": 16, "age_upper": 19})),
        )
        .await;
    assert_eq!(assessed.status, 201, "{}", assessed.body);
    // A risk on return and the family assessment: what the person fears is personal.
    let risk = app
        .api(
            Method::POST,
            &format!("/cases/{case}/return/risks"),
            Some(&worker),
            Some(json!({"risk": "debt_bondage", "note": "Owes the Pelican ferry debt."})),
        )
        .await;
    assert_eq!(risk.status, 201, "{}", risk.body);
    // A permit on protection grounds: the migration status in another form. Its authority
    // and reference number are marked; its kind and status enforcement must never learn.
    let permit = id_of(
        &app.api(
            Method::POST,
            &format!("/cases/{case}/permits"),
            Some(&worker),
            Some(json!({"kind": "trafficking_victim", "status": "refused", "applied_on": "2026-09-01",
                        "authority": "Saltmarsh permit office", "reference": "PRM-Gorsefield-1187"})),
        )
        .await,
    );
    // A criminal proceeding with a hearing, and a perpetrator linked to it: the authority,
    // the place and what is known of the perpetrator are personal.
    let proceeding = id_of(
        &app.api(
            Method::POST,
            &format!("/cases/{case}/proceedings"),
            Some(&worker),
            Some(
                json!({"kind": "criminal", "stage": "trial", "authority": "Saltmarsh magistrates",
                        "victim_role": "witness"}),
            ),
        )
        .await,
    );
    let perpetrator = id_of(
        &app.api(
            Method::POST,
            &format!("/cases/{case}/perpetrators"),
            Some(&worker),
            Some(json!({"roles": ["exploiter"], "details": "Gorsemoor farmhand"})),
        )
        .await,
    );
    let hearing = id_of(
        &app.api(
            Method::POST,
            &format!("/cases/{case}/proceedings/{proceeding}/hearings"),
            Some(&worker),
            Some(json!({"date": "2027-01-12", "kind": "trial", "place": "Pelican annexe"})),
        )
        .await,
    );
    // A household the shelter's worker named: its name is a private person's, and the
    // register answers enforcement with the firewall on every route.
    let entity = id_of(
        &app.api(
            Method::POST,
            "/entities",
            Some(&worker),
            Some(json!({"name": "Wrenfield household", "kind": "household", "country": "GB"})),
        )
        .await,
    );
    let named = app
        .api(
            Method::POST,
            &format!("/cases/{case}/entities"),
            Some(&worker),
            Some(json!({"entity_id": entity, "role": "employer"})),
        )
        .await;
    assert!(named.status < 300, "{}", named.body);
    // An inspectorate's visit to the entity, with findings and an order: its routes answer
    // enforcement with the firewall, and the ranking never reaches it.
    let inspectorate = app.org(OrgKind::LabourInspectorate, "Inspectorate").await;
    let inspector = app
        .member(inspectorate, "i@inspectorate.test", &[Role::Inspector])
        .await;
    let inspection = id_of(
        &app.api(
            Method::POST,
            "/inspections",
            Some(&inspector),
            Some(
                json!({"entity_id": entity, "status": "done", "planned_on": "2026-01-10",
                        "done_on": "2026-01-12", "indicators": ["fl_debt_bondage"],
                        "orders": [{"category": "wages", "deadline": "2026-02-12"}]}),
            ),
        )
        .await,
    );
    // A monitoring visit and an incident seen on it, linked to the case: their routes answer
    // enforcement with the firewall, and the monitoring figures never reach it.
    let visit = id_of(
        &app.api(
            Method::POST,
            "/monitoring/visits",
            Some(&worker),
            Some(
                json!({"kind": "detention_visit", "place_name": "Holding centre",
                        "visited_on": "2026-01-05", "findings": "Crowded Cormorant wing."}),
            ),
        )
        .await,
    );
    let incident = id_of(
        &app.api(
            Method::POST,
            "/incidents",
            Some(&worker),
            Some(
                json!({"occurred_on": "2026-01-05", "country": "GB", "region": "london",
                        "place_type": "detention_centre", "kinds": ["abuse_in_detention"],
                        "affected": {"men": 2}, "source": "monitor", "visit_id": visit,
                        "narrative": "Beaten in the Tamarisk underpass."}),
            ),
        )
        .await,
    );
    let linked = app
        .api(
            Method::POST,
            &format!("/incidents/{incident}/link"),
            Some(&worker),
            Some(json!({"case_id": case})),
        )
        .await;
    assert!(linked.status < 300, "{}", linked.body);
    // An ombudsperson's investigation of a report of its own: its routes answer enforcement
    // with the firewall.
    let office = app.org(OrgKind::Ombudsperson, "Ombudsperson").await;
    let ombuds = app
        .member(office, "o@ombudsperson.test", &[Role::Ombudsperson])
        .await;
    let complaint = id_of(
        &app.api(
            Method::POST,
            "/reports",
            Some(&ombuds),
            Some(json!({"caller_type": "witness", "language": "en",
                        "categories": ["detention_border_abuse"], "narrative": "Beaten."})),
        )
        .await,
    );
    let investigation = id_of(
        &app.api(
            Method::POST,
            "/investigations",
            Some(&ombuds),
            Some(json!({"subject": {"kind": "report", "id": complaint},
                        "authority": {"name": "Thistlewood holding centre", "kind": "detention_authority"},
                        "summary": "Force used."})),
        )
        .await,
    );
    let ids = BTreeMap::from([
        ("incidents", incident),
        ("visits", visit),
        ("investigations", investigation),
        ("inspections", inspection),
        ("claims", claim),
        ("tracing", tracing),
        ("proceedings", proceeding),
        ("perpetrators", perpetrator),
        ("hearings", hearing),
        ("members", member),
        ("permits", permit),
        ("entities", entity),
        ("cases", case.clone()),
        ("persons", person.clone()),
        ("tasks", task),
        ("consents", consent),
        ("referrals", referral),
        ("reports", report),
        ("services", service),
    ]);
    Shelter {
        ids,
        worker,
        case,
        person,
    }
}

/// The path with each `{…}` filled: the record of the collection the placeholder follows when
/// the shelter has one, a fresh id otherwise (the route is still called, and must still refuse).
fn filled(path: &str, ids: &BTreeMap<&'static str, String>) -> String {
    let mut out = Vec::new();
    let mut previous = "";
    for part in path.split('/') {
        if part.starts_with('{') {
            let id = match (part, ids.get(previous)) {
                ("{consent_id}", _) => ids.get("consents").cloned(),
                (_, Some(id)) => Some(id.clone()),
                _ => None,
            };
            out.push(id.unwrap_or_else(|| Uuid::now_v7().to_string()));
        } else {
            out.push(part.to_string());
        }
        previous = part;
    }
    out.join("/")
}

#[tokio::test]
async fn immigration_enforcement_learns_nothing_from_any_api_route() {
    let app = App::new().await;
    let s = shelter(&app).await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "o@immigration.test",
            Role::ALL,
        )
        .await;
    let case_before = app
        .api(
            Method::GET,
            &format!("/cases/{}", s.case),
            Some(&s.worker),
            None,
        )
        .await
        .body;
    let person_before = app
        .api(
            Method::GET,
            &format!("/persons/{}", s.person),
            Some(&s.worker),
            None,
        )
        .await
        .body;

    let incident_path = format!("/incidents/{}", s.ids["incidents"]);
    let incident_before = app
        .api(Method::GET, &incident_path, Some(&s.worker), None)
        .await
        .body;
    let permits_path = format!("/cases/{}/permits", s.case);
    let permits_before = app
        .api(Method::GET, &permits_path, Some(&s.worker), None)
        .await
        .body;
    assert!(permits_before.contains("PRM-Gorsefield-1187"));
    let doc = app
        .api(Method::GET, "/openapi.json", None, None)
        .await
        .json();
    let paths = doc["paths"].as_object().expect("paths");
    let mut operations = Vec::new();
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                operations.push((method, path.clone()));
            }
        }
    }
    // Signing out ends the officer's session: it goes last, so that every other call is
    // made signed in (a 401 anywhere else would test nothing, and fails below).
    operations.sort_by_key(|(m, p)| (*m == "delete" && p == "/api/v1/auth/token", p.clone()));
    let mut called = 0;
    let mut firewall = 0;
    for (method, path) in operations {
        {
            let concrete = filled(&path, &s.ids);
            let route = concrete.strip_prefix("/api/v1").expect("under /api/v1");
            let body = (method != "get").then(|| json!({}));
            let verb = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let a = app.api(verb, route, Some(&officer), body).await;
            called += 1;
            for mark in MARKS {
                assert!(
                    !a.body.contains(mark),
                    "{method} {path} answered personal data ({mark}): {}",
                    a.body
                );
            }
            if !path.contains('{') {
                for (what, id) in &s.ids {
                    if *what == "services" {
                        continue;
                    }
                    assert!(
                        !a.body.contains(id.as_str()),
                        "{method} {path} named a {what} of the shelter: {}",
                        a.body
                    );
                }
            }
            let allowed = ALLOWED.contains(&(method, path.as_str()));
            assert!(
                allowed || a.status >= 400,
                "{method} {path} succeeded for immigration enforcement: {} {}",
                a.status,
                a.body
            );
            assert!(a.status < 500, "{method} {path}: {} {}", a.status, a.body);
            let public = path.starts_with("/api/v1/public/") || path.ends_with("/auth/token");
            assert!(
                a.status != 401 || public,
                "{method} {path} was not called signed in: {}",
                a.body
            );
            if a.status == 403 && a.body.contains("immigration_firewall") {
                firewall += 1;
            }
        }
    }
    assert!(called >= 90, "the document lists every route: {called}");
    assert!(
        firewall >= 10,
        "the routes that reach the firewall answer with its own reason: {firewall} of {called}"
    );

    // Nothing the calls sent changed the shelter's records.
    let case_after = app
        .api(
            Method::GET,
            &format!("/cases/{}", s.case),
            Some(&s.worker),
            None,
        )
        .await
        .body;
    let person_after = app
        .api(
            Method::GET,
            &format!("/persons/{}", s.person),
            Some(&s.worker),
            None,
        )
        .await
        .body;
    assert_eq!(case_after, case_before);
    assert_eq!(person_after, person_before);
    let incident_after = app
        .api(Method::GET, &incident_path, Some(&s.worker), None)
        .await
        .body;
    assert_eq!(incident_after, incident_before, "the incident is unchanged");
    let permits_after = app
        .api(Method::GET, &permits_path, Some(&s.worker), None)
        .await
        .body;
    assert_eq!(permits_after, permits_before, "the permits are unchanged");
    assert!(incident_after.contains("Tamarisk underpass"));
    let referrals: Value = app
        .api(
            Method::GET,
            "/referrals?direction=outgoing",
            Some(&s.worker),
            None,
        )
        .await
        .json();
    assert_eq!(referrals[0]["status"], "sent", "{referrals}");
    let proceedings: Value = app
        .api(
            Method::GET,
            &format!("/cases/{}/proceedings", s.case),
            Some(&s.worker),
            None,
        )
        .await
        .json();
    assert_eq!(proceedings[0]["stage"], "trial", "{proceedings}");
    assert_eq!(proceedings[0]["hearings"][0]["cancelled"], false);
    assert_eq!(proceedings[0]["perpetrators"], json!([]));
}

/// The pages immigration enforcement may open — the statistics and the dashboards, their
/// downloads, the public figures — answer it, and carry nothing of the shelter's records.
#[tokio::test]
async fn immigration_enforcement_reads_the_dashboards_and_nothing_personal_there() {
    let app = App::new().await;
    let s = shelter(&app).await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "o@immigration.test",
            Role::ALL,
        )
        .await;
    let mut pages = Vec::new();
    for page in [
        "/stats",
        "/stats/dashboard",
        "/stats/national",
        "/statistics",
    ] {
        pages.push(page.to_string());
        for table in ["by_type", "by_citizenship", "breakdown"] {
            for format in ["csv", "xlsx"] {
                pages.push(format!("{page}?table={table}&format={format}"));
            }
        }
    }
    pages.push("/stats/measures".into());
    pages.push("/stats/releases".into());
    for page in ["/stats/dashboard", "/stats/national"] {
        for table in ["p_protection", "p_partnership"] {
            pages.push(format!("{page}?table={table}&format=csv"));
        }
    }
    for page in &pages {
        let who = (!page.starts_with("/statistics")).then_some(&officer);
        let a = app.page(page, who).await;
        assert_eq!(a.status, 200, "{page}: {}", a.body);
        let text = String::from_utf8_lossy(&a.bytes);
        for mark in MARKS {
            assert!(
                !text.contains(mark),
                "{page} answered personal data ({mark})"
            );
        }
        for (what, id) in &s.ids {
            assert!(
                !text.contains(id.as_str()),
                "{page} named a {what} of the shelter"
            );
        }
    }
    let csv = app
        .api(
            Method::GET,
            "/stats/summary?by=type,citizenship&format=csv",
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(MARKS.iter().all(|m| !csv.body.contains(m)));
}
