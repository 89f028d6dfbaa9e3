//! The typed payload model (feature `ts`): Rust mirrors of every structure of
//! protocol.md section 3 and of what the client emits (section 5), with serde
//! wire names and Tsify derives. They exist for the TypeScript declarations
//! (the facade's build script writes them into the `.d.ts` through
//! [`declarations`]) and for the native tests that check the builder's schema
//! table against them. No build of the SDK itself contains them. The
//! per-action params types ([`actions`]) are generated from the runtime's
//! table of required fields and these declarations.

pub mod actions;
mod events;
mod options;
mod request;
mod scope;
mod session;
mod ts_doc;

pub use events::{
    CloseInfo, ErrorCategory, OptaveError, ResponseHeaders, SentEvent, SentKind, StateChangeEvent,
    SuperpowerFrame, SuperpowerMessage, SuperpowerResult, SuperpowerState, SUPERPOWER_TYPES,
};
pub use options::{
    AuthTransport, ConnectionOptions, ConnectionState, CrossTabOptions, CrossTabRole, ReadyState,
    ReconnectOptions, RequestOptions, RoleChangeEvent, Transport, TransportInUse,
};
pub use request::{
    A2a, Attributes, Code, Connections, Context, Cursor, Link, Reference, ReferenceId, Request,
    Resources, Settings,
};
pub use scope::{Conversation, Interaction, Message, Participant, Role, Scope};
pub use session::{Channel, Interface, Medium, Session};

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Any JSON value (fields the schema leaves open).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnyJson {
    /// `null`.
    Null(()),
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<AnyJson>),
    /// An object.
    Obj(BTreeMap<String, AnyJson>),
}

/// Every generated TypeScript declaration, in dependency order: the model's
/// (Tsify derives), then the per-action params types built on them
/// ([`actions::declarations`]).
///
/// Errors: a required field of [`crate::action::Action::requirements`] that
/// the model does not declare with a fitting type (see [`actions`]).
pub fn declarations() -> Result<Vec<Cow<'static, str>>, String> {
    let model = model_declarations();
    let generated = actions::declarations(&model)?;
    Ok(model
        .into_iter()
        .map(Cow::Borrowed)
        .chain(generated.into_iter().map(Cow::Owned))
        .collect())
}

/// The model's declarations (its Tsify derives), in dependency order.
fn model_declarations() -> Vec<&'static str> {
    use tsify::Tsify as T;
    alloc::vec![
        <Medium as T>::DECL,
        <Channel as T>::DECL,
        <Interface as T>::DECL,
        <Session as T>::DECL,
        <Attributes as T>::DECL,
        <Connections as T>::DECL,
        <Context as T>::DECL,
        <ReferenceId as T>::DECL,
        <Reference as T>::DECL,
        <Code as T>::DECL,
        <Link as T>::DECL,
        <Resources as T>::DECL,
        <Role as T>::DECL,
        <Participant as T>::DECL,
        <Message as T>::DECL,
        <Conversation as T>::DECL,
        <Interaction as T>::DECL,
        <Scope as T>::DECL,
        <Settings as T>::DECL,
        <A2a as T>::DECL,
        <Cursor as T>::DECL,
        <Request as T>::DECL,
        <Payload as T>::DECL,
        <HeaderOverrides as T>::DECL,
        <RequestParams as T>::DECL,
        <SuperpowerState as T>::DECL,
        <SuperpowerResult<AnyJson> as T>::DECL,
        <SuperpowerMessage<AnyJson> as T>::DECL,
        <ResponseHeaders as T>::DECL,
        <SuperpowerFrame<String, AnyJson> as T>::DECL,
        <CloseInfo as T>::DECL,
        <AuthTransport as T>::DECL,
        <Transport as T>::DECL,
        <TransportInUse as T>::DECL,
        <ReconnectOptions as T>::DECL,
        <CrossTabOptions as T>::DECL,
        <CrossTabRole as T>::DECL,
        <RoleChangeEvent as T>::DECL,
        <ConnectionOptions as T>::DECL,
        <RequestOptions as T>::DECL,
        <ReadyState as T>::DECL,
        <ConnectionState as T>::DECL,
        <ErrorCategory as T>::DECL,
        <OptaveError as T>::DECL,
        <StateChangeEvent as T>::DECL,
        <SentKind as T>::DECL,
        <SentEvent as T>::DECL,
    ]
}

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
