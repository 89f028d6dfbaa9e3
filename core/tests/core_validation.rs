//! Outbound validation: top-level keys, header overrides and strictValidation.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use optave_core::action::Action;
use optave_core::error::{ErrorCategory, ErrorCode, OptaveError};
use optave_core::headers::{self, HeaderKind, Owner, Source, HEADERS};
use optave_core::outbound::EnvelopeConfig;
use serde_json::{json, Map, Value};

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
    let mut params = minimal_params();
    params["conversations"] = json!([]);
    let err = mismatch(params);
    assert!(err.message.contains("conversations"), "{}", err.message);
    assert_eq!(details(&err)["unknownKeys"], json!(["conversations"]));
    assert_eq!(
        details(&err)["allowed"],
        json!(["session", "request", "headers"])
    );
    assert!(!err.suggestions.is_empty());
    // Several unknown keys are all named.
    let err = mismatch(json!({ "payload": {}, "action": "x", "request": {} }));
    assert_eq!(details(&err)["unknownKeys"], json!(["payload", "action"]));
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
            details(&err),
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
            assert_eq!(details(&err)["path"], key);
            assert_eq!(details(&err)["actual"], kind(&bad));
            assert!(
                err.message.contains(&format!("params.{key}")),
                "{}",
                err.message
            );
        }
    }
}

#[test]
fn session_request_and_headers_objects_are_accepted() {
    let mut params = minimal_params();
    params["session"] = json!({});
    params["headers"] = json!({});
    build_ok(Action::Interaction, params);
    // No params at all stand for {}.
    let err = expect_code(
        build_err(Action::Interaction, Value::Null),
        ErrorCode::RequiredFieldsMissing,
    );
    assert_eq!(details(&err)["missing"].as_array().unwrap().len(), 3);
}

/// The headers of the envelope built from the minimal params with `headers`.
fn envelope_headers(headers: Value) -> Map<String, Value> {
    let (env, _) = build_ok(Action::Interaction, with_headers(headers));
    env["headers"].as_object().unwrap().clone()
}

#[test]
fn the_header_table() {
    let names: Vec<&str> = HEADERS.iter().map(|h| h.name).collect();
    assert_eq!(
        names,
        [
            "correlationId",
            "action",
            "schemaRef",
            "sdkVersion",
            "identifier",
            "traceId",
            "idempotencyKey",
            "issuedAt",
            "timestamp",
            "tenantId",
            "networkLatencyMs"
        ]
    );
    let caller: Vec<&str> = HEADERS
        .iter()
        .filter(|h| h.owner == Owner::Caller)
        .map(|h| h.name)
        .collect();
    assert_eq!(
        caller,
        [
            "correlationId",
            "traceId",
            "idempotencyKey",
            "timestamp",
            "tenantId",
            "networkLatencyMs"
        ]
    );
    for name in &caller {
        assert!(headers::CALLER_HEADERS.contains(name), "{name}");
    }
    assert_eq!(headers::index_of("traceId"), Some(5));
    assert_eq!(headers::index_of("nope"), None);
    let kind_of = |name| HEADERS[headers::index_of(name).unwrap()].kind;
    assert_eq!(kind_of("timestamp"), HeaderKind::Iso);
    assert_eq!(kind_of("networkLatencyMs"), HeaderKind::Ms);
    assert_eq!(kind_of("tenantId"), HeaderKind::Id);
    let source_of = |name| HEADERS[headers::index_of(name).unwrap()].source;
    assert_eq!(source_of("timestamp"), Source::CallerOnly);
    assert_eq!(source_of("idempotencyKey"), Source::Uuid);
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
        assert_eq!(details(&err)["path"], format!("headers.{name}"));
        assert!(!err.suggestions.is_empty());
    }
}

#[test]
fn empty_ids_in_headers_are_refused() {
    for name in ["correlationId", "traceId", "idempotencyKey", "tenantId"] {
        for blank in ["", "  "] {
            let err = mismatch(with_headers(json!({ name: blank })));
            assert_eq!(details(&err)["path"], format!("headers.{name}"));
        }
    }
}

#[test]
fn header_timestamp_must_be_iso() {
    for bad in ["yesterday", "15/01/2024 10:30", "2024-13-45T10:30:00Z", ""] {
        let err = mismatch(with_headers(json!({ "timestamp": bad })));
        assert_eq!(details(&err)["path"], "headers.timestamp", "{bad}");
        assert!(
            err.suggestions.iter().any(|s| s.contains("toISOString")),
            "{:?}",
            err.suggestions
        );
    }
    for good in [
        "2024-01-15T10:30:00.000Z",
        "2025-08-06T00:00:00Z",
        "2024-01-15T10:30:00",
    ] {
        let h = envelope_headers(json!({ "timestamp": good }));
        assert_eq!(h["timestamp"], good);
    }
}

#[test]
fn known_difference_a_bad_timestamp_is_named_in_the_error() {
    let err = mismatch(with_headers(json!({ "timestamp": "yesterday" })));
    assert_eq!(details(&err)["actual"], "yesterday");
    assert!(err.message.contains("yesterday"), "{}", err.message);
}

#[test]
fn network_latency_must_be_a_non_negative_number() {
    let err = mismatch(with_headers(json!({ "networkLatencyMs": -1 })));
    assert_eq!(details(&err)["path"], "headers.networkLatencyMs");
    for bad in [
        json!("120"),
        json!(true),
        json!([]),
        json!({}),
        json!(-0.5),
        json!(-1e-300),
    ] {
        let err = mismatch(with_headers(json!({ "networkLatencyMs": bad })));
        assert!(err.message.contains("networkLatencyMs"), "{}", err.message);
    }
    for good in [json!(0), json!(-0.0), json!(0.25), json!(1e3)] {
        let h = envelope_headers(json!({ "networkLatencyMs": good }));
        assert_eq!(h["networkLatencyMs"].as_f64(), good.as_f64(), "{good}");
    }
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
        assert_eq!(details(&err)["path"], format!("headers.{name}"), "{name}");
    }
}

#[test]
fn every_override_is_sent() {
    let h = envelope_headers(json!({
        "correlationId": "c", "traceId": "t", "idempotencyKey": "k",
        "timestamp": "2024-01-15T10:30:00.000Z", "networkLatencyMs": 120, "tenantId": "tn"
    }));
    assert_eq!(h["correlationId"], "c");
    assert_eq!(h["traceId"], "t");
    assert_eq!(h["idempotencyKey"], "k");
    assert_eq!(h["timestamp"], "2024-01-15T10:30:00.000Z");
    assert_eq!(h["networkLatencyMs"], 120);
    assert_eq!(h["tenantId"], "tn");
    // None given: only what the SDK writes.
    let h = envelope_headers(json!({}));
    let names: Vec<&str> = h.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "correlationId",
            "action",
            "schemaRef",
            "sdkVersion",
            "identifier",
            "traceId",
            "idempotencyKey",
            "issuedAt"
        ]
    );
    // null counts as not given.
    let h = envelope_headers(json!({ "timestamp": null, "tenantId": null, "traceId": null }));
    assert!(!h.contains_key("timestamp") && !h.contains_key("tenantId"));
    assert_uuid_v7(h["traceId"].as_str().unwrap(), NOW_MS as u64);
}

const STRICT: EnvelopeConfig = EnvelopeConfig {
    organization_id: None,
    tenant_id: None,
    session_id: None,
    strict: true,
    shared_socket: false,
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
        let params = merged(minimal_params(), patch);
        let err = expect_code(
            build_err_with(Action::Interaction, params, &STRICT),
            ErrorCode::PayloadSchemaMismatch,
        );
        assert_eq!(details(&err)["path"], path);
        assert!(err.message.contains(path), "{}", err.message);
        assert_eq!(err.category, ErrorCategory::Validation);
    }
}

#[test]
fn the_same_inputs_pass_when_not_strict() {
    for (patch, _) in strict_cases() {
        let params = merged(minimal_params(), patch.clone());
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

#[test]
fn strict_messages_say_what_was_expected() {
    let cases = [
        (
            json!({ "request": { "scope": { "conversations": [
                { "participants": [ { "role": "user" }, { "role": "admin" } ] } ] } } }),
            r#"payload.request.scope.conversations[0].participants[1].role: expected one of "user", "operator", "bot", got "admin""#,
        ),
        (
            json!({ "request": { "settings": { "maxResponseLength": 1.5 } } }),
            "payload.request.settings.maxResponseLength: expected an integer from 0 to 4294967295, got number",
        ),
        (
            json!({ "request": { "settings": { "maxResponseLength": 4_294_967_296_u64 } } }),
            "payload.request.settings.maxResponseLength: expected an integer from 0 to 4294967295, got number",
        ),
        (
            json!({ "session": { "channel": [] } }),
            "payload.session.channel: expected an object, got array",
        ),
        (
            json!({ "request": { "reference": { "tags": "x" } } }),
            r#"payload.request.reference.tags: expected an array, got "x""#,
        ),
        (
            json!({ "request": { "resources": { "links": [{ "html": 1 }] } } }),
            "payload.request.resources.links[0].html: expected a boolean, got number",
        ),
    ];
    for (patch, message) in cases {
        let err = expect_code(
            build_err_with(
                Action::Interaction,
                merged(minimal_params(), patch),
                &STRICT,
            ),
            ErrorCode::PayloadSchemaMismatch,
        );
        assert_eq!(err.message, message);
    }
    // What passes: integers in range, unknown keys, null for anything.
    for patch in [
        json!({ "request": { "settings": { "maxResponseLength": 2000 } } }),
        json!({ "request": { "settings": { "maxResponseLength": 4_294_967_295_u64 } } }),
        json!({ "session": { "unknownKey": 1 } }),
        json!({ "session": { "sessionId": null, "channel": { "medium": null } } }),
        json!({ "request": { "scope": { "conversations": [{ "participants": null }] } } }),
    ] {
        build_with(
            Action::Interaction,
            merged(minimal_params(), patch),
            &STRICT,
        );
    }
}
