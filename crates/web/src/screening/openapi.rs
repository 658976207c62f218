//! The screening part of the OpenAPI document.

use crate::openapi::{error_responses, merge};
use serde_json::{Value, json};

pub fn schemas() -> Value {
    let langs = json!({"type": "object", "required": ["en", "fr", "es", "ar"], "properties": {
        "en": {"type": "string"}, "fr": {"type": "string"}, "es": {"type": "string"}, "ar": {"type": "string"}}});
    let answer = json!({"type": "string", "enum": ["yes", "no", "unknown", "declined"]});
    let ids = json!({"type": "array", "items": {"type": "string"}});
    json!({
        "Instrument": {"type": "object", "description": "A versioned screening instrument (data files, validated at start)",
            "properties": {
            "id": {"type": "string"}, "version": {"type": "string"},
            "population": {"type": "string", "enum": ["adult", "child"]},
            "exploitation": {"type": "string", "enum": ["labour", "sexual", "forced_labour", "hotline"]},
            "title": langs.clone(), "source": {"type": "string"},
            "ceiling": {"type": "string", "description": "The highest conclusion this instrument may reach"},
            "rule": {"type": "object", "properties": {"groups": {"type": "array", "items": ids.clone()}}},
            "dimensions": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "title": langs.clone()}}},
            "indicators": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "dimension": {"type": "string"},
                "strength": {"type": "string", "enum": ["strong", "medium", "weak"]},
                "question": langs.clone(), "guidance": langs,
                "methods_of_control": ids.clone()}}}}},
        "NewScreening": {"type": "object", "additionalProperties": false, "required": ["instrument"], "properties": {
            "instrument": {"type": "string"},
            "answers": {"type": "object", "additionalProperties": answer.clone(), "description": "indicator id → answer; an indicator the instrument does not have is refused (422)"},
            "language": {"type": "string", "enum": ["en", "fr", "es", "ar"], "description": "interview language, apart from the interface language"},
            "complete": {"type": "boolean", "default": true, "description": "false keeps it in progress to go on later"}}},
        "ScreeningAnswers": {"type": "object", "additionalProperties": false, "required": ["version"], "properties": {
            "answers": {"type": "object", "additionalProperties": answer}, "complete": {"type": "boolean"}, "version": {"type": "integer"}}},
        "Screening": {"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid"}, "case_id": {"type": "string", "format": "uuid"},
            "instrument": {"type": "string"}, "instrument_version": {"type": "string"}, "language": {"type": "string"},
            "status": {"type": "string", "enum": ["in_progress", "completed"]},
            "conclusion": {"type": ["string", "null"], "enum": ["presumed_trafficking", "indicators_present", "insufficient_information", "no_indicators", null]},
            "dimensions": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "positive": {"type": "boolean"},
                "because": ids.clone(), "present": ids.clone(),
                "rule": {"type": ["string", "null"], "enum": ["two_strong", "strong_and_other", "three_medium", "two_medium_one_weak", null]}}}},
            "could_change": ids.clone(),
            "groups": {"type": "array", "items": {"type": "object", "properties": {"dimensions": ids.clone(), "met": {"type": "boolean"}}}},
            "methods_of_control": ids.clone(), "type_of_exploitation": ids,
            "answers": {"type": "object"}, "version": {"type": "integer"}}}
    })
}

pub fn paths() -> Value {
    let id = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]);
    let one = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Screening"}}}});
    json!({
        "/api/v1/screening/instruments": {"get": {"summary": "The screening instruments in use, with their questions in four languages",
            "responses": merge(json!({"200": {"description": "Instruments", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Instrument"}}}}}}), error_responses(&["401"]))}},
        "/api/v1/cases/{id}/screenings": {
            "get": {"summary": "The screenings of a case, newest first (its screening history)", "parameters": id.clone(),
                "responses": merge(json!({"200": {"description": "Screenings", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Screening"}}}}}}), error_responses(&["401", "404"]))},
            "post": {"summary": "Screen a case: the result explains which indicators made each dimension positive and which open answers could change it",
                "parameters": id.clone(),
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewScreening"}}}},
                "responses": merge(json!({"201": merge(json!({"description": "Screened"}), one.clone())}), error_responses(&["400", "401", "404", "422"]))}},
        "/api/v1/screenings/{id}": {
            "get": {"summary": "One screening", "parameters": id.clone(),
                "responses": merge(json!({"200": merge(json!({"description": "The screening"}), one.clone())}), error_responses(&["401", "404"]))},
            "patch": {"summary": "Save more answers to a screening in progress, and finish it", "parameters": id.clone(),
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScreeningAnswers"}}}},
                "responses": merge(json!({"200": merge(json!({"description": "Saved"}), one)}), error_responses(&["400", "401", "404", "409", "422"]))}},
        "/api/v1/screenings/{id}/identification": {"post": {"summary": "A supervisor records identification as possible victim, referring to this screening",
            "parameters": id,
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"version": {"type": "integer"}}}}}},
            "responses": merge(json!({"200": {"description": "Recorded; the case's new version"}}), error_responses(&["401", "403", "404", "409", "422"]))}}
    })
}
