//! Handing a report over to the competent organisation (issue 14), through the API and the
//! report page: who may be chosen, what the sender keeps, what the receiver sees, and what the
//! firewall answers.

use crate::harness::*;
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

struct Net {
    app: App,
    desk: User,
    inspector: User,
    officer: User,
    inspectorate: uuid::Uuid,
    immigration: uuid::Uuid,
    consulate: uuid::Uuid,
    hotline: uuid::Uuid,
}

async fn net() -> Net {
    let app = App::new().await;
    let hotline = app.org(OrgKind::Hotline, "City Helpline").await;
    let inspectorate = app
        .org(OrgKind::LabourInspectorate, "Labour Inspectorate")
        .await;
    let immigration = app
        .org(OrgKind::ImmigrationEnforcement, "Border Force")
        .await;
    let consulate = app.org(OrgKind::Consulate, "Consulate").await;
    let desk = app.member(hotline, "desk@h.test", &[Role::Intake]).await;
    let inspector = app
        .member(
            inspectorate,
            "inspector@l.test",
            &[Role::Inspector, Role::Intake],
        )
        .await;
    let officer = app
        .member(immigration, "officer@i.test", &[Role::Analyst])
        .await;
    Net {
        app,
        desk,
        inspector,
        officer,
        inspectorate,
        immigration,
        consulate,
        hotline,
    }
}

async fn call(n: &Net, narrative: &str) -> String {
    let a = n
        .app
        .api(
            Method::POST,
            "/reports",
            Some(&n.desk),
            Some(
                json!({"caller_type": "victim", "language": "en", "categories": ["unpaid_wages"],
                        "narrative": narrative}),
            ),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()["id"].as_str().expect("id").to_string()
}

fn field_codes(v: &Value) -> Vec<String> {
    v["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|e| e["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_api_hands_a_report_over_and_lists_only_allowed_targets() {
    let n = net().await;
    let id = call(&n, "Unpaid for four months at the farm").await;
    let targets = n
        .app
        .api(
            Method::GET,
            &format!("/reports/{id}/hand-over-targets"),
            Some(&n.desk),
            None,
        )
        .await;
    assert_eq!(targets.status, 200, "{}", targets.body);
    let names: Vec<String> = targets
        .json()
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["name"].as_str().map(str::to_string))
        .collect();
    assert_eq!(names, vec!["Labour Inspectorate".to_string()]);

    let moved = n
        .app
        .api(
            Method::POST,
            &format!("/reports/{id}/hand-over"),
            Some(&n.desk),
            Some(json!({"organisation_id": n.inspectorate, "reason": "Wage theft is the inspectorate's"})),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let v = moved.json();
    assert_eq!(v["status"], "handed_over");
    assert_eq!(v["organisation_name"], "Labour Inspectorate");
    assert_eq!(v["organisation_id"], json!(n.inspectorate));

    // The sender's read answers as for a report that never existed.
    let gone = n
        .app
        .api(Method::GET, &format!("/reports/{id}"), Some(&n.desk), None)
        .await;
    assert_eq!(gone.status, 404);
    let missing = n
        .app
        .api(
            Method::GET,
            "/reports/01900000-0000-7000-8000-000000000000",
            Some(&n.desk),
            None,
        )
        .await;
    assert_eq!(gone.json()["code"], missing.json()["code"]);
    // The receiver reads it as new.
    let seen = n
        .app
        .api(
            Method::GET,
            &format!("/reports/{id}"),
            Some(&n.inspector),
            None,
        )
        .await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!(seen.json()["status"], "new");
}

#[tokio::test]
async fn a_refused_target_is_a_structured_422_and_nothing_moves() {
    let n = net().await;
    let id = call(&n, "My passport was taken").await;
    let path = format!("/reports/{id}/hand-over");
    for (target, code) in [
        (json!(n.immigration), "immigration_firewall"),
        (json!(n.consulate), "handover_not_allowed"),
        (json!(n.hotline), "handover_not_allowed"),
        (json!(uuid::Uuid::now_v7()), "unknown_organisation"),
        (json!("not-an-id"), "invalid_id"),
    ] {
        let a = n
            .app
            .api(
                Method::POST,
                &path,
                Some(&n.desk),
                Some(json!({"organisation_id": target, "reason": "because"})),
            )
            .await;
        assert_eq!(a.status, 422, "{target}: {}", a.body);
        assert_eq!(field_codes(&a.json()), vec![code.to_string()], "{}", a.body);
        assert!(!a.body.contains("passport"), "{}", a.body);
    }
    let a = n
        .app
        .api(
            Method::POST,
            &path,
            Some(&n.desk),
            Some(json!({"organisation_id": n.inspectorate, "reason": ""})),
        )
        .await;
    assert_eq!(a.status, 422);
    assert_eq!(field_codes(&a.json()), vec!["required".to_string()]);
    let a = n
        .app
        .api(
            Method::POST,
            &path,
            Some(&n.desk),
            Some(json!({"organisation_id": n.inspectorate, "reason": "x", "extra": 1})),
        )
        .await;
    assert_eq!(
        (a.status, a.json()["code"].clone()),
        (422, json!("invalid_body"))
    );
    let still = n
        .app
        .api(Method::GET, &format!("/reports/{id}"), Some(&n.desk), None)
        .await;
    assert_eq!(still.status, 200);
}

#[tokio::test]
async fn immigration_enforcement_gets_the_same_404_for_a_real_and_a_missing_report() {
    let n = net().await;
    let id = call(&n, "They threaten to call the police").await;
    let missing = "01900000-0000-7000-8000-000000000000";
    let mut answers = Vec::new();
    for report in [id.as_str(), missing] {
        let a = n
            .app
            .api(
                Method::POST,
                &format!("/reports/{report}/hand-over"),
                Some(&n.officer),
                Some(json!({"organisation_id": n.immigration, "reason": "enforcement"})),
            )
            .await;
        let t = n
            .app
            .api(
                Method::GET,
                &format!("/reports/{report}/hand-over-targets"),
                Some(&n.officer),
                None,
            )
            .await;
        answers.push((a.status, a.json()["code"].clone(), t.status));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, 404);
}

#[tokio::test]
async fn the_report_page_hands_over_after_a_confirmation_and_the_queues_show_it() {
    let n = net().await;
    let id = call(&n, "We sleep in the warehouse").await;
    let page = n.app.page(&format!("/reports/{id}"), Some(&n.desk)).await;
    assert_eq!(page.status, 200);
    let html = page.html();
    assert_eq!(
        select(&html, "#handover select option"),
        vec![
            "Choose an organisation".to_string(),
            "Labour Inspectorate".to_string()
        ]
    );
    assert_eq!(
        attrs(&html, "#handover button.danger", "type"),
        vec!["submit".to_string()]
    );
    let path = format!("/reports/{id}/hand-over");
    let org = n.inspectorate.to_string();

    // No reason: the form again with the problem, nothing moved.
    let a = n
        .app
        .post_form(
            &path,
            &n.desk,
            &[
                ("csrf", &n.desk.csrf),
                ("organisation_id", &org),
                ("reason", " "),
            ],
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(select(&a.html(), ".error-summary li").len(), 1);
    // Immigration enforcement, forged into the form: refused, nothing moved.
    let a = n
        .app
        .post_form(
            &path,
            &n.desk,
            &[
                ("csrf", &n.desk.csrf),
                ("organisation_id", &n.immigration.to_string()),
                ("reason", "forged"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    // Without the confirmation the server asks for it and moves nothing.
    let ask = n
        .app
        .post_form(
            &path,
            &n.desk,
            &[
                ("csrf", &n.desk.csrf),
                ("organisation_id", &org),
                ("reason", "Housing at work: inspectorate"),
            ],
        )
        .await;
    assert_eq!(ask.status, 200, "{}", ask.body);
    let html = ask.html();
    assert!(select(&html, "#confirm-h")[0].contains("Labour Inspectorate"));
    assert_eq!(
        attrs(&html, "section.confirm input[name=confirm]", "value"),
        vec!["yes".to_string()]
    );
    assert_eq!(select(&html, "section.confirm button.danger").len(), 1);
    assert_eq!(
        n.app
            .page(&format!("/reports/{id}"), Some(&n.desk))
            .await
            .status,
        200
    );
    // Confirmed: handed over, back to the queue with the status line and a stub.
    let done = n
        .app
        .post_form(
            &path,
            &n.desk,
            &[
                ("csrf", &n.desk.csrf),
                ("organisation_id", &org),
                ("reason", "Housing at work: inspectorate"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.location.as_deref(),
        Some("/reports?done=handover-done")
    );
    let queue = n
        .app
        .page("/reports?done=handover-done", Some(&n.desk))
        .await;
    let html = queue.html();
    assert!(select(&html, "p.notice")[0].contains("handed over"));
    let stubs = select(&html, "#handed-over li");
    assert_eq!(stubs.len(), 1);
    assert!(stubs[0].contains("Labour Inspectorate"), "{}", stubs[0]);
    assert!(!queue.body.contains("warehouse") && !queue.body.contains("Housing at work"));
    assert!(select(&html, "a.report-link").is_empty());
    assert_eq!(
        n.app
            .page(&format!("/reports/{id}"), Some(&n.desk))
            .await
            .status,
        404
    );
    // The receiver: marked in its queue, and the report says from whom and why.
    let theirs = n.app.page("/reports", Some(&n.inspector)).await;
    let marks = select(&theirs.html(), ".handed-over");
    assert_eq!(marks.len(), 1);
    assert!(marks[0].contains("City Helpline"), "{}", marks[0]);
    let report = n
        .app
        .page(&format!("/reports/{id}"), Some(&n.inspector))
        .await;
    assert_eq!(report.status, 200);
    let came = select(&report.html(), "p.handed-over");
    assert!(came[0].contains("City Helpline") && came[0].contains("Housing at work"));
}
