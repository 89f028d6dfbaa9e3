//! Inbound frame classification (protocol.md section 5).
//!
//! A frame is bare (`{ action: "superpower", ... }`) or enveloped
//! (`{ action: "message", headers, payload: <bare frame> }`). Classification
//! reads only the routing fields; the facade hands the frame's JSON to the page.

use serde::Deserialize;
use serde_json::{json, Value};

use super::error::{ErrorCategory, ErrorCode, OptaveError};

/// `schemaRef` of a response envelope.
pub const RESPONSE_SCHEMA_REF: &str = "optave.response.v3";
/// `schemaRef` of an error envelope.
pub const ERROR_SCHEMA_REF: &str = "optave.error.v3";

/// The routing facts of one inbound frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbound {
    /// `headers.correlationId`, else a top-level `correlationId`.
    pub correlation_id: Option<String>,
    /// True when the frame came inside a response envelope.
    pub enveloped: bool,
    /// The (payload's) `actionType`, e.g. `sentiment_analysis`.
    pub action_type: Option<String>,
    /// The (payload's) `state`: `started`, `completed` or `error`.
    pub state: Option<String>,
    /// `headers.action`: the action of the request this answers.
    pub request_action: Option<String>,
    /// Set when the frame is an error frame: the error to report.
    pub error: Option<OptaveError>,
}

#[derive(Deserialize)]
struct RawFrame {
    action: Option<Value>,
    #[serde(rename = "actionType")]
    action_type: Option<Value>,
    state: Option<Value>,
    headers: Option<Value>,
    payload: Option<Value>,
    #[serde(rename = "correlationId")]
    correlation_id: Option<Value>,
    error: Option<Value>,
    message: Option<Value>,
}

/// Classifies one text frame.
///
/// Errors: WEBSOCKET / `INVALID_JSON` when `text` is not JSON, WEBSOCKET /
/// `INBOUND_ENVELOPE_SCHEMA_MISMATCH` when it is JSON but not a frame (not an
/// object, an envelope without object `headers`/`payload`, or with `strict`
/// an unknown `schemaRef` or `state`). The caller reports these and keeps the
/// connection up.
pub fn classify(text: &str, strict: bool, now_ms: f64) -> Result<Inbound, OptaveError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        OptaveError::websocket(
            ErrorCode::InvalidJson,
            format!("inbound frame is not valid JSON: {e}"),
            now_ms,
        )
        .with_details(json!({ "frame": preview(text) }))
        .suggest("The frame was dropped; the connection stays open")
    })?;
    classify_value(&value, strict, now_ms)
}

/// Classifies an already parsed frame. Errors as [`classify`].
pub fn classify_value(value: &Value, strict: bool, now_ms: f64) -> Result<Inbound, OptaveError> {
    let mismatch = |msg: String| {
        OptaveError::websocket(ErrorCode::InboundEnvelopeSchemaMismatch, msg, now_ms)
            .suggest("The frame was dropped; the connection stays open")
    };
    if !value.is_object() {
        return Err(mismatch("inbound frame is not a JSON object".into()));
    }
    let top = RawFrame::deserialize(value).map_err(|e| mismatch(e.to_string()))?;
    let enveloped =
        top.action.as_ref().and_then(Value::as_str) == Some("message") || top.headers.is_some();
    let (headers, body) = if enveloped {
        let headers = match &top.headers {
            Some(h @ Value::Object(_)) => h,
            _ => return Err(mismatch("response envelope has no headers object".into())),
        };
        let body = match &top.payload {
            Some(p @ Value::Object(_)) => p,
            _ => return Err(mismatch("response envelope has no payload object".into())),
        };
        (
            Some(headers),
            RawFrame::deserialize(body).map_err(|e| mismatch(e.to_string()))?,
        )
    } else {
        (None, top)
    };
    let header = |name: &str| headers.and_then(|h| h.get(name)).and_then(Value::as_str);
    let correlation_id = header("correlationId")
        .or_else(|| value.get("correlationId").and_then(Value::as_str))
        .or_else(|| body.correlation_id.as_ref().and_then(Value::as_str))
        .map(str::to_owned);
    let schema_ref = header("schemaRef");
    let action_type = body
        .action_type
        .as_ref()
        .and_then(Value::as_str)
        .map(str::to_owned);
    let state = body
        .state
        .as_ref()
        .and_then(Value::as_str)
        .map(str::to_owned);
    if strict {
        if let Some(s) = schema_ref.filter(|s| *s != RESPONSE_SCHEMA_REF && *s != ERROR_SCHEMA_REF)
        {
            return Err(mismatch(format!("unknown schemaRef {s:?}")));
        }
        if let Some(s) = state
            .as_deref()
            .filter(|s| !matches!(*s, "started" | "completed" | "error"))
        {
            return Err(mismatch(format!("unknown state {s:?}")));
        }
    }
    let is_error = state.as_deref() == Some("error")
        || action_type.as_deref() == Some("error")
        || body.error.is_some()
        || schema_ref == Some(ERROR_SCHEMA_REF);
    let error = is_error
        .then(|| remote_error(&body, action_type.as_deref(), now_ms).with_details(value.clone()));
    let error = error.map(|e| match &correlation_id {
        Some(id) => e.for_request(id.clone()),
        None => e,
    });
    Ok(Inbound {
        correlation_id,
        enveloped,
        action_type,
        state,
        request_action: header("action").map(str::to_owned),
        error,
    })
}

/// The ORCHESTRATOR error an error frame stands for: its `error_code` (or
/// `error.code`) when it has one, else `REMOTE_ERROR`; its content as message.
fn remote_error(body: &RawFrame, action_type: Option<&str>, now_ms: f64) -> OptaveError {
    let item = body
        .message
        .as_ref()
        .and_then(|m| m.pointer("/results/0/response/0"));
    let from_item = |key: &str| item.and_then(|i| i.get(key)).and_then(Value::as_str);
    let from_error = |key: &str| {
        body.error
            .as_ref()
            .and_then(|e| e.get(key))
            .and_then(Value::as_str)
    };
    let code = from_item("error_code")
        .or_else(|| from_error("code"))
        .or_else(|| from_error("error_code"))
        .unwrap_or(ErrorCode::RemoteError.as_str());
    let text = from_item("content")
        .or_else(|| from_error("message"))
        .or_else(|| body.error.as_ref().and_then(Value::as_str))
        .unwrap_or("the server reported an error");
    let what = action_type.filter(|t| *t != "error").unwrap_or("request");
    let mut err = OptaveError::new(
        ErrorCategory::Orchestrator,
        ErrorCode::RemoteError,
        format!("{what} failed: {text}"),
        now_ms,
    );
    err.code = code.to_owned();
    err.suggest("Check the request fields named in the message, then retry")
}

/// The first 200 characters of a frame, for error details.
fn preview(text: &str) -> String {
    text.chars().take(200).collect()
}
