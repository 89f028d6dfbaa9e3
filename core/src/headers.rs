//! The header table (protocol.md section 2): every envelope header, its kind,
//! who owns it (the SDK or the caller) and where its value comes from.
//!
//! The builder writes the request headers by walking [`HEADERS`] in order;
//! `params.headers` is checked against it (only caller-owned headers may be
//! set); the inbound reader takes the names of the response headers it reads
//! from it ([`CORRELATION_ID`], [`ACTION`], [`SCHEMA_REF`]).

/// What a header's value must be when the caller sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    /// A non-blank string (an id).
    Id,
    /// An ISO 8601 UTC timestamp string.
    Iso,
    /// A number of milliseconds, finite and at least 0.
    Ms,
    /// A string the SDK writes.
    Text,
}

/// Who sets a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// Only the SDK: a caller override is refused.
    Sdk,
    /// The SDK by default; `params.headers` may override it.
    Caller,
}

/// Where a header's value comes from when the caller does not set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `request.requestId` when non-blank, else a fresh UUID v7.
    Correlation,
    /// The action's wire name (protocol.md section 4).
    Action,
    /// This text.
    Const(&'static str),
    /// A fresh UUID v7 (RFC 9562).
    Uuid,
    /// The moment the envelope is built, ISO 8601 UTC with milliseconds.
    IssuedAt,
    /// The client's `tenantId` option, when configured.
    Tenant,
    /// Nothing: sent only when the caller gives it.
    CallerOnly,
}

/// One header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Wire name.
    pub name: &'static str,
    /// Its kind.
    pub kind: HeaderKind,
    /// Who may set it.
    pub owner: Owner,
    /// Its value when the caller does not set it.
    pub source: Source,
}

const fn h(name: &'static str, kind: HeaderKind, owner: Owner, source: Source) -> Header {
    Header {
        name,
        kind,
        owner,
        source,
    }
}

use HeaderKind::{Id, Iso, Ms, Text};
use Owner::{Caller, Sdk};

/// Name of the correlation id header (request and response).
pub const CORRELATION_ID: &str = "correlationId";
/// Name of the action header (request and response).
pub const ACTION: &str = "action";
/// Name of the schema header (request and response).
pub const SCHEMA_REF: &str = "schemaRef";

/// Every request header, in the order the envelope carries them.
pub const HEADERS: [Header; 11] = [
    h(CORRELATION_ID, Id, Caller, Source::Correlation),
    h(ACTION, Text, Sdk, Source::Action),
    h(SCHEMA_REF, Text, Sdk, Source::Const(crate::SCHEMA_REF)),
    h("sdkVersion", Text, Sdk, Source::Const(crate::SDK_VERSION)),
    h("identifier", Text, Sdk, Source::Const("message")),
    h("traceId", Id, Caller, Source::Uuid),
    h("idempotencyKey", Id, Caller, Source::Uuid),
    h("issuedAt", Iso, Sdk, Source::IssuedAt),
    h("timestamp", Iso, Caller, Source::CallerOnly),
    h("tenantId", Id, Caller, Source::Tenant),
    h("networkLatencyMs", Ms, Caller, Source::CallerOnly),
];

/// The index of `name` in [`HEADERS`].
pub fn index_of(name: &str) -> Option<usize> {
    HEADERS.iter().position(|h| h.name == name)
}

/// The names of the headers a caller may set, for messages.
pub const CALLER_HEADERS: &str =
    "correlationId, traceId, idempotencyKey, timestamp, networkLatencyMs, tenantId";
