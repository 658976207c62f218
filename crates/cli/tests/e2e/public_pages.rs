//! The public complaint pages without a browser: languages and direction, weight, no script or
//! third-party asset, the form, the receipt, follow-up and the anti-abuse checks.

use crate::common::*;

fn get(server: &Server, path: &str, accept_language: Option<&str>) -> (u16, String) {
    let mut req = agent().get(&server.url(path));
    if let Some(l) = accept_language {
        req = req.header("Accept-Language", l);
    }
    let mut res = req.call().expect("get");
    (
        res.status().as_u16(),
        res.body_mut().read_to_string().unwrap_or_default(),
    )
}

fn post(server: &Server, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let mut res = agent()
        .post(&server.url(path))
        .send_form(form.iter().copied())
        .expect("post");
    (
        res.status().as_u16(),
        res.body_mut().read_to_string().unwrap_or_default(),
    )
}

fn token_of(html: &str) -> String {
    let at = html.find("name=\"t\" value=\"").expect("time token") + "name=\"t\" value=\"".len();
    html[at..].split('"').next().unwrap_or_default().to_string()
}

/// Every address a page or stylesheet makes the browser load or send to: `src`, `srcset`,
/// `poster` and `data` of any element, `href` of a `<link>` (stylesheets, icons, preloads),
/// `action` of a form, and `url(…)` or `@import` in styles. Links people follow (`<a href>`)
/// load nothing and are left out.
fn loaded_addresses(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let value_at = |rest: &str| -> String {
        let rest = rest.trim_start();
        match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default().to_string(),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>' || c == ')' || c == ';')
                .next()
                .unwrap_or_default()
                .to_string(),
        }
    };
    for tag in text.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let name = tag
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let mut attrs = vec!["src=", "srcset=", "poster=", "data="];
        if name == "link" {
            attrs.push("href=");
        }
        if name == "form" {
            attrs.push("action=");
        }
        for attr in attrs {
            for (at, _) in tag.match_indices(attr) {
                let before = tag[..at].chars().last().unwrap_or(' ');
                if before.is_whitespace() {
                    found.push(value_at(&tag[at + attr.len()..]));
                }
            }
        }
    }
    for key in ["url(", "@import"] {
        for (at, _) in text.match_indices(key) {
            found.push(value_at(&text[at + key.len()..]));
        }
    }
    found
}

/// The addresses among `loaded` that are on another origin than `own`.
fn third_party(loaded: &[String], own: &str) -> Vec<String> {
    loaded
        .iter()
        .filter(|a| {
            let a = a.trim().to_ascii_lowercase();
            (a.starts_with("http:") || a.starts_with("https:") || a.starts_with("//"))
                && !a.starts_with(&format!("{own}/"))
        })
        .cloned()
        .collect()
}

#[test]
fn the_form_speaks_the_migrants_language_and_weighs_little() {
    let server = Server::start();
    let (s, en) = get(&server, "/report", None);
    assert_eq!(s, 200);
    assert!(en.contains("<html lang=\"en\" dir=\"ltr\">"));
    let (_, ar) = get(&server, "/report?lang=ar", None);
    assert!(
        ar.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "Arabic is right to left"
    );
    assert!(ar.contains("أرسل بلاغي"));
    let (_, fr) = get(&server, "/report", Some("fr-BE,fr;q=0.9,en;q=0.5"));
    assert!(
        fr.contains("<html lang=\"fr\""),
        "Accept-Language chooses French"
    );
    let (_, es) = get(&server, "/report?lang=es", Some("fr"));
    assert!(
        es.contains("<html lang=\"es\""),
        "the visible chooser wins over the browser"
    );
    for (lang, page) in [("en", &en), ("ar", &ar), ("fr", &fr), ("es", &es)] {
        assert!(page.len() < 100_000, "{lang}: {} bytes", page.len());
        // The one script is the quick exit's own file (the form works without it); nothing
        // inline, nothing else.
        assert_eq!(
            page.matches("<script").count(),
            page.matches("<script src=\"/static/exit.js\" defer></script>")
                .count(),
            "{lang}: only the quick exit's script"
        );
        assert_eq!(
            page.matches("<script").count(),
            1,
            "{lang}: the quick exit's script"
        );
        assert!(page.contains("class=\"exit\""), "{lang}: quick exit");
        assert!(
            !page.to_lowercase().contains("name=\"migration_status\"")
                && !page.contains("name=\"status\""),
            "{lang}: never asks for status"
        );
        for hreflang in ["en", "fr", "es", "ar"] {
            assert!(
                page.contains(&format!("hreflang=\"{hreflang}\"")),
                "{lang}: chooser offers {hreflang}"
            );
        }
    }
    let (_, css) = get(&server, "/static/public.css", None);
    assert!(css.len() + en.len() < 100_000);
    assert!(en.contains("never ask about your migration status"));
}

#[test]
fn public_pages_load_nothing_from_another_origin() {
    // The checker itself sees each way a page can pull in another site.
    let sample = r#"<link rel="stylesheet" href="https://cdn.example/x.css"><img alt="" src='//img.example/a.png'><a href="https://www.wikipedia.org/">exit</a><style>body{background:url(http://bg.example/b.png)}@import "https://f.example/f.css";</style><form action="https://collect.example/">"#;
    assert_eq!(
        third_party(&loaded_addresses(sample), "http://127.0.0.1:1"),
        vec![
            "https://cdn.example/x.css",
            "//img.example/a.png",
            "https://collect.example/",
            "http://bg.example/b.png",
            "https://f.example/f.css",
        ]
    );
    let server = Server::start();
    let own = server.url("");
    let mut checked = Vec::new();
    let mut stylesheets = Vec::new();
    for path in [
        "/report",
        "/report?lang=ar",
        "/report?lang=fr",
        "/report?lang=es",
        "/report/follow-up",
        "/report/follow-up?lang=ar",
        "/login",
    ] {
        let (s, page) = get(&server, path, None);
        assert_eq!(s, 200, "{path}");
        let loaded = loaded_addresses(&page);
        assert_eq!(third_party(&loaded, &own), Vec::<String>::new(), "{path}");
        stylesheets.extend(
            loaded
                .into_iter()
                .filter(|a| a.starts_with("/static/") && a.ends_with(".css")),
        );
        checked.push(path);
    }
    stylesheets.sort();
    stylesheets.dedup();
    assert!(
        !stylesheets.is_empty(),
        "the pages' own stylesheets are found"
    );
    for sheet in &stylesheets {
        let (s, css) = get(&server, sheet, None);
        assert_eq!(s, 200, "{sheet}");
        assert!(!css.is_empty(), "{sheet}");
        assert_eq!(
            third_party(&loaded_addresses(&css), &own),
            Vec::<String>::new(),
            "{sheet}"
        );
        checked.push(sheet);
    }
    assert!(checked.len() >= 8, "{checked:?}");
}

#[test]
fn a_report_from_the_form_gets_a_receipt_that_opens_it() {
    let server = Server::start();
    let (_, form) = get(&server, "/report?lang=fr", None);
    let t = token_of(&form);
    let (s, page) = post(
        &server,
        "/report",
        &[
            ("lang", "fr"),
            ("t", &t),
            ("website", ""),
            ("narrative", "On m'a pris mon passeport"),
            ("country", "fr"),
        ],
    );
    assert_eq!(s, 422, "no category");
    assert!(page.contains("Il y a un problème") && page.contains("href=\"#category\""));
    assert!(
        page.contains("On m&#39;a pris mon passeport")
            || page.contains("On m'a pris mon passeport"),
        "what was typed is kept"
    );
    let (s, done) = post(
        &server,
        "/report",
        &[
            ("lang", "fr"),
            ("t", &t),
            ("website", ""),
            ("category", "documents_taken"),
            ("narrative", "On m'a pris mon passeport"),
            ("country", "fr"),
        ],
    );
    assert_eq!(s, 201);
    let receipt: String = done
        .split("<bdi>")
        .nth(1)
        .and_then(|r| r.split("</bdi>").next())
        .expect("receipt shown")
        .to_string();
    assert_eq!(receipt.len(), 19, "shown in groups of four: {receipt}");
    let (s, follow) = post(
        &server,
        "/report/follow-up",
        &[("lang", "fr"), ("receipt", &receipt)],
    );
    assert_eq!(s, 200);
    assert!(follow.contains("Reçu, en attente de lecture"));
    let digits: String = receipt.chars().filter(char::is_ascii_digit).collect();
    let (s, after) = post(
        &server,
        "/report/follow-up/reply",
        &[
            ("lang", "fr"),
            ("receipt", &digits),
            ("body", "Je suis à Lyon"),
        ],
    );
    assert_eq!(s, 200);
    assert!(after.contains("Je suis à Lyon") && after.contains("Votre message a été envoyé."));
    let (s, wrong) = post(
        &server,
        "/report/follow-up",
        &[("lang", "fr"), ("receipt", "0000 0000 0000 0000")],
    );
    assert_eq!(s, 404);
    assert!(
        wrong.contains("Aucun signalement n&#39;a ce reçu")
            || wrong.contains("Aucun signalement n'a ce reçu")
    );
}

#[test]
fn scripts_pay_a_cost_that_people_do_not_notice() {
    let server = Server::start_in(temp_dir("pow"), &[("PASSAGE_MIN_FILL_SECONDS", "2")]);
    let (_, form) = get(&server, "/report", None);
    let t = token_of(&form);
    let fields = [
        ("lang", "en"),
        ("t", t.as_str()),
        ("website", ""),
        ("category", "unpaid_wages"),
        ("narrative", "Not paid since May"),
    ];
    let (s, page) = post(&server, "/report", &fields);
    assert_eq!(s, 422, "posted at once, as a script would");
    assert!(page.contains("take a moment") && page.contains("Not paid since May"));
    let (s, _) = post(
        &server,
        "/report",
        &[
            ("lang", "en"),
            ("t", "1.forged"),
            ("category", "unpaid_wages"),
            ("narrative", "x"),
        ],
    );
    assert_eq!(s, 422, "a forged token");
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    let mut honeypot = fields.to_vec();
    honeypot[2] = ("website", "http://spam.example");
    assert_eq!(post(&server, "/report", &honeypot).0, 422, "the honeypot");
    assert_eq!(
        post(&server, "/report", &fields).0,
        201,
        "a person who took their time"
    );
}
