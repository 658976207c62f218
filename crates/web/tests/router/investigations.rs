//! An ombudsperson's investigations through the router (issue 16 item 3): the API contract from
//! taking a report up to closing, each bad field a 422 naming it with nothing written, another
//! office's subject or investigation a 404 exactly as a missing id, other staff 403
//! `forbidden`, immigration enforcement `immigration_firewall` on every route, the analyst's
//! counts; and the pages: the take-up button on the report and case pages, the work list with
//! overdue questions first, and one investigation's forms.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

struct World {
    app: App,
    ombuds: User,
    chief: User,
    analyst: User,
    other: User,
    worker: User,
    officer: User,
}

fn id_of(a: &crate::harness::Answer) -> String {
    assert!(a.status < 300, "{} {}", a.status, a.body);
    a.json()["id"].as_str().expect("id").to_string()
}

async fn world() -> World {
    let app = App::new().await;
    let office = app.org(OrgKind::Ombudsperson, "Equality Office").await;
    let ombuds = app
        .member(office, "o@equality.test", &[Role::Ombudsperson])
        .await;
    let chief = app
        .member(office, "s@equality.test", &[Role::Supervisor])
        .await;
    let analyst = app
        .member(office, "a@equality.test", &[Role::Analyst])
        .await;
    let second = app.org(OrgKind::Ombudsperson, "Other Office").await;
    let other = app
        .member(
            second,
            "o@other.test",
            &[Role::Ombudsperson, Role::Supervisor],
        )
        .await;
    let worker = app
        .user(
            OrgKind::Ngo,
            "worker@ngo.test",
            &[Role::Caseworker, Role::Intake, Role::Supervisor],
        )
        .await;
    let officer = app
        .user(OrgKind::ImmigrationEnforcement, "o@border.test", Role::ALL)
        .await;
    World {
        app,
        ombuds,
        chief,
        analyst,
        other,
        worker,
        officer,
    }
}

async fn report(app: &App, who: &User) -> String {
    id_of(
        &app.api(
            Method::POST,
            "/reports",
            Some(who),
            Some(json!({"caller_type": "witness", "language": "en",
                        "categories": ["detention_border_abuse"],
                        "narrative": "Guards beat a man at the removal centre."})),
        )
        .await,
    )
}

async fn case(app: &App, who: &User) -> String {
    let person = id_of(
        &app.api(
            Method::POST,
            "/persons",
            Some(who),
            Some(json!({"given_name": "Amina", "family_name": "Diallo", "citizenships": ["GN"]})),
        )
        .await,
    );
    id_of(
        &app.api(
            Method::POST,
            "/cases",
            Some(who),
            Some(json!({"person_id": person, "types": ["detention"],
                        "stage": "destination", "summary": "Held without care."})),
        )
        .await,
    )
}

fn taken_up(kind: &str, id: &str) -> Value {
    json!({
        "subject": {"kind": kind, "id": id},
        "authority": {"name": "Home Office Removal Centre", "kind": "detention_authority"},
        "summary": "Force used on a detained man during a removal."
    })
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

async fn count(w: &World) -> usize {
    w.app
        .api(Method::GET, "/investigations", Some(&w.ombuds), None)
        .await
        .json()
        .as_array()
        .expect("list")
        .len()
}

#[tokio::test]
async fn the_api_keeps_the_contract_from_taking_up_to_closing() {
    let w = world().await;
    let r = report(&w.app, &w.ombuds).await;
    let a = w
        .app
        .api(
            Method::POST,
            "/investigations",
            Some(&w.ombuds),
            Some(taken_up("report", &r)),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(keys(&a.json()), ["id"]);
    let id = id_of(&a);
    let base = format!("/investigations/{id}");

    let q = w
        .app
        .api(
            Method::POST,
            &format!("{base}/questions"),
            Some(&w.ombuds),
            Some(json!({"text": "Send the body-camera footage.",
                        "sent_on": "2026-01-05", "reply_by": "2026-01-20"})),
        )
        .await;
    assert_eq!(q.status, 201, "{}", q.body);
    let qid = id_of(&q);
    let answered = json!({"received_on": "2026-01-18", "text": "The footage is attached."});
    let a = w
        .app
        .api(
            Method::POST,
            &format!("{base}/questions/{qid}/answer"),
            Some(&w.ombuds),
            Some(answered.clone()),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.body);
    let again = w
        .app
        .api(
            Method::POST,
            &format!("{base}/questions/{qid}/answer"),
            Some(&w.ombuds),
            Some(answered),
        )
        .await;
    assert_eq!(again.status, 422);
    assert_eq!(again.json()["code"], "already_done");
    // A second question, never answered, is overdue.
    w.app
        .api(
            Method::POST,
            &format!("{base}/questions"),
            Some(&w.ombuds),
            Some(json!({"text": "Who authorised the restraint?",
                        "sent_on": "2026-01-05", "reply_by": "2026-01-25"})),
        )
        .await;
    let a = w
        .app
        .api(
            Method::POST,
            &format!("{base}/findings"),
            Some(&w.ombuds),
            Some(json!({"outcome": "violation_found", "text": "Force beyond the policy."})),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.body);
    let rec = w
        .app
        .api(
            Method::POST,
            &format!("{base}/recommendations"),
            Some(&w.ombuds),
            Some(json!({"text": "Review the restraint policy."})),
        )
        .await;
    assert_eq!(rec.status, 201, "{}", rec.body);
    let rid = id_of(&rec);

    // Closing: not the ombudsperson; not while pending without a reason.
    let a = w
        .app
        .api(
            Method::POST,
            &format!("{base}/close"),
            Some(&w.ombuds),
            Some(json!({})),
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    let a = w
        .app
        .api(
            Method::POST,
            &format!("{base}/close"),
            Some(&w.chief),
            Some(json!({})),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.json()["code"], "recommendations_pending");
    let a = w
        .app
        .api(
            Method::POST,
            &format!("{base}/recommendations/{rid}/follow-up"),
            Some(&w.ombuds),
            Some(json!({"state": "accepted", "on": "2026-02-01", "note": "Review by March."})),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.body);

    let list = w
        .app
        .api(Method::GET, "/investigations", Some(&w.ombuds), None)
        .await;
    assert_eq!(list.status, 200);
    let item = &list.json()[0];
    assert_eq!(
        keys(item),
        [
            "authority",
            "id",
            "next_reply_by",
            "open_questions",
            "opened_on",
            "overdue_questions",
            "status",
            "subject_kind"
        ]
    );
    assert_eq!(item["overdue_questions"], 1);
    assert_eq!(item["status"], "follow_up");

    let v = w.app.api(Method::GET, &base, Some(&w.chief), None).await;
    assert_eq!(v.status, 200, "{}", v.body);
    let v = v.json();
    assert_eq!(
        keys(&v),
        [
            "authority",
            "close_reason",
            "closed_on",
            "findings",
            "id",
            "opened_on",
            "questions",
            "recommendations",
            "status",
            "subject",
            "summary"
        ]
    );
    assert_eq!(v["subject"], json!({"kind": "report", "id": r}));
    assert_eq!(
        v["authority"],
        json!({"name": "Home Office Removal Centre", "kind": "detention_authority"})
    );
    assert_eq!(v["findings"]["outcome"], "violation_found");
    assert_eq!(v["questions"][0]["answer"], "The footage is attached.");
    assert_eq!(v["questions"][1]["overdue"], true);
    assert_eq!(v["recommendations"][0]["state"], "accepted");
    assert_eq!(
        v["recommendations"][0]["history"],
        json!([{"state": "accepted", "on": "2026-02-01", "note": "Review by March."}])
    );

    let a = w
        .app
        .api(
            Method::POST,
            &format!("{base}/close"),
            Some(&w.chief),
            Some(json!({})),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.body);
    let a = w
        .app
        .api(
            Method::POST,
            &format!("{base}/recommendations"),
            Some(&w.ombuds),
            Some(json!({"text": "One more."})),
        )
        .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.json()["code"], "investigation_closed");

    // The office's analyst: counts, nothing else.
    let c = w
        .app
        .api(
            Method::GET,
            "/investigations/counts",
            Some(&w.analyst),
            None,
        )
        .await;
    assert_eq!(c.status, 200, "{}", c.body);
    assert_eq!(
        c.json(),
        json!({"open": 0, "findings_issued": 0, "follow_up": 0, "closed": 1, "overdue_questions": 1})
    );
    for path in ["/investigations".to_string(), base.clone()] {
        let a = w.app.api(Method::GET, &path, Some(&w.analyst), None).await;
        assert_eq!(a.status, 403, "{path}: {}", a.body);
    }
}

#[tokio::test]
async fn bad_input_is_a_422_naming_each_field_with_nothing_written() {
    let w = world().await;
    let r = report(&w.app, &w.ombuds).await;
    let a = w
        .app
        .api(
            Method::POST,
            "/investigations",
            Some(&w.ombuds),
            Some(json!({
                "subject": {"kind": "petition", "id": r},
                "authority": {"name": "", "kind": "army"},
                "summary": ""
            })),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    let fields: Vec<String> = a.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field").to_string())
        .collect();
    assert_eq!(
        fields,
        [
            "subject.kind",
            "authority.name",
            "authority.kind",
            "summary"
        ]
    );
    let a = w
        .app
        .api(
            Method::POST,
            "/investigations",
            Some(&w.ombuds),
            Some(json!({"subject": "report"})),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(
        a.json()["message"]
            .as_str()
            .expect("message")
            .contains("subject")
    );
    assert_eq!(count(&w).await, 0, "nothing written");

    let id = id_of(
        &w.app
            .api(
                Method::POST,
                "/investigations",
                Some(&w.ombuds),
                Some(taken_up("report", &r)),
            )
            .await,
    );
    for (path, body, field) in [
        (
            format!("/investigations/{id}/questions"),
            json!({"text": "Why?", "sent_on": "2099-01-01", "reply_by": "2099-02-01"}),
            "sent_on",
        ),
        (
            format!("/investigations/{id}/findings"),
            json!({"outcome": "guilty", "text": "x"}),
            "outcome",
        ),
        (
            format!("/investigations/{id}/recommendations"),
            json!({"text": "  "}),
            "text",
        ),
    ] {
        let a = w
            .app
            .api(Method::POST, &path, Some(&w.ombuds), Some(body))
            .await;
        assert_eq!(a.status, 422, "{path}: {}", a.body);
        assert_eq!(a.json()["fields"][0]["field"], field, "{path}");
    }
    let v = w
        .app
        .api(
            Method::GET,
            &format!("/investigations/{id}"),
            Some(&w.ombuds),
            None,
        )
        .await
        .json();
    assert_eq!(v["questions"], json!([]));
    assert_eq!(v["findings"], Value::Null);
    assert_eq!(v["recommendations"], json!([]));
}

#[tokio::test]
async fn outsiders_get_404_staff_elsewhere_403_and_enforcement_the_firewall() {
    let w = world().await;
    let r = report(&w.app, &w.ombuds).await;
    let c = case(&w.app, &w.ombuds).await;
    let ngo_case = case(&w.app, &w.worker).await;
    let id = id_of(
        &w.app
            .api(
                Method::POST,
                "/investigations",
                Some(&w.ombuds),
                Some(taken_up("case", &c)),
            )
            .await,
    );
    // Another office takes up this office's report or case: 404, as for an id that does not
    // exist; this office takes up another organisation's case: 404 too.
    let missing = uuid::Uuid::now_v7().to_string();
    for (who, kind, subject) in [
        (&w.other, "report", r.as_str()),
        (&w.other, "case", c.as_str()),
        (&w.other, "report", missing.as_str()),
        (&w.ombuds, "case", ngo_case.as_str()),
        (&w.ombuds, "referral", missing.as_str()),
    ] {
        let a = w
            .app
            .api(
                Method::POST,
                "/investigations",
                Some(who),
                Some(taken_up(kind, subject)),
            )
            .await;
        assert_eq!(a.status, 404, "{kind} {subject}: {}", a.body);
        assert_eq!(a.json()["code"], "not_found");
    }
    for path in [
        format!("/investigations/{id}"),
        format!("/investigations/{missing}"),
    ] {
        let a = w.app.api(Method::GET, &path, Some(&w.other), None).await;
        assert_eq!(a.status, 404, "{}", a.body);
    }
    let a = w
        .app
        .api(
            Method::POST,
            &format!("/investigations/{id}/close"),
            Some(&w.other),
            Some(json!({"reason": "not ours"})),
        )
        .await;
    assert_eq!(a.status, 404, "{}", a.body);
    assert_eq!(
        w.app
            .page(&format!("/investigations/{id}"), Some(&w.other))
            .await
            .status,
        404
    );
    // Staff of other organisations: 403 forbidden.
    for (method, path, body) in [
        (Method::GET, "/investigations".to_string(), None),
        (Method::GET, format!("/investigations/{id}"), None),
        (
            Method::POST,
            "/investigations".to_string(),
            Some(taken_up("case", &ngo_case)),
        ),
    ] {
        let a = w.app.api(method, &path, Some(&w.worker), body).await;
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert_eq!(a.json()["code"], "forbidden");
    }
    // Immigration enforcement: the firewall on every route, whatever it sent.
    let routes = [
        (Method::GET, "/investigations".to_string(), None),
        (Method::GET, "/investigations/counts".to_string(), None),
        (Method::GET, format!("/investigations/{id}"), None),
        (Method::POST, "/investigations".to_string(), Some(json!({}))),
        (
            Method::POST,
            "/investigations".to_string(),
            Some(taken_up("case", &c)),
        ),
        (
            Method::POST,
            format!("/investigations/{id}/questions"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/investigations/{id}/findings"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/investigations/{id}/recommendations"),
            Some(json!({"text": "x"})),
        ),
        (
            Method::POST,
            format!("/investigations/{id}/close"),
            Some(json!({})),
        ),
    ];
    for (method, path, body) in routes {
        let a = w.app.api(method, &path, Some(&w.officer), body).await;
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert!(
            a.body.contains("immigration_firewall"),
            "{path}: {}",
            a.body
        );
        assert!(!a.body.contains("Removal Centre"), "{path}");
    }
    let page = w.app.page("/investigations", Some(&w.officer)).await;
    assert_eq!(page.status, 403);
    assert!(!page.body.contains("Removal Centre"));
}

#[tokio::test]
async fn the_pages_take_a_report_up_and_follow_a_recommendation() {
    let w = world().await;
    let r = report(&w.app, &w.ombuds).await;
    // The report and case pages offer the take-up button to the ombudsperson only.
    let page = w.app.page(&format!("/reports/{r}"), Some(&w.ombuds)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        attrs(&html, "#take-up-report input[name=subject_id]", "value"),
        std::slice::from_ref(&r)
    );
    assert_eq!(
        attrs(&html, "nav a[href='/investigations']", "href").len(),
        1
    );
    let c = case(&w.app, &w.ombuds).await;
    let html = w
        .app
        .page(&format!("/cases/{c}"), Some(&w.ombuds))
        .await
        .html();
    assert_eq!(select(&html, "#take-up-case button").len(), 1);
    // An incident the office recorded is taken up from its page too.
    let incident = id_of(
        &w.app
            .api(
                Method::POST,
                "/incidents",
                Some(&w.ombuds),
                Some(json!({"occurred_on": "2026-01-05", "country": "GB",
                            "place_type": "detention_centre", "kinds": ["abuse_in_detention"],
                            "affected": {"men": 1}, "source": "monitor",
                            "narrative": "Denied a doctor for three days."})),
            )
            .await,
    );
    let html = w
        .app
        .page(&format!("/incidents/{incident}"), Some(&w.ombuds))
        .await
        .html();
    assert_eq!(
        attrs(&html, "#take-up-incident input[name=subject_kind]", "value"),
        ["incident"]
    );
    assert_eq!(
        attrs(&html, "#take-up-incident input[name=subject_id]", "value"),
        std::slice::from_ref(&incident)
    );
    let ngo_report = report(&w.app, &w.worker).await;
    let html = w
        .app
        .page(&format!("/reports/{ngo_report}"), Some(&w.worker))
        .await
        .html();
    assert!(select(&html, "#take-up-report").is_empty());
    assert!(attrs(&html, "nav a[href='/investigations']", "href").is_empty());

    // The button's query fills the take-up form in.
    let page = w
        .app
        .page(
            &format!("/investigations?subject_kind=report&subject_id={r}"),
            Some(&w.ombuds),
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(
        attrs(&html, "#take-up-subject_id", "value"),
        std::slice::from_ref(&r)
    );
    assert_eq!(
        attrs(&html, "#take-up-subject_kind option[selected]", "value"),
        ["report"]
    );
    let refused = w
        .app
        .post_form(
            "/investigations",
            &w.ombuds,
            &[
                ("csrf", &w.ombuds.csrf),
                ("subject_kind", "report"),
                ("subject_id", &r),
                ("authority_name", "Home Office Removal Centre"),
                ("authority_kind", ""),
                ("summary", "Force used."),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        attrs(&refused.html(), ".error-summary a", "href"),
        ["#take-up-authority_kind"]
    );
    let posted = w
        .app
        .post_form(
            "/investigations",
            &w.ombuds,
            &[
                ("csrf", &w.ombuds.csrf),
                ("subject_kind", "report"),
                ("subject_id", &r),
                ("authority_name", "Home Office Removal Centre"),
                ("authority_kind", "detention_authority"),
                ("summary", "Force used."),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let location = posted.headers["location"]
        .to_str()
        .expect("location")
        .to_string();
    let path = location.split('?').next().expect("path").to_string();
    assert!(path.starts_with("/investigations/"), "{location}");

    // A question overdue puts this investigation first on the work list.
    let calm = id_of(
        &w.app
            .api(
                Method::POST,
                "/investigations",
                Some(&w.ombuds),
                Some(taken_up("case", &c)),
            )
            .await,
    );
    let q = w
        .app
        .post_form(
            &format!("{path}/questions"),
            &w.ombuds,
            &[
                ("csrf", &w.ombuds.csrf),
                ("text", "Send the footage."),
                ("sent_on", "2026-01-05"),
                ("reply_by", "2026-01-20"),
            ],
        )
        .await;
    assert_eq!(q.status, 303, "{}", q.body);
    let html = w.app.page("/investigations", Some(&w.ombuds)).await.html();
    let order = attrs(&html, "ul.investigations li a", "href");
    assert_eq!(order, [path.clone(), format!("/investigations/{calm}")]);
    assert_eq!(select(&html, "ul.investigations li.overdue").len(), 1);

    // A recommendation and its follow-up from the page.
    let posted = w
        .app
        .post_form(
            &format!("{path}/recommendations"),
            &w.ombuds,
            &[
                ("csrf", &w.ombuds.csrf),
                ("text", "Review the restraint policy."),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let html = w.app.page(&path, Some(&w.ombuds)).await.html();
    assert_eq!(select(&html, "ol.recommendations .state"), ["Pending"]);
    let form = attrs(&html, "ol.recommendations form", "action");
    assert_eq!(form.len(), 1);
    let refused = w
        .app
        .post_form(
            &form[0],
            &w.ombuds,
            &[("csrf", &w.ombuds.csrf), ("on", "2026-02-01")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let anchors = attrs(&refused.html(), ".error-summary a", "href");
    assert!(anchors[0].ends_with("-state"), "{anchors:?}");
    let posted = w
        .app
        .post_form(
            &form[0],
            &w.ombuds,
            &[
                ("csrf", &w.ombuds.csrf),
                ("state", "accepted"),
                ("on", "2026-02-01"),
                ("note", "Review by March."),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let html = w.app.page(&path, Some(&w.ombuds)).await.html();
    assert_eq!(select(&html, "ol.recommendations .state"), ["Accepted"]);
    assert_eq!(
        select(&html, "ol.recommendations .history li"),
        ["2026-02-01 · Accepted: Review by March."]
    );
    assert!(
        select(&html, "#close-form").is_empty(),
        "the supervisor closes"
    );
    let html = w.app.page(&path, Some(&w.chief)).await.html();
    assert_eq!(select(&html, "#close-form button").len(), 1);

    // The analyst's page: the counts, no list, no form.
    let page = w.app.page("/investigations", Some(&w.analyst)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(select(&html, "table.counts").len(), 1);
    assert!(select(&html, "ul.investigations").is_empty());
    assert!(select(&html, "#take-up-form").is_empty());
    assert!(!page.body.contains("Removal Centre"));
}
