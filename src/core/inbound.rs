//! Inbound frame classification (protocol.md section 5).
//!
//! A frame is bare (`{ action: "superpower", ... }`) or enveloped
//! (`{ action: "message", headers, payload: <bare frame> }`). Classification
//! reads only the routing fields; the facade hands the frame's JSON to the page.
//!
//! Two entry points decide the same way:
//! - [`route`] works from the few [`Routing`] fields the facade reads off the
//!   page's single `JSON.parse` of the frame, so a frame's text never crosses
//!   into wasm on the common path (see BENCHMARKS.md). It answers `Ok(None)`
//!   for the rare frames it leaves to [`classify`]: error frames (whose error
//!   carries the whole frame) and bare frames that carry a `payload` object.
//! - [`classify`] / [`classify_value`] work from the whole frame.
//!
//! `tests/core_inbound.rs` checks that the two agree on every fixture frame and
//! on single-field mutations of them.

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

/// The routing fields of one parsed inbound frame, read from fixed places.
///
/// `body` is the frame's `payload` when that is an object, else the frame
/// itself. A string field that is missing or not a string is `None`; a member
/// that is `null` counts as missing (as in [`classify`]). The browser facade
/// reads these in JavaScript exactly as [`Routing::read`] does in Rust.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Routing<'a> {
    /// The frame is a JSON object (not an array, not `null`).
    pub is_object: bool,
    /// Top-level `action` is the string `"message"`.
    pub action_is_message: bool,
    /// Top-level `headers` is present and not `null`.
    pub has_headers: bool,
    /// Top-level `headers` is an object.
    pub headers_is_object: bool,
    /// Top-level `payload` is an object.
    pub payload_is_object: bool,
    /// `body.error` is present and not `null`.
    pub body_has_error: bool,
    /// `headers.correlationId` (when `headers` is an object).
    pub header_correlation_id: Option<&'a str>,
    /// `headers.schemaRef` (when `headers` is an object).
    pub header_schema_ref: Option<&'a str>,
    /// `headers.action` (when `headers` is an object).
    pub header_action: Option<&'a str>,
    /// `body.actionType`.
    pub body_action_type: Option<&'a str>,
    /// `body.state`.
    pub body_state: Option<&'a str>,
    /// Top-level `correlationId`, else `payload.correlationId`.
    pub other_correlation_id: Option<&'a str>,
}

impl<'a> Routing<'a> {
    /// Bit of [`Routing::flags`]: [`Routing::is_object`].
    pub const IS_OBJECT: u32 = 1;
    /// Bit of [`Routing::flags`]: [`Routing::action_is_message`].
    pub const ACTION_IS_MESSAGE: u32 = 2;
    /// Bit of [`Routing::flags`]: [`Routing::has_headers`].
    pub const HAS_HEADERS: u32 = 4;
    /// Bit of [`Routing::flags`]: [`Routing::headers_is_object`].
    pub const HEADERS_IS_OBJECT: u32 = 8;
    /// Bit of [`Routing::flags`]: [`Routing::payload_is_object`].
    pub const PAYLOAD_IS_OBJECT: u32 = 16;
    /// Bit of [`Routing::flags`]: [`Routing::body_has_error`].
    pub const BODY_HAS_ERROR: u32 = 32;

    /// Reads the routing fields of a parsed frame (the Rust twin of the
    /// facade's JavaScript reader).
    pub fn read(frame: &'a Value) -> Self {
        let text = |v: Option<&'a Value>| v.and_then(Value::as_str);
        let present = |v: Option<&Value>| v.is_some_and(|v| !v.is_null());
        let Value::Object(top) = frame else {
            return Self::default();
        };
        let headers = top.get("headers").filter(|h| h.is_object());
        let payload = top.get("payload").filter(|p| p.is_object());
        let body = payload.unwrap_or(frame);
        Self {
            is_object: true,
            action_is_message: text(top.get("action")) == Some("message"),
            has_headers: present(top.get("headers")),
            headers_is_object: headers.is_some(),
            payload_is_object: payload.is_some(),
            body_has_error: present(body.get("error")),
            header_correlation_id: text(headers.and_then(|h| h.get("correlationId"))),
            header_schema_ref: text(headers.and_then(|h| h.get("schemaRef"))),
            header_action: text(headers.and_then(|h| h.get("action"))),
            body_action_type: text(body.get("actionType")),
            body_state: text(body.get("state")),
            other_correlation_id: text(top.get("correlationId"))
                .or_else(|| text(payload.and_then(|p| p.get("correlationId")))),
        }
    }

    /// The boolean fields packed into bits (the `IS_OBJECT`... constants).
    pub fn flags(&self) -> u32 {
        [
            (self.is_object, Self::IS_OBJECT),
            (self.action_is_message, Self::ACTION_IS_MESSAGE),
            (self.has_headers, Self::HAS_HEADERS),
            (self.headers_is_object, Self::HEADERS_IS_OBJECT),
            (self.payload_is_object, Self::PAYLOAD_IS_OBJECT),
            (self.body_has_error, Self::BODY_HAS_ERROR),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .fold(0, |acc, (_, bit)| acc | bit)
    }

    /// Sets the boolean fields from bits made by [`Routing::flags`].
    pub fn with_flags(mut self, flags: u32) -> Self {
        let on = |bit: u32| flags & bit != 0;
        self.is_object = on(Self::IS_OBJECT);
        self.action_is_message = on(Self::ACTION_IS_MESSAGE);
        self.has_headers = on(Self::HAS_HEADERS);
        self.headers_is_object = on(Self::HEADERS_IS_OBJECT);
        self.payload_is_object = on(Self::PAYLOAD_IS_OBJECT);
        self.body_has_error = on(Self::BODY_HAS_ERROR);
        self
    }
}

/// Routes one frame from its [`Routing`] fields.
///
/// Returns `Ok(Some(inbound))` for a frame to deliver, `Ok(None)` when the
/// frame needs [`classify`] (an error frame, or a bare frame carrying a
/// `payload` object), and the same errors as [`classify`] otherwise: WEBSOCKET /
/// `INBOUND_ENVELOPE_SCHEMA_MISMATCH` for a non-object, an envelope without
/// object `headers`/`payload`, or with `strict` an unknown `schemaRef`/`state`.
pub fn route(r: &Routing<'_>, strict: bool, now_ms: f64) -> Result<Option<Inbound>, OptaveError> {
    let mismatch = |msg: &str| {
        OptaveError::websocket(ErrorCode::InboundEnvelopeSchemaMismatch, msg, now_ms)
            .suggest("The frame was dropped; the connection stays open")
    };
    if !r.is_object {
        return Err(mismatch("inbound frame is not a JSON object"));
    }
    let enveloped = r.action_is_message || r.has_headers;
    if enveloped {
        if !r.headers_is_object {
            return Err(mismatch("response envelope has no headers object"));
        }
        if !r.payload_is_object {
            return Err(mismatch("response envelope has no payload object"));
        }
    } else if r.payload_is_object {
        // The body fields were read from `payload`, but a bare frame's body is
        // the frame itself.
        return Ok(None);
    }
    let schema_ref = r.header_schema_ref.filter(|_| enveloped);
    if strict {
        if let Some(s) = schema_ref.filter(|s| *s != RESPONSE_SCHEMA_REF && *s != ERROR_SCHEMA_REF)
        {
            return Err(mismatch(&format!("unknown schemaRef {s:?}")));
        }
        if let Some(s) = r
            .body_state
            .filter(|s| !matches!(*s, "started" | "completed" | "error"))
        {
            return Err(mismatch(&format!("unknown state {s:?}")));
        }
    }
    let is_error = r.body_state == Some("error")
        || r.body_action_type == Some("error")
        || r.body_has_error
        || schema_ref == Some(ERROR_SCHEMA_REF);
    if is_error {
        return Ok(None);
    }
    let header = |v: Option<&str>| v.filter(|_| enveloped).map(str::to_owned);
    Ok(Some(Inbound {
        correlation_id: header(r.header_correlation_id)
            .or_else(|| r.other_correlation_id.map(str::to_owned)),
        enveloped,
        action_type: r.body_action_type.map(str::to_owned),
        state: r.body_state.map(str::to_owned),
        request_action: header(r.header_action),
        error: None,
    }))
}

/// The members of a frame object that classification reads; `null` counts as
/// absent.
struct RawFrame<'a> {
    action: Option<&'a Value>,
    action_type: Option<&'a Value>,
    state: Option<&'a Value>,
    headers: Option<&'a Value>,
    payload: Option<&'a Value>,
    correlation_id: Option<&'a Value>,
    error: Option<&'a Value>,
    message: Option<&'a Value>,
}

impl<'a> RawFrame<'a> {
    fn read(value: &'a Value) -> Self {
        let get = |key: &str| value.get(key).filter(|v| !v.is_null());
        Self {
            action: get("action"),
            action_type: get("actionType"),
            state: get("state"),
            headers: get("headers"),
            payload: get("payload"),
            correlation_id: get("correlationId"),
            error: get("error"),
            message: get("message"),
        }
    }
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
    let top = RawFrame::read(value);
    let enveloped = top.action.and_then(|v| v.as_str()) == Some("message") || top.headers.is_some();
    let (headers, body) = if enveloped {
        let headers = match &top.headers {
            Some(h @ Value::Object(_)) => h,
            _ => return Err(mismatch("response envelope has no headers object".into())),
        };
        let body = match &top.payload {
            Some(p @ Value::Object(_)) => p,
            _ => return Err(mismatch("response envelope has no payload object".into())),
        };
        (Some(headers), RawFrame::read(body))
    } else {
        (None, top)
    };
    let header = |name: &str| headers.and_then(|h| h.get(name)).and_then(Value::as_str);
    let correlation_id = header("correlationId")
        .or_else(|| value.get("correlationId").and_then(Value::as_str))
        .or_else(|| body.correlation_id.and_then(|v| v.as_str()))
        .map(str::to_owned);
    let schema_ref = header("schemaRef");
    let action_type = body.action_type.and_then(Value::as_str).map(str::to_owned);
    let state = body.state.and_then(Value::as_str).map(str::to_owned);
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
        .and_then(|m| m.pointer("/results/0/response/0"));
    let from_item = |key: &str| item.and_then(|i| i.get(key)).and_then(Value::as_str);
    let from_error = |key: &str| body.error.and_then(|e| e.get(key)).and_then(Value::as_str);
    let code = from_item("error_code")
        .or_else(|| from_error("code"))
        .or_else(|| from_error("error_code"))
        .unwrap_or(ErrorCode::RemoteError.as_str());
    let text = from_item("content")
        .or_else(|| from_error("message"))
        .or_else(|| body.error.and_then(|v| v.as_str()))
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
