//! The forms that finish labour-market protection (issue 15), through the router: a held
//! document's page and a screening's page name an entity from the register (a typed name is
//! offered, the user confirms), a link made by mistake is removed by the organisation that
//! made it only, a stale licence change is refused 409 with the newer value shown, and the
//! visit forms take joint agencies and a sanction — never immigration enforcement at a visit
//! that workers' complaints reached. An outsider gets 404, immigration enforcement the
//! firewall.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;

struct World {
    app: App,
    worker: User,
    outsider: User,
    officer: User,
    inspector: User,
    case: String,
    person: String,
    entity: String,
}

fn id_of(a: &crate::harness::Answer) -> String {
    assert!(a.status < 300, "{} {}", a.status, a.body);
    a.json()["id"].as_str().expect("id").to_string()
}

async fn world() -> World {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::Ngo,
            "worker@ngo.test",
            &[Role::Caseworker, Role::Intake],
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
    let person = id_of(
        &app.api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(json!({"given_name": "Joy", "family_name": "Reyes", "citizenships": ["PH"]})),
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
                        "stage": "destination", "summary": "Passport kept by the agency."}),
            ),
        )
        .await,
    );
    let entity = id_of(
        &app.api(
            Method::POST,
            "/entities",
            Some(&worker),
            Some(
                json!({"name": "Al Noor Manpower", "kind": "recruitment_agency",
                        "country": "AE", "licence_number": "RA-1042"}),
            ),
        )
        .await,
    );
    World {
        app,
        worker,
        outsider,
        officer,
        inspector,
        case,
        person,
        entity,
    }
}

async fn document(w: &World) -> String {
    id_of(
        &w.app
            .api(
                Method::POST,
                &format!("/persons/{}/documents", w.person),
                Some(&w.worker),
                Some(
                    json!({"kind": "passport", "number": "P1234567", "country": "PH",
                            "held_by": "recruiter"}),
                ),
            )
            .await,
    )
}

#[tokio::test]
async fn a_held_document_names_its_holder_from_its_page_once_confirmed() {
    let w = world().await;
    let doc = document(&w).await;
    let person = w
        .app
        .page(&format!("/cases/{}/person", w.case), Some(&w.worker))
        .await;
    let section = format!("/cases/{}/person/documents/{doc}/entities", w.case);
    assert_eq!(
        attrs(&person.html(), "a.doc-entities", "href"),
        std::slice::from_ref(&section),
        "each held document links to its holder's section"
    );
    // A name typed is searched and offered; nothing is linked by the search.
    let found = w
        .app
        .page(
            &format!("{section}?q=AlNoor%20manpower%20LLC"),
            Some(&w.worker),
        )
        .await;
    assert_eq!(found.status, 200, "{}", found.body);
    let html = found.html();
    assert_eq!(select(&html, "#section-h"), ["Who holds the document"]);
    assert_eq!(select(&html, ".offered .entity-name"), ["Al Noor Manpower"]);
    assert_eq!(
        attrs(&html, ".offered select option[selected]", "value"),
        ["document_holder"],
        "the holder's role is proposed"
    );
    assert!(select(&html, ".named li").is_empty(), "offered, not linked");
    // Bad input: a role from nowhere is a field problem, and nothing is linked.
    let bad = w
        .app
        .post_form(
            &section,
            &w.worker,
            &[
                ("csrf", &w.worker.csrf),
                ("entity_id", &w.entity),
                ("role", "boss"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        attrs(&bad.html(), ".error-summary a", "href"),
        ["#entity-role"]
    );
    assert!(select(&bad.html(), ".named li").is_empty());
    let confirmed = w
        .app
        .post_form(
            &section,
            &w.worker,
            &[
                ("csrf", &w.worker.csrf),
                ("entity_id", &w.entity),
                ("role", "document_holder"),
            ],
        )
        .await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    assert!(
        confirmed
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with(&format!("{section}?"))),
        "{:?}",
        confirmed.location
    );
    let page = w.app.page(&section, Some(&w.worker)).await;
    assert_eq!(
        select(&page.html(), ".named li a bdi"),
        ["Al Noor Manpower"]
    );
    // The link is the document's, read back through the API of the entity.
    let e = w
        .app
        .api(
            Method::GET,
            &format!("/entities/{}", w.entity),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(e["links"][0]["record"], "document");
    assert_eq!(e["links"][0]["record_id"], doc.as_str());
    assert_eq!(e["links"][0]["role"], "document_holder");
    // Another organisation: 404 on the page and on the post, nothing linked.
    let theirs = w.app.page(&section, Some(&w.outsider)).await;
    assert_eq!(theirs.status, 404);
    let post = w
        .app
        .post_form(
            &section,
            &w.outsider,
            &[
                ("csrf", &w.outsider.csrf),
                ("entity_id", &w.entity),
                ("role", "employer"),
            ],
        )
        .await;
    assert_eq!(post.status, 404);
    // A document id that is not this case's person's: 404 as well.
    let elsewhere = w
        .app
        .page(
            &format!(
                "/cases/{}/person/documents/{}/entities",
                w.case,
                uuid::Uuid::now_v7()
            ),
            Some(&w.worker),
        )
        .await;
    assert_eq!(elsewhere.status, 404);
    let officer = w.app.page(&section, Some(&w.officer)).await;
    assert!(
        officer.status == 403 || officer.status == 404,
        "{}",
        officer.status
    );
    assert!(!officer.body.contains("Al Noor"));
    // Removed over the API by its organisation only: another's answer is 404.
    let link = e["links"][0]["id"].as_str().expect("link id").to_string();
    let path = format!("/documents/{doc}/entities/{link}");
    let theirs = w
        .app
        .api(Method::DELETE, &path, Some(&w.outsider), None)
        .await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    let gone = w
        .app
        .api(Method::DELETE, &path, Some(&w.worker), None)
        .await;
    assert_eq!(gone.status, 204, "{}", gone.body);
    let page = w.app.page(&section, Some(&w.worker)).await;
    assert!(select(&page.html(), ".named li").is_empty());
}

#[tokio::test]
async fn a_screening_names_who_is_involved_from_its_page() {
    let w = world().await;
    let started = w
        .app
        .post_form(
            &format!("/cases/{}/screenings", w.case),
            &w.worker,
            &[
                ("csrf", &w.worker.csrf),
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
    let interview = w
        .app
        .page(&format!("/screenings/{sid}?mode=all"), Some(&w.worker))
        .await;
    let section = format!("/screenings/{sid}/entities");
    assert_eq!(
        attrs(&interview.html(), ".screening-entities a", "href"),
        std::slice::from_ref(&section)
    );
    let page = w
        .app
        .page(&format!("{section}?q=al%20noor"), Some(&w.worker))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        select(&page.html(), "#section-h"),
        ["Who is involved: employer or recruiter"]
    );
    assert_eq!(
        attrs(&page.html(), "a.back", "href"),
        [format!("/screenings/{sid}")]
    );
    assert_eq!(
        select(&page.html(), ".offered .entity-name"),
        ["Al Noor Manpower"]
    );
    let bad = w
        .app
        .post_form(
            &section,
            &w.worker,
            &[
                ("csrf", &w.worker.csrf),
                ("entity_id", "not-an-id"),
                ("role", "employer"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let ok = w
        .app
        .post_form(
            &section,
            &w.worker,
            &[
                ("csrf", &w.worker.csrf),
                ("entity_id", &w.entity),
                ("role", "recruiter"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let after = w.app.page(&section, Some(&w.worker)).await;
    assert_eq!(
        select(&after.html(), ".named li a bdi"),
        ["Al Noor Manpower"]
    );
    assert_eq!(w.app.page(&section, Some(&w.outsider)).await.status, 404);
    let post = w
        .app
        .post_form(
            &section,
            &w.outsider,
            &[
                ("csrf", &w.outsider.csrf),
                ("entity_id", &w.entity),
                ("role", "recruiter"),
            ],
        )
        .await;
    assert_eq!(post.status, 404);
}

async fn links_of(w: &World) -> usize {
    w.app
        .api(
            Method::GET,
            &format!("/cases/{}/entities", w.case),
            Some(&w.worker),
            None,
        )
        .await
        .json()
        .as_array()
        .expect("links")
        .len()
}

#[tokio::test]
async fn a_link_made_by_mistake_is_removed_by_its_organisation_only() {
    let w = world().await;
    let link = id_of(
        &w.app
            .api(
                Method::POST,
                &format!("/cases/{}/entities", w.case),
                Some(&w.worker),
                Some(json!({"entity_id": w.entity, "role": "employer"})),
            )
            .await,
    );
    let path = format!("/cases/{}/entities/{link}", w.case);
    // Another organisation: 404, the same answer as for a link that does not exist.
    let theirs = w
        .app
        .api(Method::DELETE, &path, Some(&w.outsider), None)
        .await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    let missing = w
        .app
        .api(
            Method::DELETE,
            &format!("/cases/{}/entities/{}", w.case, uuid::Uuid::now_v7()),
            Some(&w.worker),
            None,
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(theirs.json()["code"], missing.json()["code"]);
    let officer = w
        .app
        .api(Method::DELETE, &path, Some(&w.officer), None)
        .await;
    assert_eq!(officer.status, 403);
    assert_eq!(officer.json()["reason"], "immigration_firewall");
    assert_eq!(links_of(&w).await, 1, "nothing removed by them");
    let gone = w
        .app
        .api(Method::DELETE, &path, Some(&w.worker), None)
        .await;
    assert_eq!(gone.status, 204, "{}", gone.body);
    assert_eq!(links_of(&w).await, 0);
    assert_eq!(
        w.app
            .api(Method::DELETE, &path, Some(&w.worker), None)
            .await
            .status,
        404
    );
    // The page's remove button: each link carries one, and it removes that link.
    let again = id_of(
        &w.app
            .api(
                Method::POST,
                &format!("/cases/{}/entities", w.case),
                Some(&w.worker),
                Some(json!({"entity_id": w.entity, "role": "recruiter"})),
            )
            .await,
    );
    let section = format!("/cases/{}/entities", w.case);
    let page = w.app.page(&section, Some(&w.worker)).await;
    assert_eq!(
        attrs(
            &page.html(),
            ".named form.unlink input[name=unlink]",
            "value"
        ),
        std::slice::from_ref(&again)
    );
    let outsider = w
        .app
        .post_form(
            &section,
            &w.outsider,
            &[("csrf", &w.outsider.csrf), ("unlink", &again)],
        )
        .await;
    assert_eq!(outsider.status, 404);
    let bad = w
        .app
        .post_form(
            &section,
            &w.worker,
            &[("csrf", &w.worker.csrf), ("unlink", "nonsense")],
        )
        .await;
    assert_eq!(bad.status, 404, "no such link");
    assert_eq!(links_of(&w).await, 1);
    let removed = w
        .app
        .post_form(
            &section,
            &w.worker,
            &[("csrf", &w.worker.csrf), ("unlink", &again)],
        )
        .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert_eq!(links_of(&w).await, 0);
    let after = w
        .app
        .page(removed.location.as_deref().expect("back"), Some(&w.worker))
        .await;
    assert_eq!(select(&after.html(), ".notice"), ["The link is removed."]);
    assert!(select(&after.html(), ".named li").is_empty());
}

#[tokio::test]
async fn a_stale_licence_change_is_refused_409_with_the_newer_value_shown() {
    let w = world().await;
    let keeper2 = w
        .app
        .member(
            w.app.actor("i@inspect.test").await.org_id(),
            "k2@inspect.test",
            &[Role::Inspector],
        )
        .await;
    let path = format!("/entities/{}", w.entity);
    let form = w.app.page(&path, Some(&w.inspector)).await;
    let seen = attrs(&form.html(), "#licence-form input[name=version]", "value");
    assert_eq!(seen, ["1"]);
    // Another keeper revokes meanwhile.
    let first = w
        .app
        .api(
            Method::POST,
            &format!("{path}/licence"),
            Some(&keeper2),
            Some(
                json!({"licence_status": "revoked", "authority": "Ministry of Labour",
                        "decided_on": "2026-01-10", "version": 1}),
            ),
        )
        .await;
    assert_eq!(first.status, 204, "{}", first.body);
    // The first keeper's page, still at version 1, says licensed: refused, 409.
    let stale = w
        .app
        .post_form(
            &format!("{path}/licence"),
            &w.inspector,
            &[
                ("csrf", &w.inspector.csrf),
                ("version", &seen[0]),
                ("licence_status", "licensed"),
                ("authority", "Ministry of Labour"),
                ("decided_on", "2026-01-11"),
            ],
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    let html = stale.html();
    assert_eq!(select(&html, "#licence-newer .newer-status"), ["Revoked"]);
    assert_eq!(select(&html, ".licence").len(), 1);
    assert!(select(&html, ".licence")[0].starts_with("Revoked"));
    assert_eq!(
        attrs(&html, "#licence-form input[name=version]", "value"),
        ["2"],
        "the form now carries the version shown"
    );
    let api_stale = w
        .app
        .api(
            Method::POST,
            &format!("{path}/licence"),
            Some(&w.inspector),
            Some(
                json!({"licence_status": "licensed", "authority": "Ministry of Labour",
                        "decided_on": "2026-01-11", "version": 1}),
            ),
        )
        .await;
    assert_eq!(api_stale.status, 409);
    assert_eq!(api_stale.json()["code"], "version_conflict");
    let no_version = w
        .app
        .api(
            Method::POST,
            &format!("{path}/licence"),
            Some(&w.inspector),
            Some(
                json!({"licence_status": "licensed", "authority": "Ministry of Labour",
                        "decided_on": "2026-01-11"}),
            ),
        )
        .await;
    assert_eq!(no_version.status, 422, "{}", no_version.body);
    assert_eq!(no_version.json()["fields"][0]["field"], "version");
    let e = w
        .app
        .api(Method::GET, &path, Some(&w.worker), None)
        .await
        .json();
    assert_eq!(e["licence_status"], "revoked", "nothing stale written");
    assert_eq!(e["version"], 2);
    // Not the keeper: refused as before, whatever the version.
    let ngo = w
        .app
        .api(
            Method::POST,
            &format!("{path}/licence"),
            Some(&w.worker),
            Some(json!({"licence_status": "licensed", "authority": "X",
                        "decided_on": "2026-01-11", "version": 2})),
        )
        .await;
    assert_eq!(ngo.status, 403);
}

#[tokio::test]
async fn the_visit_forms_take_joint_agencies_and_a_sanction_never_immigration_after_a_complaint() {
    let w = world().await;
    let police = w.app.org(OrgKind::LawEnforcement, "City police").await;
    let border = w
        .app
        .org(OrgKind::ImmigrationEnforcement, "Border force")
        .await;
    // A complaint names the entity.
    let named = w
        .app
        .api(
            Method::POST,
            &format!("/cases/{}/entities", w.case),
            Some(&w.worker),
            Some(json!({"entity_id": w.entity, "role": "employer"})),
        )
        .await;
    assert_eq!(named.status, 201, "{}", named.body);
    let list = w.app.page("/inspections", Some(&w.inspector)).await;
    let offered = attrs(&list.html(), "#visit-joint_with input", "value");
    assert!(offered.contains(&police.to_string()));
    let fields = |joint: &str, decided_on: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("entity_id", w.entity.clone()),
            ("status", "done".into()),
            ("planned_on", "2026-01-10".into()),
            ("done_on", "2026-01-12".into()),
            ("joint_with", joint.to_string()),
            (
                "sanction_description",
                "Fine for charging recruitment fees".into(),
            ),
            ("sanction_authority", "Labour Inspectorate".into()),
            ("sanction_decided_on", decided_on.into()),
        ]
    };
    async fn post(app: &App, f: Vec<(&'static str, String)>, who: &User) -> crate::harness::Answer {
        let mut all: Vec<(&str, String)> = vec![("csrf", who.csrf.clone())];
        all.extend(f);
        let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post_form("/inspections", who, &pairs).await
    }
    let raid = post(
        &w.app,
        fields(&border.to_string(), "2026-01-20"),
        &w.inspector,
    )
    .await;
    assert_eq!(raid.status, 422, "{}", raid.body);
    assert_eq!(
        attrs(&raid.html(), ".error-summary a", "href"),
        ["#visit-joint_with"]
    );
    assert_eq!(
        attrs(&raid.html(), "#visit-joint_with input[checked]", "value"),
        [border.to_string()],
        "the form comes back as typed"
    );
    let future = post(
        &w.app,
        fields(&police.to_string(), "2999-01-01"),
        &w.inspector,
    )
    .await;
    assert_eq!(future.status, 422, "{}", future.body);
    assert_eq!(
        attrs(&future.html(), ".error-summary a", "href"),
        ["#visit-sanction-decided_on"]
    );
    // An NGO's staff do not inspect; immigration enforcement meets the firewall.
    assert_eq!(
        post(&w.app, fields(&police.to_string(), "2026-01-20"), &w.worker)
            .await
            .status,
        403
    );
    assert_eq!(
        post(
            &w.app,
            fields(&police.to_string(), "2026-01-20"),
            &w.officer
        )
        .await
        .status,
        403
    );
    let done = post(
        &w.app,
        fields(&police.to_string(), "2026-01-20"),
        &w.inspector,
    )
    .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let visit = w
        .app
        .page(
            done.location.as_deref().expect("the visit"),
            Some(&w.inspector),
        )
        .await;
    let html = visit.html();
    assert!(
        select(&html, "dd bdi").iter().any(|j| j == "City police"),
        "{}",
        visit.body
    );
    assert!(
        select(&html, ".sanctions li")
            .iter()
            .any(|s| s.contains("Fine for charging recruitment fees"))
    );
    // The outcome form of a planned visit takes them too, with the same rule.
    let planned = w
        .app
        .api(
            Method::POST,
            "/inspections",
            Some(&w.inspector),
            Some(json!({"entity_id": w.entity, "status": "planned", "planned_on": "2099-01-10"})),
        )
        .await;
    let vid = id_of(&planned);
    let page = w
        .app
        .page(&format!("/inspections/{vid}"), Some(&w.inspector))
        .await;
    assert!(!attrs(&page.html(), "#outcome-joint_with input", "value").is_empty());
    assert_eq!(select(&page.html(), "#outcome-order_category").len(), 1);
    let refused = w
        .app
        .post_form(
            &format!("/inspections/{vid}/outcome"),
            &w.inspector,
            &[
                ("csrf", &w.inspector.csrf),
                ("status", "cancelled"),
                ("joint_with", &border.to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        attrs(&refused.html(), ".error-summary a", "href"),
        ["#outcome-joint_with"]
    );
    assert_eq!(
        attrs(
            &refused.html(),
            "#outcome-joint_with input[checked]",
            "value"
        ),
        [border.to_string()],
        "the outcome form comes back as typed"
    );
    assert_eq!(
        attrs(&refused.html(), "#outcome-status option[selected]", "value"),
        ["cancelled"]
    );
    let visit = w
        .app
        .api(
            Method::GET,
            &format!("/inspections/{vid}"),
            Some(&w.inspector),
            None,
        )
        .await
        .json();
    assert_eq!(visit["status"], "planned", "nothing written");
}
