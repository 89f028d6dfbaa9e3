//! The builder's schema table (`strictValidation` and the header checks)
//! against the typed model (`optave_core::model`, feature `ts`): both must
//! accept and refuse the same payloads, naming the same path.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use optave_core::action::Action;
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::model::{HeaderOverrides, Payload};
use optave_core::outbound::{build, EnvelopeConfig};
use serde_json::{json, Value};

const STRICT: EnvelopeConfig = EnvelopeConfig {
    organization_id: None,
    tenant_id: None,
    session_id: None,
    strict: true,
    shared_socket: false,
};

fn typed(value: &Value) -> Result<(), String> {
    serde_path_to_error::deserialize::<_, Payload>(value)
        .map(|_| ())
        .map_err(|e| e.path().to_string())
}

/// The builder with `strictValidation` on: `Err(path)` for a schema mismatch,
/// `Ok` when the types pass (another refusal, such as a missing required
/// field, is not about types).
fn builder(value: &Value) -> Result<(), String> {
    match build(
        Action::Interaction,
        &text(value),
        &STRICT,
        &mut ids(1),
        NOW_MS,
    ) {
        Err(e) if e.is(ErrorCode::PayloadSchemaMismatch) => Err(path_of(&e)),
        _ => Ok(()),
    }
}

fn path_of(err: &OptaveError) -> String {
    details(err)["path"]
        .as_str()
        .unwrap_or_else(|| panic!("no path: {err}"))
        .to_owned()
}

/// Every path into `value` with a replacement that has a different JSON type.
fn mutations(value: &Value, path: Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
    for replacement in [
        json!(42),
        json!("text"),
        json!(true),
        json!([1]),
        json!({ "k": 1 }),
        json!(-1.5),
    ] {
        out.push((path.clone(), replacement));
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let mut p = path.clone();
                p.push(k.clone());
                mutations(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate().take(2) {
                let mut p = path.clone();
                p.push(i.to_string());
                mutations(v, p, out);
            }
        }
        _ => {}
    }
}

fn set(value: &mut Value, path: &[String], replacement: Value) {
    let pointer = format!("/{}", path.join("/"));
    if path.is_empty() {
        *value = replacement;
    } else if let Some(slot) = value.pointer_mut(&pointer) {
        *slot = replacement;
    }
}

#[test]
fn builder_and_typed_model_agree_on_every_single_field_mutation_of_the_seeds() {
    let mut checked = 0;
    for name in [
        "seed002_expected_payload.json",
        "seed000_customerinteraction_params.json",
        "seed003_insights_params.json",
        "seed004_recommend_params.json",
    ] {
        let mut base = fixture(name);
        if let Value::Object(map) = &mut base {
            map.shift_remove("headers");
        }
        assert_eq!(typed(&base), Ok(()), "{name} is valid");
        assert_eq!(builder(&base), Ok(()), "{name} is valid");
        let mut cases = Vec::new();
        mutations(&base, Vec::new(), &mut cases);
        for (path, replacement) in cases {
            if path.is_empty() {
                continue;
            }
            let mut candidate = base.clone();
            set(&mut candidate, &path, replacement.clone());
            let (t, b) = (typed(&candidate), builder(&candidate));
            assert_eq!(
                t.is_ok(),
                b.is_ok(),
                "{name} {path:?} = {replacement}: typed {t:?}, builder {b:?}"
            );
            if let (Err(t), Err(b)) = (&t, &b) {
                // serde also tries a struct from an array, failing one level
                // deeper (`session[0]`); the builder stops at `session`.
                assert!(
                    t.starts_with(b.as_str()),
                    "{name} {path:?}: typed {t}, builder {b}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "checked {checked} mutations");
}

#[test]
fn the_builder_reports_enum_and_integer_mismatches_with_the_path() {
    let bad = json!({ "request": { "scope": { "conversations": [
        { "participants": [ { "role": "user" }, { "role": "admin" } ] } ] } } });
    assert_eq!(
        builder(&bad),
        Err("request.scope.conversations[0].participants[1].role".into())
    );
    assert!(typed(&bad).is_err());
    for (value, ok) in [
        (
            json!({ "request": { "settings": { "maxResponseLength": 1.5 } } }),
            false,
        ),
        (
            json!({ "request": { "settings": { "maxResponseLength": 2000 } } }),
            true,
        ),
        (
            json!({ "request": { "settings": { "maxResponseLength": -1 } } }),
            false,
        ),
        (json!({ "session": { "unknownKey": 1 } }), true),
        (json!({ "session": { "sessionId": null } }), true),
        (
            json!({ "session": { "channel": { "medium": "fax" } } }),
            false,
        ),
    ] {
        assert_eq!(builder(&value).is_ok(), ok, "{value}");
        assert_eq!(typed(&value).is_ok(), ok, "{value}");
    }
}

#[test]
fn header_checks_match_the_typed_overrides() {
    for headers in [
        json!({ "correlationId": "c", "traceId": "t", "idempotencyKey": "i", "timestamp": "2024-01-15T10:30:00.000Z", "networkLatencyMs": 120, "tenantId": "x" }),
        json!({ "schemaRef": "x" }),
        json!({ "networkLatencyMs": "fast" }),
        json!({ "traceId": 7 }),
        json!({ "timestamp": true }),
        json!({}),
    ] {
        let typed = serde_json::from_value::<HeaderOverrides>(headers.clone()).is_ok();
        let mut params = minimal_params();
        params["headers"] = headers.clone();
        let built = build(
            Action::Interaction,
            &text(&params),
            &EnvelopeConfig::default(),
            &mut ids(1),
            NOW_MS,
        );
        assert_eq!(built.is_ok(), typed, "{headers}");
    }
}
