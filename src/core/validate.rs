//! Outbound validation (protocol.md sections 2 and 4): top-level keys, header
//! overrides, required fields, `strictValidation` and the 128 KiB size limit.
//!
//! Every refusal is a VALIDATION [`OptaveError`] that names the field(s).

use serde_json::{json, Map, Value};

use super::action::{Action, Requirement};
use super::error::{ErrorCode, OptaveError};
use super::model::HeaderOverrides;
use super::schema;
use super::time::is_iso_timestamp;

/// Maximum serialized envelope size: 128 KiB of UTF-8.
pub const MAX_ENVELOPE_BYTES: usize = 131_072;

/// The only keys allowed at the top level of a caller's params.
pub const TOP_LEVEL_KEYS: [&str; 3] = ["session", "request", "headers"];

/// Checks the shape of the caller's params: an object whose keys are among
/// [`TOP_LEVEL_KEYS`], with `session`/`request`/`headers` objects when present.
///
/// Errors: VALIDATION / `PAYLOAD_SCHEMA_MISMATCH`.
pub fn check_top_level(params: Value, now_ms: f64) -> Result<Map<String, Value>, OptaveError> {
    let map = match params {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            return Err(schema_mismatch(
                format!("params must be an object, got {}", kind(&other)),
                json!({ "path": "params", "expected": "object", "actual": kind(&other) }),
                now_ms,
            ))
        }
    };
    let unknown: Vec<&String> = map
        .keys()
        .filter(|k| !TOP_LEVEL_KEYS.contains(&k.as_str()))
        .collect();
    if !unknown.is_empty() {
        let names: Vec<&str> = unknown.iter().map(|k| k.as_str()).collect();
        return Err(schema_mismatch(
            format!(
                "unknown top-level key(s) in params: {}; only session, request and headers are allowed",
                names.join(", ")
            ),
            json!({ "unknownKeys": names, "allowed": TOP_LEVEL_KEYS }),
            now_ms,
        )
        .suggest("Move payload fields under params.session or params.request")
        .suggest("Put header overrides under params.headers"));
    }
    for key in TOP_LEVEL_KEYS {
        if let Some(value) = map.get(key) {
            if !value.is_object() {
                return Err(schema_mismatch(
                    format!("params.{key} must be an object, got {}", kind(value)),
                    json!({ "path": key, "expected": "object", "actual": kind(value) }),
                    now_ms,
                ));
            }
        }
    }
    Ok(map)
}

/// Parses `params.headers` into the overrides a caller may set.
///
/// Errors: VALIDATION / `PAYLOAD_SCHEMA_MISMATCH` for an unknown or SDK-owned
/// header, a wrong type, an empty id, a non-ISO `timestamp` or a negative or
/// non-finite `networkLatencyMs`.
pub fn parse_headers(headers: Option<Value>, now_ms: f64) -> Result<HeaderOverrides, OptaveError> {
    let Some(headers) = headers else {
        return Ok(HeaderOverrides::default());
    };
    schema::check(&headers, schema::HEADERS, true).map_err(|m| {
        let path = format!("headers.{}", m.path);
        schema_mismatch(
            format!("{path}: {}", m.message),
            json!({ "path": path }),
            now_ms,
        )
        .suggest("Only correlationId, traceId, idempotencyKey, timestamp, networkLatencyMs and tenantId can be set in params.headers")
    })?;
    let text = |name: &str| headers.get(name).and_then(Value::as_str).map(str::to_owned);
    let parsed = HeaderOverrides {
        correlation_id: text("correlationId"),
        trace_id: text("traceId"),
        idempotency_key: text("idempotencyKey"),
        timestamp: text("timestamp"),
        network_latency_ms: headers.get("networkLatencyMs").and_then(Value::as_f64),
        tenant_id: text("tenantId"),
    };
    for (name, value) in [
        ("correlationId", &parsed.correlation_id),
        ("traceId", &parsed.trace_id),
        ("idempotencyKey", &parsed.idempotency_key),
        ("tenantId", &parsed.tenant_id),
    ] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(schema_mismatch(
                format!("headers.{name} must not be empty; omit it to let the SDK generate one"),
                json!({ "path": format!("headers.{name}") }),
                now_ms,
            ));
        }
    }
    if let Some(ts) = &parsed.timestamp {
        if !is_iso_timestamp(ts) {
            return Err(schema_mismatch(
                format!("headers.timestamp must be an ISO 8601 UTC timestamp, got {ts:?}"),
                json!({ "path": "headers.timestamp", "actual": ts }),
                now_ms,
            )
            .suggest("Use new Date(eventTime).toISOString()"));
        }
    }
    if let Some(ms) = parsed.network_latency_ms {
        if !ms.is_finite() || ms < 0.0 {
            return Err(schema_mismatch(
                "headers.networkLatencyMs must be a number >= 0".to_owned(),
                json!({ "path": "headers.networkLatencyMs" }),
                now_ms,
            ));
        }
    }
    Ok(parsed)
}

/// Checks the fields `action` requires in the merged `payload`.
///
/// Errors: VALIDATION / `REQUIRED_FIELDS_MISSING`, naming every missing path in
/// the message and in `details.missing`.
pub fn check_required(action: Action, payload: &Value, now_ms: f64) -> Result<(), OptaveError> {
    let missing: Vec<Requirement> = action
        .requirements()
        .iter()
        .copied()
        .filter(|req| !is_satisfied(*req, payload))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let paths: Vec<&str> = missing.iter().map(|r| r.path()).collect();
    let mut err = OptaveError::validation(
        ErrorCode::RequiredFieldsMissing,
        format!(
            "{} requires non-empty {}",
            action.method_name(),
            paths.join(", ")
        ),
        now_ms,
    )
    .with_details(json!({ "action": action.method_name(), "missing": paths }));
    for req in missing {
        err = err.suggest(suggestion_for(req.path()));
    }
    Err(err)
}

fn is_satisfied(req: Requirement, payload: &Value) -> bool {
    let pointer = format!("/{}", req.path().replace('.', "/"));
    match (req, payload.pointer(&pointer)) {
        (Requirement::NonEmptyString(_), Some(Value::String(s))) => !s.trim().is_empty(),
        (Requirement::NonEmptyArray(_), Some(Value::Array(a))) => !a.is_empty(),
        _ => false,
    }
}

fn suggestion_for(path: &str) -> &'static str {
    match path {
        "request.connections.threadId" => "Set request.connections.threadId to the id of the ticket, case or conversation; keep it the same for every request about it",
        "request.context.organizationId" => "Pass request.context.organizationId, or set the organizationId option once on the client",
        "request.scope.conversations" => "Add at least one conversation (participants and messages) to request.scope.conversations",
        "request.resources.offers" => "recommend ranks offers: add at least one to request.resources.offers",
        "request.attributes.content" => "Set request.attributes.content to the text the request is about",
        "request.attributes.instruction" => "Set request.attributes.instruction, e.g. 'make it more empathetic'",
        "request.connections.parentId" => "Set request.connections.parentId to the correlationId of the request this one follows up",
        _ => "Fill in the field",
    }
}

/// `strictValidation`: type-checks every known field of the merged payload.
///
/// Errors: VALIDATION / `PAYLOAD_SCHEMA_MISMATCH` naming the first offending path.
pub fn check_strict(payload: &Value, now_ms: f64) -> Result<(), OptaveError> {
    schema::check(payload, schema::PAYLOAD, false).map_err(|m| {
        schema_mismatch(
            format!("payload.{}: {}", m.path, m.message),
            json!({ "path": m.path }),
            now_ms,
        )
        .suggest("Check the field against the generated TypeScript types (RequestParams)")
    })
}

/// Checks the serialized envelope against [`MAX_ENVELOPE_BYTES`].
///
/// Errors: VALIDATION / `PAYLOAD_TOO_LARGE` with the actual and maximum size in
/// bytes and suggestions naming the largest parts of the payload.
pub fn check_size(text: &str, payload: &Value, now_ms: f64) -> Result<(), OptaveError> {
    let size = text.len();
    if size <= MAX_ENVELOPE_BYTES {
        return Ok(());
    }
    let mut parts: Vec<(&str, usize)> = [
        (
            "request.scope.conversations",
            "/request/scope/conversations",
        ),
        ("request.resources.offers", "/request/resources/offers"),
        ("session.channel.metadata", "/session/channel/metadata"),
        ("request.scope.interactions", "/request/scope/interactions"),
        ("request.resources.links", "/request/resources/links"),
        ("request.attributes.content", "/request/attributes/content"),
    ]
    .into_iter()
    .map(|(name, pointer)| (name, payload.pointer(pointer).map_or(0, json_len)))
    .filter(|(_, len)| *len > 2)
    .collect();
    parts.sort_by_key(|part| std::cmp::Reverse(part.1));
    let mut err = OptaveError::validation(
        ErrorCode::PayloadTooLarge,
        format!("envelope is {size} bytes, over the {MAX_ENVELOPE_BYTES}-byte limit"),
        now_ms,
    )
    .with_details(json!({
        "size": size,
        "maxSize": MAX_ENVELOPE_BYTES,
        "largestParts": parts.iter().map(|(n, l)| json!({ "path": n, "bytes": l })).collect::<Vec<_>>(),
    }));
    for (name, len) in parts.iter().take(3) {
        err = err.suggest(format!(
            "Shorten {name} ({len} bytes), e.g. send only the recent history"
        ));
    }
    Err(err)
}

fn json_len(value: &Value) -> usize {
    serde_json::to_string(value).map_or(0, |s| s.len())
}

fn schema_mismatch(message: String, details: Value, now_ms: f64) -> OptaveError {
    OptaveError::validation(ErrorCode::PayloadSchemaMismatch, message, now_ms).with_details(details)
}

/// The JSON kind of a value, for messages (`string`, `array`, ...).
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
