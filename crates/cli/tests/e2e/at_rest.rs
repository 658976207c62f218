//! Every free-text field is sealed at rest: after the demo world is seeded and a marker is
//! written through the API into each field a person can type, no marker is found in plain
//! bytes in the database, its write-ahead log or the server's log. Each write must be
//! acknowledged, so a marker that was never stored cannot pass for a sealed one.

use crate::common::*;
use serde_json::{Value, json};

/// One marker per field: letters only, so every validator takes it.
fn marker(field: &str) -> String {
    let tag: String = field
        .split(['.', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    format!("Qzv{tag}Wyk")
}

struct Writer<'a> {
    server: &'a Server,
    markers: Vec<String>,
}

impl Writer<'_> {
    /// Sends a write that must succeed, and remembers the markers it carries.
    fn write(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Value,
        fields: &[&str],
    ) -> Value {
        let (s, v) = call(method, &self.server.url(path), token, Some(body));
        assert!((200..300).contains(&s), "{method} {path}: {s} {v}");
        self.markers.extend(fields.iter().map(|f| marker(f)));
        v
    }
}

#[test]
fn every_free_text_field_is_sealed_at_rest_after_a_full_demo_run() {
    let server = Server::start();
    let mut w = Writer {
        server: &server,
        markers: Vec::new(),
    };
    let m = marker;
    let worker = server.token("caseworker@shelter.demo");
    let t = Some(worker.as_str());

    // A person and their case, with every free-text field of each.
    let person = w.write(
        "POST",
        "/api/v1/persons",
        t,
        json!({"given_name": m("persons.given_name"), "family_name": m("persons.family_name")}),
        &["persons.given_name", "persons.family_name"],
    );
    let pid = person["id"].as_str().expect("person id").to_string();
    let (_, p) = call(
        "GET",
        &server.url(&format!("/api/v1/persons/{pid}")),
        t,
        None,
    );
    w.write(
        "PATCH",
        &format!("/api/v1/persons/{pid}"),
        t,
        json!({
            "version": p["version"],
            "given_name_latin": m("persons.given_name_latin"),
            "family_name_latin": m("persons.family_name_latin"),
            "aliases": [m("persons.aliases")],
            "contacts": [{"kind": "other", "value": m("persons.contacts")}],
        }),
        &[
            "persons.given_name_latin",
            "persons.family_name_latin",
            "persons.aliases",
            "persons.contacts",
        ],
    );
    w.write(
        "POST",
        &format!("/api/v1/persons/{pid}/documents"),
        t,
        json!({"kind": "passport", "held_by": "employer", "number": m("documents.number"), "country": "BO"}),
        &["documents.number"],
    );
    w.write(
        "POST",
        &format!("/api/v1/persons/{pid}/consents"),
        t,
        json!({"purpose": "services", "method": "verbal", "language": "qu", "reason": m("consents.reason")}),
        &["consents.reason"],
    );
    let case = w.write(
        "POST",
        "/api/v1/cases",
        t,
        json!({"person_id": pid, "types": ["labour_exploitation"], "stage": "destination", "summary": m("cases.summary")}),
        &["cases.summary"],
    );
    let cid = case["id"].as_str().expect("case id").to_string();
    let c = |rest: &str| format!("/api/v1/cases/{cid}{rest}");
    w.write(
        "POST",
        &c("/notes"),
        t,
        json!({"body": m("notes.body")}),
        &["notes.body"],
    );
    w.write(
        "POST",
        &c("/tasks"),
        t,
        json!({"title": m("tasks.title"), "due_on": "2030-01-15"}),
        &["tasks.title"],
    );
    w.write(
        "POST",
        &c("/services"),
        t,
        json!({"service_type": "legal", "provider": m("services.provider"), "delivered_on": "2026-11-02", "note": m("services.note")}),
        &["services.provider", "services.note"],
    );
    // A return: the risks, the family, the person's own words, the route and the reception.
    let (_, p) = call(
        "GET",
        &server.url(&format!("/api/v1/persons/{pid}")),
        t,
        None,
    );
    w.write(
        "PATCH",
        &format!("/api/v1/persons/{pid}"),
        t,
        json!({"version": p["version"], "languages": ["qu"]}),
        &[],
    );
    w.write(
        "POST",
        &c("/return/risks"),
        t,
        json!({"risk": "debt_bondage", "note": m("return_risks.note")}),
        &["return_risks.note"],
    );
    w.write(
        "POST",
        &c("/return/family"),
        t,
        json!({"willing": "unknown", "note": m("returns.family_note")}),
        &["returns.family_note"],
    );
    w.write(
        "POST",
        &c("/return/choices"),
        t,
        json!({"language": "qu", "informed_on": "2026-10-01", "choice": "return", "voluntary": true,
               "own_words": m("return_choices.own_words")}),
        &["return_choices.own_words"],
    );
    w.write(
        "POST",
        &c("/return/journey"),
        t,
        json!({"country": "BO", "departure_on": "2026-12-01", "arrival_on": "2026-12-02",
               "legs": m("returns.legs"), "reception": m("returns.reception")}),
        &["returns.legs", "returns.reception"],
    );
    w.write(
        "PUT",
        &c("/needs"),
        t,
        json!({"domain": "safety", "urgency": "high", "description": m("needs.description")}),
        &["needs.description"],
    );
    w.write(
        "POST",
        &c("/plan"),
        t,
        json!({"domain": "safety", "goal": m("plan.goal"), "action": m("plan.action"), "responsible": m("plan.responsible")}),
        &["plan.goal", "plan.action", "plan.responsible"],
    );
    w.write(
        "POST",
        &c("/transitions"),
        t,
        json!({"to": "assessment", "reason": m("transitions.reason")}),
        &["transitions.reason"],
    );
    let (_, now) = call("GET", &server.url(&c("")), t, None);
    w.write(
        "PATCH",
        &c(""),
        t,
        json!({"version": now["version"], "summary": m("cases.summary_changed")}),
        &["cases.summary_changed"],
    );

    // The public door, the conversation through the receipt, and the hotline desk.
    let public = w.write(
        "POST",
        "/api/v1/public/reports",
        None,
        json!({"language": "es", "category": "debt", "narrative": m("reports.narrative"),
               "place": m("reports.place"), "employer": m("reports.employer"), "contact": m("reports.contact")}),
        &["reports.narrative", "reports.place", "reports.employer", "reports.contact"],
    );
    let receipt = public["receipt"].as_str().expect("receipt").to_string();
    w.write(
        "POST",
        "/api/v1/public/reports/messages",
        None,
        json!({"receipt": receipt, "body": m("messages.reporter")}),
        &["messages.reporter"],
    );
    let intake = server.token("intake@hotline.demo");
    let i = Some(intake.as_str());
    let call_in = w.write(
        "POST",
        "/api/v1/reports",
        i,
        json!({"caller_type": "witness", "language": "en", "categories": ["unpaid_wages"],
               "narrative": m("hotline.narrative"), "callback_time": m("hotline.callback_time")}),
        &["hotline.narrative", "hotline.callback_time"],
    );
    let rid = call_in["id"].as_str().expect("report id").to_string();
    w.write(
        "POST",
        &format!("/api/v1/reports/{rid}/messages"),
        i,
        json!({"body": m("messages.staff")}),
        &["messages.staff"],
    );
    w.write(
        "POST",
        &format!("/api/v1/reports/{rid}/close"),
        i,
        json!({"reason": m("reports.close_reason")}),
        &["reports.close_reason"],
    );

    // What was written reads back (so the scan below looks at real rows).
    let (_, back) = call(
        "GET",
        &server.url(&format!("/api/v1/reports/{rid}")),
        i,
        None,
    );
    assert_eq!(
        back["close_reason"],
        json!(m("reports.close_reason")),
        "{back}"
    );
    let (_, back) = call("GET", &server.url(&c("")), t, None);
    assert_eq!(back["summary"], json!(m("cases.summary_changed")), "{back}");

    let mut markers = std::mem::take(&mut w.markers);
    // What the demo world itself wrote: case summaries, a public narrative, a hotline call.
    markers.extend(
        [
            "deducts a 'debt' from her wages",
            "housed in a locked container",
            "Unaccompanied girl, about 16",
            "Trabajo en un invernadero",
            "locked in a car wash at night",
        ]
        .map(String::from),
    );
    drop(w);
    let live = scan(&server.data_dir, &markers);
    let log = server.log();
    let dir = server.kill();
    let after = scan(&dir, &markers);
    assert!(
        markers.len() >= 28,
        "every field was written: {}",
        markers.len()
    );
    for found in [live, after] {
        assert!(found.is_empty(), "in plaintext at rest: {found:?}");
    }
    for mk in &markers {
        assert!(!log.contains(mk.as_str()), "{mk} reached the log");
    }
    // The files that hold the data are there to be scanned, and only their owner reads them.
    use std::os::unix::fs::PermissionsExt;
    let db = std::fs::metadata(dir.join("passage.db")).expect("the database file");
    assert!(db.len() > 0);
    for file in [
        "passage.db",
        "passage.db-wal",
        "passage.db-shm",
        "master.key",
    ] {
        if let Ok(meta) = std::fs::metadata(dir.join(file)) {
            assert_eq!(
                meta.permissions().mode() & 0o077,
                0,
                "{file} is readable by others"
            );
        }
    }
    let mode = std::fs::metadata(&dir).expect("dir").permissions().mode();
    assert_eq!(mode & 0o077, 0, "the data directory is open to others");
}

/// The markers found in plain bytes in the database and its journal files.
fn scan(dir: &std::path::Path, markers: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut read_any = false;
    for file in ["passage.db", "passage.db-wal"] {
        let Ok(bytes) = std::fs::read(dir.join(file)) else {
            continue;
        };
        read_any |= !bytes.is_empty();
        for m in markers {
            if bytes.windows(m.len()).any(|w| w == m.as_bytes()) {
                found.push(format!("{m} in {file}"));
            }
        }
    }
    assert!(read_any, "no database file to scan in {}", dir.display());
    found
}
