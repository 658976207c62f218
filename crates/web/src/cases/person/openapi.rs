//! The person part of the OpenAPI document: full identity and identity documents, consent,
//! attachments and best-interests decisions for children.

use crate::openapi::{error_responses, merge};
use passage_core::casework::person::ContactKind;
use passage_core::casework::{
    ConsentMethod, ConsentPurpose, DocumentHolder, DocumentKind, LegalBasis, Vulnerability,
};
use serde_json::{Value, json};

fn names<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|t| f(*t)).collect()
}

/// Schemas used by the person routes.
pub fn schemas() -> Value {
    let text = |max: u32| json!({"type": ["string", "null"], "maxLength": max});
    let uuid = json!({"type": "string", "format": "uuid"});
    let list = |items: Value| json!({"type": ["array", "null"], "maxItems": 20, "items": items});
    let language =
        json!({"type": "string", "pattern": "^[a-z]{2,3}$", "description": "ISO 639 code"});
    let holders = names(DocumentHolder::ALL, |h| h.as_str());
    json!({
        "PersonChanges": {"type": "object", "required": ["version"], "additionalProperties": false,
            "description": "A partial update: a field left out is unchanged; null or an empty value clears it (given_name cannot be cleared). Send the version you read; a stale one answers 409 version_conflict. Names go in their own script in given_name/family_name and in Latin letters in the *_latin fields; search finds the person by either.",
            "properties": {
                "version": {"type": "integer"},
                "given_name": text(200), "family_name": text(200),
                "given_name_latin": {"type": ["string", "null"], "maxLength": 200, "description": "Latin letters (accents allowed) only"},
                "family_name_latin": {"type": ["string", "null"], "maxLength": 200},
                "aliases": list(json!({"type": "string", "maxLength": 200})),
                "date_of_birth": {"type": ["string", "null"], "description": "YYYY, YYYY-MM or YYYY-MM-DD: as much as is known"},
                "sex": {"type": ["string", "null"]},
                "citizenships": list(json!({"type": "string", "description": "ISO 3166-1 alpha-2"})),
                "languages": list(language.clone()),
                "contacts": list(json!({"type": "object", "required": ["kind", "value"], "properties": {
                    "kind": {"type": "string", "enum": names(ContactKind::ALL, |k| k.as_str())},
                    "value": {"type": "string", "maxLength": 500}}})),
                "vulnerabilities": list(json!({"type": "string", "enum": names(Vulnerability::ALL, |v| v.as_str())})),
                "migration_status": {"type": ["string", "null"], "maxLength": 200,
                    "description": "Firewalled and never required: only caseworkers and supervisors of the owning organisation may change it (403 otherwise)."}}},
        "Person": {"type": "object", "description": "A person's full identity. migration_status is absent unless you may read it.",
            "properties": {
                "id": uuid.clone(), "organisation_id": uuid.clone(), "version": {"type": "integer"},
                "given_name": {"type": "string"}, "family_name": {"type": "string"},
                "given_name_latin": {"type": ["string", "null"]}, "family_name_latin": {"type": ["string", "null"]},
                "aliases": {"type": "array", "items": {"type": "string"}},
                "date_of_birth": {"type": ["string", "null"]}, "sex": {"type": ["string", "null"]},
                "citizenships": {"type": "array", "items": {"type": "string"}},
                "languages": {"type": "array", "items": {"type": "string"}},
                "contacts": {"type": "array", "items": {"type": "object"}},
                "vulnerabilities": {"type": "array", "items": {"type": "string"}},
                "migration_status": {"type": "string"},
                "is_child": {"type": "boolean", "description": "A child by vulnerability or by date of birth"},
                "documents": {"type": "array", "items": {"$ref": "#/components/schemas/IdentityDocument"}},
                "key_indicators": {"type": "array", "items": {"type": "string", "enum": ["identity_document_held_by_other"]}},
                "created_at": {"type": "integer"}, "updated_at": {"type": ["integer", "null"]}}},
        "IdentityDocument": {"type": "object", "properties": {
            "id": uuid.clone(), "kind": {"type": "string"}, "number": {"type": ["string", "null"]},
            "country": {"type": ["string", "null"]}, "held_by": {"type": "string", "enum": holders.clone()},
            "key_indicator": {"type": "boolean", "description": "Held by anyone but the person (employer, recruiter, authorities, organisation, other): a key indicator of control"},
            "version": {"type": "integer"}}},
        "NewIdentityDocument": {"type": "object", "required": ["kind", "held_by"], "additionalProperties": false, "properties": {
            "kind": {"type": "string", "enum": names(DocumentKind::ALL, |k| k.as_str())},
            "number": text(60), "country": {"type": ["string", "null"], "description": "ISO 3166-1 alpha-2 of the issuer"},
            "held_by": {"type": "string", "enum": holders.clone(), "description": "Who has the document now"}}},
        "IdentityDocumentChanges": {"type": "object", "required": ["version"], "additionalProperties": false, "properties": {
            "version": {"type": "integer"}, "held_by": {"type": "string", "enum": holders},
            "number": text(60), "country": {"type": ["string", "null"]}}},
        "NewConsent": {"type": "object", "required": ["purpose"], "additionalProperties": false,
            "description": "A referral consent names the organisation (never immigration enforcement: 422 immigration_firewall). A basis other than consent needs a reason and is audited as consent.legal_basis.",
            "properties": {
                "purpose": {"type": "string", "enum": names(ConsentPurpose::ALL, |p| p.as_str())},
                "organisation_id": uuid.clone(),
                "basis": {"type": "string", "enum": names(LegalBasis::ALL, |b| b.as_str()), "default": "consent"},
                "method": {"type": "string", "enum": names(ConsentMethod::ALL, |m| m.as_str())},
                "language": language,
                "reason": {"type": "string", "maxLength": 2000, "description": "Required for best_interests_of_child and vital_interest"}}},
        "Consent": {"type": "object", "properties": {
            "id": uuid.clone(), "person_id": uuid.clone(), "purpose": {"type": "string"},
            "organisation_id": {"type": ["string", "null"]}, "organisation_name": {"type": ["string", "null"]},
            "basis": {"type": "string"}, "method": {"type": ["string", "null"]}, "language": {"type": ["string", "null"]},
            "reason": {"type": ["string", "null"]}, "recorded_by": uuid.clone(), "recorded_by_name": {"type": "string"},
            "given_at": {"type": "integer", "description": "Unix milliseconds"},
            "withdrawn_at": {"type": ["integer", "null"]}, "withdrawn_by": {"type": ["string", "null"]},
            "withdrawn_by_name": {"type": ["string", "null"]}, "withdrawal_method": {"type": ["string", "null"]},
            "in_force": {"type": "boolean"}}},
        "Attachment": {"type": "object", "properties": {
            "id": uuid.clone(), "case_id": uuid.clone(), "filename": {"type": "string"},
            "content_type": {"type": "string", "enum": ["application/pdf", "image/jpeg", "image/png", "text/plain; charset=utf-8"]},
            "size": {"type": "integer", "description": "Bytes stored, after image metadata was removed"},
            "created_by": uuid.clone(), "created_by_name": {"type": "string"}, "created_at": {"type": "integer"}}},
        "NewBestInterests": {"type": "object", "required": ["assessment", "decision"], "additionalProperties": false, "properties": {
            "assessment": {"type": "string", "maxLength": 20000}, "decision": {"type": "string", "maxLength": 20000},
            "guardian_name": text(200), "guardian_contact": text(500)}},
        "BestInterests": {"type": "object", "properties": {
            "id": uuid.clone(), "case_id": uuid.clone(), "assessment": {"type": "string"}, "decision": {"type": "string"},
            "guardian_name": {"type": ["string", "null"]}, "guardian_contact": {"type": ["string", "null"]},
            "created_by": uuid.clone(), "created_by_name": {"type": "string"}, "created_at": {"type": "integer"},
            "signed_off_by": {"type": ["string", "null"]}, "signed_off_by_name": {"type": ["string", "null"]},
            "signed_off_at": {"type": ["integer", "null"]},
            "final": {"type": "boolean", "description": "Signed off by a supervisor: until then the decision is not final"}}}
    })
}

/// Paths of the person routes.
pub fn paths() -> Value {
    let body = |schema: &str| json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    let ok = |status: &str, schema: Value| json!({ status: {"description": "Success", "content": {"application/json": {"schema": schema}}} });
    let r = |schema: &str| json!({"$ref": format!("#/components/schemas/{schema}")});
    let array = |schema: &str| json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{schema}")}});
    let id_schema = json!({"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}}, "required": ["id"]});
    let versioned = json!({"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "version": {"type": "integer"}}});
    let param = |name: &str| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}});
    let id = json!([param("id")]);
    let no_content = |what: &str| json!({"204": {"description": what}});
    json!({
        "/api/v1/persons/{id}": {
            "get": {"summary": "A person's full identity and identity documents (audited)", "parameters": id.clone(),
                    "responses": merge(ok("200", r("Person")), error_responses(&["401", "404"]))},
            "patch": {"summary": "Change a person's identity (partial, with the version read)", "parameters": id.clone(), "requestBody": body("PersonChanges"),
                      "responses": merge(ok("200", versioned.clone()), error_responses(&["400", "401", "403", "404", "409", "415", "422"]))}},
        "/api/v1/persons/{id}/documents": {
            "post": {"summary": "Record an identity document and who holds it", "parameters": id.clone(), "requestBody": body("NewIdentityDocument"),
                     "responses": merge(ok("201", id_schema.clone()), error_responses(&["400", "401", "404", "422"]))}},
        "/api/v1/persons/{id}/documents/{document_id}": {
            "patch": {"summary": "Change who holds a document, its number or country (with the version read)",
                      "parameters": [param("id"), param("document_id")], "requestBody": body("IdentityDocumentChanges"),
                      "responses": merge(ok("200", versioned), error_responses(&["400", "401", "404", "409", "422"]))},
            "delete": {"summary": "Remove a document recorded by mistake", "parameters": [param("id"), param("document_id")],
                       "responses": merge(no_content("Removed"), error_responses(&["401", "404"]))}},
        "/api/v1/persons/{id}/consents": {
            "get": {"summary": "Every consent of the person, in force and withdrawn, newest first", "parameters": id.clone(),
                    "responses": merge(ok("200", array("Consent")), error_responses(&["401", "404"]))},
            "post": {"summary": "Record a consent or another legal basis", "parameters": id.clone(), "requestBody": body("NewConsent"),
                     "responses": merge(ok("201", id_schema.clone()), error_responses(&["400", "401", "404", "422"]))}},
        "/api/v1/persons/{id}/consents/{consent_id}": {
            "delete": {"summary": "Withdraw a consent, effective at once; withdrawing again changes nothing",
                       "parameters": [param("id"), param("consent_id"),
                                      {"name": "method", "in": "query", "schema": {"type": "string", "enum": names(ConsentMethod::ALL, |m| m.as_str())}}],
                       "responses": merge(no_content("Withdrawn"), error_responses(&["400", "401", "404", "422"]))}},
        "/api/v1/cases/{id}/attachments": {
            "get": {"summary": "A case's attachments, newest first (no content)", "parameters": id.clone(),
                    "responses": merge(ok("200", array("Attachment")), error_responses(&["401", "404"]))},
            "post": {"summary": "Attach a file: PDF, JPEG, PNG or plain text, checked by its bytes; images lose their metadata (EXIF, GPS, IPTC, XMP, comments) before it is sealed and stored",
                     "parameters": [param("id"), {"name": "X-Filename", "in": "header", "schema": {"type": "string"}, "description": "The file name, when the body is the raw file"}],
                     "requestBody": {"required": true, "content": {
                         "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}},
                         "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                     "responses": merge(ok("201", r("Attachment")), error_responses(&["400", "401", "404", "413", "415", "422"]))}},
        "/api/v1/attachments/{id}": {
            "get": {"summary": "Download an attachment (audited): Content-Disposition attachment, nosniff, no-store", "parameters": id.clone(),
                    "responses": merge(json!({"200": {"description": "The file", "content": {
                        "application/pdf": {}, "image/jpeg": {}, "image/png": {}, "text/plain": {}}}}), error_responses(&["401", "404"]))}},
        "/api/v1/cases/{id}/best-interests": {
            "get": {"summary": "Best-interests assessments and decisions of a child's case; final only once signed off", "parameters": id.clone(),
                    "responses": merge(ok("200", array("BestInterests")), error_responses(&["401", "404"]))},
            "post": {"summary": "Record a best-interests assessment and decision; it waits for a supervisor's sign-off", "parameters": id.clone(),
                     "requestBody": body("NewBestInterests"),
                     "responses": merge(ok("201", id_schema), error_responses(&["400", "401", "404", "422"]))}},
        "/api/v1/best-interests/{id}/sign-off": {
            "post": {"summary": "Sign off a decision: a supervisor of the case's organisation who did not write it (422 supervisor_required, own_decision, already_signed_off)",
                     "parameters": id,
                     "responses": merge(ok("200", json!({"type": "object", "properties": {"id": {"type": "string"}, "case_id": {"type": "string"}, "final": {"type": "boolean"}}})),
                                        error_responses(&["401", "404", "422"]))}}
    })
}
