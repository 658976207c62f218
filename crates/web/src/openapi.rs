//! The OpenAPI 3.1 document of the API, generated: each capability's part comes from its own
//! request and response types and its handlers' annotations, and is merged here with the
//! header, the security scheme and the error schemas. A test checks that every route the router
//! serves is in it, and back.

use axum::Json;
use serde_json::{Value, json};

/// Every error code with its meaning: the `enum` lists the spellings, `x-meanings` says what
/// each one means. Generated from [`ErrorCode::ALL`](passage_core::ErrorCode), so a new code is
/// documented by being added.
fn error_code_schema() -> Value {
    let all = passage_core::ErrorCode::ALL;
    let meanings: serde_json::Map<String, Value> = all
        .iter()
        .map(|c| (c.as_str().to_string(), Value::from(c.meaning())))
        .collect();
    json!({
        "type": "string",
        "description": "Stable snake_case error code. A spelling never changes once released.",
        "enum": all.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "x-meanings": meanings,
    })
}

/// A generated part as (schemas, paths), ready to merge into the document.
fn generated<P: utoipa::OpenApi>() -> (Value, Value) {
    let doc = serde_json::to_value(P::openapi()).unwrap_or(Value::Null);
    let schemas = doc
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut paths = doc.get("paths").cloned().unwrap_or_else(|| json!({}));
    // An operation open to everyone is annotated `security(())`, which is written `[{}]`;
    // the document says it as the rest does, `[]`: no scheme required.
    for item in paths
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            if op.get("security") == Some(&json!([{}])) {
                op["security"] = json!([]);
            }
        }
    }
    (schemas, paths)
}

/// The `Error` schema, derived from the body every error answer carries.
fn error_schema() -> Value {
    use utoipa::PartialSchema;
    serde_json::to_value(crate::kit::ErrorBody::schema()).unwrap_or(Value::Null)
}

/// The parts generated from types and annotations, as (schemas, paths); add a converted
/// capability here.
fn generated_parts() -> Vec<(Value, Value)> {
    vec![
        generated::<DocumentPart>(),
        generated::<crate::cases::openapi::Part>(),
        generated::<crate::cases::work::openapi::Part>(),
        generated::<crate::cases::follow_up::openapi::Part>(),
        generated::<crate::cases::erasure::openapi::Part>(),
        generated::<crate::auth::openapi::Part>(),
        generated::<crate::admin::openapi::Part>(),
        generated::<crate::stats::openapi::Part>(),
        generated::<crate::duplicates::openapi::Part>(),
        generated::<crate::cases::lifecycle::openapi::Part>(),
        generated::<crate::screening::openapi::Part>(),
        generated::<crate::intake::openapi::Part>(),
        generated::<crate::cases::person::openapi::Part>(),
        generated::<crate::services::openapi::Part>(),
        generated::<crate::cases::protection::openapi::Part>(),
        generated::<crate::cases::tracing::openapi::Part>(),
        generated::<crate::cases::returns::openapi::Part>(),
        generated::<crate::cases::permits::openapi::Part>(),
        generated::<crate::cases::copy::openapi::Part>(),
        generated::<crate::cases::proceedings::openapi::Part>(),
        generated::<crate::cases::labour::openapi::Part>(),
        generated::<crate::referrals::openapi::Part>(),
        generated::<crate::entities::openapi::Part>(),
        generated::<crate::inspections::openapi::Part>(),
        generated::<crate::incidents::openapi::Part>(),
        generated::<crate::monitoring::openapi::Part>(),
        generated::<crate::investigations::openapi::Part>(),
        generated::<crate::transfers::openapi::Part>(),
        generated::<crate::notifications::openapi::Part>(),
    ]
}

pub fn spec() -> Value {
    let mut doc = core_spec();
    for (schemas, paths) in generated_parts() {
        if let (Some(into), Value::Object(more)) = (
            doc.pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut),
            schemas,
        ) {
            into.extend(more);
        }
        // Two parts may serve methods of one path (a case is read by one and changed by
        // another): their operations join under the path.
        if let (Some(into), Value::Object(more)) = (
            doc.pointer_mut("/paths").and_then(Value::as_object_mut),
            paths,
        ) {
            for (path, item) in more {
                match (into.get_mut(&path).and_then(Value::as_object_mut), item) {
                    (Some(existing), Value::Object(ops)) => existing.extend(ops),
                    (_, item) => {
                        into.insert(path, item);
                    }
                }
            }
        }
    }
    doc
}

/// What belongs to no capability: the header, the security scheme, the error schemas. Every
/// path comes from a part.
fn core_spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Passage API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Protection of migrants' rights. Every request except /auth/token needs `Authorization: Bearer TOKEN`. Records you may not see answer 404, exactly like records that do not exist. Immigration-enforcement organisations obtain aggregate statistics only."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": error_schema(),
                "ErrorCode": error_code_schema(),
            }
        },
        "security": [{"bearer": []}],
        "paths": {}
    })
}

/// The document itself, as its own generated part.
#[derive(utoipa::OpenApi)]
#[openapi(paths(document))]
struct DocumentPart;

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "document",
    summary = "This document",
    security(()),
    responses((status = 200, description = "OpenAPI document", body = Object)))]
pub async fn document() -> Json<Value> {
    Json(spec())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Every path the router serves is in the document, and the document lists nothing that is
    /// not served: the paths come from the routes themselves, not from reading source text.
    #[test]
    fn served_and_documented_paths_are_the_same() {
        let spec = super::spec();
        let served: BTreeSet<String> = crate::api_routes()
            .paths
            .iter()
            .map(|p| format!("/api/v1{p}"))
            .collect();
        assert!(served.len() > 50, "the API serves {} paths", served.len());
        let documented: BTreeSet<String> = spec["paths"]
            .as_object()
            .expect("paths")
            .keys()
            .cloned()
            .collect();
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty(),
            "served, not documented: {undocumented:?}"
        );
        assert!(unserved.is_empty(), "documented, not served: {unserved:?}");
    }

    /// Every `$ref` in the document points to a schema it has: the generated parts bring the
    /// schemas of their request and response types, so nothing a client resolves is missing.
    #[test]
    fn every_reference_resolves() {
        fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(serde_json::Value::String(r)) = m.get("$ref") {
                        out.push(r.clone());
                    }
                    m.values().for_each(|v| refs(v, out));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let spec = super::spec();
        let mut all = Vec::new();
        refs(&spec, &mut all);
        assert!(all.len() > 100, "only {} references", all.len());
        let dangling: BTreeSet<&String> = all
            .iter()
            .filter(|r| {
                r.strip_prefix('#')
                    .is_none_or(|pointer| spec.pointer(pointer).is_none())
            })
            .collect();
        assert!(dangling.is_empty(), "references to nothing: {dangling:?}");

        // Each operation of a generated part answers success with a schema (bodiless answers
        // such as 204 excepted), and each error answer with the `Error` schema.
        let mut operations = 0;
        for (_, paths) in super::generated_parts() {
            for (path, item) in paths.as_object().expect("paths") {
                for (method, op) in item.as_object().expect("path item") {
                    operations += 1;
                    for (status, answer) in op["responses"].as_object().expect("responses") {
                        let schema = answer.pointer("/content/application~1json/schema");
                        if status.starts_with('2') && status != "204" {
                            // Whatever its media type (JSON, or TwiML for the SMS gateway).
                            let typed = answer["content"].as_object().is_some_and(|media| {
                                !media.is_empty()
                                    && media.values().all(|m| m.get("schema").is_some())
                            });
                            assert!(typed, "{method} {path} {status}: no schema");
                        }
                        if status.starts_with('4') || status.starts_with('5') {
                            assert_eq!(
                                schema.and_then(|s| s.get("$ref")),
                                Some(&serde_json::json!("#/components/schemas/Error")),
                                "{method} {path} {status}"
                            );
                        }
                    }
                }
            }
        }
        assert!(operations >= 75, "only {operations} generated operations");
        // Signing in needs no token, and the document says so as it always has.
        assert_eq!(
            spec["paths"]["/api/v1/auth/token"]["post"]["security"],
            serde_json::json!([])
        );
    }

    /// No part names a schema another part names differently: merging would silently keep only
    /// one of them, and the other part's references would describe the wrong body.
    #[test]
    fn schema_names_are_not_shared_between_parts() {
        let mut seen: std::collections::BTreeMap<String, serde_json::Value> =
            super::core_spec()["components"]["schemas"]
                .as_object()
                .expect("core schemas")
                .clone()
                .into_iter()
                .collect();
        let mut clashes = Vec::new();
        for (schemas, _) in super::generated_parts() {
            for (name, schema) in schemas.as_object().expect("schemas") {
                match seen.get(name) {
                    Some(before) if before != schema => clashes.push(name.clone()),
                    _ => {
                        seen.insert(name.clone(), schema.clone());
                    }
                }
            }
        }
        assert!(
            clashes.is_empty(),
            "named differently by two parts: {clashes:?}"
        );
    }

    /// Every error code the document lists is produced by some code path of core, the store or
    /// the web layer: a code nothing answers with would be a promise clients wait on in vain.
    /// (Each variant must be named outside its own definition, in non-test source.)
    #[test]
    fn every_listed_error_code_is_produced_somewhere() {
        fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("read source dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("error_code.rs")
                {
                    let text = std::fs::read_to_string(&path).expect("read source");
                    // Test modules do not count: they name codes to check them, not to answer.
                    let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
                    out.push(code);
                }
            }
        }
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut text = Vec::new();
        for krate in ["core", "store", "web", "linkage"] {
            sources(&crates.join(krate).join("src"), &mut text);
        }
        assert!(text.len() > 50, "the sources were not found");
        let all = text.join("\n");
        let spec = super::spec();
        let listed = spec
            .pointer("/components/schemas/ErrorCode/enum")
            .and_then(|v| v.as_array())
            .expect("the document lists the error codes");
        assert_eq!(listed.len(), passage_core::ErrorCode::ALL.len());
        let unproduced: Vec<&str> = passage_core::ErrorCode::ALL
            .iter()
            .filter(|c| !all.contains(&format!("ErrorCode::{c:?}")))
            .map(|c| c.as_str())
            .collect();
        assert!(
            unproduced.is_empty(),
            "codes nothing produces: {unproduced:?}"
        );
    }
}
