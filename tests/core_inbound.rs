//! Inbound frame classification (protocol.md section 5).
// Native only: plain `#[test]`s (the browser suite is tests/web*.rs).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use optave_client::core::error::{ErrorCategory, ErrorCode, OptaveError};
use optave_client::core::inbound::{
    classify, classify_value, route, Inbound, Routing, ERROR_SCHEMA_REF, RESPONSE_SCHEMA_REF,
};
use serde_json::{json, Value};

fn ok(frame: &Value, strict: bool) -> Inbound {
    classify(&frame.to_string(), strict, NOW_MS)
        .unwrap_or_else(|e| panic!("frame refused: {e}: {frame}"))
}

fn refused(text: &str, strict: bool) -> OptaveError {
    let err = classify(text, strict, NOW_MS).expect_err(text);
    assert_eq!(err.category, ErrorCategory::Websocket);
    assert_eq!(err.timestamp, NOW_ISO);
    assert!(
        err.suggestions
            .iter()
            .any(|s| s.contains("connection stays open")),
        "{:?}",
        err.suggestions
    );
    err
}

fn remote(inbound: &Inbound) -> &OptaveError {
    let err = inbound.error.as_ref().expect("an error frame");
    assert_eq!(err.category, ErrorCategory::Orchestrator);
    err
}

#[test]
fn schema_refs() {
    assert_eq!(RESPONSE_SCHEMA_REF, "optave.response.v3");
    assert_eq!(ERROR_SCHEMA_REF, "optave.error.v3");
}

#[test]
fn bare_completed_frame() {
    let frame = fixture("inbound_bare_completed.json");
    for strict in [false, true] {
        let i = ok(&frame, strict);
        assert_eq!(
            i,
            Inbound {
                correlation_id: None,
                enveloped: false,
                action_type: Some("sentiment_analysis".into()),
                state: Some("completed".into()),
                request_action: None,
                error: None,
            }
        );
    }
}

#[test]
fn enveloped_completed_frame() {
    let frame = fixture("inbound_enveloped_completed.json");
    for strict in [false, true] {
        let i = ok(&frame, strict);
        assert!(i.enveloped);
        assert_eq!(
            i.correlation_id.as_deref(),
            Some("a1b2c3d4-e5f6-7890-1234-56789ab2345")
        );
        assert_eq!(i.request_action.as_deref(), Some("interaction"));
        assert_eq!(i.action_type.as_deref(), Some("risk_assessment"));
        assert_eq!(i.state.as_deref(), Some("completed"));
        assert!(i.error.is_none());
    }
}

#[test]
fn seed_error_frame() {
    let frame = fixture("inbound_bare_error.json");
    let i = ok(&frame, true);
    assert!(!i.enveloped);
    assert_eq!(i.state.as_deref(), Some("error"));
    let err = remote(&i);
    assert_eq!(err.code, "REMOTE_ERROR");
    assert!(err.is(ErrorCode::RemoteError));
    assert_eq!(
        err.message,
        "<superpower-name> failed: Error while fetching results"
    );
    assert_eq!(err.details, frame);
    assert_eq!(err.correlation_id, None);
    assert_eq!(err.timestamp, NOW_ISO);
    assert!(!err.suggestions.is_empty());
}

#[test]
fn enveloped_error_state_carries_its_code() {
    let frame = fixture("inbound_enveloped_error_state.json");
    let i = ok(&frame, true);
    assert!(i.enveloped);
    assert_eq!(i.correlation_id.as_deref(), Some("corr-err-state"));
    assert_eq!(i.request_action.as_deref(), Some("insights"));
    let err = remote(&i);
    assert_eq!(err.code, "UPSTREAM_TIMEOUT");
    assert!(err.message.contains("Error while fetching results"));
    assert!(err.message.starts_with("performance_criteria"));
    assert_eq!(err.correlation_id.as_deref(), Some("corr-err-state"));
    assert_eq!(err.details, frame);
}

#[test]
fn error_schema_ref_makes_an_error_even_when_state_is_completed() {
    let frame = fixture("inbound_enveloped_error_schema.json");
    let i = ok(&frame, true);
    assert_eq!(i.state.as_deref(), Some("completed"));
    let err = remote(&i);
    assert_eq!(err.code, "REMOTE_ERROR");
    assert!(err.message.contains("offers could not be ranked"));
    assert_eq!(err.correlation_id.as_deref(), Some("corr-err-schema"));
}

#[test]
fn error_member_makes_an_error() {
    let frame = fixture("inbound_error_member.json");
    let i = ok(&frame, false);
    assert_eq!(i.correlation_id.as_deref(), Some("corr-error-member"));
    let err = remote(&i);
    assert_eq!(err.code, "RATE_LIMITED");
    assert!(err
        .message
        .contains("Too many requests for this organization"));
    assert_eq!(err.correlation_id.as_deref(), Some("corr-error-member"));
    // error_code spelling inside the member, and a bare string member.
    let i = ok(&json!({ "error": { "error_code": "E42" } }), false);
    assert_eq!(remote(&i).code, "E42");
    assert!(remote(&i).message.contains("the server reported an error"));
    let i = ok(&json!({ "error": "boom" }), false);
    assert_eq!(remote(&i).code, "REMOTE_ERROR");
    assert_eq!(remote(&i).message, "request failed: boom");
    // An error member inside an envelope's payload.
    let frame = json!({
        "headers": { "correlationId": "c-9" },
        "payload": { "error": { "code": "BAD", "message": "nope" } }
    });
    let i = ok(&frame, false);
    assert_eq!(remote(&i).code, "BAD");
    assert_eq!(remote(&i).correlation_id.as_deref(), Some("c-9"));
}

#[test]
fn action_type_error_makes_an_error() {
    let frame = fixture("inbound_actiontype_error.json");
    let i = ok(&frame, true);
    let err = remote(&i);
    assert_eq!(err.code, "REMOTE_ERROR");
    assert_eq!(err.message, "request failed: organizationId is unknown");
    assert_eq!(err.correlation_id.as_deref(), Some("corr-actiontype"));
}

#[test]
fn unknown_action_type_is_delivered() {
    let frame = fixture("inbound_unknown_actiontype.json");
    for strict in [false, true] {
        let i = ok(&frame, strict);
        assert_eq!(i.action_type.as_deref(), Some("brand_new_superpower_2026"));
        assert_eq!(i.state.as_deref(), Some("started"));
        assert_eq!(i.correlation_id.as_deref(), Some("corr-new-superpower"));
        assert!(i.error.is_none());
    }
}

#[test]
fn correlation_id_from_headers_else_top_level() {
    let frame = json!({
        "correlationId": "top",
        "headers": { "correlationId": "from-headers" },
        "payload": { "state": "completed" }
    });
    assert_eq!(
        ok(&frame, false).correlation_id.as_deref(),
        Some("from-headers")
    );
    let frame = json!({
        "correlationId": "top",
        "headers": { "schemaRef": "optave.response.v3" },
        "payload": { "state": "completed" }
    });
    assert_eq!(ok(&frame, false).correlation_id.as_deref(), Some("top"));
    let frame = json!({ "correlationId": "bare", "state": "completed" });
    assert_eq!(ok(&frame, false).correlation_id.as_deref(), Some("bare"));
    // A non-string correlationId is no correlation id.
    let frame = json!({ "correlationId": 5, "state": "completed" });
    assert_eq!(ok(&frame, false).correlation_id, None);
}

#[test]
fn non_json_is_invalid_json() {
    for text in ["", "not json", "{\"action\":", "{'a':1}", "[1,]"] {
        let err = refused(text, false);
        assert_eq!(err.code, ErrorCode::InvalidJson.as_str(), "{text:?}");
        assert_eq!(err.details["frame"], text);
    }
    // The frame preview in the details is capped at 200 characters.
    let long = format!("x{}", "é".repeat(500));
    let err = refused(&long, false);
    assert_eq!(err.details["frame"].as_str().unwrap().chars().count(), 200);
}

#[test]
fn json_that_is_not_a_frame_is_a_schema_mismatch() {
    let cases = [
        "[]",
        "\"text\"",
        "42",
        "null",
        "true",
        r#"{"action":"message"}"#,
        r#"{"action":"message","headers":{"correlationId":"c"}}"#,
        r#"{"action":"message","payload":{"state":"completed"}}"#,
        r#"{"headers":"h","payload":{}}"#,
        r#"{"headers":{},"payload":[]}"#,
        r#"{"action":"message","headers":null,"payload":{}}"#,
        r#"{"headers":{},"payload":"completed"}"#,
    ];
    for text in cases {
        for strict in [false, true] {
            let err = refused(text, strict);
            assert_eq!(
                err.code,
                ErrorCode::InboundEnvelopeSchemaMismatch.as_str(),
                "{text}"
            );
        }
    }
}

#[test]
fn strict_refuses_unknown_schema_ref_and_state() {
    let unknown_ref = json!({
        "headers": { "correlationId": "c", "schemaRef": "optave.message.v3" },
        "payload": { "state": "completed" }
    });
    let unknown_state = json!({ "action": "superpower", "state": "paused" });
    for frame in [&unknown_ref, &unknown_state] {
        let err = refused(&frame.to_string(), true);
        assert_eq!(err.code, "INBOUND_ENVELOPE_SCHEMA_MISMATCH");
        let i = ok(frame, false);
        assert!(i.error.is_none());
    }
    assert!(refused(&unknown_ref.to_string(), true)
        .message
        .contains("optave.message.v3"));
    assert!(refused(&unknown_state.to_string(), true)
        .message
        .contains("paused"));
    assert_eq!(ok(&unknown_state, false).state.as_deref(), Some("paused"));
}

#[test]
fn empty_object_and_classify_value_agree() {
    let i = ok(&json!({}), true);
    assert!(!i.enveloped && i.error.is_none() && i.correlation_id.is_none());
    for name in [
        "inbound_bare_completed.json",
        "inbound_bare_error.json",
        "inbound_enveloped_completed.json",
        "inbound_enveloped_error_state.json",
        "inbound_enveloped_error_schema.json",
        "inbound_error_member.json",
    ] {
        let text = fixture_text(name);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            classify(&text, false, NOW_MS).unwrap(),
            classify_value(&value, false, NOW_MS).unwrap(),
            "{name}"
        );
    }
}

/// Every frame the routing tests use: the fixtures, the refused shapes, and
/// single-field mutations of the fixtures (each routing field removed, nulled,
/// or replaced by a value of another type or another known value).
fn frames_for_routing() -> Vec<Value> {
    let mut frames: Vec<Value> = [
        "inbound_bare_completed.json",
        "inbound_bare_error.json",
        "inbound_enveloped_completed.json",
        "inbound_enveloped_error_state.json",
        "inbound_enveloped_error_schema.json",
        "inbound_error_member.json",
        "inbound_actiontype_error.json",
        "inbound_unknown_actiontype.json",
    ]
    .into_iter()
    .map(fixture)
    .collect();
    for text in [
        "[]",
        "\"text\"",
        "42",
        "null",
        "true",
        "{}",
        r#"{"action":"message"}"#,
        r#"{"headers":{},"payload":{}}"#,
        r#"{"headers":null,"payload":{"state":"completed"}}"#,
        r#"{"action":"superpower","payload":{"state":"error"},"state":"completed"}"#,
        r#"{"action":"superpower","payload":{"correlationId":"p"},"state":"completed"}"#,
        r#"{"action":"message","headers":{"correlationId":"h"},"payload":{"correlationId":"p"},"correlationId":"t"}"#,
        r#"{"action":"message","headers":{},"payload":{"correlationId":"p"}}"#,
        r#"{"action":"message","headers":{"correlationId":7},"payload":{"error":null}}"#,
    ] {
        frames.push(serde_json::from_str(text).unwrap());
    }
    let replacements = [
        Value::Null,
        json!(""),
        json!(3),
        json!([]),
        json!({}),
        json!("message"),
        json!("error"),
        json!("completed"),
        json!("started"),
        json!("paused"),
        json!(RESPONSE_SCHEMA_REF),
        json!(ERROR_SCHEMA_REF),
        json!("optave.message.v3"),
        json!({ "code": "E" }),
    ];
    let paths: [&[&str]; 13] = [
        &["action"],
        &["headers"],
        &["payload"],
        &["correlationId"],
        &["state"],
        &["actionType"],
        &["error"],
        &["headers", "correlationId"],
        &["headers", "schemaRef"],
        &["headers", "action"],
        &["payload", "state"],
        &["payload", "actionType"],
        &["payload", "error"],
    ];
    let bases = frames.clone();
    for base in bases.iter().filter(|b| b.is_object()) {
        for path in paths {
            let Some((last, parents)) = path.split_last() else {
                continue;
            };
            let mut variants = vec![None];
            variants.extend(replacements.iter().cloned().map(Some));
            for replacement in variants {
                let mut frame = base.clone();
                let parent: String = parents.iter().map(|k| format!("/{k}")).collect();
                let Some(node) = frame.pointer_mut(&parent) else {
                    continue;
                };
                let Some(map) = node.as_object_mut() else {
                    continue;
                };
                match replacement {
                    None => {
                        map.remove(*last);
                    }
                    Some(v) => {
                        map.insert((*last).to_owned(), v);
                    }
                }
                frames.push(frame);
            }
        }
    }
    frames
}

#[test]
fn route_agrees_with_classify_on_every_frame_it_routes() {
    let frames = frames_for_routing();
    assert!(frames.len() > 1_000, "{}", frames.len());
    let (mut routed, mut deferred, mut refused_both) = (0, 0, 0);
    for frame in &frames {
        for strict in [false, true] {
            let routing = Routing::read(frame);
            let full = classify_value(frame, strict, NOW_MS);
            match route(&routing, strict, NOW_MS) {
                Ok(Some(inbound)) => {
                    routed += 1;
                    assert_eq!(Ok(inbound), full, "{frame} strict={strict}");
                }
                Ok(None) => {
                    // Left to classify: an error frame, or a bare frame with a payload object.
                    deferred += 1;
                    let error_frame = full.as_ref().is_ok_and(|i| i.error.is_some());
                    let bare_with_payload = !routing.action_is_message
                        && !routing.has_headers
                        && routing.payload_is_object;
                    assert!(error_frame || bare_with_payload, "{frame} strict={strict}");
                }
                Err(err) => {
                    refused_both += 1;
                    let full = full.expect_err("classify refuses it too");
                    assert_eq!(err.code, full.code, "{frame}");
                    assert_eq!(err.message, full.message, "{frame}");
                    assert_eq!(err.category, full.category, "{frame}");
                }
            }
        }
    }
    // Every path was exercised.
    assert!(routed > 100 && deferred > 100 && refused_both > 100);
}

#[test]
fn routing_flags_round_trip() {
    for frame in frames_for_routing() {
        let r = Routing::read(&frame);
        let rebuilt = Routing {
            header_correlation_id: r.header_correlation_id,
            header_schema_ref: r.header_schema_ref,
            header_action: r.header_action,
            body_action_type: r.body_action_type,
            body_state: r.body_state,
            other_correlation_id: r.other_correlation_id,
            ..Routing::default()
        }
        .with_flags(r.flags());
        assert_eq!(rebuilt, r, "{frame}");
    }
}
