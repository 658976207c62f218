//! The staff UI without a browser: cookies, CSRF, forms and error pages, against the real binary.

use crate::common::ui_client::*;
use crate::common::*;

#[test]
fn sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_it() {
    let server = Server::start();
    let mut c = Client::new(&server);
    assert_eq!(
        c.get("/cases").location,
        "/login",
        "signed-out users are sent to sign in"
    );
    let res = sign_in(&mut c, "caseworker@shelter.demo");
    assert_eq!((res.status, res.location.as_str()), (303, "/cases"));
    let session = res
        .set_cookies
        .iter()
        .find(|s| s.starts_with("passage="))
        .expect("session cookie");
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Strict")
            && session.contains("Path=/"),
        "{session}"
    );
    let list = c.get("/cases");
    assert_eq!(list.status, 200);
    assert!(list.body.contains("class=\"case-link\""));
    let stolen = c.cookies.clone();
    let csrf = csrf_of(&list.body);
    assert_eq!(c.post("/logout", &[("csrf", &csrf)]).location, "/login");
    // The old cookie no longer works, even if someone kept it.
    c.cookies = stolen;
    assert_eq!(c.get("/cases").location, "/login");
}

#[test]
fn forms_without_the_csrf_token_are_refused() {
    let server = Server::start();
    let mut c = Client::new(&server);
    // Sign-in without the double-submit cookie.
    let res = c.post(
        "/login",
        &[
            ("csrf", &"a".repeat(64)),
            ("email", "caseworker@shelter.demo"),
            ("password", DEMO_PASSWORD),
        ],
    );
    assert_eq!(res.status, 403);
    assert!(
        res.body.contains("<html") && res.body.contains("This form expired"),
        "a page, not JSON"
    );
    sign_in(&mut c, "caseworker@shelter.demo");
    let res = c.post(
        "/cases/new",
        &[
            ("csrf", "wrong"),
            ("given_name", "Nadia"),
            ("types", "trafficking"),
            ("stage", "transit"),
            ("summary", "s"),
        ],
    );
    assert_eq!(res.status, 403);
    let list = c.get("/cases?q=nadia");
    assert!(!list.body.contains("case-link"), "nothing was created");
}

#[test]
fn a_caseworker_registers_a_person_and_opens_a_case_from_the_form() {
    let server = Server::start();
    let mut c = Client::new(&server);
    sign_in(&mut c, "caseworker@shelter.demo");
    let form = c.get("/cases/new");
    let csrf = csrf_of(&form.body);
    // Mistakes come back as an error summary with the typed values kept.
    let bad = c.post(
        "/cases/new",
        &[
            ("csrf", &csrf),
            ("given_name", "Nadia"),
            ("date_of_birth", "2001-13"),
            ("stage", "transit"),
            ("summary", ""),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("There is a problem") && bad.body.contains("value=\"Nadia\""));
    assert!(bad.body.contains("href=\"#date_of_birth\"") && bad.body.contains("href=\"#types\""));
    let ok = c.post(
        "/cases/new",
        &[
            ("csrf", &csrf),
            ("given_name", "Nadia"),
            ("family_name", "Haddad"),
            ("date_of_birth", "2001"),
            ("citizenships", "sy lb"),
            ("types", "trafficking"),
            ("types", "gender_based_violence"),
            ("stage", "transit"),
            ("summary", "Held in a flat <b>for weeks</b>."),
        ],
    );
    assert_eq!(ok.status, 303);
    assert!(ok.location.starts_with("/cases/"));
    let page = c.get(&ok.location);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nadia Haddad") && page.body.contains("Syria, Lebanon"));
    assert!(
        page.body
            .contains("Gender-based violence, Trafficking in persons")
            || page
                .body
                .contains("Trafficking in persons, Gender-based violence")
    );
    assert!(
        page.body.contains("for weeks") && !page.body.contains("<b>for weeks</b>"),
        "narratives are escaped"
    );
}

#[test]
fn immigration_enforcement_gets_a_statistics_only_page() {
    let server = Server::start();
    let mut c = Client::new(&server);
    sign_in(&mut c, "officer@immigration.demo");
    let cases = c.get("/cases");
    assert_eq!(cases.status, 403);
    assert!(cases.body.contains("aggregate statistics only") && !cases.body.contains("case-link"));
    let stats = c.get("/stats");
    assert_eq!(stats.status, 200);
    assert!(stats.body.contains("By case type"));
}

#[test]
fn an_org_admin_adds_and_disables_users_of_their_organisation() {
    let server = Server::start();
    let mut admin = Client::new(&server);
    sign_in(&mut admin, "orgadmin@shelter.demo");
    let page = admin.get("/admin/users");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("caseworker@shelter.demo")
            && !page.body.contains("consul@consulate.demo")
    );
    let csrf = csrf_of(&page.body);
    // The administrator never sets the new person's password: the answer is a one-time link.
    let added = admin.post(
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("email", "new@shelter.demo"),
            ("display_name", "New Worker"),
            ("password", "a password the admin would choose"),
            ("roles", "caseworker"),
        ],
    );
    assert_eq!(added.status, 200, "{}", added.body);
    let marker = "<code id=\"enrol-link\">";
    let at = added.body.find(marker).expect("the enrolment link") + marker.len();
    let link = added.body[at..]
        .split('<')
        .next()
        .expect("link")
        .to_string();
    assert!(link.starts_with("/enrol/"));
    let mut new = Client::new(&server);
    assert!(
        !sign_in_with(
            &mut new,
            "new@shelter.demo",
            "a password the admin would choose"
        )
        .location
        .starts_with("/cases")
    );
    let form = new.get(&link);
    assert_eq!(form.status, 200);
    let done = new.post(
        &link,
        &[
            ("csrf", &csrf_of(&form.body)),
            ("password", "my very own password"),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(new.get(&link).status, 404, "the link is used once");
    assert_eq!(
        sign_in_with(&mut new, "new@shelter.demo", "my very own password").status,
        303
    );
    // The caseworker role waits for a second person: no case list yet.
    assert_eq!(new.get("/cases").status, 403);
    let mut supervisor = Client::new(&server);
    sign_in(&mut supervisor, "supervisor@shelter.demo");
    let grants = supervisor.get("/admin/grants");
    let row = grants
        .body
        .split("<tr>")
        .find(|r| r.contains("new@shelter.demo"))
        .expect("the pending grant");
    let approve = row
        .split("action=\"")
        .map(|r| r.split('"').next().unwrap_or_default())
        .find(|a| a.ends_with("/approve"))
        .expect("approve")
        .to_string();
    assert_eq!(
        supervisor
            .post(&approve, &[("csrf", &csrf_of(&grants.body))])
            .status,
        303
    );
    assert_eq!(new.get("/cases").status, 200);
    // The caseworker is signed in; disabling them ends that session at once.
    let mut worker = Client::new(&server);
    sign_in(&mut worker, "caseworker@shelter.demo");
    assert_eq!(worker.get("/cases").status, 200);
    let page = admin.get("/admin/users");
    let row = page
        .body
        .split("<tr>")
        .find(|r| r.contains("caseworker@shelter.demo"))
        .expect("row");
    let action = row
        .split("action=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("form action")
        .to_string();
    assert!(action.ends_with("/disable"));
    assert_eq!(admin.post(&action, &[("csrf", &csrf)]).status, 303);
    assert_eq!(worker.get("/cases").location, "/login");
    // A caseworker cannot reach the page at all.
    let mut other = Client::new(&server);
    sign_in(&mut other, "supervisor@shelter.demo");
    assert_eq!(other.get("/admin/users").status, 403);
}

#[test]
fn the_hotline_desk_escalates_emergencies_and_the_queue_handles_them() {
    let server = Server::start();
    let mut c = Client::new(&server);
    sign_in(&mut c, "intake@hotline.demo");
    let queue = c.get("/reports");
    assert_eq!(queue.status, 200);
    assert!(
        queue.body.contains("class=\"alert\""),
        "the demo emergency call is flagged"
    );
    let desk = c.get("/hotline");
    assert_eq!(desk.status, 200);
    assert!(
        desk.body.contains("accesskey=\"e\"") && desk.body.contains("accesskey=\"s\""),
        "keyboard shortcuts"
    );
    let csrf = csrf_of(&desk.body);
    let bad = c.post(
        "/hotline",
        &[
            ("csrf", &csrf),
            ("caller_type", "relative"),
            ("language", "fr"),
            ("narrative", ""),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#categories\"") && bad.body.contains("href=\"#narrative\""));
    let saved = c.post(
        "/hotline",
        &[
            ("csrf", &csrf),
            ("caller_type", "relative"),
            ("language", "fr"),
            ("urgency", "low"),
            ("categories", "child_in_danger"),
            (
                "narrative",
                "Sa nièce de 14 ans travaille la nuit dans un restaurant",
            ),
            ("child", "1"),
            ("contact", "+33 6 00 00 00 00"),
            ("callback_consent", "1"),
            ("callback_time", "after 18:00"),
        ],
    );
    assert_eq!(saved.status, 303);
    let report = c.get(&saved.location);
    assert!(
        report.body.contains("Report · Emergency"),
        "a child makes it an emergency"
    );
    let queue = c.get("/reports");
    let first = queue
        .body
        .split("class=\"report-link\"")
        .nth(1)
        .expect("a report");
    assert!(first.contains(">Emergency<"), "emergencies come first");
    let csrf = csrf_of(&report.body);
    // The redirect carries the status line (`?done=saved`); the report's own path is before it.
    let id_path = saved
        .location
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        c.post(
            &format!("{id_path}/message"),
            &[("csrf", &csrf), ("body", "We are sending someone.")]
        )
        .status,
        303
    );
    assert_eq!(
        c.post(
            &format!("{id_path}/close"),
            &[("csrf", &csrf), ("reason", "")]
        )
        .status,
        422
    );
    assert_eq!(
        c.post(
            &format!("{id_path}/close"),
            &[
                ("csrf", &csrf),
                ("reason", "referred to child protection"),
                ("confirm", "yes")
            ]
        )
        .status,
        303
    );
    assert!(
        c.get(&id_path)
            .body
            .contains("referred to child protection")
    );
    // The shelter's caseworker has no triage queue.
    let mut other = Client::new(&server);
    sign_in(&mut other, "caseworker@shelter.demo");
    assert_eq!(other.get("/reports").status, 403);
    assert_eq!(other.get(&id_path).status, 404);
}

#[test]
fn the_case_list_filters_in_its_links_and_the_follow_up_page_explains_itself() {
    let server = Server::start();
    let mut client = Client::new(&server);
    sign_in(&mut client, "supervisor@shelter.demo");
    let all = client.get("/cases");
    assert_eq!(all.status, 200);
    assert!(
        all.body.contains("<select id=\"status\" name=\"status\">"),
        "a filter form"
    );
    let open = client.get("/cases?status=open&assigned=&overdue=");
    assert_eq!(open.status, 200);
    assert!(
        open.body.contains("<option value=\"open\" selected>"),
        "the filter is kept"
    );
    let rows = open.body.matches("class=\"case-link\"").count();
    assert!(rows >= 1 && rows <= all.body.matches("class=\"case-link\"").count());
    assert!(open.body.contains("<td>Open</td>"));
    assert!(!open.body.contains("<td>Services</td>") && !open.body.contains("<td>Closed</td>"));
    let bad = client.get("/cases?risk=extreme");
    assert_eq!(bad.status, 200);
    assert!(
        bad.body.contains("risk must be one of"),
        "the mistake is named on the page"
    );
    let marker = "class=\"case-link\" href=\"/cases/";
    let at = all.body.find(marker).expect("a case link") + marker.len();
    let id = &all.body[at..at + 36];
    let page = client.get(&format!("/cases/{id}/follow-up"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Follow-up after closure") && page.body.contains("sustainab"));
}
