//! The service directory through the router: the API contract (field names, filters that
//! combine), the staff pages (capacity in two clicks, "full" in words, 422 with the fields on
//! impossible figures), the public finder (public entries only, in Arabic right to left, never a
//! confidential address, no script needed), and the firewall (enforcement neither lists services
//! nor reads the directory).

use crate::harness::{App, User, attrs, select};
use axum::http::Method;
use passage_core::{OrgKind, Role};
use serde_json::{Value, json};

const SECRET_ADDRESS: &str = "7 Quiet Row, Sheffield";

struct World {
    app: App,
    shelter_admin: User,
    shelter_staff: User,
    helpline: User,
    officer: User,
    shelter_id: String,
}

fn shelter() -> Value {
    json!({
        "name": "Night shelter",
        "type": "shelter",
        "country": "GB",
        "languages": ["en", "ar"],
        "sex": "women",
        "status_blind": true,
        "contact": "+44 114 496 0000",
        "address": SECRET_ADDRESS,
        "public": true
    })
}

async fn world() -> World {
    let app = App::new().await;
    let org = app.org(OrgKind::ServiceProvider, "Safe Harbour").await;
    let shelter_admin = app
        .member(org, "admin@shelter.test", &[Role::OrgAdmin])
        .await;
    let shelter_staff = app
        .member(org, "staff@shelter.test", &[Role::Caseworker])
        .await;
    let hotline = app.org(OrgKind::Hotline, "Helpline").await;
    let helpline = app
        .member(
            hotline,
            "admin@helpline.test",
            &[Role::OrgAdmin, Role::Intake],
        )
        .await;
    let officer = app
        .user(
            OrgKind::ImmigrationEnforcement,
            "officer@border.test",
            Role::ALL,
        )
        .await;
    let made = app
        .api(
            Method::POST,
            "/services",
            Some(&shelter_admin),
            Some(shelter()),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let shelter_id = made.json()["id"].as_str().expect("id").to_string();
    let legal = app
        .api(
            Method::POST,
            "/services",
            Some(&helpline),
            Some(json!({
                "name": "Advice line",
                "type": "legal_aid",
                "country": "GB",
                "other_countries": ["IE"],
                "languages": ["en", "tl"],
                "address": "2 Market Street",
                "address_public": true
            })),
        )
        .await;
    assert_eq!(legal.status, 201, "{}", legal.body);
    World {
        app,
        shelter_admin,
        shelter_staff,
        helpline,
        officer,
        shelter_id,
    }
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|s| s["name"].as_str().expect("name").to_string())
        .collect()
}

#[tokio::test]
async fn the_api_answers_the_contract_and_its_filters_combine() {
    let w = world().await;
    let app = &w.app;
    let cap = app
        .api(
            Method::POST,
            &format!("/services/{}/capacity", w.shelter_id),
            Some(&w.shelter_staff),
            Some(json!({"free": 3, "total": 12, "version": 0})),
        )
        .await;
    assert_eq!(cap.status, 200, "{}", cap.body);

    let all = app
        .api(
            Method::GET,
            "/services?type=shelter&country=GB&language=ar",
            Some(&w.helpline),
            None,
        )
        .await;
    assert_eq!(all.status, 200, "{}", all.body);
    let list = all.json();
    assert_eq!(names(&list), ["Night shelter"]);
    let entry = &list[0];
    for field in [
        "id",
        "organisation_id",
        "name",
        "type",
        "country",
        "languages",
        "capacity",
    ] {
        assert!(entry.get(field).is_some(), "{field} missing: {entry}");
    }
    assert_eq!(entry["type"], "shelter");
    assert_eq!(entry["country"], "GB");
    assert_eq!(entry["languages"], json!(["ar", "en"]));
    assert_eq!(entry["capacity"]["free"], 3);
    assert_eq!(entry["capacity"]["total"], 12);
    assert_eq!(entry["capacity"]["full"], false);
    assert!(entry["capacity"]["updated_at"].as_i64().expect("ms") > 0);
    assert_eq!(
        entry["address"],
        Value::Null,
        "another organisation never gets a confidential address"
    );

    let helpline = &w.helpline;
    let query = |q: &'static str| async move {
        let a = app.api(Method::GET, q, Some(helpline), None).await;
        assert_eq!(a.status, 200, "{q}: {}", a.body);
        names(&a.json())
    };
    assert_eq!(query("/services").await, ["Advice line", "Night shelter"]);
    assert_eq!(query("/services?type=legal_aid").await, ["Advice line"]);
    assert_eq!(query("/services?country=IE").await, ["Advice line"]);
    assert_eq!(query("/services?language=tl").await, ["Advice line"]);
    assert!(query("/services?type=shelter&language=tl").await.is_empty());
    assert!(query("/services?country=FR").await.is_empty());
    let advice = app
        .api(
            Method::GET,
            "/services?type=legal_aid",
            Some(&w.helpline),
            None,
        )
        .await
        .json();
    assert_eq!(advice[0]["capacity"], Value::Null, "no figure is null");
    assert_eq!(advice[0]["address"], "2 Market Street");

    let own = app
        .api(
            Method::GET,
            &format!("/services/{}", w.shelter_id),
            Some(&w.shelter_staff),
            None,
        )
        .await;
    assert_eq!(
        own.json()["address"],
        SECRET_ADDRESS,
        "its own staff see it"
    );

    let bad = app
        .api(Method::GET, "/services?type=spa", Some(&w.helpline), None)
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["code"], "invalid_query");
}

#[tokio::test]
async fn impossible_figures_and_bad_entries_are_422_with_their_fields() {
    let w = world().await;
    let app = &w.app;
    let path = format!("/services/{}/capacity", w.shelter_id);
    for (body, field) in [
        (json!({"free": -1, "total": 12}), "free"),
        (json!({"free": 13, "total": 12}), "free"),
        (json!({"free": 1, "total": -2}), "total"),
    ] {
        let a = app
            .api(Method::POST, &path, Some(&w.shelter_staff), Some(body))
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(a.json()["code"], "validation_failed");
        assert_eq!(a.json()["fields"][0]["field"], field);
        assert_eq!(a.json()["fields"][0]["code"], "invalid_value");
    }
    let bad = app
        .api(
            Method::POST,
            "/services",
            Some(&w.shelter_admin),
            Some(json!({"name": "", "type": "spa", "country": "XX", "languages": []})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields: Vec<String> = bad.json()["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field").to_string())
        .collect();
    assert_eq!(fields, ["name", "type", "country", "languages"]);
    let stale = app
        .api(
            Method::POST,
            &path,
            Some(&w.shelter_staff),
            Some(json!({"free": 1, "total": 2, "version": 5})),
        )
        .await;
    assert_eq!(stale.status, 409);
    assert_eq!(stale.json()["code"], "version_conflict");
    let caseworker_adds = app
        .api(
            Method::POST,
            "/services",
            Some(&w.shelter_staff),
            Some(shelter()),
        )
        .await;
    assert_eq!(caseworker_adds.status, 403);
}

#[tokio::test]
async fn enforcement_lists_no_service_and_reads_no_directory() {
    let w = world().await;
    let app = &w.app;
    let made = app
        .api(Method::POST, "/services", Some(&w.officer), Some(shelter()))
        .await;
    assert_eq!(made.status, 403, "{}", made.body);
    assert_eq!(made.json()["reason"], "immigration_firewall");
    for path in [
        "/services".to_string(),
        "/services?type=shelter".to_string(),
        format!("/services/{}", w.shelter_id),
    ] {
        let a = app.api(Method::GET, &path, Some(&w.officer), None).await;
        assert_eq!(a.status, 403, "{path}: {}", a.body);
        assert_eq!(a.json()["reason"], "immigration_firewall");
        assert!(!a.body.contains(SECRET_ADDRESS) && !a.body.contains("Night shelter"));
    }
    for path in ["/directory", "/directory/mine", "/directory/new"] {
        let page = app.page(path, Some(&w.officer)).await;
        assert_eq!(page.status, 403, "{path}");
        assert!(!page.body.contains("Night shelter"));
    }
    let home = app.page("/stats", Some(&w.officer)).await;
    assert!(
        attrs(&home.html(), "nav a", "href")
            .iter()
            .all(|h| h != "/directory"),
        "no directory link for enforcement"
    );
}

#[tokio::test]
async fn staff_keep_capacity_current_in_two_clicks_and_full_is_said_in_words() {
    let w = world().await;
    let app = &w.app;
    let mine = app.page("/directory/mine", Some(&w.shelter_staff)).await;
    assert_eq!(mine.status, 200);
    let html = mine.html();
    let form = format!("form[action=\"/directory/{}/capacity/set\"]", w.shelter_id);
    assert_eq!(
        attrs(&html, &format!("{form} input[name=free]"), "value"),
        [""],
        "no figure yet"
    );
    assert_eq!(
        select(&html, &format!("{form} button[type=submit]")).len(),
        1
    );

    // Click one: the field (prefilled); click two: Save.
    let saved = app
        .post_form(
            &format!("/directory/{}/capacity/set", w.shelter_id),
            &w.shelter_staff,
            &[
                ("csrf", &w.shelter_staff.csrf),
                ("free", "1"),
                ("total", "4"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let to = saved.location.expect("redirect");
    assert!(to.starts_with("/directory/mine?done=saved"), "{to}");
    let after = app
        .page("/directory/mine?done=saved", Some(&w.shelter_staff))
        .await;
    let html = after.html();
    assert_eq!(select(&html, ".notice"), ["Saved."]);
    assert_eq!(
        attrs(&html, &format!("{form} input[name=free]"), "value"),
        ["1"],
        "prefilled with the figure"
    );
    assert_eq!(
        attrs(&html, &format!("{form} input[name=version]"), "value"),
        ["1"]
    );

    // One place taken: one button.
    let taken = app
        .post_form(
            &format!("/directory/{}/capacity/taken", w.shelter_id),
            &w.shelter_staff,
            &[("csrf", &w.shelter_staff.csrf)],
        )
        .await;
    assert_eq!(taken.status, 303, "{}", taken.body);

    // Others see "full" in words and how fresh the figure is.
    let dir = app.page("/directory?type=shelter", Some(&w.helpline)).await;
    assert_eq!(dir.status, 200);
    let html = dir.html();
    let row = format!("#service-{}", w.shelter_id);
    let places = select(&html, &format!("{row} .places"));
    assert_eq!(places, ["Full (all 4 places taken)"]);
    assert_eq!(select(&html, &format!("{row} td.capacity.full")).len(), 1);
    assert!(select(&html, &format!("{row} .fresh"))[0].starts_with("as of "));
    assert!(
        !dir.body.contains(SECRET_ADDRESS),
        "another organisation's staff never see the confidential address"
    );
    assert!(
        attrs(&html, "nav a", "href")
            .iter()
            .any(|h| h == "/directory"),
        "the directory is in the navigation"
    );

    // An impossible figure comes back as 422 with the field named.
    let wrong = app
        .post_form(
            &format!("/directory/{}/capacity/set", w.shelter_id),
            &w.shelter_staff,
            &[
                ("csrf", &w.shelter_staff.csrf),
                ("free", "9"),
                ("total", "4"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert_eq!(
        attrs(&wrong.html(), ".error-summary a", "href"),
        [format!("#free-{}", w.shelter_id)]
    );
    let negative = app
        .post_form(
            &format!("/directory/{}/capacity/set", w.shelter_id),
            &w.shelter_staff,
            &[
                ("csrf", &w.shelter_staff.csrf),
                ("free", "-1"),
                ("total", "4"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(negative.status, 422);

    // Another organisation cannot change the shelter's beds.
    let other = app
        .post_form(
            &format!("/directory/{}/capacity/freed", w.shelter_id),
            &w.helpline,
            &[("csrf", &w.helpline.csrf)],
        )
        .await;
    assert_eq!(other.status, 403);
}

#[tokio::test]
async fn an_administrator_adds_and_changes_a_service_with_the_form() {
    let w = world().await;
    let app = &w.app;
    let form = app.page("/directory/new", Some(&w.shelter_admin)).await;
    assert_eq!(form.status, 200);
    assert!(select(&form.html(), "#svc-country option").len() > 200);
    let added = app
        .post_form(
            "/directory/new",
            &w.shelter_admin,
            &[
                ("csrf", &w.shelter_admin.csrf),
                ("name", "Shelter clinic"),
                ("type", "medical"),
                ("country", "GB"),
                ("languages", "en"),
                ("languages", "es"),
                ("regions", "South Yorkshire\nDerbyshire"),
                ("public", "1"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let list = app
        .api(
            Method::GET,
            "/services?type=medical",
            Some(&w.helpline),
            None,
        )
        .await
        .json();
    assert_eq!(names(&list), ["Shelter clinic"]);
    assert_eq!(list[0]["regions"], json!(["Derbyshire", "South Yorkshire"]));
    let id = list[0]["id"].as_str().expect("id").to_string();

    let edit = app
        .page(&format!("/directory/{id}/edit"), Some(&w.shelter_admin))
        .await;
    assert_eq!(edit.status, 200);
    assert_eq!(
        attrs(&edit.html(), "#svc-name", "value"),
        ["Shelter clinic"]
    );
    let bad = app
        .post_form(
            &format!("/directory/{id}/edit"),
            &w.shelter_admin,
            &[
                ("csrf", &w.shelter_admin.csrf),
                ("name", "Shelter clinic"),
                ("type", "consular_assistance"),
                ("country", "GB"),
                ("languages", "en"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(
        attrs(&bad.html(), ".error-summary a", "href"),
        ["#svc-type"]
    );
    assert_eq!(
        attrs(&bad.html(), "#svc-name", "value"),
        ["Shelter clinic"],
        "what was typed comes back"
    );
    let caseworker = app
        .page(&format!("/directory/{id}/edit"), Some(&w.shelter_staff))
        .await;
    assert_eq!(caseworker.status, 403);
}

#[tokio::test]
async fn the_public_finder_lists_public_entries_in_arabic_without_a_confidential_address() {
    let w = world().await;
    let app = &w.app;
    // A staff-only entry of the same shelter.
    let private = app
        .api(
            Method::POST,
            "/services",
            Some(&w.shelter_admin),
            Some(json!({
                "name": "Case conference room",
                "type": "child_protection",
                "country": "GB",
                "languages": ["en"]
            })),
        )
        .await;
    assert_eq!(private.status, 201);

    let page = app.page("/services?lang=ar", None).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let html = page.html();
    assert_eq!(attrs(&html, "html", "dir"), ["rtl"]);
    assert_eq!(attrs(&html, "html", "lang"), ["ar"]);
    assert_eq!(select(&html, "h1"), ["ابحث عن خدمة"]);
    assert_eq!(select(&html, ".service h2"), ["Night shelter"]);
    assert_eq!(
        select(&html, ".service .kind")[0].split(" · ").next(),
        Some("مأوى أو بيت آمن")
    );
    assert!(
        !page.body.contains("Case conference room"),
        "staff-only entries stay off"
    );
    assert!(!page.body.contains("Advice line"), "not marked public");
    assert!(!page.body.contains(SECRET_ADDRESS));
    assert!(select(&html, "form[action=\"/services\"][method=get]").len() == 1);
    assert!(
        !page.body.contains("<script>"),
        "nothing inline needs a script"
    );

    for lang in ["en", "fr", "es"] {
        let p = app
            .page(&format!("/services?lang={lang}&type=shelter"), None)
            .await;
        assert_eq!(p.status, 200);
        assert_eq!(attrs(&p.html(), "html", "lang"), [lang]);
        assert_eq!(select(&p.html(), ".service h2"), ["Night shelter"]);
        assert!(!p.body.contains(SECRET_ADDRESS));
    }
    let none = app.page("/services?type=legal_aid", None).await;
    assert!(select(&none.html(), ".service").is_empty());

    let report = app.page("/report?lang=fr", None).await;
    assert!(
        attrs(&report.html(), "a", "href")
            .iter()
            .any(|h| h == "/services?lang=fr"),
        "the report page leads to the finder"
    );
}

#[tokio::test]
async fn an_administrator_sets_the_answer_time_on_the_own_services_page() {
    let w = world().await;
    let app = &w.app;
    let form = format!("form[action=\"/directory/{}/answer-hours\"]", w.shelter_id);
    let mine = app.page("/directory/mine", Some(&w.shelter_admin)).await;
    assert_eq!(mine.status, 200);
    assert_eq!(
        attrs(
            &mine.html(),
            &format!("{form} input[name=answer_hours]"),
            "value"
        ),
        ["72"],
        "the default answer time, prefilled"
    );
    // Staff who keep capacity do not manage the entry: no answer-time form for them.
    let staff = app.page("/directory/mine", Some(&w.shelter_staff)).await;
    assert!(select(&staff.html(), &form).is_empty());

    let saved = app
        .post_form(
            &format!("/directory/{}/answer-hours", w.shelter_id),
            &w.shelter_admin,
            &[("csrf", &w.shelter_admin.csrf), ("answer_hours", "24")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = app.page("/directory/mine", Some(&w.shelter_admin)).await;
    assert_eq!(
        attrs(
            &after.html(),
            &format!("{form} input[name=answer_hours]"),
            "value"
        ),
        ["24"]
    );

    // Nonsense and out-of-range values come back as 422 naming the field; nothing changes.
    for bad in ["a day", "0", "721"] {
        let wrong = app
            .post_form(
                &format!("/directory/{}/answer-hours", w.shelter_id),
                &w.shelter_admin,
                &[("csrf", &w.shelter_admin.csrf), ("answer_hours", bad)],
            )
            .await;
        assert_eq!(wrong.status, 422, "{bad}: {}", wrong.body);
        assert_eq!(
            attrs(&wrong.html(), ".error-summary a", "href"),
            [format!("#answer_hours-{}", w.shelter_id)],
            "{bad}"
        );
    }
    let again = app.page("/directory/mine", Some(&w.shelter_admin)).await;
    assert_eq!(
        attrs(
            &again.html(),
            &format!("{form} input[name=answer_hours]"),
            "value"
        ),
        ["24"]
    );
    // Another organisation's administrator cannot set it (the directory itself is no secret).
    let other = app
        .user(OrgKind::Ngo, "admin@other.test", &[Role::OrgAdmin])
        .await;
    let refused = app
        .post_form(
            &format!("/directory/{}/answer-hours", w.shelter_id),
            &other,
            &[("csrf", &other.csrf), ("answer_hours", "1")],
        )
        .await;
    assert!(
        refused.status == 403 || refused.status == 404,
        "{}: {}",
        refused.status,
        refused.body
    );
}
