//! Outbound frames (protocol.md section 5): the bare superpower payload, the
//! response envelope (`optave.response.v3`), the bare variant with a
//! top-level `correlationId`, and the error envelope (`optave.error.v3`).

use serde_json::{json, Map, Value};

use crate::envelope::{Rejection, ValidRequest, ERROR_SCHEMA, RESPONSE_SCHEMA};
use crate::timestamp::now_rfc3339;

/// Frame state of a superpower frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// `started`
    Started,
    /// `completed`
    Completed,
    /// `error`
    Error,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Started => "started",
            State::Completed => "completed",
            State::Error => "error",
        }
    }
}

/// Builds the bare superpower payload: `{action, actionType, state, message}`.
///
/// `response` is `None` for `message.results: []` (started frames), else the
/// items of `message.results[0].response`.
pub fn superpower_payload(action_type: &str, state: State, response: Option<Vec<Value>>) -> Value {
    let results = match response {
        None => json!([]),
        Some(items) => json!([{ "response": items }]),
    };
    json!({
        "action": "superpower",
        "actionType": action_type,
        "state": state.as_str(),
        "message": { "results": results },
    })
}

/// Wraps a payload in a response envelope (`optave.response.v3`).
pub fn response_envelope(req: &ValidRequest, payload: Value) -> Value {
    let now = now_rfc3339();
    let mut headers = Map::new();
    headers.insert("correlationId".into(), json!(req.correlation_id));
    headers.insert("action".into(), json!(req.action.wire()));
    headers.insert("schemaRef".into(), json!(RESPONSE_SCHEMA));
    if let Some(trace) = &req.trace_id {
        headers.insert("traceId".into(), json!(trace));
    }
    headers.insert("issuedAt".into(), json!(now));
    headers.insert("timestamp".into(), json!(now));
    json!({ "action": "message", "headers": headers, "payload": payload })
}

/// Turns a payload into a bare frame: the payload with `correlationId` added.
pub fn bare_frame(req: &ValidRequest, mut payload: Value) -> Value {
    if let Value::Object(map) = &mut payload {
        map.insert("correlationId".into(), json!(req.correlation_id));
    }
    payload
}

/// Builds the enveloped error frame (`optave.error.v3`) for a rejection.
pub fn error_frame(rej: &Rejection) -> Value {
    let mut headers = Map::new();
    if let Some(id) = &rej.correlation_id {
        headers.insert("correlationId".into(), json!(id));
    }
    if let Some(action) = &rej.action {
        headers.insert("action".into(), json!(action));
    }
    headers.insert("schemaRef".into(), json!(ERROR_SCHEMA));
    headers.insert("issuedAt".into(), json!(now_rfc3339()));
    let mut item = Map::new();
    item.insert("content".into(), json!(rej.message));
    item.insert("error_code".into(), json!(rej.code));
    if !rej.fields.is_empty() {
        item.insert("fields".into(), json!(rej.fields));
    }
    json!({
        "action": "message",
        "headers": headers,
        "payload": {
            "action": "superpower",
            "actionType": "error",
            "state": "error",
            "message": { "results": [ { "response": [ Value::Object(item) ] } ] },
        },
    })
}
