//! The lifecycle part of the OpenAPI document: editing a case with the version read, moving it
//! between statuses, identification decisions and the deadlines they start, the case's history
//! and the supervisor's approvals.

use crate::openapi::{error_responses, merge};
use passage_core::casework::deadlines::DeadlineKind;
use passage_core::casework::{IdentificationStatus, Outcome, RiskLevel};
use passage_core::{CaseStatus, CaseType, Stage};
use serde_json::{Value, json};

fn names<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|t| f(*t)).collect()
}

/// Schemas used by the lifecycle routes (and the fuller `Case`).
pub fn schemas() -> Value {
    let uuid = json!({"type": "string", "format": "uuid"});
    let statuses = names(CaseStatus::ALL, |s| s.as_str());
    let outcomes = names(Outcome::ALL, |o| o.as_str());
    let kinds = [
        DeadlineKind::ReasonableGroundsDecision,
        DeadlineKind::RecoveryReflectionPeriod,
        DeadlineKind::MoveOnSupport,
        DeadlineKind::FollowUpVisit,
    ]
    .map(|k| serde_json::to_value(k).unwrap_or(Value::Null));
    json!({
        "Case": {"type": "object", "description": "A case with its person, its lifecycle and its deadlines. person.migration_status is absent unless you may read it.",
            "properties": {
                "id": uuid.clone(), "types": {"type": "array", "items": {"type": "string"}},
                "stage": {"type": "string"}, "status": {"type": "string", "enum": statuses.clone()},
                "summary": {"type": "string"}, "organisation_id": uuid.clone(),
                "assigned_to": {"type": ["string", "null"], "format": "uuid"},
                "created_at": {"type": "integer"}, "updated_at": {"type": "integer"},
                "version": {"type": "integer", "description": "Send it back with a change; a stale one answers 409"},
                "person": {"type": "object"},
                "risk": {"type": "string", "enum": names(RiskLevel::ALL, |r| r.as_str())},
                "country": {"type": ["string", "null"], "description": "ISO 3166-1 alpha-2; chooses the jurisdiction profile"},
                "identification": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/IdentificationView"}]},
                "outcome": {"type": ["string", "null"], "enum": outcomes.iter().map(|o| json!(o)).chain([Value::Null]).collect::<Vec<_>>()},
                "closed_at": {"type": ["integer", "null"], "description": "Unix milliseconds"},
                "jurisdiction": {"type": "string", "description": "The profile the deadlines follow"},
                "deadlines": {"type": "array", "items": {"$ref": "#/components/schemas/Deadline"}},
                "next_statuses": {"type": "array", "items": {"type": "string", "enum": statuses.clone()}},
                "close_pending_approval": {"type": "boolean", "description": "A request to close waits for a supervisor"}}},
        "Deadline": {"type": "object", "required": ["kind", "due", "met"], "properties": {
            "kind": {"type": "string", "enum": kinds},
            "due": {"type": "string", "format": "date"},
            "met": {"type": "boolean", "description": "What the deadline waits for has happened"}}},
        "IdentificationView": {"type": "object", "properties": {
            "status": {"type": "string", "enum": names(IdentificationStatus::ALL, |s| s.as_str())},
            "decided_by": {"type": "string"}, "decided_on": {"type": "string", "format": "date"}}},
        "CaseChanges": {"type": "object", "required": ["version"], "additionalProperties": false,
            "description": "A partial update: a field left out is unchanged; country and assigned_to are cleared by null. Send the version you read; a stale one answers 409 version_conflict and nothing is changed.",
            "properties": {
                "version": {"type": "integer"},
                "stage": {"type": "string", "enum": names(Stage::ALL, |s| s.as_str())},
                "types": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": names(CaseType::ALL, |t| t.as_str())}},
                "risk": {"type": "string", "enum": names(RiskLevel::ALL, |r| r.as_str())},
                "country": {"type": ["string", "null"], "description": "ISO 3166-1 alpha-2"},
                "summary": {"type": "string", "maxLength": 20000},
                "assigned_to": {"type": ["string", "null"], "format": "uuid", "description": "An active user of the case's organisation who may work on the case"}}},
        "Transition": {"type": "object", "required": ["to"], "additionalProperties": false,
            "description": "Forward one step or more, back one step (with a reason), close from any open status (with an outcome and a reason), reopen a closed case (with a reason). Closing a high-risk or child case needs a supervisor of the case's organisation: asked by anyone else, it stores a request for a supervisor and answers 422 supervisor_approval_required.",
            "properties": {
                "to": {"type": "string", "enum": statuses},
                "reason": {"type": "string", "maxLength": 2000},
                "outcome": {"type": "string", "enum": outcomes.clone()},
                "version": {"type": "integer", "description": "Optional: the version you read"}}},
        "TransitionDone": {"type": "object", "properties": {
            "id": uuid.clone(), "status": {"type": "string"}, "version": {"type": "integer"}}},
        "Identification": {"type": "object", "required": ["status", "decided_by", "decided_on"], "additionalProperties": false,
            "description": "A positive decision (possible_victim or actual_victim) starts the recovery and reflection period; actual_victim is the conclusive decision (move-on support where the profile has it). A conclusive decision after a reasonable-grounds one keeps the period's start.",
            "properties": {
                "status": {"type": "string", "enum": names(IdentificationStatus::ALL, |s| s.as_str())},
                "decided_by": {"type": "string", "maxLength": 200, "description": "The authority or person who decided (sealed at rest)"},
                "decided_on": {"type": "string", "format": "date", "description": "YYYY-MM-DD, not in the future"},
                "version": {"type": "integer", "description": "Optional: the version you read"}}},
        "HistoryEntry": {"type": "object", "properties": {
            "field": {"type": "string"}, "old": {"type": ["string", "null"]}, "new": {"type": ["string", "null"]},
            "by": {"type": "string", "description": "Display name of who changed it"}, "by_id": uuid.clone(),
            "at": {"type": "integer", "description": "Unix milliseconds"}}},
        "Approval": {"type": "object", "properties": {
            "id": uuid.clone(), "case_id": uuid.clone(), "kind": {"type": "string", "enum": ["close"]},
            "person_name": {"type": "string"}, "outcome": {"type": ["string", "null"], "enum": outcomes.iter().map(|o| json!(o)).chain([Value::Null]).collect::<Vec<_>>()},
            "reason": {"type": "string"}, "requested_by": uuid.clone(), "requested_by_name": {"type": "string"},
            "requested_at": {"type": "integer"}}}
    })
}

/// Paths of the lifecycle routes.
pub fn paths() -> Value {
    let body = |schema: &str| json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    let ok = |schema: Value| json!({"200": {"description": "Success", "content": {"application/json": {"schema": schema}}}});
    let r = |schema: &str| json!({"$ref": format!("#/components/schemas/{schema}")});
    let array = |schema: &str| json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{schema}")}});
    let id = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]);
    let decided = json!({"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "case_id": {"type": "string", "format": "uuid"}, "decision": {"type": "string", "enum": ["approved", "rejected"]}}});
    json!({
        "/api/v1/cases/{id}": {
            "get": {"summary": "A case, its person, its lifecycle and its deadlines (audited)", "parameters": id.clone(),
                    "responses": merge(ok(r("Case")), error_responses(&["401", "404"]))},
            "patch": {"summary": "Change a case's details (partial, with the version read); answers the updated case", "parameters": id.clone(),
                      "requestBody": body("CaseChanges"),
                      "responses": merge(ok(r("Case")), error_responses(&["400", "401", "404", "409", "415", "422"]))}},
        "/api/v1/cases/{id}/transitions": {
            "post": {"summary": "Move a case to another status. 422 codes: transition_not_allowed, reason_required, outcome_required, supervisor_approval_required",
                     "parameters": id.clone(), "requestBody": body("Transition"),
                     "responses": merge(ok(r("TransitionDone")), error_responses(&["400", "401", "404", "409", "415", "422"]))}},
        "/api/v1/cases/{id}/identification": {
            "post": {"summary": "Record an identification decision; answers the case with its deadlines", "parameters": id.clone(),
                     "requestBody": body("Identification"),
                     "responses": merge(ok(r("Case")), error_responses(&["400", "401", "404", "409", "415", "422"]))}},
        "/api/v1/cases/{id}/history": {
            "get": {"summary": "Who changed what and when, oldest first (changes of migration status only for those who may read it)",
                    "parameters": id, "responses": merge(ok(array("HistoryEntry")), error_responses(&["401", "404"]))}},
        "/api/v1/approvals": {
            "get": {"summary": "Requests waiting for a supervisor of your organisation (supervisors only)",
                    "responses": merge(ok(array("Approval")), error_responses(&["401", "403"]))}},
        "/api/v1/approvals/{id}/approve": {
            "post": {"summary": "Approve a request: the case closes with the requested outcome and reason",
                     "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
                     "responses": merge(ok(decided.clone()), error_responses(&["401", "403", "404", "422"]))}},
        "/api/v1/approvals/{id}/reject": {
            "post": {"summary": "Reject a request: the case stays as it is",
                     "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}],
                     "responses": merge(ok(decided), error_responses(&["401", "403", "404", "422"]))}}
    })
}
