//! Outbound validation: top-level keys, header overrides and strictValidation.
// Native only: plain `#[test]`s (the browser suite is tests/web*.rs).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use optave_client::core::action::Action;
use optave_client::core::envelope::EnvelopeConfig;
use optave_client::core::error::{ErrorCategory, ErrorCode, OptaveError};
use optave_client::core::validate::{check_top_level, kind, parse_headers, TOP_LEVEL_KEYS};
use serde_json::{json, Value};

fn mismatch(params: Value) -> OptaveError {
    let err = expect_code(
        build_err(Action::Interaction, params),
        ErrorCode::PayloadSchemaMismatch,
    );
    assert_eq!(err.category, ErrorCategory::Validation);
    assert_eq!(err.timestamp, NOW_ISO);
    err
}

fn with_headers(headers: Value) -> Value {
    let mut params = minimal_params();
    params["headers"] = headers;
    params
}

#[test]
fn only_session_request_and_headers_at_the_top_level() {
    assert_eq!(TOP_LEVEL_KEYS, ["session", "request", "headers"]);
    let mut params = minimal_params();
    params["conversations"] = json!([]);
    let err = mismatch(params);
    assert!(err.message.contains("conversations"), "{}", err.message);
    assert_eq!(err.details["unknownKeys"], json!(["conversations"]));
    assert_eq!(
        err.details["allowed"],
        json!(["session", "request", "headers"])
    );
    assert!(!err.suggestions.is_empty());
    // Several unknown keys are all named.
    let err = mismatch(json!({ "payload": {}, "action": "x", "request": {} }));
    assert_eq!(err.details["unknownKeys"], json!(["payload", "action"]));
}

#[test]
fn params_must_be_an_object() {
    for (params, actual) in [
        (json!([1]), "array"),
        (json!("text"), "string"),
        (json!(3), "number"),
        (json!(true), "boolean"),
    ] {
        let err = mismatch(params);
        assert_eq!(
            err.details,
            json!({ "path": "params", "expected": "object", "actual": actual })
        );
    }
    // null params stand for "no params": every requirement is reported instead.
    expect_code(
        build_err(Action::Interaction, Value::Null),
        ErrorCode::RequiredFieldsMissing,
    );
}

#[test]
fn session_request_and_headers_must_be_objects() {
    for key in ["session", "request", "headers"] {
        for bad in [json!("x"), json!([]), json!(null), json!(1)] {
            let mut params = minimal_params();
            params[key] = bad.clone();
            let err = mismatch(params);
            assert_eq!(err.details["path"], key);
            assert_eq!(err.details["actual"], kind(&bad));
            assert!(
                err.message.contains(&format!("params.{key}")),
                "{}",
                err.message
            );
        }
    }
}

#[test]
fn check_top_level_returns_the_map() {
    let map = check_top_level(json!({ "session": {}, "headers": {} }), NOW_MS).unwrap();
    assert_eq!(map.len(), 2);
    assert!(check_top_level(Value::Null, NOW_MS).unwrap().is_empty());
}

#[test]
fn sdk_owned_and_unknown_headers_are_refused() {
    for name in [
        "schemaRef",
        "foo",
        "action",
        "sdkVersion",
        "issuedAt",
        "identifier",
    ] {
        let err = mismatch(with_headers(json!({ name: "x" })));
        assert!(err.message.contains(name), "{name}: {}", err.message);
        assert!(err.details["path"].as_str().unwrap().starts_with("headers"));
    }
}

#[test]
fn empty_ids_in_headers_are_refused() {
    for name in ["correlationId", "traceId", "idempotencyKey", "tenantId"] {
        for blank in ["", "  "] {
            let err = mismatch(with_headers(json!({ name: blank })));
            assert_eq!(err.details["path"], format!("headers.{name}"));
        }
    }
}

#[test]
fn header_timestamp_must_be_iso() {
    for bad in ["yesterday", "15/01/2024 10:30", "2024-13-45T10:30:00Z", ""] {
        let err = mismatch(with_headers(json!({ "timestamp": bad })));
        assert_eq!(err.details["path"], "headers.timestamp", "{bad}");
        assert_eq!(err.details["actual"], bad);
    }
    for good in [
        "2024-01-15T10:30:00.000Z",
        "2025-08-06T00:00:00Z",
        "2024-01-15T10:30:00",
    ] {
        let h = parse_headers(Some(json!({ "timestamp": good })), NOW_MS).unwrap();
        assert_eq!(h.timestamp.as_deref(), Some(good));
    }
}

#[test]
fn network_latency_must_be_a_non_negative_number() {
    let err = mismatch(with_headers(json!({ "networkLatencyMs": -1 })));
    assert_eq!(err.details["path"], "headers.networkLatencyMs");
    for bad in [json!("120"), json!(true), json!([]), json!({})] {
        let err = mismatch(with_headers(json!({ "networkLatencyMs": bad })));
        assert!(err.message.contains("networkLatencyMs"), "{}", err.message);
    }
    assert_eq!(
        parse_headers(Some(json!({ "networkLatencyMs": 0 })), NOW_MS)
            .unwrap()
            .network_latency_ms,
        Some(0.0)
    );
}

#[test]
fn header_values_of_the_wrong_type_are_refused() {
    for (name, bad) in [
        ("correlationId", json!(42)),
        ("traceId", json!({})),
        ("idempotencyKey", json!(["k"])),
        ("timestamp", json!(1705314600000_u64)),
        ("tenantId", json!(false)),
    ] {
        let err = mismatch(with_headers(json!({ name: bad })));
        assert_eq!(err.details["path"], format!("headers.{name}"), "{name}");
    }
}

#[test]
fn parse_headers_accepts_every_override() {
    let h = parse_headers(
        Some(json!({
            "correlationId": "c", "traceId": "t", "idempotencyKey": "k",
            "timestamp": "2024-01-15T10:30:00.000Z", "networkLatencyMs": 120, "tenantId": "tn"
        })),
        NOW_MS,
    )
    .unwrap();
    assert_eq!(h.correlation_id.as_deref(), Some("c"));
    assert_eq!(h.trace_id.as_deref(), Some("t"));
    assert_eq!(h.idempotency_key.as_deref(), Some("k"));
    assert_eq!(h.network_latency_ms, Some(120.0));
    assert_eq!(h.tenant_id.as_deref(), Some("tn"));
    assert_eq!(parse_headers(None, NOW_MS).unwrap(), Default::default());
}

const STRICT: EnvelopeConfig = EnvelopeConfig {
    organization_id: None,
    tenant_id: None,
    session_id: None,
    strict: true,
};

/// Each case: a mutation of the minimal params and the path strict mode names.
fn strict_cases() -> Vec<(Value, &'static str)> {
    let conv = json!([{ "participants": [{ "participantId": "p", "role": "admin" }] }]);
    vec![
        (
            json!({ "session": { "sessionId": 42 } }),
            "session.sessionId",
        ),
        (
            json!({ "session": { "channel": { "medium": "fax" } } }),
            "session.channel.medium",
        ),
        (
            json!({ "request": { "scope": { "conversations": conv } } }),
            "request.scope.conversations[0].participants[0].role",
        ),
        (
            json!({ "request": { "resources": { "links": [{ "html": "yes" }] } } }),
            "request.resources.links[0].html",
        ),
        (
            json!({ "request": { "settings": { "maxResponseLength": "x" } } }),
            "request.settings.maxResponseLength",
        ),
        (
            json!({ "request": { "settings": { "maxResponseLength": -5 } } }),
            "request.settings.maxResponseLength",
        ),
        (
            json!({ "request": { "reference": { "labels": [1] } } }),
            "request.reference.labels[0]",
        ),
        (
            json!({ "session": { "channel": { "metadata": {} } } }),
            "session.channel.metadata",
        ),
    ]
}

#[test]
fn strict_validation_names_the_offending_path() {
    for (patch, path) in strict_cases() {
        let mut params = minimal_params();
        optave_client::core::merge::merge_into(&mut params, patch);
        let err = expect_code(
            build_err_with(Action::Interaction, params, &STRICT),
            ErrorCode::PayloadSchemaMismatch,
        );
        assert_eq!(err.details["path"], path);
        assert!(err.message.contains(path), "{}", err.message);
        assert_eq!(err.category, ErrorCategory::Validation);
    }
}

#[test]
fn the_same_inputs_pass_when_not_strict() {
    for (patch, _) in strict_cases() {
        let mut params = minimal_params();
        optave_client::core::merge::merge_into(&mut params, patch.clone());
        let (env, _) = build_ok(Action::Interaction, params);
        assert_subset(&env["payload"], &patch, "payload");
    }
}

#[test]
fn strict_accepts_every_seed_and_every_enum_value() {
    for (action, name) in [
        (
            Action::CustomerInteraction,
            "seed000_customerinteraction_params.json",
        ),
        (Action::Reception, "seed001_reception_params.json"),
        (Action::Reception, "seed001_reception_rest.json"),
        (Action::Interaction, "seed002_interaction_params.json"),
        (Action::Insights, "seed003_insights_params.json"),
        (Action::Recommend, "seed004_recommend_params.json"),
    ] {
        build_with(action, fixture(name), &STRICT);
    }
    for medium in ["chat", "voice", "email"] {
        for role in ["user", "operator", "bot"] {
            let mut params = minimal_params();
            params["session"] = json!({ "channel": { "medium": medium } });
            params["request"]["scope"]["conversations"][0]["participants"] =
                json!([{ "role": role }]);
            build_with(Action::Interaction, params, &STRICT);
        }
    }
}
