//! Inbound frames (protocol.md section 5): the one decision of what a frame
//! is and whom it is for.
//!
//! A frame is bare (`{ action: "superpower", ... }`) or enveloped
//! (`{ action: "message", headers, payload: <bare frame> }`). The facade
//! parses each frame once with the page's `JSON.parse` and reads the
//! [`Routing`] fields from fixed places in one pass (the headers, the frame's
//! own body fields and its `payload`'s); [`route`] decides from them alone,
//! the choice of body included, so a frame's text never crosses into wasm and
//! a frame is read once. For an error frame the facade then reads the
//! [`ErrorFields`] and calls [`remote_error`].

use alloc::string::String;
use alloc::vec::Vec;

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

/// The routing fields of one parsed frame, read from fixed places in one
/// pass: the frame's own body fields and, when `payload` is an object, the
/// payload's, so that [`route`] alone chooses the body (protocol.md section
/// 5). A string field that is missing or not a string is `None`; a member
/// that is `null` counts as missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Routing<'a> {
    /// The frame is a JSON object (not an array, not `null`).
    pub is_object: bool,
    /// Top-level `action` is the string `"message"`.
    pub action_is_message: bool,
    /// Top-level `headers` is present and not `null`.
    pub has_headers: bool,
    /// Top-level `headers`, when it is an object.
    pub headers: Option<HeaderFields<'a>>,
    /// The body fields of the frame itself.
    pub top: BodyFields<'a>,
    /// The body fields of top-level `payload`, when it is an object.
    pub payload: Option<BodyFields<'a>>,
}

/// The fields of a frame's `headers` object that routing reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeaderFields<'a> {
    /// `headers.correlationId`.
    pub correlation_id: Option<&'a str>,
    /// `headers.correlationId` is present, not `null`, and not a string.
    pub correlation_id_not_string: bool,
    /// `headers.schemaRef`.
    pub schema_ref: Option<&'a str>,
    /// `headers.action`: the action of the request this answers.
    pub action: Option<&'a str>,
}

/// The fields of one candidate body (the frame itself, or its `payload`
/// object) that routing reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BodyFields<'a> {
    /// `action` is a string.
    pub has_action: bool,
    /// `actionType`.
    pub action_type: Option<&'a str>,
    /// `state`.
    pub state: Option<&'a str>,
    /// `error` is present and not `null`.
    pub has_error: bool,
    /// `message` is an object.
    pub message_is_object: bool,
    /// `correlationId`.
    pub correlation_id: Option<&'a str>,
    /// `correlationId` is present, not `null`, and not a string.
    pub correlation_id_not_string: bool,
}

/// What to do with a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routed {
    /// Deliver it as `superpower.response` (and settle its request).
    Deliver(Inbound),
    /// An error frame: read its [`ErrorFields`] (from its `payload` when
    /// [`Inbound::enveloped`], else from the frame itself) and report
    /// [`remote_error`] (as `superpower.error`, rejecting its request).
    Error(Inbound),
}

/// Routes one frame from its [`Routing`] fields. The body of an envelope
/// (`action` is `"message"`, or `headers` is present) is its `payload`; the
/// body of a bare frame is the frame itself, even when it carries a `payload`
/// object.
///
/// A frame is an error frame when its (payload's) `state` or `actionType` is
/// `error`, it carries an `error` member, or its `schemaRef` is
/// `optave.error.v3`; error frames come in several shapes and need nothing
/// more. Any other frame is delivered only when it has what protocol.md
/// section 5 requires of a superpower frame: `action` and `actionType` and
/// `state` strings and a `message` object.
///
/// Errors: WEBSOCKET / `INBOUND_ENVELOPE_SCHEMA_MISMATCH` for a non-object, an
/// envelope without object `headers`/`payload`, a `correlationId` that is not
/// a string, a non-error frame that lacks a required field (the error names
/// them and carries the frame's correlationId, but settles no request), or
/// with `strict` an unknown `schemaRef` or `state`. The caller reports them
/// and keeps the connection up.
pub fn route(r: &Routing<'_>, strict: bool, now_ms: f64) -> Result<Routed, OptaveError> {
    let mismatch = |msg: Text| {
        OptaveError::websocket(ErrorCode::InboundEnvelopeSchemaMismatch, msg, now_ms)
            .with_details(Detail::Frame)
            .suggest("The frame was dropped; the connection stays open")
    };
    if !r.is_object {
        return Err(mismatch(Text::new("inbound frame is not a JSON object")));
    }
    let enveloped = r.action_is_message || r.has_headers;
    let (headers, body) = if enveloped {
        let Some(headers) = r.headers else {
            return Err(mismatch(Text::new(
                "response envelope has no headers object",
            )));
        };
        let Some(payload) = r.payload else {
            return Err(mismatch(Text::new(
                "response envelope has no payload object",
            )));
        };
        (headers, payload)
    } else {
        (HeaderFields::default(), r.top)
    };
    if headers.correlation_id_not_string
        || r.top.correlation_id_not_string
        || body.correlation_id_not_string
    {
        return Err(mismatch(Text::new(
            "inbound frame has a correlationId that is not a string",
        ))
        .suggest("The server must echo the request's correlationId as a string"));
    }
    let schema_ref = headers.schema_ref;
    if strict {
        if let Some(s) = schema_ref.filter(|s| *s != RESPONSE_SCHEMA_REF && *s != ERROR_SCHEMA_REF)
        {
            return Err(mismatch(Text::new("unknown schemaRef ").q(s)));
        }
        if let Some(s) = body
            .state
            .filter(|s| !matches!(*s, "started" | "completed" | "error"))
        {
            return Err(mismatch(Text::new("unknown state ").q(s)));
        }
    }
    let is_error = body.state == Some("error")
        || body.action_type == Some("error")
        || body.has_error
        || schema_ref == Some(ERROR_SCHEMA_REF);
    // `headers.correlationId`, else the top-level one, else the payload's
    // (an envelope's body); a bare frame's own only.
    let inbound = Inbound {
        correlation_id: headers
            .correlation_id
            .or(r.top.correlation_id)
            .or(body.correlation_id)
            .map(String::from),
        enveloped,
        action_type: body.action_type.map(String::from),
        state: body.state.map(String::from),
        request_action: headers.action.map(String::from),
    };
    if is_error {
        return Ok(Routed::Error(inbound));
    }
    let missing: Vec<&str> = [
        (body.has_action, "action"),
        (body.action_type.is_some(), "actionType"),
        (body.state.is_some(), "state"),
        (body.message_is_object, "message"),
    ]
    .iter()
    .filter(|(present, _)| !present)
    .map(|(_, name)| *name)
    .collect();
    if !missing.is_empty() {
        let mut err = mismatch(
            Text::new("inbound frame lacks ")
                .list(&missing)
                .s(" (action, actionType and state strings and a message object are required)"),
        );
        if let Some(id) = inbound.correlation_id {
            err = err
                .for_request(id)
                .suggest("The request stays pending until a complete frame or its timeout");
        }
        return Err(err);
    }
    Ok(Routed::Deliver(inbound))
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

/// Default `maxInboundFrameBytes`: 1 MiB (1,048,576 bytes of UTF-8).
pub const DEFAULT_MAX_INBOUND_FRAME_BYTES: u32 = 1_048_576;
/// Smallest accepted `maxInboundFrameBytes` (1,024 bytes).
pub const MIN_INBOUND_FRAME_BYTES: u32 = 1_024;
/// Largest accepted `maxInboundFrameBytes` (256 MiB).
pub const MAX_INBOUND_FRAME_BYTES: u32 = 268_435_456;

/// How much of a frame that cannot be read (not JSON, or over
/// `maxInboundFrameBytes`) crosses into wasm: its first 4,096 UTF-16 code
/// units, enough for the envelope's headers and an error preview.
pub const UNREADABLE_PREFIX_UNITS: u32 = 4_096;

/// The correlationId an unreadable frame names: the first
/// `"correlationId": "<text>"` member in `prefix` (the frame's first
/// [`UNREADABLE_PREFIX_UNITS`]) whose value is a plain string of at most 256
/// bytes with no escapes. A frame the client cannot read is still the answer
/// to that request, so the request is rejected with the frame's error rather
/// than left to time out.
pub fn salvage_correlation_id(prefix: &str) -> Option<&str> {
    const KEY: &str = "\"correlationId\"";
    let mut rest = prefix;
    while let Some((head, tail)) = crate::text::split_once(rest, KEY) {
        rest = tail;
        // `\"correlationId\"` inside a string value is not a member.
        if head.ends_with('\\') {
            continue;
        }
        let Some(value) = tail.trim_start().strip_prefix(':') else {
            continue;
        };
        let Some(value) = value.trim_start().strip_prefix('"') else {
            continue;
        };
        let Some((id, _)) = crate::text::split_once(value, "\"") else {
            continue;
        };
        if !id.is_empty() && id.len() <= 256 && !crate::text::has_byte(id, b'\\') {
            return Some(id);
        }
    }
    None
}

fn unreadable(err: OptaveError, prefix: &str) -> OptaveError {
    let preview: String = prefix.chars().take(200).collect();
    let err = err
        .with_details(Detail::Map(alloc::vec![("frame", Detail::str(preview))]))
        .suggest("The frame was dropped; the connection stays open");
    match salvage_correlation_id(prefix) {
        Some(id) => err.for_request(String::from(id)),
        None => err,
    }
}

/// WEBSOCKET / `INVALID_JSON`: a text frame that `JSON.parse` refused.
/// `prefix` is the frame's start (at most [`UNREADABLE_PREFIX_UNITS`]);
/// `details.frame` is its first 200 characters; the error carries the
/// correlationId the frame names ([`salvage_correlation_id`]), and the
/// request waiting on it is rejected with it.
pub fn invalid_json(prefix: &str, now_ms: f64) -> OptaveError {
    unreadable(
        OptaveError::websocket(
            ErrorCode::InvalidJson,
            "inbound frame is not valid JSON",
            now_ms,
        ),
        prefix,
    )
}

/// WEBSOCKET / `INBOUND_FRAME_TOO_LARGE`: a text frame over
/// `maxInboundFrameBytes` (`max_bytes`), dropped without being parsed or
/// copied. `size` is its size in bytes of UTF-8, or a lower bound (its UTF-16
/// length) when that alone is over the limit; `prefix`, `details.frame` and
/// the correlationId as for [`invalid_json`].
pub fn frame_too_large(size: f64, max_bytes: u32, prefix: &str, now_ms: f64) -> OptaveError {
    let err = OptaveError::websocket(
        ErrorCode::InboundFrameTooLarge,
        Text::new("inbound frame of at least ")
            .n(size as u64)
            .s(" bytes is over maxInboundFrameBytes (")
            .n(u64::from(max_bytes))
            .s(")"),
        now_ms,
    );
    unreadable(err, prefix).suggest("Raise maxInboundFrameBytes if frames this large are expected")
}

/// WEBSOCKET / `INBOUND_ENVELOPE_SCHEMA_MISMATCH`: a binary frame.
pub fn binary_frame(now_ms: f64) -> OptaveError {
    OptaveError::websocket(
        ErrorCode::InboundEnvelopeSchemaMismatch,
        "binary frames are not part of the protocol; the frame was dropped",
        now_ms,
    )
}
