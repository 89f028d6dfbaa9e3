//! The transports (the `transport` option) and what an HTTP status means
//! for a REST request (protocol.md section 1; docs/api.md, "Transports").

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Detail, ErrorCode, OptaveError};
use crate::text::Text;

/// The most UTF-16 code units of an error answer's body kept in the error's
/// `details.body` (the facade copies no more into wasm).
pub const MAX_ERROR_BODY_UNITS: usize = 4_096;

/// Which transport carries requests (the `transport` option, and the one in
/// use on `stateChange` and `client.transport`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Transport {
    /// The WebSocket (the default without `restUrl`).
    #[default]
    WebSocket,
    /// `POST {restUrl}/message/{action}` for every request.
    Rest,
    /// The WebSocket, and REST while it cannot be established (the default
    /// with `restUrl`). Never the transport in use.
    Auto,
}

impl Transport {
    /// `"websocket"`, `"rest"` or `"auto"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WebSocket => "websocket",
            Self::Rest => "rest",
            Self::Auto => "auto",
        }
    }

    /// The transport named `name` (`websocket`, `rest`, `auto`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "websocket" => Some(Self::WebSocket),
            "rest" => Some(Self::Rest),
            "auto" => Some(Self::Auto),
            _ => None,
        }
    }
}

/// One HTTP request to make (the facade adds `Authorization: Bearer
/// <token>` when it has a token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetch {
    /// This call's number: the result comes back with it; a later call of
    /// the same request has another.
    pub id: u32,
    /// The request's correlationId.
    pub correlation_id: String,
    /// The action's wire name (the answer's `requestAction`).
    pub action: &'static str,
    /// `{restUrl}/message/{action}`.
    pub url: String,
    /// `Content-Type`, `Idempotency-Key`, `X-Correlation-Id`.
    pub headers: Vec<(&'static str, String)>,
    /// The payload (JSON text).
    pub body: Rc<str>,
    /// The call follows a 401/403: the token must be a fresh one.
    pub fresh_token: bool,
}

/// What an HTTP status means for a request (see [`classify`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// 2xx: the body is the answer.
    Answer,
    /// 401, 403: the token was refused.
    Auth,
    /// 400: the request was refused as invalid (VALIDATION).
    Invalid,
    /// 408, 429, 5xx: try again later.
    Retry,
    /// 422 and any other status: the server refused the request
    /// (ORCHESTRATOR).
    Refused,
}

/// The meaning of an HTTP status (docs/api.md, "Transports").
pub fn classify(status: u16) -> Class {
    match status {
        200..=299 => Class::Answer,
        401 | 403 => Class::Auth,
        400 => Class::Invalid,
        408 | 429 | 500..=599 => Class::Retry,
        _ => Class::Refused,
    }
}

/// The error that ends a request answered with `status` (`body`: the start
/// of the answer's text): AUTHENTICATION / `AUTHENTICATION_FAILED` (401,
/// 403), VALIDATION / `PAYLOAD_SCHEMA_MISMATCH` (400), ORCHESTRATOR /
/// `REMOTE_ERROR` (422 and every other status that is neither an answer nor
/// retried). `details`: `{ status, body }`.
pub fn status_error(status: u16, body: &str, correlation_id: &str, now_ms: f64) -> OptaveError {
    let message = |what: &str| {
        Text::new("the REST endpoint answered HTTP ")
            .n(u64::from(status))
            .s(": ")
            .s(what)
    };
    let error = match classify(status) {
        Class::Auth => OptaveError::authentication(
            ErrorCode::AuthenticationFailed,
            message("the token was refused"),
            now_ms,
        )
        .suggest("Check the token (tickets are short-lived and single-use) or the tokenProvider"),
        Class::Invalid => OptaveError::validation(
            ErrorCode::PayloadSchemaMismatch,
            message("the request was refused as invalid"),
            now_ms,
        )
        .suggest("details.body holds the server's explanation"),
        _ => OptaveError::orchestrator(
            ErrorCode::RemoteError,
            message("the server refused the request"),
            now_ms,
        )
        .suggest("details.body holds the server's explanation"),
    };
    let body: String = body.chars().take(MAX_ERROR_BODY_UNITS).collect();
    error
        .with_details(Detail::Map(alloc::vec![
            ("status", Detail::Num(f64::from(status))),
            ("body", Detail::str(body)),
        ]))
        .for_request(correlation_id)
}
