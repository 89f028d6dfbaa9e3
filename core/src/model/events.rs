//! The shapes of what the client emits (protocol.md section 5), as typed Rust
//! structs whose TypeScript declarations type the page's listeners.
//!
//! The facade builds these objects directly from the frame's JSON; the types
//! document and type them.

use alloc::collections::BTreeMap as Map;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use super::AnyJson as Value;
use tsify::Tsify;

/// A superpower's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum SuperpowerState {
    /// The superpower began.
    Started,
    /// Results are in `message.results`.
    Completed,
    /// The superpower failed (delivered as `superpower.error`).
    Error,
}

/// One result block: `{ response: [...] }`; `R` is the item type of the
/// superpower (`SuperpowerResults[actionType]` in the `.d.ts`: open,
/// `Record<string, unknown>`, unless the page declares it).
#[derive(Debug, Clone, Serialize, Tsify)]
pub struct SuperpowerResult<R> {
    /// The result items, e.g. `[{ sentiment: "negative", score: -0.4 }]`.
    #[tsify(optional)]
    pub response: Option<Vec<R>>,
}

/// `message` of a superpower frame; `R` as in [`SuperpowerResult`].
#[derive(Debug, Clone, Serialize, Tsify)]
pub struct SuperpowerMessage<R> {
    /// The result blocks (empty while `started`).
    pub results: Vec<SuperpowerResult<R>>,
}

/// Headers of a response envelope.
#[derive(Debug, Clone, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ResponseHeaders {
    /// The request's correlationId.
    pub correlation_id: String,
    /// The wire name of the request's action.
    #[tsify(optional)]
    pub action: Option<String>,
    /// `optave.response.v3` or `optave.error.v3`.
    #[tsify(optional)]
    pub schema_ref: Option<String>,
    /// Trace id.
    #[tsify(optional)]
    pub trace_id: Option<String>,
    /// Event time, ISO 8601.
    #[tsify(optional)]
    pub timestamp: Option<String>,
    /// When the server built the frame, ISO 8601.
    #[tsify(optional)]
    pub issued_at: Option<String>,
    /// Other headers.
    #[serde(flatten)]
    #[tsify(type = "unknown")]
    pub other: Map<String, Value>,
}

/// One superpower frame as the page receives it (`superpower.response`, what
/// `...Async` resolves with, what a request handle yields): `A` is its
/// `actionType`, `R` the type of its result items. The `.d.ts` names the
/// union over the page's result map `SuperpowerEvent` (`SuperpowerEvent<K>`
/// for one `actionType`), so `ev.actionType === 'sentiment_analysis'`
/// narrows `ev.message.results`.
#[derive(Debug, Clone, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SuperpowerFrame<A, R> {
    /// `"superpower"`.
    pub action: String,
    /// The superpower, e.g. `sentiment_analysis`, `risk_assessment`,
    /// `escalation_need`, `language_identification`, `search_requirements`,
    /// `performance_criteria`, `recommend`, `adjust_suggestion`.
    pub action_type: A,
    /// `started`, `completed` (or, on error frames, `error`).
    #[tsify(type = "SuperpowerState | (string & {})")]
    pub state: String,
    /// The results.
    pub message: SuperpowerMessage<R>,
    /// The request's correlationId (from the envelope, or the bare frame's own).
    #[tsify(optional)]
    pub correlation_id: Option<String>,
    /// The wire action of the request this answers (enveloped frames).
    #[tsify(optional)]
    pub request_action: Option<String>,
    /// The envelope headers (enveloped frames).
    #[tsify(optional)]
    pub headers: Option<ResponseHeaders>,
}

/// The `close` event: the connection that `open` announced has ended (one
/// `close` per `open`). When the SDK closed the socket itself, on `offline`
/// or `pagehide` (code 1000, reason `connection interrupted`) or on
/// `close()` (reason `client closed`), it carries what the socket was closed
/// with. Source: protocol.md section 7 (events), docs/api.md, "Connection states".
#[derive(Debug, Clone, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct CloseInfo {
    /// The WebSocket close code (1000 normal, 1006 abnormal, 4401 token refused...).
    pub code: u16,
    /// The close reason.
    pub reason: String,
    /// Whether the close handshake completed.
    pub was_clean: bool,
}

/// The `stateChange` event: the connection state changed.
#[derive(Debug, Clone, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct StateChangeEvent {
    /// The state left.
    pub previous: super::ConnectionState,
    /// The state entered.
    pub current: super::ConnectionState,
    /// The error that caused it, when one did (e.g. CONNECTION_CLOSED,
    /// CONNECTION_TIMEOUT, AUTHENTICATION_FAILED).
    #[tsify(optional)]
    pub reason: Option<OptaveError>,
    /// In `disconnected` and `suspended`: ms until the next attempt.
    #[tsify(optional)]
    pub retry_in_ms: Option<f64>,
    /// The transport requests use from now on (`rest` with `transport:
    /// 'rest'`, or with `'auto'` while the WebSocket cannot be established).
    /// A change of transport alone is reported too (`previous` equals
    /// `current`).
    pub transport: super::TransportInUse,
}

/// How an envelope reached the socket after the connection came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum SentKind {
    /// Built while the connection was down, sent once it was up.
    Queued,
    /// On the wire when the connection was lost; sent again, the same text.
    Resent,
}

/// The `sent` event: a queued or resent envelope went out.
#[derive(Debug, Clone, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SentEvent {
    /// The envelope's `headers.correlationId`.
    pub correlation_id: String,
    /// Why it went out now.
    pub kind: SentKind,
}

/// Superpower names the seeds and the local server use.
pub const SUPERPOWER_TYPES: [&str; 12] = [
    "sentiment_analysis",
    "risk_assessment",
    "escalation_need",
    "language_identification",
    "search_requirements",
    "performance_criteria",
    "recommend",
    "adjust_suggestion",
    "elevate_suggestion",
    "summary",
    "translation",
    "error",
];

/// The four error categories (protocol.md section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCategory {
    /// Token missing, refused or its provider failed.
    Authentication,
    /// The OCO server answered with an error frame.
    Orchestrator,
    /// The page's input was refused before anything was sent.
    Validation,
    /// The socket or a frame on it misbehaved.
    Websocket,
}

/// What every error of the SDK carries (protocol.md section 6); the object is
/// a real `Error` (`name` `"OptaveError"`), built from the core's `OptaveError`.
#[derive(Debug, Clone, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OptaveError {
    /// The error category.
    pub category: ErrorCategory,
    /// The error code, e.g. `REQUIRED_FIELDS_MISSING`; a server error frame's own code is kept verbatim.
    #[tsify(type = "ErrorCode | (string & {})")]
    pub code: String,
    /// A sentence that names the offending field or condition.
    pub message: String,
    /// Structured detail (field paths, sizes in bytes, the server frame...); `null` when none.
    #[tsify(type = "unknown")]
    pub details: Value,
    /// What the caller can do about it.
    pub suggestions: Vec<String>,
    /// The request's correlation id when the error concerns one request.
    #[tsify(optional)]
    pub correlation_id: Option<String>,
    /// When the error was raised, ISO 8601 UTC with milliseconds.
    pub timestamp: String,
}
