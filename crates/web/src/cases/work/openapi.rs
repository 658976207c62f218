//! The case-work part of the OpenAPI document: needs, plan, tasks, notes, services and the
//! supervisor's dashboard.

use crate::openapi::{error_responses, merge};
use passage_core::Urgency;
use passage_core::casework::{Confidentiality, NeedDomain, ServiceType};
use serde_json::{Value, json};

fn names<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|t| f(*t)).collect()
}

/// Schemas used by the case-work routes.
pub fn schemas() -> Value {
    let text = |max: u32| json!({"type": "string", "maxLength": max});
    let date = json!({"type": "string", "format": "date", "description": "YYYY-MM-DD"});
    let uuid = json!({"type": "string", "format": "uuid"});
    let domains = names(NeedDomain::ALL, |d| d.as_str());
    json!({
        "NeedInput": {"type": "object", "required": ["domain", "urgency"], "additionalProperties": false,
            "description": "Records the need of one domain (upsert). Leave version out to record a domain for the first time; send the version you read to change it (409 version_conflict otherwise).",
            "properties": {
                "domain": {"type": "string", "enum": domains.clone()},
                "urgency": {"type": "string", "enum": names(Urgency::ALL, |u| u.as_str())},
                "description": text(5000), "met": {"type": "boolean", "default": false},
                "version": {"type": "integer"}}},
        "Need": {"type": "object", "properties": {
            "id": uuid.clone(), "case_id": uuid.clone(), "domain": {"type": "string"}, "urgency": {"type": "string"},
            "description": {"type": ["string", "null"]}, "met": {"type": "boolean"},
            "updated_at": {"type": "integer", "description": "Unix milliseconds"}, "version": {"type": "integer"}}},
        "PlanInput": {"type": "object", "required": ["goal"], "additionalProperties": false, "properties": {
            "domain": {"type": "string", "enum": domains, "description": "The need this item answers; it must be recorded in the needs assessment"},
            "goal": text(2000), "action": text(5000),
            "responsible": {"type": "string", "maxLength": 200, "description": "A user id of the case's organisation who can open the case, or free text naming someone else"},
            "due_on": date.clone()}},
        "PlanUpdate": {"type": "object", "required": ["goal", "version"], "additionalProperties": false,
            "description": "Replaces every field of the item (omitted optional fields are cleared).",
            "properties": {
                "domain": {"type": "string"}, "goal": text(2000), "action": text(5000),
                "responsible": {"type": "string", "maxLength": 200}, "due_on": date.clone(),
                "done": {"type": "boolean", "default": false}, "version": {"type": "integer"}}},
        "PlanItem": {"type": "object", "properties": {
            "id": uuid.clone(), "case_id": uuid.clone(), "domain": {"type": ["string", "null"]}, "goal": {"type": "string"},
            "action": {"type": ["string", "null"]}, "responsible_user_id": {"type": ["string", "null"], "format": "uuid"},
            "responsible": {"type": ["string", "null"], "description": "The responsible user's name, or the free text"},
            "due_on": {"type": ["string", "null"]}, "done": {"type": "boolean"}, "created_at": {"type": "integer"}, "version": {"type": "integer"}}},
        "NewTask": {"type": "object", "required": ["title", "due_on"], "additionalProperties": false, "properties": {
            "title": text(500),
            "assignee": {"type": "string", "format": "uuid", "description": "A user of the case's organisation who can open the case; you when left out"},
            "due_on": date}},
        "Task": {"type": "object", "properties": {
            "id": uuid.clone(), "case_id": uuid.clone(), "title": {"type": "string"},
            "assigned_to": {"type": ["string", "null"], "format": "uuid"}, "assignee_name": {"type": ["string", "null"]},
            "due_on": {"type": ["string", "null"]}, "overdue": {"type": "boolean", "description": "Not done and due before today (UTC)"},
            "done": {"type": "boolean"}, "done_at": {"type": ["integer", "null"]}, "created_at": {"type": "integer"}, "version": {"type": "integer"}}},
        "NewNote": {"type": "object", "required": ["body"], "additionalProperties": false, "properties": {
            "confidentiality": {"type": "string", "enum": names(Confidentiality::ALL, |c| c.as_str()), "default": "normal",
                "description": "normal: every reader of the case; restricted: readers in the case's own organisation; sensitive: the author and the organisation's supervisors. You may choose only a level you can read yourself."},
            "body": text(20000)}},
        "Note": {"type": "object", "description": "Notes you may not read are left out entirely.", "properties": {
            "id": uuid.clone(), "case_id": uuid.clone(), "confidentiality": {"type": "string"}, "body": {"type": "string"},
            "author_id": uuid.clone(), "author_name": {"type": "string"}, "created_at": {"type": "integer"}}},
        "NewService": {"type": "object", "required": ["service_type", "provider", "delivered_on"], "additionalProperties": false, "properties": {
            "service_type": {"type": "string", "enum": names(ServiceType::ALL, |s| s.as_str())},
            "provider": text(200), "delivered_on": {"type": "string", "format": "date", "description": "YYYY-MM-DD, not in the future"},
            "note": text(5000)}},
        "Service": {"type": "object", "properties": {
            "id": uuid.clone(), "case_id": uuid.clone(), "service_type": {"type": "string"}, "provider": {"type": "string"},
            "delivered_on": {"type": "string"}, "note": {"type": ["string", "null"]}, "recorded_by": uuid, "created_at": {"type": "integer"}}},
        "Dashboard": {"type": "object", "properties": {
            "caseload": {"type": "array", "items": {"type": "object", "properties": {
                "user_id": {"type": "string"}, "name": {"type": "string"}, "total": {"type": "integer"},
                "by_status": {"type": "array", "items": {"type": "object", "properties": {"status": {"type": "string"}, "count": {"type": "integer"}}}}}}},
            "unassigned_open": {"type": "integer"},
            "overdue_task_count": {"type": "integer"},
            "overdue_tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
            "open_alerts": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "report_id": {"type": "string"}, "created_at": {"type": "integer"}}}},
            "pending_approvals": {"type": "integer"}}}
    })
}

/// Paths of the case-work routes.
pub fn paths() -> Value {
    let body = |schema: &str| json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    let ok = |status: &str, schema: &str| json!({ status: {"description": "Success", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}});
    let list = |schema: &str| json!({"200": {"description": "Success", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": format!("#/components/schemas/{schema}")}}}}}});
    let id_param = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]);
    let read = |summary: &str, schema: &str| {
        json!({"summary": summary, "parameters": id_param.clone(),
               "responses": merge(list(schema), error_responses(&["401", "404"]))})
    };
    let write = |summary: &str, input: &str, status: &str, schema: &str| {
        json!({"summary": summary, "parameters": id_param.clone(), "requestBody": body(input),
               "responses": merge(ok(status, schema), error_responses(&["400", "401", "404", "409", "415", "422"]))})
    };
    let inline = |props: Value, required: &[&str]| {
        json!({"required": true, "content": {"application/json": {"schema":
        {"type": "object", "additionalProperties": false, "required": required, "properties": props}}}})
    };
    let task_action = |summary: &str, req: Value| {
        json!({"post": {"summary": summary, "parameters": id_param.clone(), "requestBody": req,
               "responses": merge(ok("200", "Task"), error_responses(&["400", "401", "404", "409", "422"]))}})
    };
    json!({
        "/api/v1/cases/{id}/needs": {
            "get": read("The needs assessment of a case (recorded domains)", "Need"),
            "put": write("Record or change the need of one domain", "NeedInput", "200", "Need")},
        "/api/v1/cases/{id}/plan": {
            "get": read("The case plan: open items first, by due date", "PlanItem"),
            "post": write("Add a plan item (from a recorded need when domain is given)", "PlanInput", "201", "PlanItem")},
        "/api/v1/plan-items/{id}": {
            "post": write("Change a plan item (all fields, with the version you read)", "PlanUpdate", "200", "PlanItem")},
        "/api/v1/cases/{id}/tasks": {
            "get": read("Tasks of a case: open ones first (overdue first), then done ones", "Task"),
            "post": write("Add a task", "NewTask", "201", "Task")},
        "/api/v1/tasks": {"get": {
            "summary": "Task lists. assigned=me: your open tasks (overdue=true: only overdue ones); overdue=true alone: your organisation's overdue tasks (supervisors only, 403 otherwise); no parameter: your open tasks. Overdue first, then by due date; only tasks of cases you may read.",
            "parameters": [
                {"name": "assigned", "in": "query", "schema": {"type": "string", "enum": ["me"]}, "description": "Any other value is 400 invalid_query"},
                {"name": "overdue", "in": "query", "schema": {"type": "boolean"}}],
            "responses": merge(list("Task"), error_responses(&["400", "401", "403"]))}},
        "/api/v1/tasks/{id}/complete": task_action("Mark a task done",
            inline(json!({"version": {"type": "integer"}}), &["version"])),
        "/api/v1/tasks/{id}/reassign": task_action("Give a task to another user of the case's organisation who can open the case",
            inline(json!({"assignee": {"type": "string", "format": "uuid"}, "version": {"type": "integer"}}), &["assignee", "version"])),
        "/api/v1/cases/{id}/notes": {
            "get": read("Notes of a case you may read, newest first (each read is audited)", "Note"),
            "post": write("Add a note (notes are never edited)", "NewNote", "201", "Note")},
        "/api/v1/cases/{id}/services": {
            "get": read("Services delivered, most recent first", "Service"),
            "post": write("Record a service delivered", "NewService", "201", "Service")},
        "/api/v1/dashboard": {"get": {
            "summary": "Your organisation's caseload per worker, overdue tasks, open emergency alerts and pending approvals (supervisors only)",
            "responses": merge(json!({"200": {"description": "Success", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dashboard"}}}}}),
                               error_responses(&["401", "403"]))}}
    })
}
