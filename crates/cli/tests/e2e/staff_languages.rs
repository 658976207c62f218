//! The staff pages in the reader's language, against the real binary: `?lang=` first, then the
//! user's saved choice, then the browser's `Accept-Language`, else English; Arabic right to
//! left; vocabulary by label, never by id; each role lands on a page it can use (analysts and
//! immigration enforcement on statistics, with every individual record still refused); countries
//! and languages chosen from lists of names.

use crate::common::ui_client::*;
use crate::common::*;

/// A GET with an `Accept-Language` header, through the client's cookie jar.
fn get_accepting(c: &mut Client, path: &str, accept: &str) -> Page {
    let mut res = Client::agent()
        .get(&format!("{}{path}", c.base))
        .header("Cookie", &c.cookie_header())
        .header("Accept-Language", accept)
        .call()
        .expect("get");
    c.absorb(&mut res)
}

/// The opening `<html …>` tag of a page.
fn html_tag(body: &str) -> &str {
    let start = body.find("<html").expect("an html element");
    let end = start + body[start..].find('>').expect("end of the tag");
    &body[start..=end]
}

/// The first case on the signed-in user's list.
fn first_case(c: &mut Client) -> String {
    let list = c.get("/cases");
    let marker = "class=\"case-link\" href=\"";
    let at = list.body.find(marker).expect("a case on the list") + marker.len();
    let end = at + list.body[at..].find('"').expect("end of link");
    list.body[at..end].to_string()
}

#[test]
fn arabic_by_the_address_is_right_to_left_and_arabic() {
    let server = Server::start();
    let mut c = Client::sign_in(&server, "caseworker@shelter.demo");
    let page = c.get("/cases?lang=ar");
    assert_eq!(page.status, 200);
    assert_eq!(html_tag(&page.body), r#"<html lang="ar" dir="rtl">"#);
    // The page's own heading and the navigation, in Arabic.
    assert!(page.body.contains("<h1>الحالات</h1>"), "{}", page.body);
    assert!(page.body.contains("تسجيل الخروج"));
    // Without a choice anywhere: English, left to right.
    let en = c.get("/cases");
    assert_eq!(html_tag(&en.body), r#"<html lang="en" dir="ltr">"#);
    assert!(en.body.contains("<h1>Cases</h1>"));
}

#[test]
fn the_saved_choice_is_used_and_the_address_beats_it() {
    let server = Server::start();
    let mut c = Client::sign_in(&server, "caseworker@shelter.demo");
    let list = c.get("/cases");
    let saved = c.post(
        "/settings/language",
        &[
            ("csrf", &csrf_of(&list.body)),
            ("lang", "fr"),
            ("back", "/cases"),
        ],
    );
    assert_eq!((saved.status, saved.location.as_str()), (303, "/cases"));
    // No ?lang=, and a browser asking for Spanish: the saved French wins.
    let fr = get_accepting(&mut c, "/cases", "es");
    assert_eq!(html_tag(&fr.body), r#"<html lang="fr" dir="ltr">"#);
    assert!(fr.body.contains("<h1>Dossiers</h1>"));
    // ?lang= beats the saved choice, for that page only.
    let es = c.get("/cases?lang=es");
    assert_eq!(html_tag(&es.body), r#"<html lang="es" dir="ltr">"#);
    assert!(es.body.contains("<h1>Casos</h1>"));
    assert!(html_tag(&c.get("/tasks").body).contains(r#"lang="fr""#));
    // The choice belongs to this user only.
    let mut other = Client::sign_in(&server, "supervisor@shelter.demo");
    assert!(html_tag(&other.get("/cases").body).contains(r#"lang="en""#));
    // A language that does not exist is refused, and nothing changes; without the form's
    // token nothing is saved either.
    let bad = c.post(
        "/settings/language",
        &[("csrf", &csrf_of(&list.body)), ("lang", "xx")],
    );
    assert_eq!(bad.status, 422);
    let forged = c.post(
        "/settings/language",
        &[("csrf", &"0".repeat(64)), ("lang", "ar")],
    );
    assert_eq!(forged.status, 403);
    assert!(html_tag(&c.get("/cases").body).contains(r#"lang="fr""#));
    // Clearing the choice goes back to the browser's preference.
    c.post(
        "/settings/language",
        &[("csrf", &csrf_of(&list.body)), ("lang", "")],
    );
    assert!(
        html_tag(&get_accepting(&mut c, "/cases", "es-MX,es;q=0.9").body).contains(r#"lang="es""#)
    );
}

#[test]
fn the_browser_preference_is_used_when_nothing_is_saved() {
    let server = Server::start();
    let mut c = Client::sign_in(&server, "supervisor@shelter.demo");
    let page = get_accepting(&mut c, "/cases", "ar-LB,ar;q=0.9,en;q=0.5");
    assert_eq!(html_tag(&page.body), r#"<html lang="ar" dir="rtl">"#);
    let page = get_accepting(&mut c, "/dashboard", "de-DE, es;q=0.8");
    assert_eq!(html_tag(&page.body), r#"<html lang="es" dir="ltr">"#);
    // The sign-in page, before any session, follows the browser too.
    let mut anonymous = Client::new(&server);
    let login = get_accepting(&mut anonymous, "/login", "fr");
    assert!(html_tag(&login.body).contains(r#"lang="fr""#));
    assert!(login.body.contains("Mot de passe"));
}

#[test]
fn vocabulary_is_shown_by_label_not_by_id() {
    let server = Server::start();
    let mut c = Client::sign_in(&server, "caseworker@shelter.demo");
    let list = c.get("/cases");
    // The demo cases include labour exploitation.
    assert!(list.body.contains("Labour exploitation"), "{}", list.body);
    for id in ["labour_exploitation", "gender_based_violence", "case_plan"] {
        assert!(
            !list.body.contains(&format!(">{id}<")) && !list.body.contains(&format!("{id},")),
            "{id} shown raw on the list"
        );
    }
    // The filters keep the ids as values and show labels.
    assert!(
        list.body
            .contains(r#"<option value="labour_exploitation">Labour exploitation</option>"#)
    );
    let case = first_case(&mut c);
    let overview = c.get(&case);
    assert_eq!(overview.status, 200);
    let facts = &overview.body[overview.body.find("class=\"facts\"").expect("facts")..];
    let facts = &facts[..facts.find("</dl>").expect("end of facts")];
    assert!(!facts.contains('_'), "an id among the facts: {facts}");
    // In French, the labels are French.
    let fr = c.get("/cases?lang=fr");
    assert!(fr.body.contains("Exploitation par le travail"));
}

#[test]
fn analysts_and_enforcement_land_on_statistics_and_are_still_refused_records() {
    let server = Server::start();
    let mut worker = Client::sign_in(&server, "caseworker@shelter.demo");
    let case = first_case(&mut worker);
    assert_eq!(
        worker.get("/").location,
        "/cases",
        "case readers land on the list"
    );
    for email in ["analyst@statistics.demo", "officer@immigration.demo"] {
        let mut c = Client::new(&server);
        let signed = sign_in(&mut c, email);
        assert_eq!(signed.status, 303);
        let start = c.get(&signed.location);
        assert_eq!(start.status, 200, "{email} lands on {}", signed.location);
        let home = c.get("/");
        assert_eq!(home.status, 200, "{email}: / is a page they can use");
        assert!(
            home.body.contains("By case type"),
            "{email}: statistics at /"
        );
        assert!(!home.body.contains("case-link"));
        // The firewall still refuses every individual record.
        for path in [case.clone(), format!("{case}/person")] {
            let refused = c.get(&path);
            assert!(
                [403, 404].contains(&refused.status) && !refused.body.contains("case-nav"),
                "{email} reads {path}: {}",
                refused.status
            );
        }
        assert_eq!(c.get("/cases").status, 403);
        // The refusal is a page in the reader's language.
        let refused = c.get(&format!("{case}?lang=fr"));
        assert!(
            refused.body.contains("Non autorisé") || refused.body.contains("Introuvable"),
            "{}",
            refused.body
        );
        assert!(html_tag(&refused.body).contains(r#"lang="fr""#));
    }
    // Everyone else lands somewhere they may be.
    for email in [
        "intake@hotline.demo",
        "supervisor@shelter.demo",
        "orgadmin@shelter.demo",
        "admin@passage.demo",
        "inspector@labour.demo",
        "consul@consulate.demo",
    ] {
        let mut c = Client::new(&server);
        let signed = sign_in(&mut c, email);
        let mut at = signed.location.clone();
        let mut page = c.get(&at);
        while page.status == 303 || page.status == 302 || page.status == 307 {
            at = page.location.clone();
            page = c.get(&at);
        }
        assert_eq!(page.status, 200, "{email} lands on {at}");
    }
}

#[test]
fn countries_and_languages_are_chosen_by_name() {
    let server = Server::start();
    // The public complaint form.
    let (status, form) = {
        let mut c = Client::new(&server);
        let p = c.get("/report");
        (p.status, p.body)
    };
    assert_eq!(status, 200);
    let select = &form[form
        .find(r#"<select id="country" name="country""#)
        .expect("a select")..];
    let select = &select[..select.find("</select>").expect("end")];
    assert!(
        select.contains(r#"<option value="LB">Lebanon</option>"#),
        "{select}"
    );
    assert!(select.contains(r#"<option value="ES">Spain</option>"#));
    // The person form of a case.
    let mut c = Client::sign_in(&server, "caseworker@shelter.demo");
    let case = first_case(&mut c);
    let person = c.get(&format!("{case}/person"));
    assert_eq!(person.status, 200);
    for (name, option) in [
        ("citizenships", r#"<option value="PH""#),
        ("languages", r#"<option value="tl""#),
    ] {
        let at = person
            .body
            .find(&format!(r#"<select id="{name}" name="{name}" multiple"#))
            .unwrap_or_else(|| panic!("a {name} select"));
        let select = &person.body[at..];
        let select = &select[..select.find("</select>").expect("end")];
        assert!(select.contains(option), "{name}: {option}");
    }
    assert!(person.body.contains(">Philippines<") && person.body.contains(">Tagalog<"));
    // Choosing from the lists saves codes: the person shows the names.
    let csrf = csrf_of(&person.body);
    let value_of = |name: &str| {
        let marker = format!(r#"name="{name}""#);
        let from = person.body.find(&marker).expect(name);
        let rest = &person.body[from..];
        let at = rest.find("value=\"").expect("a value") + 7;
        rest[at..at + rest[at..].find('"').expect("end")].to_string()
    };
    let saved = c.post(
        &format!("{case}/person"),
        &[
            ("csrf", &csrf),
            ("version", &value_of("version")),
            ("given_name", &value_of("given_name")),
            ("family_name", &value_of("family_name")),
            ("citizenships", "PH"),
            ("citizenships", "NP"),
            ("languages", "tl"),
            ("languages", "en"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = c.get(&format!("{case}/person"));
    assert!(after.body.contains("Philippines, Nepal"), "{}", after.body);
    assert!(after.body.contains("Tagalog, English"));
}

/// Every staff page, in every language, shows messages and never a message id (a missing or
/// misspelt id would show as `staff-…`).
#[test]
fn no_staff_page_shows_a_message_id() {
    let server = Server::start();
    let mut worker = Client::sign_in(&server, "caseworker@shelter.demo");
    let case = first_case(&mut worker);
    let case_pages: Vec<String> = [
        "",
        "/person",
        "/consent",
        "/needs",
        "/tasks",
        "/notes",
        "/services",
        "/attachments",
        "/child",
        "/partners",
        "/follow-up",
        "/history",
        "/screenings",
    ]
    .iter()
    .map(|p| format!("{case}{p}"))
    .chain(["/cases", "/cases/new", "/tasks", "/stats"].map(String::from))
    .collect();
    let mut visits: Vec<(&str, Vec<String>)> = vec![("caseworker@shelter.demo", case_pages)];
    visits.push((
        "supervisor@shelter.demo",
        ["/dashboard", "/approvals", "/duplicates"]
            .map(String::from)
            .to_vec(),
    ));
    visits.push((
        "intake@hotline.demo",
        ["/reports", "/hotline"].map(String::from).to_vec(),
    ));
    visits.push(("orgadmin@shelter.demo", vec!["/admin/users".to_string()]));
    for (email, pages) in visits {
        let mut c = Client::sign_in(&server, email);
        for lang in ["en", "fr", "es", "ar"] {
            for path in &pages {
                let sep = if path.contains('?') { '&' } else { '?' };
                let page = c.get(&format!("{path}{sep}lang={lang}"));
                assert_eq!(page.status, 200, "{email} {path} in {lang}");
                assert!(html_tag(&page.body).contains(&format!(r#"lang="{lang}""#)));
                let text = page.body.replace("staff-lang", "");
                assert!(
                    !text.contains("staff-"),
                    "{email} {path} in {lang} shows a message id: {}",
                    &text[text.find("staff-").unwrap_or(0)..][..60.min(text.len())]
                );
            }
        }
    }
}
