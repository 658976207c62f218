//! The follow-up visits part of the OpenAPI document.

use crate::openapi::{error_responses, merge};
use serde_json::{Value, json};

pub fn schemas() -> Value {
    let score = json!({"type": "integer", "minimum": 1, "maximum": 3, "description": "1 not sustainable, 2 fragile, 3 sustainable"});
    json!({
        "FollowUp": {"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid"}, "due_on": {"type": "string", "format": "date"},
            "done_on": {"type": ["string", "null"], "format": "date"}, "economic": {"type": ["integer", "null"]},
            "social": {"type": ["integer", "null"]}, "psychosocial": {"type": ["integer", "null"]},
            "note": {"type": ["string", "null"]}, "overdue": {"type": "boolean"}, "version": {"type": "integer"}}},
        "Visit": {"type": "object", "additionalProperties": false, "required": ["done_on", "economic", "social", "psychosocial", "version"],
            "properties": {"done_on": {"type": "string", "format": "date"}, "economic": score.clone(), "social": score.clone(),
                           "psychosocial": score, "note": {"type": "string", "maxLength": 5000}, "version": {"type": "integer"}}}
    })
}

pub fn paths() -> Value {
    let id = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]);
    json!({
        "/api/v1/cases/{id}/follow-ups": {"get": {"summary": "Follow-up visits after closure (due at the profile's months), overdue marked",
            "parameters": id.clone(),
            "responses": merge(json!({"200": {"description": "Visits", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/FollowUp"}}}}}}), error_responses(&["401", "404"]))}},
        "/api/v1/follow-ups/{id}": {"post": {"summary": "Record a visit and its sustainability check, against the version read",
            "parameters": id,
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Visit"}}}},
            "responses": merge(json!({"200": {"description": "Recorded"}}), error_responses(&["400", "401", "404", "409", "422"]))}}
    })
}
