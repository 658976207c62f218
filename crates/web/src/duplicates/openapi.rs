//! The duplicate-persons part of the OpenAPI document.

use crate::openapi::{error_responses, merge};
use serde_json::{Value, json};

pub fn schemas() -> Value {
    json!({
        "DuplicateCandidate": {"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid"},
            "person_id": {"type": "string", "format": "uuid"}, "person_name": {"type": "string"},
            "other_id": {"type": "string", "format": "uuid"}, "other_name": {"type": "string"},
            "probability": {"type": "number"},
            "explanation": {"type": "array", "items": {"type": "object", "properties": {
                "field": {"type": "string"}, "level": {"type": "string"}, "bits": {"type": "number"}}}},
            "names_swapped": {"type": "boolean"}, "created_at": {"type": "integer"}}},
        "Merge": {"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid"}, "kept_id": {"type": "string", "format": "uuid"},
            "kept_name": {"type": "string"}, "merged_id": {"type": "string", "format": "uuid"},
            "moved_cases": {"type": "array", "items": {"type": "string", "format": "uuid"}},
            "at": {"type": "integer"}, "undone_at": {"type": ["integer", "null"]}}},
        "LinkStatus": {"type": "object", "properties": {
            "pending_review": {"type": "boolean"}, "merged_into": {"type": ["string", "null"], "format": "uuid"},
            "partner_may_hold": {"type": "boolean", "description": "a partner organisation may hold a record of this person; nothing more is said"}}},
        "PartnerSignal": {"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid"},
            "status": {"type": "string", "enum": ["open", "connected", "declined"], "description": "declined is shown only to the side that declined"},
            "our_consent": {"type": "boolean", "description": "this side recorded its person's agreement to be connected"},
            "partner_consent": {"type": "boolean", "description": "the partner recorded its person's agreement (it asks to connect)"},
            "partner_organisation": {"type": ["object", "null"], "description": "named only once both sides recorded the person's agreement",
                "properties": {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}}},
            "created_at": {"type": "integer"}, "resolved_at": {"type": ["integer", "null"]}}},
        "PartnerConsent": {"type": "object", "required": ["method"], "properties": {
            "method": {"type": "string", "enum": ["verbal", "written", "digital"]},
            "language": {"type": "string", "description": "ISO 639 code of the language the person was asked in"}}}
    })
}

pub fn paths() -> Value {
    let id = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]);
    let signal_params = json!([
        {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}},
        {"name": "signal", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]);
    let ok = |d: &str| json!({"200": {"description": d}});
    json!({
        "/api/v1/duplicates": {"get": {"summary": "The organisation's candidate duplicate persons, most probable first, with each score's explanation (supervisors)",
            "responses": merge(json!({"200": {"description": "Candidates", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/DuplicateCandidate"}}}}}}), error_responses(&["401", "403"]))}},
        "/api/v1/duplicates/{id}/merge": {"post": {"summary": "Merge the pair: the person registered first is kept and the other's cases move to it", "parameters": id.clone(),
            "responses": merge(ok("Merged; the merge's id undoes it"), error_responses(&["401", "403", "404", "422"]))}},
        "/api/v1/duplicates/{id}/dismiss": {"post": {"summary": "Record that the pair are different people", "parameters": id.clone(),
            "responses": merge(ok("Dismissed"), error_responses(&["401", "403", "404"]))}},
        "/api/v1/merges": {"get": {"summary": "The organisation's merges, newest first",
            "responses": merge(json!({"200": {"description": "Merges", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Merge"}}}}}}), error_responses(&["401", "403"]))}},
        "/api/v1/merges/{id}/undo": {"post": {"summary": "Undo a merge: exactly the cases it moved go back", "parameters": id.clone(),
            "responses": merge(ok("Undone"), error_responses(&["401", "403", "404", "422"]))}},
        "/api/v1/persons/{id}/duplicates": {"get": {"summary": "What a reader of the person may know: a pending review, a merge, a partner that may hold a record", "parameters": id.clone(),
            "responses": merge(json!({"200": {"description": "Status", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LinkStatus"}}}}}), error_responses(&["401", "404"]))}},
        "/api/v1/persons/{id}/partner-signals": {"get": {"summary": "The person's partner signals as this side may know them (the person's own organisation only)", "parameters": id,
            "responses": merge(json!({"200": {"description": "Signals", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/PartnerSignal"}}}}}}), error_responses(&["401", "404"]))}},
        "/api/v1/persons/{id}/partner-signals/{signal}/consent": {"post": {"summary": "Record that the person agrees to be connected with the partner who may hold their record; when both sides have, each learns the other organisation and a referral consent is recorded", "parameters": signal_params.clone(),
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PartnerConsent"}}}},
            "responses": merge(json!({"200": {"description": "The signal as this side now knows it", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PartnerSignal"}}}}}), error_responses(&["400", "401", "403", "404", "422"]))}},
        "/api/v1/persons/{id}/partner-signals/{signal}/decline": {"post": {"summary": "Record that the person does not agree: the signal closes for both sides, and the partner learns nothing", "parameters": signal_params,
            "responses": merge(json!({"200": {"description": "Declined", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PartnerSignal"}}}}}), error_responses(&["401", "403", "404", "422"]))}}
    })
}
