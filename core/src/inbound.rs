//! Inbound frames (protocol.md section 5): the one decision of what a frame
//! is and whom it is for.
//!
//! A frame is bare (`{ action: "superpower", ... }`) or enveloped
//! (`{ action: "message", headers, payload: <bare frame> }`). The facade
//! parses each frame once with the page's `JSON.parse` and reads the
//! [`Routing`] fields from fixed places (the body being the `payload` object
//! when there is one, else the frame); [`route`] decides from them alone, so
//! a frame's text never crosses into wasm. When [`route`] answers
//! [`Routed::Reread`], the facade reads the body fields again from the frame
//! itself; for an error frame it reads the [`ErrorFields`] and calls
//! [`remote_error`].

use alloc::string::String;

use crate::error::{Detail, ErrorCategory, ErrorCode, OptaveError};
use crate::text::Text;

/// `schemaRef` of a response envelope.
pub const RESPONSE_SCHEMA_REF: &str = "optave.response.v3";
/// `schemaRef` of an error envelope.
pub const ERROR_SCHEMA_REF: &str = "optave.error.v3";

/// The routing facts of one frame to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    /// `headers.correlationId`, else a top-level `correlationId`, else the payload's.
    pub correlation_id: Option<String>,
    /// True when the frame came inside a response envelope.
    pub enveloped: bool,
    /// The (payload's) `actionType`, e.g. `sentiment_analysis`.
    pub action_type: Option<String>,
    /// The (payload's) `state`: `started`, `completed` or `error`.
    pub state: Option<String>,
    /// `headers.action`: the action of the request this answers.
    pub request_action: Option<String>,
}

/// The routing fields of one parsed frame. A string field that is missing or
/// not a string is `None`; a member that is `null` counts as missing.
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

impl Routing<'_> {
    /// The bits of [`Routing::from_flags`], in field order: `is_object`,
    /// `action_is_message`, `has_headers`, `headers_is_object`,
    /// `payload_is_object`, `body_has_error`. The facade hands them to its
    /// JavaScript reader, so both sides use this one definition.
    pub const BITS: [u32; 6] = [1, 2, 4, 8, 16, 32];

    /// Sets the boolean fields from bits laid out as [`Routing::BITS`].
    pub fn with_flags(mut self, flags: u32) -> Self {
        let [a, b, c, d, e, f] = Self::BITS.map(|bit| flags & bit != 0);
        self.is_object = a;
        self.action_is_message = b;
        self.has_headers = c;
        self.headers_is_object = d;
        self.payload_is_object = e;
        self.body_has_error = f;
        self
    }
}

/// What to do with a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routed {
    /// Deliver it as `superpower.response` (and settle its request).
    Deliver(Inbound),
    /// An error frame: read its [`ErrorFields`] and report [`remote_error`]
    /// (as `superpower.error`, rejecting its request).
    Error(Inbound),
    /// A bare frame that carries a `payload` object: its body is the frame
    /// itself, not the payload. Read the body fields and the correlationId
    /// from the frame alone and route again.
    Reread,
}

/// Routes one frame from its [`Routing`] fields; `body_is_top` when the body
/// fields were read from the frame itself rather than from its `payload`.
///
/// Errors: WEBSOCKET / `INBOUND_ENVELOPE_SCHEMA_MISMATCH` for a non-object, an
/// envelope without object `headers`/`payload`, or with `strict` an unknown
/// `schemaRef` or `state`. The caller reports them and keeps the connection up.
pub fn route(
    r: &Routing<'_>,
    strict: bool,
    body_is_top: bool,
    now_ms: f64,
) -> Result<Routed, OptaveError> {
    let mismatch = |msg: Text| {
        OptaveError::websocket(ErrorCode::InboundEnvelopeSchemaMismatch, msg, now_ms)
            .with_details(Detail::Frame)
            .suggest("The frame was dropped; the connection stays open")
    };
    if !r.is_object {
        return Err(mismatch(Text::new("inbound frame is not a JSON object")));
    }
    let enveloped = r.action_is_message || r.has_headers;
    if enveloped {
        if !r.headers_is_object {
            return Err(mismatch(Text::new(
                "response envelope has no headers object",
            )));
        }
        if !r.payload_is_object {
            return Err(mismatch(Text::new(
                "response envelope has no payload object",
            )));
        }
    } else if r.payload_is_object && !body_is_top {
        return Ok(Routed::Reread);
    }
    let schema_ref = r.header_schema_ref.filter(|_| enveloped);
    if strict {
        if let Some(s) = schema_ref.filter(|s| *s != RESPONSE_SCHEMA_REF && *s != ERROR_SCHEMA_REF)
        {
            return Err(mismatch(Text::new("unknown schemaRef ").q(s)));
        }
        if let Some(s) = r
            .body_state
            .filter(|s| !matches!(*s, "started" | "completed" | "error"))
        {
            return Err(mismatch(Text::new("unknown state ").q(s)));
        }
    }
    let is_error = r.body_state == Some("error")
        || r.body_action_type == Some("error")
        || r.body_has_error
        || schema_ref == Some(ERROR_SCHEMA_REF);
    let header = |v: Option<&str>| v.filter(|_| enveloped).map(String::from);
    let inbound = Inbound {
        correlation_id: header(r.header_correlation_id)
            .or_else(|| r.other_correlation_id.map(String::from)),
        enveloped,
        action_type: r.body_action_type.map(String::from),
        state: r.body_state.map(String::from),
        request_action: header(r.header_action),
    };
    Ok(if is_error {
        Routed::Error(inbound)
    } else {
        Routed::Deliver(inbound)
    })
}

/// What an error frame says about itself, read from its body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErrorFields<'a> {
    /// `message.results[0].response[0].error_code`.
    pub item_error_code: Option<&'a str>,
    /// `message.results[0].response[0].content`.
    pub item_content: Option<&'a str>,
    /// `error.code`.
    pub error_code: Option<&'a str>,
    /// `error.error_code`.
    pub error_error_code: Option<&'a str>,
    /// `error.message`.
    pub error_message: Option<&'a str>,
    /// `error`, when it is a string.
    pub error_text: Option<&'a str>,
}

/// The ORCHESTRATOR error an error frame stands for: its `error_code` (or
/// `error.code`) when it has one, else `REMOTE_ERROR`; its content as the
/// message; the frame as `details` ([`Detail::Frame`]).
pub fn remote_error(inbound: &Inbound, f: &ErrorFields<'_>, now_ms: f64) -> OptaveError {
    let code = f.item_error_code.or(f.error_code).or(f.error_error_code);
    let text = f
        .item_content
        .or(f.error_message)
        .or(f.error_text)
        .unwrap_or("the server reported an error");
    let what = inbound
        .action_type
        .as_deref()
        .filter(|t| *t != "error")
        .unwrap_or("request");
    let message = Text::new(what).s(" failed: ").s(text);
    let mut err = OptaveError::new(
        ErrorCategory::Orchestrator,
        ErrorCode::RemoteError,
        message,
        now_ms,
    )
    .with_details(Detail::Frame)
    .suggest("Check the request fields named in the message, then retry");
    if let Some(code) = code {
        err.code = String::from(code).into();
    }
    if let Some(id) = &inbound.correlation_id {
        err = err.for_request(id.clone());
    }
    err
}

/// WEBSOCKET / `INVALID_JSON`: a text frame that is not JSON (`preview`: its
/// first characters, at most 200).
pub fn invalid_json(preview: &str, now_ms: f64) -> OptaveError {
    let preview: String = preview.chars().take(200).collect();
    OptaveError::websocket(
        ErrorCode::InvalidJson,
        "inbound frame is not valid JSON",
        now_ms,
    )
    .with_details(Detail::Map(alloc::vec![("frame", Detail::str(preview))]))
    .suggest("The frame was dropped; the connection stays open")
}

/// WEBSOCKET / `INBOUND_ENVELOPE_SCHEMA_MISMATCH`: a binary frame.
pub fn binary_frame(now_ms: f64) -> OptaveError {
    OptaveError::websocket(
        ErrorCode::InboundEnvelopeSchemaMismatch,
        "binary frames are not part of the protocol; the frame was dropped",
        now_ms,
    )
}
