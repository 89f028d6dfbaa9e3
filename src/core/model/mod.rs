//! The payload model: typed Rust mirrors of every structure of protocol.md
//! section 3, with serde (wire names) and tsify (generated TypeScript) derives.
//!
//! These types describe what a page may pass and what goes on the wire. The
//! merge itself works on JSON values (see `merge`), so keys these types do not
//! know survive; the types serve the TypeScript declarations and
//! `strictValidation`, which deserializes the merged payload into [`Payload`].

mod request;
mod scope;
mod session;

pub use request::{
    A2a, Attributes, Code, Connections, Context, Cursor, Link, Reference, ReferenceId, Request,
    Resources, Settings,
};
pub use scope::{Conversation, Interaction, Message, Participant, Role, Scope};
pub use session::{Channel, Interface, Medium, Session};

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// The payload of a request envelope: `{ session, request }`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Payload {
    /// Session data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub session: Option<Session>,
    /// Request data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub request: Option<Request>,
}

/// Header values a caller may set through `params.headers` (protocol.md section 2).
/// Every other header belongs to the SDK.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderOverrides {
    /// Replaces the generated `correlationId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub correlation_id: Option<String>,
    /// Replaces the generated `traceId` (UUID v7 otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub trace_id: Option<String>,
    /// Replaces the generated `idempotencyKey` (UUID v7 otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub idempotency_key: Option<String>,
    /// The original event time, ISO 8601; sent only when given, never fabricated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub timestamp: Option<String>,
    /// Measured network latency in ms; sent only when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub network_latency_ms: Option<f64>,
    /// Replaces the client's `tenantId` for this request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub tenant_id: Option<String>,
}

/// What every sender takes: a partial payload merged onto the defaults, plus
/// header overrides. Only `session`, `request` and `headers` are allowed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RequestParams {
    /// Header overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub headers: Option<HeaderOverrides>,
    /// Session data, merged onto the default session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub session: Option<Session>,
    /// Request data, merged onto the default request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub request: Option<Request>,
}
