//! Inbound frames (protocol.md section 5): what a frame is, whom it is for,
//! and the error an error frame stands for. Frames are routed as the facade
//! routes them (`common::route_value`: the fields read off the parsed frame
//! once, the body chosen by the core) and compared with the
//! classification of the whole frame by the reference model (`tests/oracle`).
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod oracle;

use common::*;
use optave_core::error::{Detail, ErrorCategory, ErrorCode, OptaveError};
use optave_core::inbound::{self, route, Inbound, Routed, ERROR_SCHEMA_REF, RESPONSE_SCHEMA_REF};
use oracle::inbound::{self as model, Classified};
use serde_json::{json, Value};

/// A frame that is delivered or reported (not refused): its routing facts and,
/// for an error frame, its error.
fn ok(frame: &Value, strict: bool) -> (Inbound, Option<OptaveError>) {
    match deliver(frame, strict) {
        Ok(Delivered::Response(i)) => (i, None),
        Ok(Delivered::Error(i, e)) => (i, Some(e)),
        Err(e) => panic!("frame refused: {e}: {frame}"),
    }
}

/// A frame refused as not one of the protocol.
fn refused(frame: &Value, strict: bool) -> OptaveError {
    let err = deliver(frame, strict).expect_err(&frame.to_string());
    check_refusal(&err);
    err
}

fn check_refusal(err: &OptaveError) {
    assert_eq!(err.category, ErrorCategory::Websocket);
    assert_eq!(err.timestamp, NOW_ISO);
    assert!(
        err.suggestions
            .iter()
            .any(|s| s.contains("connection stays open")),
        "{:?}",
        err.suggestions
    );
}

fn remote(error: &Option<OptaveError>) -> &OptaveError {
    let err = error.as_ref().expect("an error frame");
    assert_eq!(err.category, ErrorCategory::Orchestrator);
    assert_eq!(err.details, Detail::Frame);
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
        let (i, error) = ok(&frame, strict);
        assert_eq!(
            i,
            Inbound {
                correlation_id: None,
                enveloped: false,
                action_type: Some("sentiment_analysis".into()),
                state: Some("completed".into()),
                request_action: None,
            }
        );
        assert!(error.is_none());
    }
}

#[test]
fn enveloped_completed_frame() {
    let frame = fixture("inbound_enveloped_completed.json");
    for strict in [false, true] {
        let (i, error) = ok(&frame, strict);
        assert!(i.enveloped);
        assert_eq!(
            i.correlation_id.as_deref(),
            Some("a1b2c3d4-e5f6-7890-1234-56789ab2345")
        );
        assert_eq!(i.request_action.as_deref(), Some("interaction"));
        assert_eq!(i.action_type.as_deref(), Some("risk_assessment"));
        assert_eq!(i.state.as_deref(), Some("completed"));
        assert!(error.is_none());
    }
}

#[test]
fn seed_error_frame() {
    let frame = fixture("inbound_bare_error.json");
    let (i, error) = ok(&frame, true);
    assert!(!i.enveloped);
    assert_eq!(i.state.as_deref(), Some("error"));
    let err = remote(&error);
    assert_eq!(err.code, "REMOTE_ERROR");
    assert!(err.is(ErrorCode::RemoteError));
    assert_eq!(
        err.message,
        "<superpower-name> failed: Error while fetching results"
    );
    // The facade puts the frame itself in `details`.
    assert_eq!(error_json(err, Some(&frame))["details"], frame);
    assert_eq!(err.correlation_id, None);
    assert_eq!(err.timestamp, NOW_ISO);
    assert!(!err.suggestions.is_empty());
}

#[test]
fn enveloped_error_state_carries_its_code() {
    let frame = fixture("inbound_enveloped_error_state.json");
    let (i, error) = ok(&frame, true);
    assert!(i.enveloped);
    assert_eq!(i.correlation_id.as_deref(), Some("corr-err-state"));
    assert_eq!(i.request_action.as_deref(), Some("insights"));
    let err = remote(&error);
    assert_eq!(err.code, "UPSTREAM_TIMEOUT");
    assert!(err.message.contains("Error while fetching results"));
    assert!(err.message.starts_with("performance_criteria"));
    assert_eq!(err.correlation_id.as_deref(), Some("corr-err-state"));
}

#[test]
fn error_schema_ref_makes_an_error_even_when_state_is_completed() {
    let frame = fixture("inbound_enveloped_error_schema.json");
    let (i, error) = ok(&frame, true);
    assert_eq!(i.state.as_deref(), Some("completed"));
    let err = remote(&error);
    assert_eq!(err.code, "REMOTE_ERROR");
    assert!(err.message.contains("offers could not be ranked"));
    assert_eq!(err.correlation_id.as_deref(), Some("corr-err-schema"));
}

#[test]
fn error_member_makes_an_error() {
    let frame = fixture("inbound_error_member.json");
    let (i, error) = ok(&frame, false);
    assert_eq!(i.correlation_id.as_deref(), Some("corr-error-member"));
    let err = remote(&error);
    assert_eq!(err.code, "RATE_LIMITED");
    assert!(err
        .message
        .contains("Too many requests for this organization"));
    assert_eq!(err.correlation_id.as_deref(), Some("corr-error-member"));
    // error_code spelling inside the member, and a bare string member.
    let (_, error) = ok(&json!({ "error": { "error_code": "E42" } }), false);
    assert_eq!(remote(&error).code, "E42");
    assert!(remote(&error)
        .message
        .contains("the server reported an error"));
    let (_, error) = ok(&json!({ "error": "boom" }), false);
    assert_eq!(remote(&error).code, "REMOTE_ERROR");
    assert_eq!(remote(&error).message, "request failed: boom");
    // An error member inside an envelope's payload.
    let frame = json!({
        "headers": { "correlationId": "c-9" },
        "payload": { "error": { "code": "BAD", "message": "nope" } }
    });
    let (_, error) = ok(&frame, false);
    assert_eq!(remote(&error).code, "BAD");
    assert_eq!(remote(&error).correlation_id.as_deref(), Some("c-9"));
}

#[test]
fn action_type_error_makes_an_error() {
    let frame = fixture("inbound_actiontype_error.json");
    let (_, error) = ok(&frame, true);
    let err = remote(&error);
    assert_eq!(err.code, "REMOTE_ERROR");
    assert_eq!(err.message, "request failed: organizationId is unknown");
    assert_eq!(err.correlation_id.as_deref(), Some("corr-actiontype"));
}

#[test]
fn unknown_action_type_is_delivered() {
    let frame = fixture("inbound_unknown_actiontype.json");
    for strict in [false, true] {
        let (i, error) = ok(&frame, strict);
        assert_eq!(i.action_type.as_deref(), Some("brand_new_superpower_2026"));
        assert_eq!(i.state.as_deref(), Some("started"));
        assert_eq!(i.correlation_id.as_deref(), Some("corr-new-superpower"));
        assert!(error.is_none());
    }
}

#[test]
fn correlation_id_from_headers_else_top_level() {
    let frame = json!({
        "correlationId": "top",
        "headers": { "correlationId": "from-headers" },
        "payload": { "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "state": "completed" }
    });
    assert_eq!(
        ok(&frame, false).0.correlation_id.as_deref(),
        Some("from-headers")
    );
    let frame = json!({
        "correlationId": "top",
        "headers": { "schemaRef": "optave.response.v3" },
        "payload": { "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "state": "completed", "correlationId": "payload" }
    });
    assert_eq!(ok(&frame, false).0.correlation_id.as_deref(), Some("top"));
    // An envelope's payload names it when nothing above does.
    let frame = json!({
        "headers": { "schemaRef": "optave.response.v3" },
        "payload": { "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "state": "completed", "correlationId": "payload" }
    });
    assert_eq!(
        ok(&frame, false).0.correlation_id.as_deref(),
        Some("payload")
    );
    let frame = json!({ "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "correlationId": "bare", "state": "completed" });
    assert_eq!(ok(&frame, false).0.correlation_id.as_deref(), Some("bare"));
}

/// A correlationId that is a number or an object is
/// reported (it used to be dropped silently, leaving the request to time
/// out), wherever the frame carries it, error frame or not.
#[test]
fn a_correlation_id_that_is_not_a_string_is_refused() {
    for id in [json!(5), json!({ "id": "c" }), json!(["c"]), json!(true)] {
        let frames = [
            json!({ "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "correlationId": id, "state": "completed" }),
            json!({ "action": "message", "headers": { "correlationId": id },
                    "payload": { "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "state": "completed" } }),
            json!({ "action": "message", "headers": { "schemaRef": "optave.error.v3" },
                    "payload": { "correlationId": id, "error": "boom" } }),
            json!({ "correlationId": id, "error": "boom" }),
        ];
        for frame in frames {
            for strict in [false, true] {
                let err = refused(&frame, strict);
                assert!(err.is(ErrorCode::InboundEnvelopeSchemaMismatch), "{frame}");
                assert!(err.message.contains("correlationId"), "{}", err.message);
                assert_eq!(err.correlation_id, None);
            }
        }
    }
}

/// A frame that is not an error frame settles its
/// request only with what protocol.md section 5 requires; `{correlationId}`
/// alone used to resolve the request's promise with an empty event.
#[test]
fn a_frame_lacking_required_fields_is_refused_and_names_them() {
    let err = refused(&json!({ "correlationId": "c1" }), false);
    assert!(err.is(ErrorCode::InboundEnvelopeSchemaMismatch));
    assert_eq!(
        err.message,
        "inbound frame lacks action, actionType, state, message \
         (action, actionType and state strings and a message object are required)"
    );
    // It names the request, which stays pending.
    assert_eq!(err.correlation_id.as_deref(), Some("c1"));
    assert!(err.suggestions.iter().any(|s| s.contains("stays pending")));
    let full = json!({ "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "state": "completed", "correlationId": "c1" });
    assert!(matches!(deliver(&full, true), Ok(Delivered::Response(_))));
    for (field, wrong) in [
        ("action", json!(1)),
        ("actionType", json!(null)),
        ("state", json!({})),
        ("message", json!("text")),
        ("message", json!([])),
    ] {
        let mut frame = full.clone();
        frame[field] = wrong.clone();
        let err = refused(&frame, false);
        assert!(
            err.message
                .starts_with(&format!("inbound frame lacks {field} (")),
            "{field}={wrong}: {}",
            err.message
        );
        let mut frame = full.clone();
        frame.as_object_mut().unwrap().remove(field);
        let enveloped =
            json!({ "action": "message", "headers": { "correlationId": "c2" }, "payload": frame });
        let err = refused(&enveloped, true);
        assert!(err.message.contains(field), "{}", err.message);
        assert_eq!(err.correlation_id.as_deref(), Some("c2"));
    }
    // Error frames come in several shapes and need none of them.
    let (_, error) = ok(&json!({ "correlationId": "c1", "error": "boom" }), true);
    assert_eq!(remote(&error).correlation_id.as_deref(), Some("c1"));
}

#[test]
fn non_json_is_invalid_json() {
    // The page's JSON.parse refuses these; the facade reports them with the
    // core's error.
    for text in ["", "not json", "{\"action\":", "{'a':1}", "[1,]"] {
        assert!(serde_json::from_str::<Value>(text).is_err());
        let err = inbound::invalid_json(text, NOW_MS);
        check_refusal(&err);
        assert_eq!(err.code, ErrorCode::InvalidJson.as_str(), "{text:?}");
        assert_eq!(details(&err)["frame"], text);
    }
    // The frame preview in the details is capped at 200 characters.
    let long = format!("x{}", "é".repeat(500));
    let err = inbound::invalid_json(&long, NOW_MS);
    assert_eq!(
        details(&err)["frame"].as_str().unwrap().chars().count(),
        200
    );
    let err = inbound::binary_frame(NOW_MS);
    assert!(err.is(ErrorCode::InboundEnvelopeSchemaMismatch));
    assert_eq!(err.category, ErrorCategory::Websocket);
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
        let frame: Value = serde_json::from_str(text).unwrap();
        for strict in [false, true] {
            let err = refused(&frame, strict);
            assert_eq!(
                err.code,
                ErrorCode::InboundEnvelopeSchemaMismatch.as_str(),
                "{text}"
            );
            assert_eq!(err.details, Detail::Frame);
        }
    }
}

#[test]
fn strict_refuses_unknown_schema_ref_and_state() {
    let unknown_ref = json!({
        "headers": { "correlationId": "c", "schemaRef": "optave.message.v3" },
        "payload": { "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "state": "completed" }
    });
    let unknown_state = json!({ "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "state": "paused" });
    for frame in [&unknown_ref, &unknown_state] {
        let err = refused(frame, true);
        assert_eq!(err.code, "INBOUND_ENVELOPE_SCHEMA_MISMATCH");
        let (_, error) = ok(frame, false);
        assert!(error.is_none());
    }
    assert!(refused(&unknown_ref, true)
        .message
        .contains("optave.message.v3"));
    assert!(refused(&unknown_state, true).message.contains("paused"));
    assert_eq!(ok(&unknown_state, false).0.state.as_deref(), Some("paused"));
}

#[test]
fn an_empty_object_is_a_bare_frame_lacking_every_field() {
    let err = refused(&json!({}), true);
    assert!(err
        .message
        .starts_with("inbound frame lacks action, actionType, state, message"));
}

#[test]
fn a_bare_frame_with_a_payload_object_is_its_own_body() {
    // Its body is the frame itself, not the payload; one read gives both.
    let frame = json!({ "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "payload": { "state": "error" }, "state": "completed" });
    let r = routing_of(&frame);
    assert_eq!(r.payload.and_then(|p| p.state), Some("error"));
    let (i, error) = ok(&frame, false);
    assert_eq!(i.state.as_deref(), Some("completed"));
    assert!(error.is_none());
    // An enveloped frame's body is its payload.
    let frame = json!({ "headers": {}, "payload": { "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "state": "completed" } });
    let first = route(&routing_of(&frame), false, NOW_MS).unwrap();
    assert!(matches!(first, Routed::Deliver(_)));
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
                        map.shift_remove(*last);
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

/// A bare frame whose `payload` object names a correlationId that the frame
/// itself does not: the facade's reader takes it (`other_correlation_id` is
/// the top-level `correlationId`, else `payload.correlationId`, whatever the
/// body), the model reads a bare frame's correlation id from the frame only.
fn bare_payload_correlation_id(frame: &Value, got: &Inbound, want: &Classified) -> bool {
    let top = frame.get("correlationId").and_then(Value::as_str);
    let payload = frame
        .get("payload")
        .filter(|p| p.is_object())
        .and_then(|p| p.get("correlationId"))
        .and_then(Value::as_str);
    !got.enveloped
        && top.is_none()
        && payload.is_some()
        && got.correlation_id.as_deref() == payload
        && want.correlation_id.is_none()
}

/// An envelope: `action` is `"message"`, or `headers` is present.
fn enveloped(frame: &Value) -> bool {
    let r = routing_of(frame);
    r.action_is_message || r.has_headers
}

#[test]
fn routing_agrees_with_the_model_on_every_frame() {
    let frames = frames_for_routing();
    assert!(frames.len() > 1_000, "{}", frames.len());
    let (mut delivered, mut errors, mut refusals, mut bare_with_payload, mut payload_ids) =
        (0, 0, 0, 0, 0);
    for frame in &frames {
        for strict in [false, true] {
            let label = format!("{frame} strict={strict}");
            if routing_of(frame).payload.is_some() && !enveloped(frame) {
                bare_with_payload += 1;
            }
            let want = model::classify(frame, strict);
            match (deliver(frame, strict), want) {
                (Ok(got), Ok(want)) => {
                    let (inbound, error) = match got {
                        Delivered::Response(i) => (i, None),
                        Delivered::Error(i, e) => (i, Some(e)),
                    };
                    let mut expected = Inbound {
                        correlation_id: want.correlation_id.clone(),
                        enveloped: want.enveloped,
                        action_type: want.action_type.clone(),
                        state: want.state.clone(),
                        request_action: want.request_action.clone(),
                    };
                    let mut want_error = want.error.clone();
                    if bare_payload_correlation_id(frame, &inbound, &want) {
                        payload_ids += 1;
                        expected.correlation_id.clone_from(&inbound.correlation_id);
                        if let Some(e) = want_error.as_mut() {
                            e.correlation_id.clone_from(&inbound.correlation_id);
                        }
                    }
                    assert_eq!(inbound, expected, "{label}");
                    match (error, want_error) {
                        (None, None) => delivered += 1,
                        (Some(err), Some(want)) => {
                            errors += 1;
                            assert_eq!(err.code, want.code, "{label}");
                            assert_eq!(err.message, want.message, "{label}");
                            assert_eq!(err.correlation_id, want.correlation_id, "{label}");
                            assert_eq!(err.category, ErrorCategory::Orchestrator, "{label}");
                            assert_eq!(err.details, Detail::Frame, "{label}");
                            assert_eq!(err.timestamp, NOW_ISO, "{label}");
                        }
                        (got, want) => panic!("{label}: error {got:?} / model {want:?}"),
                    }
                }
                (Err(err), Err(want)) => {
                    refusals += 1;
                    check_refusal(&err);
                    assert!(err.is(ErrorCode::InboundEnvelopeSchemaMismatch), "{label}");
                    assert_eq!(err.message, want.message, "{label}");
                    assert_eq!(err.details, Detail::Frame, "{label}");
                }
                (got, want) => panic!("{label}: routed {got:?} / model {want:?}"),
            }
        }
    }
    println!(
        "{delivered} delivered, {errors} error frames, {refusals} refused, \
         {bare_with_payload} bare with a payload object; {payload_ids} bare frames named by their payload's correlationId"
    );
    // Every path was exercised.
    assert!(delivered > 100 && errors > 100 && refusals > 100 && bare_with_payload > 100);
    assert_eq!(payload_ids, 0);
}

#[test]
fn known_difference_a_bare_frame_is_named_by_its_own_correlation_id_only() {
    let frame = json!({ "action": "superpower", "actionType": "sentiment_analysis", "message": { "results": [] }, "payload": { "correlationId": "p" }, "state": "completed" });
    assert_eq!(model::classify(&frame, false).unwrap().correlation_id, None);
    assert_eq!(ok(&frame, false).0.correlation_id, None);
}

#[test]
fn remote_error_fields() {
    let inbound = Inbound {
        correlation_id: Some("c".into()),
        enveloped: true,
        action_type: Some("summary".into()),
        state: Some("error".into()),
        request_action: None,
    };
    let fields = inbound::ErrorFields {
        item_error_code: Some("ITEM"),
        item_content: Some("item text"),
        error_code: Some("CODE"),
        error_error_code: Some("ERROR_CODE"),
        error_message: Some("error message"),
        error_text: None,
    };
    let err = inbound::remote_error(&inbound, &fields, NOW_MS);
    assert_eq!(err.code, "ITEM");
    assert_eq!(err.message, "summary failed: item text");
    assert_eq!(err.correlation_id.as_deref(), Some("c"));
    // Each source in turn, from the most specific.
    let fields = inbound::ErrorFields {
        item_error_code: None,
        item_content: None,
        ..fields
    };
    let err = inbound::remote_error(&inbound, &fields, NOW_MS);
    assert_eq!(err.code, "CODE");
    assert_eq!(err.message, "summary failed: error message");
    let fields = inbound::ErrorFields {
        error_code: None,
        error_message: None,
        error_text: Some("text"),
        ..fields
    };
    let err = inbound::remote_error(&inbound, &fields, NOW_MS);
    assert_eq!(err.code, "ERROR_CODE");
    assert_eq!(err.message, "summary failed: text");
    let none = inbound::ErrorFields::default();
    let err = inbound::remote_error(
        &Inbound {
            action_type: Some("error".into()),
            correlation_id: None,
            ..inbound
        },
        &none,
        NOW_MS,
    );
    assert_eq!(err.code, "REMOTE_ERROR");
    assert_eq!(err.message, "request failed: the server reported an error");
    assert_eq!(err.correlation_id, None);
}

/// A frame the page cannot parse still answers the
/// request it names; the error carries that correlationId (and the facade
/// rejects the request with it) instead of leaving the request to time out.
#[test]
fn an_unreadable_frame_names_its_request() {
    let cases = [
        (
            r#"{"action":"message","headers":{"correlationId":"c-1","schemaRef":"optave.error.v3"},"payload":{"#,
            Some("c-1"),
        ),
        (
            r#"{ "correlationId" :	"c-2", "state": "error", "#,
            Some("c-2"),
        ),
        // The key inside a string value is not a member.
        (
            r#"{"message":"say \"correlationId\":\"x\"","correlationId":"c-3""#,
            Some("c-3"),
        ),
        (r#"{"message":"say \"correlationId\":\"x\""#, None),
        (r#"{"correlationId":5,"x":"#, None),
        (r#"{"correlationId":"with \" escape"}"#, None),
        (r#"{"correlationId":""}"#, None),
        (r#"{"correlationId":"unterminated"#, None),
        ("not json at all", None),
        ("", None),
    ];
    for (text, want) in cases {
        assert_eq!(inbound::salvage_correlation_id(text), want, "{text}");
        let err = inbound::invalid_json(text, NOW_MS);
        check_refusal(&err);
        assert_eq!(err.correlation_id.as_deref(), want, "{text}");
    }
    let long = format!(r#"{{"correlationId":"{}"}}"#, "a".repeat(257));
    assert_eq!(inbound::salvage_correlation_id(&long), None);
}

/// A frame over `maxInboundFrameBytes` is refused by
/// size, before it is parsed, with the request it names.
#[test]
fn a_frame_over_the_limit_is_refused_with_its_size() {
    let prefix =
        r#"{"action":"message","headers":{"correlationId":"big-1"},"payload":{"message":"xxxx"#;
    let err = inbound::frame_too_large(5_000_000.0, 1_048_576, prefix, NOW_MS);
    check_refusal(&err);
    assert!(err.is(ErrorCode::InboundFrameTooLarge));
    assert_eq!(
        err.message,
        "inbound frame of at least 5000000 bytes is over maxInboundFrameBytes (1048576)"
    );
    assert_eq!(err.correlation_id.as_deref(), Some("big-1"));
    assert_eq!(details(&err)["frame"], prefix);
    assert!(err
        .suggestions
        .iter()
        .any(|s| s.contains("maxInboundFrameBytes")));
    assert_eq!(inbound::DEFAULT_MAX_INBOUND_FRAME_BYTES, 1_048_576);
    assert_eq!(inbound::UNREADABLE_PREFIX_UNITS, 4_096);
}
