//! Building the request envelope (protocol.md section 2): params in, one JSON
//! text frame out, with every header rule applied and every check passed.

use serde_json::{json, Map, Value};

use super::action::Action;
use super::defaults::default_payload;
use super::error::{ErrorCode, OptaveError};
use super::fast;
use super::ids::{IdGenerator, RandomSource};
use super::legacy::{normalize, Deprecation};
use super::merge::merge_into;
use super::time::iso_millis;
use super::validate;

/// `schemaRef` of request envelopes.
pub const SCHEMA_REF: &str = "optave.message.v3";
/// The spec version this SDK implements.
pub const SPEC_VERSION: &str = "3.2.3";
/// The SDK version sent as `headers.sdkVersion`.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Client-level settings that shape every envelope.
#[derive(Debug, Clone, Default)]
pub struct EnvelopeConfig {
    /// Fills `request.context.organizationId` when the call leaves it empty.
    pub organization_id: Option<String>,
    /// Sent as `headers.tenantId`.
    pub tenant_id: Option<String>,
    /// Fills `session.sessionId` when the call leaves it empty.
    pub session_id: Option<String>,
    /// Type-check every known field (`strictValidation`).
    pub strict: bool,
}

/// A built envelope, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbound {
    /// `headers.correlationId`.
    pub correlation_id: String,
    /// The serialized envelope (UTF-8 JSON).
    pub text: String,
    /// Legacy inputs that were accepted (the client warns once per kind).
    pub deprecations: Vec<Deprecation>,
}

/// Builds the envelope for `action` from the caller's params given as JSON text
/// (what `JSON.stringify(params)` produced; `undefined` members are absent).
///
/// The common case is built in one pass over the text ([`fast::try_build`]);
/// anything else (and every error) goes through [`build`], with the same result.
///
/// Errors: VALIDATION / `PAYLOAD_SCHEMA_MISMATCH` (not JSON, bad shape, bad
/// header, strict type error), `REQUIRED_FIELDS_MISSING`, `PAYLOAD_TOO_LARGE`.
pub fn build_from_json<R: RandomSource>(
    action: Action,
    params_json: &str,
    config: &EnvelopeConfig,
    ids: &mut IdGenerator<R>,
    now_ms: f64,
) -> Result<Outbound, OptaveError> {
    if let Some(result) = fast::try_build(action, params_json, config, ids, now_ms) {
        return result;
    }
    let params: Value = serde_json::from_str(params_json).map_err(|e| {
        OptaveError::validation(
            ErrorCode::PayloadSchemaMismatch,
            format!("params are not JSON-serializable: {e}"),
            now_ms,
        )
    })?;
    build(action, params, config, ids, now_ms)
}

/// Builds the envelope for `action` from the caller's params.
///
/// Errors: as [`build_from_json`].
pub fn build<R: RandomSource>(
    action: Action,
    params: Value,
    config: &EnvelopeConfig,
    ids: &mut IdGenerator<R>,
    now_ms: f64,
) -> Result<Outbound, OptaveError> {
    let mut params = validate::check_top_level(params, now_ms)?;
    let headers = validate::parse_headers(params.remove("headers"), now_ms)?;
    let mut deprecations = normalize(&mut params);
    if action.is_deprecated() {
        deprecations.push(Deprecation::CustomerInteraction);
    }

    let mut payload = default_payload();
    merge_into(&mut payload, Value::Object(params));
    fill_from_config(&mut payload, config);
    upper_case_variant(&mut payload);

    if config.strict {
        validate::check_strict(&payload, now_ms)?;
    }
    validate::check_required(action, &payload, now_ms)?;

    let correlation_id = headers
        .correlation_id
        .clone()
        .or_else(|| non_empty_str(&payload, "/request/requestId"))
        .unwrap_or_else(|| ids.uuid_v7(now_ms));
    let mut h = Map::new();
    h.insert("correlationId".into(), json!(correlation_id));
    h.insert("action".into(), json!(action.wire_name()));
    h.insert("schemaRef".into(), json!(SCHEMA_REF));
    h.insert("sdkVersion".into(), json!(SDK_VERSION));
    h.insert("identifier".into(), json!("message"));
    let trace_id = headers.trace_id.unwrap_or_else(|| ids.uuid_v7(now_ms));
    h.insert("traceId".into(), json!(trace_id));
    let key = headers
        .idempotency_key
        .unwrap_or_else(|| ids.uuid_v7(now_ms));
    h.insert("idempotencyKey".into(), json!(key));
    h.insert("issuedAt".into(), json!(iso_millis(now_ms)));
    if let Some(ts) = headers.timestamp {
        h.insert("timestamp".into(), json!(ts));
    }
    if let Some(tenant) = headers.tenant_id.or_else(|| config.tenant_id.clone()) {
        h.insert("tenantId".into(), json!(tenant));
    }
    if let Some(ms) = headers.network_latency_ms {
        h.insert("networkLatencyMs".into(), json!(ms));
    }

    let envelope = json!({ "action": "message", "headers": h, "payload": payload });
    let text = serde_json::to_string(&envelope).map_err(|e| {
        OptaveError::validation(
            ErrorCode::PayloadSchemaMismatch,
            format!("payload could not be serialized: {e}"),
            now_ms,
        )
    })?;
    let payload_ref = envelope.get("payload").unwrap_or(&Value::Null);
    validate::check_size(&text, payload_ref, now_ms)
        .map_err(|e| e.for_request(correlation_id.clone()))?;
    Ok(Outbound {
        correlation_id,
        text,
        deprecations,
    })
}

/// Fills client-level values into slots the call left empty.
fn fill_from_config(payload: &mut Value, config: &EnvelopeConfig) {
    let slots = [
        ("/request/context/organizationId", &config.organization_id),
        ("/session/sessionId", &config.session_id),
    ];
    for (pointer, value) in slots {
        let Some(value) = value else { continue };
        if let Some(slot) = payload.pointer_mut(pointer) {
            if slot.as_str().is_some_and(|s| s.trim().is_empty()) || slot.is_null() {
                *slot = json!(value);
            }
        }
    }
}

/// `request.attributes.variant` is sent upper-cased.
fn upper_case_variant(payload: &mut Value) {
    if let Some(Value::String(variant)) = payload.pointer_mut("/request/attributes/variant") {
        // Variants are ASCII letters ("A", "B"); other characters are kept as given.
        variant.make_ascii_uppercase();
    }
}

fn non_empty_str(value: &Value, pointer: &str) -> Option<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}
