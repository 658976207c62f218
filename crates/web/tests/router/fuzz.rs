//! The parsers that take outside input, fuzzed through the router: generated bodies, some
//! arbitrary bytes and some shaped like the real thing with arbitrary values, are posted to the
//! routes that read them. Whatever arrives, the answer is a refusal or an acceptance — never a
//! panic, never a 5xx. `PASSAGE_FUZZ_CASES` sets the inputs per target (the default keeps the
//! whole set near a minute in a debug build); each target prints how many it tried and how
//! long it took.

use crate::harness::*;
use passage_core::{OrgKind, Role};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::time::Instant;

/// Inputs per target: `PASSAGE_FUZZ_CASES`, or `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("PASSAGE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// An application with limits that stay out of the way (every input reaches its parser), a
/// signed-in caseworker and one case of theirs.
pub struct Target {
    pub rt: tokio::runtime::Runtime,
    pub app: App,
    pub worker: User,
    pub case: String,
}

impl Target {
    pub fn new(config: passage_web::WebConfig) -> Target {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let config = passage_web::WebConfig {
            min_fill_seconds: 0,
            public_limits: passage_web::PublicLimits {
                submissions_per_source: u32::MAX,
                submissions_global: u32::MAX,
                ..Default::default()
            },
            ..config
        };
        let (app, worker, case) = rt.block_on(async {
            let app = App::with_config(config).await;
            let worker = app
                .user(
                    OrgKind::Ngo,
                    "fuzz@ngo.test",
                    &[Role::Caseworker, Role::Intake, Role::Supervisor],
                )
                .await;
            let person = app
                .api(
                    axum::http::Method::POST,
                    "/persons",
                    Some(&worker),
                    Some(serde_json::json!({"given_name": "Fuzz", "family_name": "Target"})),
                )
                .await;
            assert_eq!(person.status, 201, "{}", person.body);
            let case = app
                .api(
                    axum::http::Method::POST,
                    "/cases",
                    Some(&worker),
                    Some(serde_json::json!({"person_id": person.json()["id"], "types": ["labour_exploitation"], "stage": "destination", "summary": "fuzz"})),
                )
                .await;
            assert_eq!(case.status, 201, "{}", case.body);
            let case = case.json()["id"].as_str().expect("case id").to_string();
            (app, worker, case)
        });
        Target {
            rt,
            app,
            worker,
            case,
        }
    }

    /// Runs `check` on `cases` inputs of `strategy`; fails with the smallest input that got
    /// a 5xx or a panic. Prints the count and the time.
    pub fn run<S: Strategy>(
        &self,
        name: &str,
        cases: u32,
        strategy: S,
        check: impl Fn(&Target, S::Value) -> Result<u16, TestCaseError>,
    ) {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let answered = std::cell::RefCell::new(std::collections::BTreeMap::<u16, u64>::new());
        let started = Instant::now();
        let result = runner.run(&strategy, |input| {
            let status = check(self, input)?;
            *answered.borrow_mut().entry(status).or_default() += 1;
            prop_assert!(status < 500, "answered {status}");
            Ok(())
        });
        let answered = answered.into_inner();
        eprintln!(
            "fuzz {name}: {} inputs in {:.1} s, answered {answered:?}",
            answered.values().sum::<u64>(),
            started.elapsed().as_secs_f64()
        );
        if let Err(e) = result {
            panic!("fuzz {name}: {e}");
        }
    }

    pub fn post(
        &self,
        path: &str,
        who: Option<&User>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Answer {
        self.rt.block_on(
            self.app
                .post_raw(path, who, &[("content-type", content_type)], body),
        )
    }
}

/// Text as people and scripts send it: any characters, control ones and right-to-left included.
pub fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => ".{0,40}",
        1 => any::<String>(),
        1 => Just(String::new()),
        1 => "[0-9+ -]{0,20}",
        1 => Just("x".repeat(25_000)),
    ]
}

/// A field name: one the form reads, or anything.
fn field_name(known: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(known).prop_map(str::to_string),
        1 => ".{0,12}",
    ]
}

/// Form fields: known names with arbitrary values, repeated or not.
pub fn fields(known: &'static [&'static str]) -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec((field_name(known), text()), 0..12)
}

fn urlencoded(fields: &[(String, String)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
        .into_bytes()
}

const REPORT_FIELDS: &[&str] = &[
    "lang",
    "t",
    "narrative",
    "category",
    "categories",
    "witness",
    "country",
    "place",
    "employer",
    "contact",
    "website",
    "receipt",
    "body",
    "csrf",
];

/// A report as the form sends it (a category, a narrative, a language) with anything added.
fn report_form() -> impl Strategy<Value = Vec<(String, String)>> {
    let categories: Vec<String> = passage_core::Category::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    (
        proptest::sample::select(categories),
        text(),
        proptest::sample::select(vec!["en", "fr", "es", "ar", "xx", ""]),
        fields(REPORT_FIELDS),
    )
        .prop_map(|(category, narrative, lang, extra)| {
            let mut f = vec![
                ("category".to_string(), category),
                ("narrative".to_string(), narrative),
                ("lang".to_string(), lang.to_string()),
            ];
            f.extend(extra);
            f
        })
}

/// A body for a form route: urlencoded fields, or bytes that only claim to be a form.
fn form_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => report_form().prop_map(|f| urlencoded(&f)),
        3 => fields(REPORT_FIELDS).prop_map(|f| urlencoded(&f)),
        1 => proptest::collection::vec(any::<u8>(), 0..300),
        1 => "[a-z=&%+0-9]{0,80}".prop_map(String::into_bytes),
    ]
}

#[test]
fn the_public_forms_answer_every_urlencoded_body_without_a_fault() {
    let t = Target::new(Default::default());
    // A real time token, so generated reports can pass the form's checks and be written.
    let page = t.rt.block_on(t.app.page("/report", None));
    let token = attrs(&page.html(), "input[name=t]", "value")
        .pop()
        .expect("the form's time token");
    let paths = ["/report", "/report/follow-up", "/report/follow-up/reply"];
    let strategy = (
        proptest::sample::select(paths.to_vec()),
        form_body(),
        any::<bool>(),
    );
    t.run(
        "public forms (urlencoded)",
        cases(3000),
        strategy,
        |t, (path, body, with_token)| {
            let mut body = body;
            if with_token {
                body.extend_from_slice(format!("&t={token}").as_bytes());
            }
            Ok(
                t.post(path, None, "application/x-www-form-urlencoded", body)
                    .status,
            )
        },
    );
}

/// File contents: arbitrary bytes, or bytes behind the signature of a type the server accepts.
fn file_bytes() -> impl Strategy<Value = Vec<u8>> {
    let magic: &[&[u8]] = &[
        b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.4\n",
        b"GIF89a",
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        b"PK\x03\x04",
        b"",
    ];
    (
        proptest::sample::select(magic.to_vec()),
        proptest::collection::vec(any::<u8>(), 0..400),
    )
        .prop_map(|(m, rest)| [m, &rest[..]].concat())
}

/// One part of a multipart body: a name, maybe a file name and a content type, the bytes.
fn part() -> impl Strategy<Value = (String, Option<String>, Option<String>, Vec<u8>)> {
    (
        field_name(&[
            "file",
            "narrative",
            "category",
            "t",
            "csrf",
            "kind",
            "description",
            "lang",
        ]),
        proptest::option::of("[^\"\r\n]{0,20}"),
        proptest::option::of(proptest::sample::select(vec![
            "image/jpeg",
            "application/pdf",
            "text/plain",
            "application/octet-stream",
            "x/\u{0}",
        ]))
        .prop_map(|c| c.map(str::to_string)),
        prop_oneof![file_bytes(), text().prop_map(String::into_bytes)],
    )
}

type Part = (String, Option<String>, Option<String>, Vec<u8>);

/// A multipart body: its boundary, its parts, where it is cut off (if it is), and whether the
/// declared boundary is another one.
fn multipart() -> impl Strategy<Value = (String, Vec<Part>, Option<usize>, bool)> {
    (
        "[A-Za-z0-9'()+_,./:=?-]{1,70}",
        proptest::collection::vec(part(), 0..5),
        proptest::option::of(0usize..2000),
        any::<bool>(),
    )
}

/// The body and its content type, with `first` fields before the generated parts.
fn build(
    (boundary, parts, cut, wrong): (String, Vec<Part>, Option<usize>, bool),
    first: &[(&str, &str)],
) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, value) in first {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file, ctype, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{name}\"");
        if let Some(f) = file {
            disposition.push_str(&format!("; filename=\"{f}\""));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(c) = ctype {
            body.extend_from_slice(format!("Content-Type: {c}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    if let Some(at) = cut {
        body.truncate(at);
    }
    let declared = if wrong { "other-boundary" } else { &boundary };
    (
        format!("multipart/form-data; boundary=\"{declared}\""),
        body,
    )
}

#[test]
fn uploads_answer_every_multipart_body_without_a_fault() {
    let t = Target::new(Default::default());
    let attachments = format!("/cases/{}/attachments", t.case);
    let csrf = t.worker.csrf.clone();
    t.run(
        "multipart uploads",
        cases(3000),
        (multipart(), any::<bool>()),
        |t, (parts, staff)| {
            let answer = if staff {
                // The staff upload checks its CSRF token: it comes first, then the generated parts.
                let (content_type, body) = build(parts, &[("csrf", &csrf)]);
                t.post(&attachments, Some(&t.worker), &content_type, body)
            } else {
                let (content_type, body) = build(parts, &[]);
                t.post("/report", None, &content_type, body)
            };
            Ok(answer.status)
        },
    );
}
