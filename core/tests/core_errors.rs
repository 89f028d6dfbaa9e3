//! The error model (protocol.md section 6).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::borrow::Cow;
use std::collections::HashSet;

use common::*;
use optave_core::error::{Detail, ErrorCategory, ErrorCode, OptaveError};
use serde_json::json;

/// The codes of the official JS client, which must all exist (protocol.md section 6).
const JS_CLIENT_CODES: [&str; 19] = [
    "INVALID_WEBSOCKET_URL",
    "UNSUPPORTED_IN_BROWSER",
    "TOKEN_PROVIDER_FAILED",
    "MISSING_TOKEN",
    "WEBSOCKET_ERROR",
    "CONNECTION_TIMEOUT",
    "CONNECTION_ERROR",
    "CONNECTION_CLOSED",
    "INVALID_JSON",
    "INBOUND_ENVELOPE_SCHEMA_MISMATCH",
    "REMOTE_ERROR",
    "WEBSOCKET_NOT_IN_OPEN_STATE",
    "INVALID_ACTION",
    "PAYLOAD_SCHEMA_MISMATCH",
    "REQUIRED_FIELDS_MISSING",
    "PAYLOAD_TOO_LARGE",
    "REQUEST_TIMEOUT",
    "REQUEST_CANCELLED",
    "SEND_FAILED",
];

#[test]
fn codes_are_unique_screaming_snake_case() {
    let mut seen = HashSet::new();
    for code in ErrorCode::ALL {
        let s = code.as_str();
        assert!(seen.insert(s), "duplicate {s}");
        assert!(
            !s.is_empty()
                && !s.starts_with('_')
                && !s.ends_with('_')
                && !s.contains("__")
                && s.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
            "{s}"
        );
        // The variant name is the camel-case of the wire string.
        let camel: String = s
            .split('_')
            .map(|w| w[..1].to_owned() + &w[1..].to_lowercase())
            .collect();
        assert_eq!(format!("{code:?}"), camel);
    }
    assert_eq!(ErrorCode::ALL.len(), 31);
    // The session's two codes follow CONNECTION_CLOSED.
    let at = ErrorCode::ALL
        .iter()
        .position(|c| *c == ErrorCode::ConnectionClosed)
        .expect("CONNECTION_CLOSED");
    assert_eq!(
        ErrorCode::ALL[at + 1..at + 3],
        [ErrorCode::ConnectionLost, ErrorCode::QueueFull]
    );
    assert_eq!(ErrorCode::ConnectionLost.as_str(), "CONNECTION_LOST");
    assert_eq!(ErrorCode::QueueFull.as_str(), "QUEUE_FULL");
    assert_eq!(ErrorCode::ALL[0], ErrorCode::InvalidWebsocketUrl);
    // The package entry's two start-up codes close the list.
    assert_eq!(
        ErrorCode::ALL[ErrorCode::ALL.len() - 3..],
        [
            ErrorCode::ClientFreed,
            ErrorCode::NotInitialized,
            ErrorCode::WasmLoadFailed
        ]
    );
    assert_eq!(ErrorCode::NotInitialized.as_str(), "NOT_INITIALIZED");
    assert_eq!(ErrorCode::WasmLoadFailed.as_str(), "WASM_LOAD_FAILED");
}

#[test]
fn the_js_client_codes_are_all_present() {
    let all: HashSet<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    for code in JS_CLIENT_CODES {
        assert!(all.contains(code), "{code} is missing");
    }
}

#[test]
fn categories() {
    for (c, s) in [
        (ErrorCategory::Authentication, "AUTHENTICATION"),
        (ErrorCategory::Orchestrator, "ORCHESTRATOR"),
        (ErrorCategory::Validation, "VALIDATION"),
        (ErrorCategory::Websocket, "WEBSOCKET"),
    ] {
        assert_eq!(c.as_str(), s);
    }
}

#[test]
fn the_fields_the_page_sees() {
    let err = OptaveError::validation(
        ErrorCode::RequiredFieldsMissing,
        "interaction requires non-empty request.connections.threadId",
        1_705_314_660_000.0,
    )
    .with_details(Detail::Map(vec![(
        "missing",
        Detail::strs(&["request.connections.threadId"]),
    )]))
    .suggest("Set threadId")
    .suggest(String::from("Keep it stable"))
    .for_request("corr-1");
    let value = error_json(&err, None);
    assert_eq!(
        value,
        json!({
            "category": "VALIDATION",
            "code": "REQUIRED_FIELDS_MISSING",
            "message": "interaction requires non-empty request.connections.threadId",
            "details": { "missing": ["request.connections.threadId"] },
            "suggestions": ["Set threadId", "Keep it stable"],
            "correlationId": "corr-1",
            "timestamp": "2024-01-15T10:31:00.000Z"
        })
    );
    assert_eq!(
        err.details.get("missing"),
        Some(&Detail::List(vec![Detail::Str(Cow::Borrowed(
            "request.connections.threadId"
        ))]))
    );
    assert_eq!(err.details.get("other"), None);
    assert_eq!(Detail::str("x").as_str(), Some("x"));
    assert_eq!(Detail::Num(1.0).as_str(), None);
    assert_eq!(Detail::Null.get("x"), None);
}

#[test]
fn details_as_json() {
    let d = Detail::Map(vec![
        ("null", Detail::Null),
        ("flag", Detail::Bool(true)),
        ("size", Detail::Num(131_073.0)),
        ("half", Detail::Num(0.5)),
        ("negative", Detail::Num(-3.0)),
        (
            "list",
            Detail::List(vec![Detail::str("a"), Detail::Num(2.0)]),
        ),
        ("frame", Detail::Frame),
    ]);
    assert_eq!(
        detail_to_json(&d),
        json!({
            "null": null, "flag": true, "size": 131_073, "half": 0.5, "negative": -3,
            "list": ["a", 2], "frame": FRAME_MARKER
        })
    );
    // Keys keep their order.
    let keys: Vec<String> = detail_to_json(&d)
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        ["null", "flag", "size", "half", "negative", "list", "frame"]
    );
}

#[test]
fn defaults_of_a_new_error() {
    let err = OptaveError::websocket(ErrorCode::InvalidJson, "bad frame", 0.0);
    assert_eq!(
        error_json(&err, None),
        json!({
            "category": "WEBSOCKET",
            "code": "INVALID_JSON",
            "message": "bad frame",
            "details": null,
            "suggestions": [],
            "timestamp": "1970-01-01T00:00:00.000Z"
        })
    );
    assert_eq!(err.details, Detail::Null);
    assert!(err.correlation_id.is_none());
    assert!(err.is(ErrorCode::InvalidJson));
    assert!(!err.is(ErrorCode::RemoteError));
    assert_eq!(err.to_string(), "WEBSOCKET/INVALID_JSON: bad frame");
    assert_eq!(err.summary(), err.to_string());
    let auth = OptaveError::authentication(ErrorCode::MissingToken, "m", 0.0);
    assert_eq!(auth.category, ErrorCategory::Authentication);
    let any = OptaveError::new(
        ErrorCategory::Orchestrator,
        ErrorCode::RemoteError,
        "x",
        0.0,
    );
    assert_eq!(any.category, ErrorCategory::Orchestrator);
    assert_eq!(any.code, "REMOTE_ERROR");
    // A server-defined code is kept verbatim; `is` compares with the catalogue.
    let mut server = any.clone();
    server.code = Cow::Owned("UPSTREAM_TIMEOUT".into());
    assert!(!server.is(ErrorCode::RemoteError));
    assert_eq!(server.summary(), "ORCHESTRATOR/UPSTREAM_TIMEOUT: x");
}

#[test]
fn timestamps_are_iso_with_milliseconds() {
    for (ms, iso) in [
        (NOW_MS, NOW_ISO),
        (-1.0, "1970-01-01T00:00:00.000Z"),
        (f64::NAN, "1970-01-01T00:00:00.000Z"),
        (1_705_314_600_123.0, "2024-01-15T10:30:00.123Z"),
    ] {
        let err = OptaveError::validation(ErrorCode::InvalidArgument, "m", ms);
        assert_eq!(err.timestamp, iso);
    }
}
