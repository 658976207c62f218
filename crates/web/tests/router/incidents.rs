//! Incidents through the router (issue 16 item 1): the contract's body recorded as it is, 201
//! `{"id"}`; the list filtered by country and days, the caller's organisation's only and
//! without the narrative; bad input a 422 naming each field with nothing written; another
//! organisation's incident, case or report a 404 exactly like a missing one; immigration
//! enforcement refused everywhere; the pages (list, form with every field, one incident with
//! verification and link) and "record as incident" from a public report.

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

fn id_of(a: &crate::harness::Answer) -> String {
    assert!(a.status < 300, "{} {}", a.status, a.body);
    a.json()["id"].as_str().expect("id").to_string()
}

fn today(app: &App) -> String {
    app.store.clock().today().to_string()
}

fn contract(app: &App) -> Value {
    json!({
        "occurred_on": app.store.clock().today().plus_days(-2).to_string(),
        "country": "GB",
        "place_type": "street",
        "kinds": ["violence", "hate_speech"],
        "bias_motives": ["religion", "colour"],
        "perpetrator_type": "private_person",
        "affected": {"women": 2, "girls": 1},
        "source": "witness",
        "narrative": "Two women and a girl were spat at near Aldgate."
    })
}

struct World {
    app: App,
    worker: User,
    outsider: User,
    officer: User,
}

async fn world() -> World {
    let app = App::new().await;
    let worker = app
        .user(
            OrgKind::Ngo,
            "cw@ngo.test",
            &[Role::Caseworker, Role::Supervisor],
        )
        .await;
    let outsider = app
        .user(
            OrgKind::Ngo,
            "cw@other.test",
            &[Role::Caseworker, Role::Supervisor],
        )
        .await;
    let officer = app
        .user(OrgKind::ImmigrationEnforcement, "o@imm.test", Role::ALL)
        .await;
    World {
        app,
        worker,
        outsider,
        officer,
    }
}

#[tokio::test]
async fn the_contract_records_an_incident_listed_for_its_organisation_only() {
    let w = world().await;
    let app = &w.app;
    let created = app
        .api(
            Method::POST,
            "/incidents",
            Some(&w.worker),
            Some(contract(app)),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let body = created.json();
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(1),
        "only the id: {body}"
    );
    let id = id_of(&created);

    let from = app.store.clock().today().plus_days(-7).to_string();
    let q = format!("/incidents?country=GB&from={from}&to={}", today(app));
    let list = app.api(Method::GET, &q, Some(&w.worker), None).await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["kinds"], json!(["violence", "hate_speech"]));
    assert_eq!(list[0]["affected"]["girls"], 1);
    assert_eq!(list[0]["affected"]["men"], 0);
    assert_eq!(list[0]["verification"], "unverified");
    assert!(list[0].get("narrative").is_none(), "no narrative in a list");
    // Filters that exclude it.
    for q in [
        "/incidents?country=PH".to_string(),
        format!(
            "/incidents?from={}",
            app.store.clock().today().plus_days(-1)
        ),
    ] {
        let l = app.api(Method::GET, &q, Some(&w.worker), None).await.json();
        assert_eq!(l, json!([]), "{q}");
    }
    // Bad filters: 422 naming the field.
    let bad = app
        .api(
            Method::GET,
            "/incidents?country=Atlantis",
            Some(&w.worker),
            None,
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.json()["fields"][0]["field"], "country");

    let one = app
        .api(
            Method::GET,
            &format!("/incidents/{id}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(
        one["narrative"],
        "Two women and a girl were spat at near Aldgate."
    );

    // Another organisation: nothing in its list, 404 like a missing id.
    let theirs = app
        .api(Method::GET, "/incidents", Some(&w.outsider), None)
        .await;
    assert_eq!(theirs.json(), json!([]));
    let other = app
        .api(
            Method::GET,
            &format!("/incidents/{id}"),
            Some(&w.outsider),
            None,
        )
        .await;
    let missing = app
        .api(
            Method::GET,
            &format!("/incidents/{}", uuid::Uuid::now_v7()),
            Some(&w.outsider),
            None,
        )
        .await;
    assert_eq!((other.status, missing.status), (404, 404));
    assert_eq!(other.body, missing.body);
    let verify = app
        .api(
            Method::POST,
            &format!("/incidents/{id}/verification"),
            Some(&w.outsider),
            Some(json!({"status": "false_report"})),
        )
        .await;
    assert_eq!(verify.status, 404, "{}", verify.body);

    // Immigration enforcement: the firewall, before anything is read or written.
    for (method, path, body) in [
        (Method::POST, "/incidents".to_string(), Some(contract(app))),
        (Method::GET, "/incidents".to_string(), None),
        (Method::GET, format!("/incidents/{id}"), None),
        (Method::GET, "/monitoring".to_string(), None),
    ] {
        let a = app.api(method, &path, Some(&w.officer), body).await;
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert_eq!(a.json()["reason"], "immigration_firewall", "{path}");
        assert!(!a.body.contains("Aldgate"));
    }
    // A consulate's staff do not record incidents.
    let consul = app
        .user(
            OrgKind::Consulate,
            "c@consulate.test",
            &[Role::Consular, Role::Caseworker],
        )
        .await;
    let a = app
        .api(
            Method::POST,
            "/incidents",
            Some(&consul),
            Some(contract(app)),
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(a.json()["code"], "forbidden");
}

#[tokio::test]
async fn bad_input_is_a_422_naming_each_field_and_writes_nothing() {
    let w = world().await;
    let app = &w.app;
    let tomorrow = app.store.clock().today().plus_days(1).to_string();
    let mut body = contract(app);
    body["occurred_on"] = json!(tomorrow);
    body["country"] = json!("XX");
    body["place_type"] = json!("beach");
    body["kinds"] = json!(["violence", "rudeness"]);
    body["bias_motives"] = json!(["height"]);
    body["affected"] = json!({"men": -1, "boys": "many"});
    let a = app
        .api(Method::POST, "/incidents", Some(&w.worker), Some(body))
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    let fields: Vec<(String, String)> = a.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or("").to_string(),
                f["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let want = [
        ("occurred_on", "in_the_future"),
        ("country", "invalid_country"),
        ("place_type", "unknown_value"),
        ("kinds", "unknown_value"),
        ("bias_motives", "unknown_value"),
        ("affected.men", "negative_amount"),
        ("affected.boys", "invalid_value"),
    ];
    assert_eq!(
        fields,
        want.iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect::<Vec<_>>()
    );
    // One at a time too: each alone is refused.
    for (field, value) in [
        ("occurred_on", json!(tomorrow)),
        ("kinds", json!(["unknown_kind"])),
        ("kinds", json!([])),
        ("bias_motives", json!(["unknown_motive"])),
        ("place_type", json!("unknown_place")),
        ("country", json!("ZZ")),
        ("affected", json!({"unknown": -5})),
    ] {
        let mut body = contract(app);
        body[field] = value;
        let a = app
            .api(Method::POST, "/incidents", Some(&w.worker), Some(body))
            .await;
        assert_eq!(a.status, 422, "{field}: {}", a.body);
        let named = a.json()["fields"][0]["field"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(named.starts_with(field), "{field}: {}", a.body);
    }
    let list = app
        .api(Method::GET, "/incidents", Some(&w.worker), None)
        .await;
    assert_eq!(list.json(), json!([]), "nothing written");
}

#[tokio::test]
async fn a_link_to_another_organisations_case_is_a_404_like_a_missing_one() {
    let w = world().await;
    let app = &w.app;
    let id = id_of(
        &app.api(
            Method::POST,
            "/incidents",
            Some(&w.worker),
            Some(contract(app)),
        )
        .await,
    );
    let mut cases = Vec::new();
    for who in [&w.worker, &w.outsider] {
        let person = id_of(
            &app.api(
                Method::POST,
                "/persons",
                Some(who),
                Some(json!({"given_name": "Noor", "family_name": "Saleh", "citizenships": ["SY"]})),
            )
            .await,
        );
        cases.push(id_of(
            &app.api(
                Method::POST,
                "/cases",
                Some(who),
                Some(
                    json!({"person_id": person, "types": ["discrimination_xenophobic_violence"],
                            "stage": "destination", "summary": "Attacked at a bus stop."}),
                ),
            )
            .await,
        ));
    }
    let link = |case: String| {
        let path = format!("/incidents/{id}/link");
        let who = &w.worker;
        async move {
            app.api(
                Method::POST,
                &path,
                Some(who),
                Some(json!({"case_id": case})),
            )
            .await
        }
    };
    let theirs = link(cases[1].clone()).await;
    let missing = link(uuid::Uuid::now_v7().to_string()).await;
    assert_eq!(
        (theirs.status, missing.status),
        (404, 404),
        "{}",
        theirs.body
    );
    assert_eq!(theirs.body, missing.body, "the same answer: no oracle");
    let one = app
        .api(
            Method::GET,
            &format!("/incidents/{id}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(one["case_id"], Value::Null, "nothing written");
    let ours = link(cases[0].clone()).await;
    assert_eq!(ours.status, 204, "{}", ours.body);
    let one = app
        .api(
            Method::GET,
            &format!("/incidents/{id}"),
            Some(&w.worker),
            None,
        )
        .await
        .json();
    assert_eq!(one["case_id"], cases[0].as_str());
    // The page says so too, and answers 404 for another organisation's case.
    let page = app
        .post_form(
            &format!("/incidents/{id}/link"),
            &w.worker,
            &[("csrf", &w.worker.csrf), ("case_id", &cases[1])],
        )
        .await;
    assert_eq!(page.status, 404, "{}", page.body);
    assert_eq!(
        attrs(&page.html(), ".error-summary a", "href"),
        ["#link-case_id"]
    );
}

#[tokio::test]
async fn the_pages_record_show_verify_and_list_an_incident() {
    let w = world().await;
    let app = &w.app;
    let form = app.page("/incidents/new", Some(&w.worker)).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let html = form.html();
    assert_eq!(
        select(&html, "#incident-kinds input[type=checkbox]").len(),
        13
    );
    assert_eq!(
        select(&html, "#incident-bias_motives input[type=checkbox]").len(),
        12
    );
    assert_eq!(
        select(&html, "#incident-affected input[type=number]").len(),
        5
    );
    assert_eq!(select(&html, "#incident-region optgroup").len(), 2);
    assert!(select(&html, "#incident-place_type option").contains(&"Health facility".to_string()));

    // Errors: the summary links to each field, what was typed comes back.
    let tomorrow = app.store.clock().today().plus_days(1).to_string();
    let bad = app
        .post_form(
            "/incidents",
            &w.worker,
            &[
                ("csrf", &w.worker.csrf),
                ("occurred_on", &tomorrow),
                ("country", "GB"),
                ("place_type", "street"),
                ("source", "victim"),
                ("men", "-2"),
                ("narrative", "Refused a room because of his accent."),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let html = bad.html();
    assert_eq!(
        attrs(&html, ".error-summary a", "href"),
        [
            "#incident-occurred_on",
            "#incident-kinds",
            "#incident-affected-men"
        ]
    );
    assert_eq!(
        select(&html, "#incident-narrative"),
        ["Refused a room because of his accent."]
    );

    let day = app.store.clock().today().plus_days(-1).to_string();
    let ok = app
        .post_form(
            "/incidents",
            &w.worker,
            &[
                ("csrf", &w.worker.csrf),
                ("occurred_on", &day),
                ("country", "GB"),
                ("region", "north_west"),
                ("place_type", "housing"),
                ("kinds", "discrimination_housing"),
                ("kinds", "threats"),
                ("bias_motives", "language"),
                ("perpetrator_type", "landlord"),
                ("men", "1"),
                ("source", "victim"),
                ("narrative", "Refused a room because of his accent."),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let to = ok.location.clone().expect("location");
    assert!(to.starts_with("/incidents/"), "{to}");
    let path = to.split('?').next().unwrap_or("").to_string();
    let shown = app.page(&to, Some(&w.worker)).await;
    let html = shown.html();
    assert_eq!(
        select(&html, ".kinds"),
        ["Threats, Discrimination in housing"]
    );
    assert_eq!(select(&html, ".verification"), ["Unverified"]);
    assert_eq!(
        select(&html, ".narrative"),
        ["Refused a room because of his accent."]
    );
    assert!(select(&html, "dd").iter().any(|d| d.contains("North West")));

    // A supervisor verifies it.
    let v = app
        .post_form(
            &format!("{path}/verify"),
            &w.worker,
            &[("csrf", &w.worker.csrf), ("status", "verified")],
        )
        .await;
    assert_eq!(v.status, 303, "{}", v.body);
    let html = app.page(&path, Some(&w.worker)).await.html();
    assert_eq!(select(&html, ".verification"), ["Verified"]);

    // The list shows it by label; another organisation's page is 404.
    let list = app.page("/incidents?country=GB", Some(&w.worker)).await;
    let html = list.html();
    assert_eq!(select(&html, "table.incidents tbody tr").len(), 1);
    assert!(
        select(&html, "table.incidents td")
            .iter()
            .any(|t| t.contains("North West"))
    );
    assert_eq!(app.page(&path, Some(&w.outsider)).await.status, 404);
    assert_eq!(app.page("/incidents", Some(&w.officer)).await.status, 403);
    // The navigation offers incidents to recording staff, not to enforcement.
    let nav = app.page("/incidents", Some(&w.worker)).await.html();
    assert!(attrs(&nav, "header nav a", "href").contains(&"/incidents".to_string()));
}

#[tokio::test]
async fn a_public_report_opens_the_form_prefilled_and_the_incident_keeps_it() {
    let w = world().await;
    let app = &w.app;
    let hotline = app.org(OrgKind::Hotline, "Hotline").await;
    let intake = app
        .member(hotline, "intake@hotline.test", &[Role::Intake])
        .await;
    let actor = app.actor("intake@hotline.test").await;
    let call = passage_core::reports::RawHotlineReport {
        caller_type: "witness".into(),
        language: "en".into(),
        categories: vec!["discrimination".into()],
        narrative: "I saw a man beaten outside the Mile End mosque".into(),
        country: Some("GB".into()),
        ..Default::default()
    }
    .validate()
    .expect("valid");
    let report = app
        .store
        .create_hotline_report(&actor, call, &passage_core::intake::Sla::default())
        .await
        .expect("call");
    let page = app.page(&format!("/reports/{report}"), Some(&intake)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        select(&page.html(), "form.record-incident button"),
        ["Record as incident"]
    );
    let form = app
        .page(&format!("/incidents/new?report={report}"), Some(&intake))
        .await;
    assert_eq!(form.status, 200, "{}", form.body);
    let html = form.html();
    assert_eq!(
        select(&html, "#incident-narrative"),
        ["I saw a man beaten outside the Mile End mosque"]
    );
    assert_eq!(
        attrs(&html, "#incident-source option[selected]", "value"),
        ["witness"]
    );
    assert_eq!(
        attrs(&html, "#incident-country option[selected]", "value"),
        ["GB"]
    );
    let report_id = report.to_string();
    assert_eq!(
        attrs(&html, "input[name=report_id]", "value"),
        [report_id.as_str()]
    );
    // Another organisation's report, or none: 404.
    assert_eq!(
        app.page(&format!("/incidents/new?report={report}"), Some(&w.worker))
            .await
            .status,
        404
    );
    assert_eq!(
        app.page(
            &format!("/incidents/new?report={}", uuid::Uuid::now_v7()),
            Some(&intake)
        )
        .await
        .status,
        404
    );
    // Recorded, it keeps the report.
    let mut body = contract(app);
    body["report_id"] = json!(report_id);
    let id = id_of(
        &app.api(
            Method::POST,
            "/incidents",
            Some(&intake),
            Some(body.clone()),
        )
        .await,
    );
    let one = app
        .api(
            Method::GET,
            &format!("/incidents/{id}"),
            Some(&intake),
            None,
        )
        .await
        .json();
    assert_eq!(one["report_id"], report_id.as_str());
    let stolen = app
        .api(Method::POST, "/incidents", Some(&w.worker), Some(body))
        .await;
    assert_eq!(stolen.status, 404, "{}", stolen.body);
}
