//! The intake part of the OpenAPI document: the public complaint door, the handlers' report
//! routes and the messaging gateways' webhooks.

use crate::openapi::{error_responses, merge};
use passage_core::{Category, ReportStatus};
use serde_json::{Value, json};

fn names<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|t| f(*t)).collect()
}

/// Schemas used by the intake routes.
pub fn schemas() -> Value {
    let categories = names(Category::ALL, |c| c.as_str());
    let text = |max: u32| json!({"type": "string", "maxLength": max});
    json!({
        "PublicReport": {"type": "object", "required": ["language", "category", "narrative"], "additionalProperties": false,
            "description": "A complaint from anyone, anonymous by default. It never asks for migration status.",
            "properties": {
                "language": {"type": "string", "pattern": "^[a-z]{2,3}$", "description": "ISO 639 code of the narrative's language"},
                "category": {"type": "string", "enum": categories},
                "narrative": text(20000),
                "country": {"type": "string", "description": "ISO 3166-1 alpha-2 where it happened"},
                "place": text(200), "employer": text(200),
                "contact": {"type": "string", "maxLength": 200, "description": "Optional; only if the reporter wants to be contacted"}}},
        "Receipt": {"type": "object", "required": ["receipt"], "properties": {
            "receipt": {"type": "string", "description": "16 digits in groups of four: the only key to follow the report"}}},
        "ReceiptMessage": {"type": "object", "required": ["receipt", "body"], "additionalProperties": false,
            "properties": {"receipt": {"type": "string"}, "body": text(5000)}},
        "FollowUp": {"type": "object", "properties": {
            "status": {"type": "string", "enum": ["received", "in_progress", "closed"]},
            "messages": {"type": "array", "items": {"type": "object", "properties": {
                "from": {"type": "string", "enum": ["reporter", "staff"]}, "body": {"type": "string"}, "at": {"type": "string"}}}}}},
        "HotlineReport": {"type": "object", "required": ["caller_type", "language", "categories", "narrative"], "additionalProperties": false,
            "properties": {
                "caller_type": {"type": "string", "enum": names(passage_core::ReporterType::ALL, |c| c.as_str())},
                "language": {"type": "string", "pattern": "^[a-z]{2,3}$", "description": "ISO 639 code of the narrative's language"},
                "urgency": {"type": "string", "enum": names(passage_core::Urgency::ALL, |c| c.as_str()),
                            "description": "At least what the triggers imply; never lowered by them"},
                "categories": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": categories}},
                "narrative": text(20000),
                "country": {"type": "string"}, "place": text(200), "employer": text(200), "contact": text(200),
                "callback_consent": {"type": "boolean"}, "callback_time": text(200),
                "immediate_danger": {"type": "boolean"}, "child": {"type": "boolean"}, "urgent_medical": {"type": "boolean"}}},
        "ReportListItem": {"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid"}, "channel": {"type": "string"}, "urgency": {"type": "string"},
            "status": {"type": "string", "enum": names(ReportStatus::ALL, |s| s.as_str())},
            "categories": {"type": "array", "items": {"type": "string"}}, "country": {"type": ["string", "null"]}, "language": {"type": "string"},
            "received_at": {"type": "integer", "description": "Unix seconds"},
            "due_at": {"type": "integer", "description": "Unix seconds: when the first response is due"}, "overdue": {"type": "boolean"}}},
        "Report": {"type": "object", "description": "A report with its narrative, contact (if given) and message thread."}
    })
}

/// Paths of the intake routes.
pub fn paths() -> Value {
    let body = |schema: &str| json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    let ok = |status: &str, schema: Value| json!({ status: {"description": "Success", "content": {"application/json": {"schema": schema}}} });
    let obj = |key: &str, ty: &str| json!({"type": "object", "properties": {key: {"type": ty}}});
    let id_param = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]);
    let action = |summary: &str, req: Option<Value>, result: Value, status: &str| {
        let mut op = json!({"summary": summary, "parameters": id_param.clone(),
            "responses": merge(ok(status, result), error_responses(&["400", "401", "404", "409", "422"]))});
        if let Some(req) = req {
            op["requestBody"] = req;
        }
        json!({"post": op})
    };
    let inline = |props: Value, required: &[&str]| {
        json!({"required": true, "content": {"application/json": {"schema":
        {"type": "object", "additionalProperties": false, "required": required, "properties": props}}}})
    };
    json!({
        "/api/v1/public/reports": {"post": {"summary": "Submit a complaint without an account; answers a receipt", "security": [],
            "requestBody": body("PublicReport"),
            "responses": merge(ok("201", json!({"$ref": "#/components/schemas/Receipt"})), error_responses(&["400", "413", "415", "422", "429"]))}},
        "/api/v1/public/reports/follow-up": {"post": {"summary": "Status and messages of a report, by its receipt. Failed receipts slow down, then block, the source", "security": [],
            "requestBody": body("Receipt"),
            "responses": merge(ok("200", json!({"$ref": "#/components/schemas/FollowUp"})), error_responses(&["400", "404", "422", "429"]))}},
        "/api/v1/public/reports/messages": {"post": {"summary": "Add a message to a report, by its receipt", "security": [],
            "requestBody": body("ReceiptMessage"),
            "responses": merge(ok("201", obj("status", "string")), error_responses(&["400", "404", "422", "429"]))}},
        "/api/v1/reports": {
            "get": {"summary": "Reports routed to your organisation, most urgent and oldest first",
                "parameters": [{"name": "status", "in": "query", "schema": {"type": "string", "enum": names(ReportStatus::ALL, |s| s.as_str())}},
                               {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}}],
                "responses": merge(ok("200", json!({"type": "array", "items": {"$ref": "#/components/schemas/ReportListItem"}})), error_responses(&["400", "401", "403"]))},
            "post": {"summary": "Record a hotline call for your organisation", "requestBody": body("HotlineReport"),
                "responses": merge(ok("201", obj("id", "string")), error_responses(&["400", "401", "403", "422"]))}
        },
        "/api/v1/reports/{id}": {"get": {"summary": "A report, its narrative and its thread (the read is audited)", "parameters": id_param.clone(),
            "responses": merge(ok("200", json!({"$ref": "#/components/schemas/Report"})), error_responses(&["401", "404"]))}},
        "/api/v1/reports/{id}/messages": action("Reply to the reporter (web follow-up, or SMS/chat through the gateway)",
            Some(inline(json!({"body": {"type": "string", "maxLength": 5000}}), &["body"])), obj("status", "string"), "201"),
        "/api/v1/reports/{id}/open-case": action("Open a case from the report", None, obj("case_id", "string"), "201"),
        "/api/v1/reports/{id}/acknowledge": action("Acknowledge the report; stops its first-response clock", None, obj("status", "string"), "200"),
        "/api/v1/reports/{id}/link": action("Link the report to an existing case of your organisation",
            Some(inline(json!({"case_id": {"type": "string", "format": "uuid"}}), &["case_id"])), obj("status", "string"), "200"),
        "/api/v1/reports/{id}/close": action("Close the report with a reason",
            Some(inline(json!({"reason": {"type": "string", "maxLength": 2000}}), &["reason"])), obj("status", "string"), "200"),
        "/api/v1/channels/twilio/sms": {"post": {"summary": "Inbound SMS webhook; authenticated by X-Twilio-Signature. Answers TwiML", "security": [],
            "requestBody": {"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object",
                "properties": {"MessageSid": {"type": "string"}, "From": {"type": "string"}, "Body": {"type": "string"}}}}}},
            "responses": merge(json!({"200": {"description": "TwiML acknowledgement", "content": {"text/xml": {}}}}), error_responses(&["400", "403"]))}},
        "/api/v1/channels/rapidpro": {"post": {"summary": "Chat flow webhook; authenticated by X-Passage-Token or `Authorization: Token …`", "security": [],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                "description": "contact.urn and results.*.value (current flows) or input.urn and input.text (older flows)"}}}},
            "responses": merge(ok("200", json!({"type": "object", "properties": {"status": {"type": "string", "enum": ["new_report", "threaded", "duplicate"]}}})),
                               error_responses(&["400", "403", "422"]))}}
    })
}
