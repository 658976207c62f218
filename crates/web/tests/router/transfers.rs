//! Transfers over HTTP and on the pages (issue 14 item 3): `POST /api/v1/cases/{id}/transfers`
//! answers 201 `{"id"}`, 422 `consent_required` without a covering basis, 403 for immigration
//! enforcement; the receiver reads only the minimal view (never the case) until it accepts;
//! acceptance moves the case, and the sender then gets 404 on the case and the person while its
//! stub remains; the receiver closes with an outcome the sender reads; an outsider and
//! immigration enforcement get 404 everywhere; a withdrawn consent ends a pending transfer.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::json;
use uuid::Uuid;

struct World {
    worker: User,
    staff: User,
    stranger: User,
    officer: User,
    house: Uuid,
    border: Uuid,
    case: String,
    person: String,
}

async fn world(app: &App) -> World {
    let worker = app
        .user(OrgKind::Hotline, "w@hotline.test", &[Role::Caseworker])
        .await;
    let house = app.org(OrgKind::ServiceProvider, "House").await;
    let staff = app
        .member(house, "staff@house.test", &[Role::Caseworker])
        .await;
    let stranger = app
        .user(OrgKind::Ngo, "s@stranger.test", &[Role::Supervisor])
        .await;
    let border = app.org(OrgKind::ImmigrationEnforcement, "Border").await;
    let officer = app
        .member(border, "o@border.test", &[Role::Caseworker])
        .await;
    let person = app
        .api(
            Method::POST,
            "/persons",
            Some(&worker),
            Some(json!({"given_name": "Joy", "family_name": "Reyes", "date_of_birth": "1994-03", "citizenships": ["PH"], "migration_status": "irregular"})),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.body);
    let pid = person.json()["id"].as_str().expect("id").to_string();
    let case = app
        .api(
            Method::POST,
            "/cases",
            Some(&worker),
            Some(json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": "Passport held by the employer."})),
        )
        .await;
    assert_eq!(case.status, 201, "{}", case.body);
    World {
        worker,
        staff,
        stranger,
        officer,
        house,
        border,
        case: case.json()["id"].as_str().expect("id").to_string(),
        person: pid,
    }
}

async fn consent(app: &App, w: &World) -> String {
    let r = app
        .api(
            Method::POST,
            &format!("/persons/{}/consents", w.person),
            Some(&w.worker),
            Some(json!({"purpose": "referral", "organisation_id": w.house, "method": "written"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().expect("id").to_string()
}

async fn propose(app: &App, w: &World, to: Uuid) -> crate::harness::Answer {
    app.api(
        Method::POST,
        &format!("/cases/{}/transfers", w.case),
        Some(&w.worker),
        Some(json!({"to_organisation_id": to, "reason": "She needs a bed tonight.", "note": "Call before ten."})),
    )
    .await
}

async fn status(app: &App, method: Method, path: &str, who: &User) -> u16 {
    let body = if path.ends_with("/decline") {
        Some(json!({"reason": "x"}))
    } else if path.ends_with("/close") {
        Some(json!({"outcome": "x"}))
    } else {
        None
    };
    app.api(method, path, Some(who), body).await.status
}

#[tokio::test]
async fn a_transfer_is_refused_without_consent_then_proposed_accepted_and_closed() {
    let app = App::new().await;
    let w = world(&app).await;

    let refused = propose(&app, &w, w.house).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.json()["code"], "consent_required");
    let firewall = propose(&app, &w, w.border).await;
    assert_eq!(firewall.status, 403, "{}", firewall.body);
    let unknown = propose(&app, &w, Uuid::now_v7()).await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);

    consent(&app, &w).await;
    let sent = propose(&app, &w, w.house).await;
    assert_eq!(sent.status, 201, "{}", sent.body);
    let body = sent.json();
    assert_eq!(
        body.as_object().expect("object").len(),
        1,
        "only the id: {body}"
    );
    let id = body["id"].as_str().expect("id").to_string();

    // The receiver: the minimal view, not the case.
    let seen = app
        .api(
            Method::GET,
            &format!("/transfers/{id}"),
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    let seen = seen.json();
    assert_eq!(seen["status"], "pending");
    assert_eq!(seen["person"]["name"], "Joy Reyes");
    assert!(
        seen.get("case_id").is_none(),
        "no case before accepting: {seen}"
    );
    for secret in ["irregular", "1994", "Passport"] {
        assert!(
            !seen.to_string().contains(secret),
            "{secret} leaked: {seen}"
        );
    }
    let case_path = format!("/cases/{}", w.case);
    let person_path = format!("/persons/{}", w.person);
    assert_eq!(status(&app, Method::GET, &case_path, &w.staff).await, 404);
    let incoming = app
        .api(
            Method::GET,
            "/transfers?direction=incoming",
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(incoming.json().as_array().map(Vec::len), Some(1));
    let bad = app
        .api(
            Method::GET,
            "/transfers?direction=sideways",
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(bad.status, 400);

    let accepted = app
        .api(
            Method::POST,
            &format!("/transfers/{id}/accept"),
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(accepted.status, 204, "{}", accepted.body);
    let again = app
        .api(
            Method::POST,
            &format!("/transfers/{id}/accept"),
            Some(&w.staff),
            None,
        )
        .await;
    assert_eq!(again.status, 422);
    assert_eq!(again.json()["code"], "transition_not_allowed");

    // The case is the receiver's; the sender has only its stub.
    let theirs = app.api(Method::GET, &case_path, Some(&w.staff), None).await;
    assert_eq!(theirs.status, 200, "{}", theirs.body);
    assert_eq!(theirs.json()["organisation_id"], w.house.to_string());
    assert_eq!(status(&app, Method::GET, &case_path, &w.worker).await, 404);
    assert_eq!(
        status(&app, Method::GET, &person_path, &w.worker).await,
        404
    );
    let stub = app
        .api(
            Method::GET,
            &format!("/transfers/{id}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(stub["status"], "accepted");
    assert_eq!(stub["to_organisation_id"], w.house.to_string());
    assert!(stub.get("person").is_none());

    let closed = app
        .api(
            Method::POST,
            &format!("/transfers/{id}/close"),
            Some(&w.staff),
            Some(json!({"outcome": "Housed; in a recovery programme."})),
        )
        .await;
    assert_eq!(closed.status, 204, "{}", closed.body);
    let stub = app
        .api(
            Method::GET,
            &format!("/transfers/{id}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(stub["status"], "closed");
    assert_eq!(stub["outcome"], "Housed; in a recovery programme.");
}

#[tokio::test]
async fn outsiders_and_immigration_enforcement_get_404_everywhere() {
    let app = App::new().await;
    let w = world(&app).await;
    consent(&app, &w).await;
    let id = propose(&app, &w, w.house).await.json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let missing = Uuid::now_v7();
    for who in [&w.stranger, &w.officer] {
        for (method, path) in [
            (Method::GET, format!("/transfers/{id}")),
            (Method::POST, format!("/transfers/{id}/accept")),
            (Method::POST, format!("/transfers/{id}/decline")),
            (Method::POST, format!("/transfers/{id}/close")),
            (Method::GET, format!("/transfers/{missing}")),
            (Method::POST, format!("/cases/{}/transfers", w.case)),
        ] {
            let answer = if path.ends_with("/transfers") {
                app.api(
                    method,
                    &path,
                    Some(who),
                    Some(json!({"to_organisation_id": w.house, "reason": "x"})),
                )
                .await
                .status
            } else {
                status(&app, method, &path, who).await
            };
            assert_eq!(answer, 404, "{path}");
        }
        for d in ["incoming", "outgoing"] {
            let list = app
                .api(
                    Method::GET,
                    &format!("/transfers?direction={d}"),
                    Some(who),
                    None,
                )
                .await;
            assert_eq!(list.json(), json!([]));
        }
        let page = app.page(&format!("/transfers/{id}"), Some(who)).await;
        assert_eq!(page.status, 404);
    }
    // The sender does not answer its own transfer.
    assert_eq!(
        status(
            &app,
            Method::POST,
            &format!("/transfers/{id}/accept"),
            &w.worker
        )
        .await,
        404
    );
}

#[tokio::test]
async fn withdrawing_the_consent_ends_a_pending_transfer() {
    let app = App::new().await;
    let w = world(&app).await;
    let basis = consent(&app, &w).await;
    let id = propose(&app, &w, w.house).await.json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let gone = app
        .api(
            Method::DELETE,
            &format!("/persons/{}/consents/{basis}", w.person),
            Some(&w.worker),
            None,
        )
        .await;
    assert!(gone.status < 300, "{} {}", gone.status, gone.body);
    let path = format!("/transfers/{id}");
    assert_eq!(status(&app, Method::GET, &path, &w.staff).await, 404);
    assert_eq!(
        status(&app, Method::POST, &format!("{path}/accept"), &w.staff).await,
        404
    );
    let mine = app.api(Method::GET, &path, Some(&w.worker), None).await;
    assert_eq!(mine.json()["status"], "withdrawn");
}

#[tokio::test]
async fn the_pages_propose_list_answer_and_keep_a_stub() {
    let app = App::new().await;
    let w = world(&app).await;
    let tab = format!("/cases/{}/transfer", w.case);

    // The form lists organisations that may receive: never enforcement, never its own.
    let form = app.page(&tab, Some(&w.worker)).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let options = attrs(&form.html(), "#transfer-organisation option", "value");
    assert!(options.contains(&w.house.to_string()));
    assert!(
        !options.contains(&w.border.to_string()),
        "never enforcement"
    );
    let names = select(&form.html(), "#transfer-organisation option");
    assert!(!names.iter().any(|n| n == "Border"));

    // Without consent the form comes back with the refusal in words.
    let house = w.house.to_string();
    let fields = [
        ("csrf", w.worker.csrf.as_str()),
        ("to_organisation_id", house.as_str()),
        ("reason", "She needs a bed tonight."),
        ("note", ""),
    ];
    let refused = app.post_form(&tab, &w.worker, &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        attrs(&refused.html(), ".error-summary a", "href"),
        vec!["#transfer-organisation"]
    );
    assert!(refused.body.contains("consent"));

    consent(&app, &w).await;
    let sent = app.post_form(&tab, &w.worker, &fields).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let to = sent.location.clone().expect("location");
    assert!(
        to.starts_with("/transfers/") && to.contains("done=transfer-proposed"),
        "{to}"
    );
    let id = to
        .trim_start_matches("/transfers/")
        .split('?')
        .next()
        .expect("id")
        .to_string();
    let stub = app.page(&format!("/transfers/{id}"), Some(&w.worker)).await;
    assert_eq!(
        select(&stub.html(), "dd.transfer-status"),
        vec!["Waiting for an answer"]
    );
    assert!(
        select(&stub.html(), "#transfer-accept button").is_empty(),
        "the sender does not answer"
    );

    // The receiver's list: the minimal view and the answer forms.
    let list = app.page("/transfers", Some(&w.staff)).await;
    assert_eq!(list.status, 200, "{}", list.body);
    let html = list.html();
    assert_eq!(
        select(&html, "#transfers-incoming dd.transfer-person"),
        vec!["Joy Reyes"]
    );
    assert_eq!(
        attrs(&html, "#transfers-incoming form.transfer-accept", "action"),
        vec![format!("/transfers/{id}/accept")]
    );
    assert!(!list.body.contains("irregular") && !list.body.contains("Passport"));
    assert_eq!(
        app.page(&tab, Some(&w.staff)).await.status,
        404,
        "not the case before accepting"
    );

    // A decline needs a reason.
    let blank = app
        .post_form(
            &format!("/transfers/{id}/decline"),
            &w.staff,
            &[("csrf", w.staff.csrf.as_str()), ("reason", " ")],
        )
        .await;
    assert_eq!(blank.status, 422, "{}", blank.body);
    assert_eq!(
        attrs(&blank.html(), ".error-summary a", "href"),
        vec!["#transfer-reason"]
    );

    let accepted = app
        .post_form(
            &format!("/transfers/{id}/accept"),
            &w.staff,
            &[("csrf", w.staff.csrf.as_str())],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let theirs = app.page(&format!("/transfers/{id}"), Some(&w.staff)).await;
    assert_eq!(
        attrs(&theirs.html(), "#transfer-case", "href"),
        vec![format!("/cases/{}", w.case)]
    );
    assert_eq!(
        app.page(&format!("/cases/{}", w.case), Some(&w.staff))
            .await
            .status,
        200
    );

    // The sender: the case is gone, the stub remains.
    assert_eq!(
        app.page(&format!("/cases/{}", w.case), Some(&w.worker))
            .await
            .status,
        404
    );
    assert_eq!(app.page(&tab, Some(&w.worker)).await.status, 404);
    let stub = app.page(&format!("/transfers/{id}"), Some(&w.worker)).await;
    assert_eq!(stub.status, 200);
    assert_eq!(select(&stub.html(), "dd.transfer-status"), vec!["Accepted"]);
    let outgoing = app.page("/transfers", Some(&w.worker)).await;
    assert_eq!(
        select(&outgoing.html(), "tr.transfer-out td.transfer-status"),
        vec!["Accepted"]
    );

    let closed = app
        .post_form(
            &format!("/transfers/{id}/close"),
            &w.staff,
            &[("csrf", w.staff.csrf.as_str()), ("outcome", "Housed.")],
        )
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    let stub = app.page(&format!("/transfers/{id}"), Some(&w.worker)).await;
    assert_eq!(select(&stub.html(), "dd.transfer-outcome"), vec!["Housed."]);
}
