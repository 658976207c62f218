//! Case work end to end against the real binary and its demo world: the task list contract
//! (`GET /api/v1/tasks?assigned=me&overdue=true`), needs, plan, notes, services and the
//! dashboard over the API, the firewall, and the task and note forms of the UI.

use crate::common::ui_client::*;
use crate::common::*;
use serde_json::{Value, json};

/// PUT with a JSON body (the shared `call` knows GET, POST and DELETE).
fn put(url: &str, token: &str, body: Value) -> (u16, Value) {
    let mut res = agent()
        .put(url)
        .header("Authorization", &format!("Bearer {token}"))
        .send_json(body)
        .expect("request");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn titles(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|t| t["title"].as_str().expect("title").to_string())
        .collect()
}

/// Today (UTC) plus `offset` days, YYYY-MM-DD.
fn day(offset: i64) -> String {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64;
    passage_core::casework::calendar::Day::from_unix_ms(now_ms)
        .plus_days(offset)
        .to_string()
}

const OVERDUE_DEMO_TASK: &str = "Call the Law Centre about the wage claim";
/// The reminder of the demo victim's permit, expiring in 45 days: due 15 days ago.
const PERMIT_REMINDER: &str = "Permit expires on ";

/// The demo's overdue tasks: the permit's reminder (due first), then the Law Centre call.
fn demo_overdue(list: &Value) -> bool {
    let t = titles(list);
    t.len() == 2 && t[0].starts_with(PERMIT_REMINDER) && t[1] == OVERDUE_DEMO_TASK
}

#[test]
fn the_task_list_contract() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let supervisor = server.token("supervisor@shelter.demo");
    let tasks = |query: &str, token: &str| {
        call(
            "GET",
            &server.url(&format!("/api/v1/tasks{query}")),
            Some(token),
            None,
        )
    };

    // My overdue tasks: the demo's overdue ones, each with case, title, due date and assignee.
    let (status, overdue) = tasks("?assigned=me&overdue=true", &worker);
    assert_eq!(status, 200, "{overdue}");
    assert!(demo_overdue(&overdue), "{overdue}");
    assert_eq!(overdue[0]["assignee_name"], "Carla Caseworker");
    let first = &overdue[1];
    assert_eq!(first["overdue"], true);
    assert_eq!(first["assignee_name"], "Carla Caseworker");
    assert!(first["case_id"].is_string() && first["assigned_to"].is_string());
    let due = first["due_on"].as_str().expect("due date");
    assert_eq!(
        (due.len(), &due[4..5], &due[7..8]),
        (10, "-", "-"),
        "YYYY-MM-DD"
    );
    let case = first["case_id"].as_str().expect("case").to_string();

    // All my open tasks: the overdue one first, then by due date.
    let (status, mine) = tasks("?assigned=me", &worker);
    assert_eq!(status, 200);
    let mine_titles = titles(&mine);
    assert!(
        mine_titles[0].starts_with(PERMIT_REMINDER),
        "{mine_titles:?}"
    );
    assert_eq!(mine_titles[1], OVERDUE_DEMO_TASK);
    // The demo's three, the deadline of the demo worker's wage claim, the reminder of the
    // demo victim's permit and the preparation of the trial hearing next week.
    assert_eq!(mine_titles.len(), 6, "{mine_titles:?}");
    assert!(
        mine_titles.contains(&"Claim deadline: labour court claim".to_string()),
        "a claim's deadline is on the work list: {mine_titles:?}"
    );
    assert!(
        mine_titles
            .iter()
            .any(|t| t.starts_with("Prepare the person for the trial hearing on ")),
        "a hearing's preparation is on the work list: {mine_titles:?}"
    );
    assert!(
        !mine_titles.contains(&"Review the risk assessment".to_string()),
        "only tasks assigned to me"
    );
    let dues: Vec<&str> = mine.as_array().expect("array")[2..]
        .iter()
        .map(|t| t["due_on"].as_str().expect("due"))
        .collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{dues:?}");
    assert_eq!(
        tasks("", &worker),
        (200, mine.clone()),
        "no filter is assigned=me"
    );

    // overdue=true alone: the organisation's overdue tasks, for supervisors only.
    let (status, org) = tasks("?overdue=true", &supervisor);
    assert_eq!(status, 200);
    assert!(demo_overdue(&org), "{org}");
    let (status, body) = tasks("?overdue=true", &worker);
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));

    // Anything else is refused plainly.
    for bad in [
        "?assigned=carla",
        "?assigned=",
        "?overdue=yes",
        "?assigned=me&page=2",
    ] {
        let (status, body) = tasks(bad, &worker);
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("invalid_query")),
            "{bad}"
        );
    }
    let (status, _) = call("GET", &server.url("/api/v1/tasks?assigned=me"), None, None);
    assert_eq!(status, 401);
    let officer = server.token("officer@immigration.demo");
    for q in ["?assigned=me&overdue=true", "?assigned=me", "?overdue=true"] {
        let (status, body) = tasks(q, &officer);
        assert_eq!(status, 403, "{q}");
        assert!(body.to_string().contains("aggregate statistics only"));
    }

    // A new task due yesterday joins the overdue list; completing it with a stale version is
    // refused, with the right version it leaves the list.
    let yesterday = day(-1);
    let (status, created) = call(
        "POST",
        &server.url(&format!("/api/v1/cases/{case}/tasks")),
        Some(&worker),
        Some(json!({"title": "Send the wage calculation", "due_on": yesterday})),
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        (created["overdue"].as_bool(), created["version"].as_i64()),
        (Some(true), Some(1))
    );
    let (_, overdue) = tasks("?assigned=me&overdue=true", &worker);
    assert!(titles(&overdue).contains(&"Send the wage calculation".to_string()));
    let id = created["id"].as_str().expect("id");
    let complete = |version: i64| {
        call(
            "POST",
            &server.url(&format!("/api/v1/tasks/{id}/complete")),
            Some(&worker),
            Some(json!({ "version": version })),
        )
    };
    let (status, body) = complete(5);
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("version_conflict"))
    );
    let (status, done) = complete(1);
    assert_eq!((status, done["done"].as_bool()), (200, Some(true)));
    let (_, overdue) = tasks("?assigned=me&overdue=true", &worker);
    assert!(demo_overdue(&overdue), "{overdue}");
}

#[test]
fn needs_plan_notes_services_and_dashboard_over_the_api() {
    let server = Server::start();
    let worker = server.token("caseworker@shelter.demo");
    let supervisor = server.token("supervisor@shelter.demo");
    let consul = server.token("consul@consulate.demo");
    let officer = server.token("officer@immigration.demo");
    let (_, cases) = call("GET", &server.url("/api/v1/cases"), Some(&worker), None);
    let case_of = |given: &str| {
        cases
            .as_array()
            .expect("cases")
            .iter()
            .find(|c| c["person_name"].as_str().unwrap_or("").starts_with(given))
            .and_then(|c| c["id"].as_str())
            .expect("demo case")
            .to_string()
    };
    let maria = case_of("María José");
    let maricel = case_of("Maricel");
    let url = |case: &str, part: &str| server.url(&format!("/api/v1/cases/{case}/{part}"));

    // Needs: the demo's are there; a stale write is refused and nothing is lost.
    let (status, needs) = call("GET", &url(&maria, "needs"), Some(&worker), None);
    assert_eq!(status, 200);
    let legal = needs
        .as_array()
        .expect("needs")
        .iter()
        .find(|n| n["domain"] == "legal")
        .expect("legal need")
        .clone();
    let version = legal["version"].as_i64().expect("version");
    let change = json!({"domain": "legal", "urgency": "emergency", "description": "Hearing on Monday", "met": false, "version": version});
    let (status, changed) = put(&url(&maria, "needs"), &worker, change.clone());
    assert_eq!(
        (status, changed["version"].as_i64()),
        (200, Some(version + 1))
    );
    let (status, body) = put(&url(&maria, "needs"), &supervisor, change);
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("version_conflict"))
    );
    let (status, body) = put(
        &url(&maria, "needs"),
        &worker,
        json!({"domain": "legal", "urgency": "soon"}),
    );
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed"))
    );
    assert_eq!(body["fields"][0]["field"], "urgency");

    // The plan: an item for the need, then done with its version.
    let (status, item) = call(
        "POST",
        &url(&maria, "plan"),
        Some(&worker),
        Some(
            json!({"domain": "legal", "goal": "Be ready for the hearing", "due_on": "2031-01-15"}),
        ),
    );
    assert_eq!((status, item["domain"].as_str()), (201, Some("legal")));
    let (status, updated) = call(
        "POST",
        &server.url(&format!(
            "/api/v1/plan-items/{}",
            item["id"].as_str().expect("id")
        )),
        Some(&worker),
        Some(
            json!({"domain": "legal", "goal": "Be ready for the hearing", "done": true, "version": 1}),
        ),
    );
    assert_eq!((status, updated["done"].as_bool()), (200, Some(true)));
    assert_eq!(
        updated["due_on"],
        Value::Null,
        "an update replaces every field"
    );

    // Notes: the shelter reads all three demo notes; the consulate none, not even of the case
    // referred to it (it reads the referral, never the case).
    let (status, notes) = call("GET", &url(&maria, "notes"), Some(&worker), None);
    assert_eq!((status, notes.as_array().map(Vec::len)), (200, Some(3)));
    for case in [&maria, &maricel] {
        let (status, _) = call("GET", &url(case, "notes"), Some(&consul), None);
        assert_eq!(status, 404, "never the case's notes");
        let (status, _) = call(
            "POST",
            &url(case, "notes"),
            Some(&consul),
            Some(json!({"body": "Passport renewal booked"})),
        );
        assert_eq!(status, 404, "never a note on the case");
    }

    // Services: never in the future.
    let (status, body) = call(
        "POST",
        &url(&maria, "services"),
        Some(&worker),
        Some(json!({"service_type": "legal", "provider": "Law Centre", "delivered_on": day(1)})),
    );
    assert_eq!(
        (status, body["fields"][0]["code"].as_str()),
        (422, Some("in_the_future"))
    );
    let (status, _) = call(
        "POST",
        &url(&maria, "services"),
        Some(&worker),
        Some(
            json!({"service_type": "legal", "provider": "Law Centre", "delivered_on": "2024-05-02"}),
        ),
    );
    assert_eq!(status, 201);
    let (_, services) = call("GET", &url(&maria, "services"), Some(&worker), None);
    assert_eq!(services.as_array().map(Vec::len), Some(4));

    // The dashboard is the supervisor's.
    let (status, d) = call(
        "GET",
        &server.url("/api/v1/dashboard"),
        Some(&supervisor),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(
        d["overdue_task_count"], 2,
        "the Law Centre call and the permit's reminder"
    );
    let carla = d["caseload"]
        .as_array()
        .expect("caseload")
        .iter()
        .find(|c| c["name"] == "Carla Caseworker")
        .expect("the caseworker's load");
    assert_eq!(carla["total"], 5);
    for token in [&worker, &consul, &officer] {
        let (status, _) = call("GET", &server.url("/api/v1/dashboard"), Some(token), None);
        assert_eq!(status, 403);
    }

    // Immigration enforcement reads and writes none of it.
    for part in ["needs", "plan", "tasks", "notes", "services"] {
        let (status, body) = call("GET", &url(&maria, part), Some(&officer), None);
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("not_found")),
            "{part}"
        );
    }
    let (status, _) = call(
        "POST",
        &url(&maria, "notes"),
        Some(&officer),
        Some(json!({"body": "x"})),
    );
    assert_eq!(status, 404);
    let (status, _) = put(
        &url(&maria, "needs"),
        &officer,
        json!({"domain": "legal", "urgency": "low"}),
    );
    assert_eq!(status, 404);
}

/// The first `/cases/ID/tasks` link of a page.
fn case_tasks_link(html: &str) -> String {
    let at = html.find("href=\"/cases/").expect("a case link") + "href=\"".len();
    let end = html[at..].find('"').expect("link end") + at;
    html[at..end].to_string()
}

#[test]
fn my_tasks_and_a_task_added_by_form_without_javascript() {
    let server = Server::start();
    let mut c = Client::sign_in(&server, "caseworker@shelter.demo");
    let mine = c.get("/tasks");
    assert_eq!(mine.status, 200);
    assert!(
        mine.body.contains("href=\"/tasks\""),
        "My tasks in the header"
    );
    assert!(
        !mine.body.contains("href=\"/dashboard\""),
        "no dashboard for a caseworker"
    );
    let overdue_at = mine
        .body
        .find(OVERDUE_DEMO_TASK)
        .expect("overdue task listed");
    assert!(
        overdue_at
            < mine
                .body
                .find("Book a Spanish interpreter")
                .expect("other task"),
        "overdue first"
    );
    assert!(mine.body[overdue_at..].contains("class=\"overdue\">overdue"));
    let tasks_url = case_tasks_link(&mine.body[overdue_at..]);
    assert!(tasks_url.ends_with("/tasks"), "{tasks_url}");

    let page = c.get(&tasks_url);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("class=\"case-nav\""),
        "the case sections"
    );
    let csrf = csrf_of(&page.body);
    // Without the token nothing happens.
    let forged = c.post(
        &tasks_url,
        &[("csrf", "x"), ("title", "Forged"), ("due_on", "2031-01-01")],
    );
    assert_eq!(forged.status, 403);
    // A mistake comes back with the typed values and a summary linked to the fields.
    let bad = c.post(
        &tasks_url,
        &[
            ("csrf", &csrf),
            ("title", "Phone the school"),
            ("due_on", "next week"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("There is a problem") && bad.body.contains("href=\"#task-due_on\""));
    assert!(bad.body.contains("value=\"Phone the school\""));
    let ok = c.post(
        &tasks_url,
        &[
            ("csrf", &csrf),
            ("title", "Phone the school"),
            ("due_on", "2031-01-01"),
            ("assignee", ""),
        ],
    );
    assert_eq!(
        (ok.status, ok.location.as_str()),
        (
            303,
            format!("{tasks_url}?done=feedback-task-added").as_str()
        )
    );
    let after = c.get(&tasks_url);
    assert!(after.body.contains("Phone the school") && !after.body.contains("Forged"));

    // Done from "My tasks" goes back there, and the task is gone from the list.
    let mine = c.get("/tasks");
    let at = mine.body.find("Phone the school").expect("listed");
    let form_at = mine.body[at..].find("action=\"").expect("its form") + at + "action=\"".len();
    let action =
        mine.body[form_at..mine.body[form_at..].find('"').expect("end") + form_at].to_string();
    let done = c.post(
        &action,
        &[("csrf", &csrf), ("version", "1"), ("back", "/tasks")],
    );
    assert_eq!(
        (done.status, done.location.as_str()),
        (303, "/tasks?done=saved")
    );
    assert!(!c.get("/tasks").body.contains("Phone the school"));

    // A sensitive note by form shows for its author.
    let notes_url = tasks_url.replace("/tasks", "/notes");
    let res = c.post(
        &notes_url,
        &[
            ("csrf", &csrf),
            ("confidentiality", "sensitive"),
            ("body", "Asked us not to call her brother"),
        ],
    );
    assert_eq!(res.status, 303);
    let notes = c.get(&notes_url);
    assert!(
        notes.body.contains("Asked us not to call her brother")
            && notes.body.contains(">Sensitive<")
    );
}

#[test]
fn the_dashboard_page_is_for_supervisors() {
    let server = Server::start();
    let mut sup = Client::sign_in(&server, "supervisor@shelter.demo");
    let page = sup.get("/dashboard");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("href=\"/dashboard\""),
        "Dashboard in the header"
    );
    assert!(page.body.contains("Carla Caseworker") && page.body.contains(OVERDUE_DEMO_TASK));
    let mut worker = Client::sign_in(&server, "caseworker@shelter.demo");
    let refused = worker.get("/dashboard");
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains(OVERDUE_DEMO_TASK));
    let mut officer = Client::sign_in(&server, "officer@immigration.demo");
    assert_eq!(officer.get("/tasks").status, 403);
    assert_eq!(officer.get("/dashboard").status, 403);
}
