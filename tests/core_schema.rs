//! The schema walker (`core::schema`) against the typed model: both must
//! accept and refuse the same payloads, naming the same path.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use optave_client::core::model::{HeaderOverrides, Payload};
use optave_client::core::schema::{check, HEADERS, PAYLOAD};
use serde_json::{json, Value};

fn typed(value: &Value) -> Result<(), String> {
    serde_path_to_error::deserialize::<_, Payload>(value)
        .map(|_| ())
        .map_err(|e| e.path().to_string())
}

fn walker(value: &Value) -> Result<(), String> {
    check(value, PAYLOAD, false).map_err(|m| m.path)
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
fn walker_and_typed_model_agree_on_every_single_field_mutation_of_the_seeds() {
    let mut checked = 0;
    for name in [
        "seed002_expected_payload.json",
        "seed000_customerinteraction_params.json",
        "seed003_insights_params.json",
        "seed004_recommend_params.json",
    ] {
        let mut base = common::fixture(name);
        if let Value::Object(map) = &mut base {
            map.remove("headers");
        }
        assert_eq!(typed(&base), Ok(()), "{name} is valid");
        assert_eq!(walker(&base), Ok(()), "{name} is valid");
        let mut cases = Vec::new();
        mutations(&base, Vec::new(), &mut cases);
        for (path, replacement) in cases {
            if path.is_empty() {
                continue;
            }
            let mut candidate = base.clone();
            set(&mut candidate, &path, replacement.clone());
            let (t, w) = (typed(&candidate), walker(&candidate));
            assert_eq!(
                t.is_ok(),
                w.is_ok(),
                "{name} {path:?} = {replacement}: typed {t:?}, walker {w:?}"
            );
            if let (Err(t), Err(w)) = (&t, &w) {
                // serde also tries a struct from an array, failing one level
                // deeper (`session[0]`); the walker stops at `session`.
                assert!(
                    t.starts_with(w.as_str()),
                    "{name} {path:?}: typed {t}, walker {w}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "checked {checked} mutations");
}

#[test]
fn walker_reports_enum_and_integer_mismatches_with_the_path() {
    let bad = json!({ "request": { "scope": { "conversations": [
        { "participants": [ { "role": "user" }, { "role": "admin" } ] } ] } } });
    let m = check(&bad, PAYLOAD, false).unwrap_err();
    assert_eq!(
        m.path,
        "request.scope.conversations[0].participants[1].role"
    );
    assert_eq!(
        m.message,
        r#"expected one of "user", "operator", "bot", got "admin""#
    );
    let m = check(
        &json!({ "request": { "settings": { "maxResponseLength": 1.5 } } }),
        PAYLOAD,
        false,
    )
    .unwrap_err();
    assert_eq!(m.path, "request.settings.maxResponseLength");
    assert!(check(
        &json!({ "request": { "settings": { "maxResponseLength": 2000 } } }),
        PAYLOAD,
        false
    )
    .is_ok());
    assert!(
        check(&json!({ "session": { "unknownKey": 1 } }), PAYLOAD, false).is_ok(),
        "unknown keys pass"
    );
    assert!(
        check(&json!({ "session": { "sessionId": null } }), PAYLOAD, false).is_ok(),
        "null is absent"
    );
}

#[test]
fn header_table_is_closed_and_matches_the_typed_overrides() {
    for headers in [
        json!({ "correlationId": "c", "traceId": "t", "idempotencyKey": "i", "timestamp": "2024-01-15T10:30:00.000Z", "networkLatencyMs": 120, "tenantId": "x" }),
        json!({ "schemaRef": "x" }),
        json!({ "networkLatencyMs": "fast" }),
        json!({ "traceId": 7 }),
    ] {
        let typed = serde_json::from_value::<HeaderOverrides>(headers.clone()).is_ok();
        assert_eq!(check(&headers, HEADERS, true).is_ok(), typed, "{headers}");
    }
}
