//! JSON bodies of the API and the gateways' webhooks, fuzzed through the router (see `fuzz`):
//! arbitrary JSON, objects with the keys a route reads and arbitrary values, bytes that only
//! claim to be JSON; Twilio forms signed as Twilio signs them, so the fields are read and not
//! only refused; RapidPro bodies in both shapes flows send.

use crate::fuzz::{Target, cases, fields, text};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const TWILIO: &str = "fuzz-twilio-token";
const RAPIDPRO: &str = "fuzz-rapidpro-token";
const PUBLIC: &str = "http://passage.example";

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(".{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An object with keys `known` (some of them) and arbitrary values, plus the odd stranger.
fn shaped(known: &'static [&'static str]) -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec((proptest::sample::select(known), any_json()), 0..8),
        proptest::option::of((".{0,8}", any_json())),
    )
        .prop_map(|(pairs, extra)| {
            let mut m = Map::new();
            for (k, v) in pairs {
                m.insert(k.to_string(), v);
            }
            if let Some((k, v)) = extra {
                m.insert(k, v);
            }
            Value::Object(m)
        })
}

const KEYS: &[&str] = &[
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "citizenships",
    "languages",
    "migration_status",
    "person_id",
    "types",
    "stage",
    "summary",
    "language",
    "category",
    "categories",
    "narrative",
    "contact",
    "country",
    "form_token",
    "receipt",
    "body",
    "confidentiality",
    "email",
    "password",
    "totp",
    "channel",
    "urgency",
    "reporter",
];

/// A valid body of one of the routes with some of its values replaced by anything.
fn mutated() -> impl Strategy<Value = Value> {
    let bases = vec![
        json!({"given_name": "Amina", "family_name": "Diallo", "date_of_birth": "1990-04", "citizenships": ["SN"]}),
        json!({"body": "Called the employer", "confidentiality": "normal"}),
        json!({"language": "en", "category": "debt", "narrative": "They kept my passport"}),
        json!({"receipt": "ABCD-EFGH-JKLM"}),
        json!({"email": "fuzz@ngo.test", "password": "a long enough password"}),
    ];
    (
        proptest::sample::select(bases),
        proptest::collection::vec((proptest::sample::select(KEYS), any_json()), 0..3),
    )
        .prop_map(|(mut base, changes)| {
            if let Some(m) = base.as_object_mut() {
                for (k, v) in changes {
                    m.insert(k.to_string(), v);
                }
            }
            base
        })
}

/// A body for a JSON route: valid and mutated, shaped, arbitrary, or not JSON at all.
fn json_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => mutated().prop_map(|v| v.to_string().into_bytes()),
        4 => shaped(KEYS).prop_map(|v| v.to_string().into_bytes()),
        2 => any_json().prop_map(|v| v.to_string().into_bytes()),
        1 => proptest::collection::vec(any::<u8>(), 0..200),
        1 => "[\\[\\]{}\":,0-9a-z ]{0,60}".prop_map(String::into_bytes),
    ]
}

#[test]
fn the_json_api_answers_every_body_without_a_fault() {
    let t = Target::new(Default::default());
    let notes = format!("/api/v1/cases/{}/notes", t.case);
    let paths: Vec<String> = [
        "/api/v1/persons",
        "/api/v1/cases",
        "/api/v1/reports",
        "/api/v1/public/reports",
        "/api/v1/public/reports/follow-up",
        "/api/v1/public/reports/messages",
        "/api/v1/auth/token",
    ]
    .into_iter()
    .map(str::to_string)
    .chain([notes])
    .collect();
    t.run(
        "JSON API bodies",
        cases(4000),
        (proptest::sample::select(paths), json_body(), any::<bool>()),
        |t, (path, body, signed_in)| {
            let who = signed_in.then_some(&t.worker);
            Ok(t.post(&path, who, "application/json", body).status)
        },
    );
}

/// Twilio's signature over the address and the sorted fields.
fn twilio_signature(url: &str, fields: &[(String, String)]) -> String {
    let mut sorted = fields.to_vec();
    sorted.sort();
    let data: String = std::iter::once(url.to_string())
        .chain(sorted.into_iter().map(|(k, v)| k + &v))
        .collect();
    let Ok(mut mac) = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(TWILIO.as_bytes()) else {
        return String::new();
    };
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

const TWILIO_FIELDS: &[&str] = &[
    "MessageSid",
    "SmsSid",
    "AccountSid",
    "MessagingServiceSid",
    "From",
    "To",
    "Body",
    "NumMedia",
    "MediaUrl0",
    "MediaContentType0",
    "MessageStatus",
    "ErrorCode",
    "FromCountry",
];

fn gateway_target() -> Target {
    Target::new(passage_web::WebConfig {
        twilio_auth_token: Some(TWILIO.into()),
        rapidpro_token: Some(RAPIDPRO.into()),
        public_url: Some(PUBLIC.into()),
        ..Default::default()
    })
}

#[test]
fn the_twilio_webhooks_answer_every_signed_form_without_a_fault() {
    let t = gateway_target();
    let paths = [
        "/api/v1/channels/twilio/sms",
        "/api/v1/channels/twilio/status",
    ];
    t.run(
        "Twilio webhook forms",
        cases(3000),
        (
            proptest::sample::select(paths.to_vec()),
            fields(TWILIO_FIELDS),
            any::<bool>(),
        ),
        |t, (path, fields, signed)| {
            let body = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&fields)
                .finish();
            // The server reads the body's pairs as a form reader does; sign those.
            let read: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
                .into_owned()
                .collect();
            let signature = if signed {
                twilio_signature(&format!("{PUBLIC}{path}"), &read)
            } else {
                "bm90IGEgc2lnbmF0dXJl".to_string()
            };
            let answer = t.rt.block_on(t.app.post_raw(
                path,
                None,
                &[
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("x-twilio-signature", &signature),
                ],
                body.into_bytes(),
            ));
            Ok(answer.status)
        },
    );
}

/// A RapidPro body: the current flow shape, the older `input` shape, or anything.
fn rapidpro_body() -> impl Strategy<Value = Vec<u8>> {
    let current = (any_json(), any_json(), any_json(), any_json()).prop_map(
        |(urn, name, result, category)| {
            json!({"contact": {"uuid": "c1", "name": name, "urn": urn}, "flow": {"uuid": "f1", "name": "intake"},
                   "results": {"report": {"value": result, "category": category}}, "status": result})
        },
    );
    let older = (any_json(), any_json()).prop_map(|(urn, text)| {
        json!({"input": {"text": text, "urn": urn, "channel": {"uuid": "x"}}, "id": 7})
    });
    prop_oneof![
        3 => current.prop_map(|v| v.to_string().into_bytes()),
        2 => older.prop_map(|v| v.to_string().into_bytes()),
        2 => shaped(&["contact", "flow", "results", "input", "urn", "text", "status", "id", "message_id"])
            .prop_map(|v| v.to_string().into_bytes()),
        1 => proptest::collection::vec(any::<u8>(), 0..200),
    ]
}

#[test]
fn the_rapidpro_webhooks_answer_every_body_without_a_fault() {
    let t = gateway_target();
    let paths = [
        "/api/v1/channels/rapidpro",
        "/api/v1/channels/rapidpro/status",
    ];
    t.run(
        "RapidPro webhook bodies",
        cases(3000),
        (proptest::sample::select(paths.to_vec()), rapidpro_body()),
        |t, (path, body)| {
            let answer = t.rt.block_on(t.app.post_raw(
                path,
                None,
                &[
                    ("content-type", "application/json"),
                    ("x-passage-token", RAPIDPRO),
                ],
                body,
            ));
            Ok(answer.status)
        },
    );
}
