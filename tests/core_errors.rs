//! The error model (protocol.md section 6).
// Native only: plain `#[test]`s (the browser suite is tests/web*.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;

use optave_client::core::error::{ErrorCategory, ErrorCode, OptaveError, ERROR_CODE_TS};
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
}

#[test]
fn the_js_client_codes_are_all_present() {
    let all: HashSet<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    for code in JS_CLIENT_CODES {
        assert!(all.contains(code), "{code} is missing");
    }
}

#[test]
fn the_typescript_union_lists_every_code_in_order() {
    let union = ErrorCode::ALL
        .iter()
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect::<Vec<_>>()
        .join(" | ");
    let line = format!("export type ErrorCode = {union};");
    assert!(
        ERROR_CODE_TS.lines().any(|l| l == line),
        "ERROR_CODE_TS is out of date:\n{ERROR_CODE_TS}\nexpected:\n{line}"
    );
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
        assert_eq!(serde_json::to_value(c).unwrap(), json!(s));
    }
}

#[test]
fn serializes_with_camel_case_keys() {
    let err = OptaveError::validation(
        ErrorCode::RequiredFieldsMissing,
        "interaction requires non-empty request.connections.threadId",
        1_705_314_660_000.0,
    )
    .with_details(json!({ "missing": ["request.connections.threadId"] }))
    .suggest("Set threadId")
    .suggest("Keep it stable")
    .for_request("corr-1");
    let value = serde_json::to_value(&err).unwrap();
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
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "category",
            "code",
            "message",
            "details",
            "suggestions",
            "correlationId",
            "timestamp"
        ]
    );
}

#[test]
fn defaults_of_a_new_error() {
    let err = OptaveError::websocket(ErrorCode::InvalidJson, "bad frame", 0.0);
    let value = serde_json::to_value(&err).unwrap();
    assert_eq!(
        value,
        json!({
            "category": "WEBSOCKET",
            "code": "INVALID_JSON",
            "message": "bad frame",
            "details": null,
            "suggestions": [],
            "timestamp": "1970-01-01T00:00:00.000Z"
        })
    );
    assert!(err.is(ErrorCode::InvalidJson));
    assert!(!err.is(ErrorCode::RemoteError));
    assert_eq!(err.to_string(), "WEBSOCKET/INVALID_JSON: bad frame");
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
}
