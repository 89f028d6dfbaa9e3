//! The outbound rules on `serde_json::Value`s (protocol.md sections 2–4), step
//! by step: the params are parsed, their top level and header overrides
//! checked, the legacy spellings rewritten, the params merged onto the default
//! payload, the client config filled in, the variant upper-cased, the merged
//! payload type-checked (`strictValidation`), the required fields looked up
//! and the serialized envelope measured.
//!
//! Where this differs from the serde path it was taken from, on purpose:
//! - ids are drawn only when the envelope is accepted (the builder's
//!   documented rule), so the size is measured with placeholder ids of the
//!   same length;
//! - the params are read as RFC 8259 reads them ([`super::json::parse`]: a
//!   lone surrogate escape or a number beyond `f64` is JSON), nested at most
//!   [`super::json::MAX_DEPTH`] deep;
//! - `headers.networkLatencyMs` is sent as the caller's number (the serde path
//!   wrote it back as a float, `12` as `12.0`: the same JSON number);
//! - a refused step lists every problem it found ([`Refusal::problems`]),
//!   besides the one it names.

use optave_core::action::Action;
use optave_core::ids::{IdGenerator, RandomSource};
use optave_core::legacy::Deprecation;
use optave_core::outbound::EnvelopeConfig;
use serde_json::{json, Map, Value};

use super::json as text_json;
use super::schema::{self, kind};

/// `schemaRef` of request envelopes.
pub const SCHEMA_REF: &str = "optave.message.v3";
/// Maximum serialized envelope size: 128 KiB of UTF-8.
pub const MAX_ENVELOPE_BYTES: usize = 131_072;
/// The only keys allowed at the top level of a caller's params.
pub const TOP_LEVEL_KEYS: [&str; 3] = ["session", "request", "headers"];

/// The default payload every request is merged onto (protocol.md section 3).
pub const DEFAULT_PAYLOAD_JSON: &str = r#"{"session":{"sessionId":"","channel":{"browser":"","deviceInfo":"","deviceType":"","language":"","location":"","medium":"chat","metadata":[],"section":""},"interface":{"appVersion":"","category":"","language":"","name":"","type":""}},"request":{"requestId":"","attributes":{"content":"","instruction":"","variant":"A"},"connections":{"journeyId":"","parentId":"","threadId":""},"context":{"caseId":"","departmentId":"","operatorId":"","organizationId":"","tenantId":"","userId":""},"reference":{"ids":[{"name":"","value":""}],"labels":[],"tags":[]},"resources":{"codes":[{"id":"","label":"","type":"","value":""}],"links":[{"expires_at":"","html":false,"id":"","label":"","type":"","url":""}],"offers":[]},"scope":{"accounts":[],"appointments":[],"assets":[],"bookings":[],"cases":[],"conversations":[],"documents":[],"events":[],"interactions":[],"items":[],"locations":[],"offers":[],"operators":[],"orders":[],"organizations":[],"persons":[],"policies":[],"properties":[],"services":[],"subscriptions":[],"tickets":[],"transactions":[],"users":[],"products":[{"id":""}]},"settings":{"disableBrowsing":false,"disableSearch":false,"disableSources":false,"disableStream":true,"disableTools":false,"maxResponseLength":0,"overrideInterfaceLanguage":"","overrideOutputLanguage":"","overrideChannelMedium":""},"a2a":[{"id":"","name":"","type":""}],"cursor":{"since":"","until":""}}}"#;

/// A fresh copy of the default payload.
pub fn default_payload() -> Value {
    serde_json::from_str(DEFAULT_PAYLOAD_JSON).expect("the default payload is JSON")
}

/// The envelope the rules build.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// `{ action: "message", headers, payload }`, headers in wire order.
    pub value: Value,
    /// `value` serialized by `serde_json`.
    pub text: String,
    /// `headers.correlationId`.
    pub correlation_id: String,
    /// Legacy inputs that were accepted, in the order they were met.
    pub deprecations: Vec<Deprecation>,
    /// How many ids were drawn.
    pub ids_drawn: usize,
}

impl Envelope {
    /// `headers`.
    pub fn headers(&self) -> &Map<String, Value> {
        self.value["headers"].as_object().expect("headers")
    }

    /// `payload`.
    pub fn payload(&self) -> &Value {
        &self.value["payload"]
    }
}

/// A refused envelope: the code and the details the serde path gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` or `PAYLOAD_TOO_LARGE`.
    pub code: &'static str,
    /// `details`: `path` (schema mismatches), `unknownKeys`/`allowed` (top
    /// level), `action`/`missing` (required fields), `size`/`maxSize`/
    /// `largestParts` (size); `null` for text that is not JSON.
    pub details: Value,
    /// The request's correlation id, when the error concerns one known request.
    pub correlation_id: Option<String>,
    /// For a schema mismatch: every problem of the step that refused the
    /// params (the first is the one `details` names), as the path it names,
    /// or `unknownKeys` for unknown top-level keys.
    pub problems: Vec<String>,
}

impl Refusal {
    fn new(code: &'static str, details: Value) -> Self {
        Self {
            code,
            details,
            correlation_id: None,
            problems: Vec::new(),
        }
    }

    fn with_problems(mut self, problems: Vec<String>) -> Self {
        self.problems = problems;
        self
    }

    /// `details.path`.
    pub fn path(&self) -> Option<&str> {
        self.details.get("path").and_then(Value::as_str)
    }

    /// `details.missing`.
    pub fn missing(&self) -> Vec<&str> {
        self.details
            .get("missing")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

const MISMATCH: &str = "PAYLOAD_SCHEMA_MISMATCH";
const MISSING: &str = "REQUIRED_FIELDS_MISSING";
const TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";

/// Builds the envelope for `action` from the params text.
pub fn build<R: RandomSource>(
    action: Action,
    params_json: &str,
    config: &EnvelopeConfig,
    ids: &mut IdGenerator<R>,
    now_ms: f64,
) -> Result<Envelope, Refusal> {
    let params = text_json::parse(params_json)
        .ok()
        .filter(|v| text_json::depth(v) <= text_json::MAX_DEPTH)
        .ok_or_else(|| Refusal::new(MISMATCH, json!({ "path": "params" })))?;
    build_value(action, params, config, ids, now_ms)
}

/// Builds the envelope for `action` from parsed params.
pub fn build_value<R: RandomSource>(
    action: Action,
    params: Value,
    config: &EnvelopeConfig,
    ids: &mut IdGenerator<R>,
    now_ms: f64,
) -> Result<Envelope, Refusal> {
    let mut params = check_top_level(params)?;
    let headers = parse_headers(params.shift_remove("headers"))?;
    let mut deprecations = normalize(&mut params);
    if action == Action::CustomerInteraction {
        deprecations.push(Deprecation::CustomerInteraction);
    }

    let mut payload = default_payload();
    merge_into(&mut payload, Value::Object(params));
    fill_from_config(&mut payload, config);
    upper_case_variant(&mut payload);

    if config.strict {
        check_strict(&payload)?;
    }
    check_required(action, &payload)?;

    let known_correlation = headers
        .correlation_id
        .clone()
        .or_else(|| non_empty_str(&payload, "/request/requestId"));
    const PLACEHOLDER: &str = "00000000-0000-7000-8000-000000000000";
    let mut draws = 0;
    let mut draw = |given: &Option<String>| match given {
        Some(v) => (v.clone(), false),
        None => {
            draws += 1;
            (PLACEHOLDER.to_owned(), true)
        }
    };
    let (correlation_id, gen_corr) = draw(&known_correlation);
    let (trace_id, gen_trace) = draw(&headers.trace_id);
    let (key, gen_key) = draw(&headers.idempotency_key);
    let mut h = Map::new();
    h.insert("correlationId".into(), json!(correlation_id));
    h.insert("action".into(), json!(wire_name(action)));
    h.insert("schemaRef".into(), json!(SCHEMA_REF));
    h.insert("sdkVersion".into(), json!(env!("CARGO_PKG_VERSION")));
    h.insert("identifier".into(), json!("message"));
    h.insert("traceId".into(), json!(trace_id));
    h.insert("idempotencyKey".into(), json!(key));
    h.insert("issuedAt".into(), json!(iso_millis(now_ms)));
    if let Some(ts) = headers.timestamp {
        h.insert("timestamp".into(), json!(ts));
    }
    if let Some(tenant) = headers.tenant_id.or_else(|| config.tenant_id.clone()) {
        h.insert("tenantId".into(), json!(tenant));
    }
    if let Some(ms) = headers.network_latency_ms {
        h.insert("networkLatencyMs".into(), ms);
    }
    let mut envelope = json!({ "action": "message", "headers": h, "payload": payload });
    let text = serde_json::to_string(&envelope).expect("serializable");
    check_size(&text, &envelope["payload"]).map_err(|mut e| {
        e.correlation_id.clone_from(&known_correlation);
        e
    })?;

    // Accepted: draw the ids, in header order.
    let mut correlation_id = correlation_id;
    for (name, generated) in [
        ("correlationId", gen_corr),
        ("traceId", gen_trace),
        ("idempotencyKey", gen_key),
    ] {
        if generated {
            let id = ids.uuid_v7(now_ms);
            if name == "correlationId" {
                correlation_id.clone_from(&id);
            }
            envelope["headers"][name] = json!(id);
        }
    }
    let text = serde_json::to_string(&envelope).expect("serializable");
    Ok(Envelope {
        value: envelope,
        text,
        correlation_id,
        deprecations,
        ids_drawn: draws,
    })
}

/// The wire name of `action` (protocol.md section 4).
pub fn wire_name(action: Action) -> &'static str {
    match action {
        Action::Interaction => "interaction",
        Action::Reception => "reception",
        Action::Elevate => "elevate",
        Action::Adjust => "adjust",
        Action::Summarize => "summarize",
        Action::Translate => "translate",
        Action::Recommend => "recommend",
        Action::Insights => "insights",
        Action::CustomerInteraction => "customerinteraction",
    }
}

/// The method name of `action`.
pub fn method_name(action: Action) -> &'static str {
    match action {
        Action::CustomerInteraction => "customerInteraction",
        other => wire_name(other),
    }
}

/// A required field: a non-blank string or a non-empty array at this path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// A string that is not blank after trimming.
    NonEmptyString(&'static str),
    /// An array with at least one item.
    NonEmptyArray(&'static str),
}

impl Requirement {
    /// The dotted path.
    pub fn path(self) -> &'static str {
        match self {
            Self::NonEmptyString(p) | Self::NonEmptyArray(p) => p,
        }
    }
}

const THREAD: Requirement = Requirement::NonEmptyString("request.connections.threadId");
const ORG: Requirement = Requirement::NonEmptyString("request.context.organizationId");
const CONVERSATIONS: Requirement = Requirement::NonEmptyArray("request.scope.conversations");
const OFFERS: Requirement = Requirement::NonEmptyArray("request.resources.offers");
const CONTENT: Requirement = Requirement::NonEmptyString("request.attributes.content");
const INSTRUCTION: Requirement = Requirement::NonEmptyString("request.attributes.instruction");
const PARENT: Requirement = Requirement::NonEmptyString("request.connections.parentId");

/// Fields required after the merge (protocol.md section 4), in reporting order.
pub fn requirements(action: Action) -> &'static [Requirement] {
    match action {
        Action::Recommend => &[THREAD, ORG, CONVERSATIONS, OFFERS],
        Action::Elevate => &[THREAD, ORG, CONVERSATIONS, CONTENT, PARENT],
        Action::Adjust => &[THREAD, ORG, CONVERSATIONS, CONTENT, INSTRUCTION, PARENT],
        _ => &[THREAD, ORG, CONVERSATIONS],
    }
}

/// The params as a map: an object whose keys are among [`TOP_LEVEL_KEYS`],
/// each an object; `null` stands for `{}`.
pub fn check_top_level(params: Value) -> Result<Map<String, Value>, Refusal> {
    let map = match params {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => {
            return Err(Refusal::new(
                MISMATCH,
                json!({ "path": "params", "expected": "object", "actual": kind(&other) }),
            ))
        }
    };
    let unknown: Vec<&String> = map
        .keys()
        .filter(|k| !TOP_LEVEL_KEYS.contains(&k.as_str()))
        .collect();
    let not_objects: Vec<&str> = TOP_LEVEL_KEYS
        .into_iter()
        .filter(|key| map.get(*key).is_some_and(|v| !v.is_object()))
        .collect();
    let mut problems: Vec<String> = Vec::new();
    if !unknown.is_empty() {
        problems.push("unknownKeys".into());
    }
    problems.extend(not_objects.iter().map(|k| (*k).to_owned()));
    if !unknown.is_empty() {
        return Err(Refusal::new(
            MISMATCH,
            json!({ "unknownKeys": unknown, "allowed": TOP_LEVEL_KEYS }),
        )
        .with_problems(problems));
    }
    if let Some(key) = not_objects.first() {
        return Err(Refusal::new(
            MISMATCH,
            json!({ "path": key, "expected": "object", "actual": kind(&map[*key]) }),
        )
        .with_problems(problems));
    }
    Ok(map)
}

/// The header overrides a caller may set (`params.headers`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeaderOverrides {
    /// `correlationId`.
    pub correlation_id: Option<String>,
    /// `traceId`.
    pub trace_id: Option<String>,
    /// `idempotencyKey`.
    pub idempotency_key: Option<String>,
    /// `timestamp`.
    pub timestamp: Option<String>,
    /// `networkLatencyMs`, the caller's number as given.
    pub network_latency_ms: Option<Value>,
    /// `tenantId`.
    pub tenant_id: Option<String>,
}

/// Parses `params.headers`: only the headers of [`schema::HEADERS`], ids not
/// blank, `timestamp` ISO 8601, `networkLatencyMs` a number ≥ 0.
pub fn parse_headers(headers: Option<Value>) -> Result<HeaderOverrides, Refusal> {
    let Some(headers) = headers else {
        return Ok(HeaderOverrides::default());
    };
    // Every problem, then the first in the order the steps below meet them.
    let mut problems: Vec<String> = schema::check_all(&headers, schema::HEADERS, true)
        .into_iter()
        .map(|m| format!("headers.{}", m.path))
        .collect();
    let text = |name: &str| headers.get(name).and_then(Value::as_str).map(str::to_owned);
    for name in ["correlationId", "traceId", "idempotencyKey", "tenantId"] {
        if text(name).is_some_and(|v| v.trim().is_empty()) {
            problems.push(format!("headers.{name}"));
        }
    }
    if text("timestamp").is_some_and(|ts| !is_iso_timestamp(&ts)) {
        problems.push("headers.timestamp".into());
    }
    let latency = headers.get("networkLatencyMs").and_then(Value::as_f64);
    if latency.is_some_and(|ms| !ms.is_finite() || ms < 0.0) {
        problems.push("headers.networkLatencyMs".into());
    }
    let at = |name: &str| {
        Refusal::new(MISMATCH, json!({ "path": format!("headers.{name}") }))
            .with_problems(problems.clone())
    };
    schema::check(&headers, schema::HEADERS, true).map_err(|m| at(&m.path))?;
    let parsed = HeaderOverrides {
        correlation_id: text("correlationId"),
        trace_id: text("traceId"),
        idempotency_key: text("idempotencyKey"),
        timestamp: text("timestamp"),
        network_latency_ms: headers
            .get("networkLatencyMs")
            .filter(|v| v.is_number())
            .cloned(),
        tenant_id: text("tenantId"),
    };
    for (name, value) in [
        ("correlationId", &parsed.correlation_id),
        ("traceId", &parsed.trace_id),
        ("idempotencyKey", &parsed.idempotency_key),
        ("tenantId", &parsed.tenant_id),
    ] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(at(name));
        }
    }
    if let Some(ts) = &parsed.timestamp {
        if !is_iso_timestamp(ts) {
            return Err(at("timestamp"));
        }
    }
    if let Some(ms) = parsed.network_latency_ms.as_ref().and_then(Value::as_f64) {
        if !ms.is_finite() || ms < 0.0 {
            return Err(at("networkLatencyMs"));
        }
    }
    Ok(parsed)
}

/// An ISO 8601 / RFC 3339 UTC timestamp, as `humantime` reads one (`Z` optional).
pub fn is_iso_timestamp(text: &str) -> bool {
    humantime::parse_rfc3339_weak(text).is_ok()
}

/// `ms` (Unix epoch milliseconds) as ISO 8601 UTC with milliseconds; clamped
/// to the epoch and to the end of the year 9999.
pub fn iso_millis(ms: f64) -> String {
    const MAX_MS: f64 = 253_402_300_799_999.0;
    let ms = if ms.is_finite() && ms > 0.0 {
        ms.min(MAX_MS)
    } else {
        0.0
    };
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

/// Merges `overlay` onto `base`: objects key by key, recursively; anything
/// else (arrays, `null`) replaces; keys the base lacks are added.
pub fn merge_into(base: &mut Value, overlay: Value) {
    match (base, overlay) {
        (Value::Object(base_map), Value::Object(overlay_map)) => {
            for (key, value) in overlay_map {
                match base_map.get_mut(&key) {
                    Some(slot) => merge_into(slot, value),
                    None => {
                        base_map.insert(key, value);
                    }
                }
            }
        }
        (slot, value) => *slot = value,
    }
}

/// Rewrites the legacy spellings inside the params (protocol.md section 3):
/// `request.variation`/`request.content` move into `request.attributes`
/// unless the new place is non-blank, `request.scope.resources` becomes the
/// base of `request.resources`, a link's `expiresAt` becomes `expires_at`.
pub fn normalize(params: &mut Map<String, Value>) -> Vec<Deprecation> {
    let mut found = Vec::new();
    let Some(Value::Object(request)) = params.get_mut("request") else {
        return found;
    };
    for (legacy, new_key, kind) in [
        ("variation", "variant", Deprecation::RequestVariation),
        ("content", "content", Deprecation::RequestContent),
    ] {
        if request.contains_key(legacy) {
            found.push(kind);
            move_to_attributes(request, legacy, new_key);
        }
    }
    let scope_resources = match request.get_mut("scope") {
        Some(Value::Object(scope)) => scope.shift_remove("resources"),
        _ => None,
    };
    if let Some(moved) = scope_resources {
        found.push(Deprecation::ScopeResources);
        match request.get_mut("resources") {
            Some(existing @ Value::Object(_)) => {
                let explicit = std::mem::replace(existing, moved);
                merge_into(existing, explicit);
            }
            _ => {
                request.insert("resources".to_owned(), moved);
            }
        }
    }
    if rename_link_expiry(request) {
        found.push(Deprecation::LinkExpiresAt);
    }
    found
}

fn rename_link_expiry(request: &mut Map<String, Value>) -> bool {
    let Some(Value::Object(resources)) = request.get_mut("resources") else {
        return false;
    };
    let Some(Value::Array(links)) = resources.get_mut("links") else {
        return false;
    };
    let mut renamed = false;
    for link in links.iter_mut() {
        if let Value::Object(link) = link {
            if let Some(value) = link.shift_remove("expiresAt") {
                renamed = true;
                if is_blank(link.get("expires_at")) {
                    link.insert("expires_at".to_owned(), value);
                }
            }
        }
    }
    renamed
}

/// Moves `request[legacy]` to `request.attributes[new_key]` unless that is
/// non-blank; when `attributes` is not an object the legacy key stays.
fn move_to_attributes(request: &mut Map<String, Value>, legacy: &str, new_key: &str) {
    let attributes = request
        .entry("attributes".to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(attributes) = attributes else {
        return;
    };
    let blank = is_blank(attributes.get(new_key));
    let Some(value) = request.shift_remove(legacy) else {
        return;
    };
    if blank {
        if let Some(Value::Object(attributes)) = request.get_mut("attributes") {
            attributes.insert(new_key.to_owned(), value);
        }
    }
}

/// Absent, `null` or `""`.
fn is_blank(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}

/// Fills the client's organization and session ids into blank slots.
pub fn fill_from_config(payload: &mut Value, config: &EnvelopeConfig) {
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

/// `request.attributes.variant` is sent upper-cased (ASCII letters).
pub fn upper_case_variant(payload: &mut Value) {
    if let Some(Value::String(variant)) = payload.pointer_mut("/request/attributes/variant") {
        variant.make_ascii_uppercase();
    }
}

/// `strictValidation` on the merged payload: the first mismatch in table order.
pub fn check_strict(payload: &Value) -> Result<(), Refusal> {
    let all = schema::check_all(payload, schema::PAYLOAD, false);
    match all.first() {
        None => Ok(()),
        Some(first) => Err(Refusal::new(MISMATCH, json!({ "path": first.path }))
            .with_problems(all.iter().map(|m| m.path.clone()).collect())),
    }
}

/// The fields `action` requires, looked up in the merged payload.
pub fn check_required(action: Action, payload: &Value) -> Result<(), Refusal> {
    let missing: Vec<&str> = requirements(action)
        .iter()
        .filter(|req| !is_satisfied(**req, payload))
        .map(|req| req.path())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Refusal::new(
        MISSING,
        json!({ "action": method_name(action), "missing": missing }),
    ))
}

fn is_satisfied(req: Requirement, payload: &Value) -> bool {
    let pointer = format!("/{}", req.path().replace('.', "/"));
    match (req, payload.pointer(&pointer)) {
        (Requirement::NonEmptyString(_), Some(Value::String(s))) => !s.trim().is_empty(),
        (Requirement::NonEmptyArray(_), Some(Value::Array(a))) => !a.is_empty(),
        _ => false,
    }
}

/// The parts of the payload a size error names, largest first.
pub const MEASURED: [&str; 6] = [
    "request.scope.conversations",
    "request.resources.offers",
    "session.channel.metadata",
    "request.scope.interactions",
    "request.resources.links",
    "request.attributes.content",
];

/// The serialized envelope against [`MAX_ENVELOPE_BYTES`]: the size, the
/// limit and the parts over 2 bytes, largest first.
pub fn check_size(text: &str, payload: &Value) -> Result<(), Refusal> {
    let size = text.len();
    if size <= MAX_ENVELOPE_BYTES {
        return Ok(());
    }
    let mut parts: Vec<(&str, usize)> = MEASURED
        .into_iter()
        .map(|name| {
            let pointer = format!("/{}", name.replace('.', "/"));
            let len = payload
                .pointer(&pointer)
                .map_or(0, |v| serde_json::to_string(v).map_or(0, |s| s.len()));
            (name, len)
        })
        .filter(|(_, len)| *len > 2)
        .collect();
    parts.sort_by_key(|part| std::cmp::Reverse(part.1));
    Err(Refusal::new(
        TOO_LARGE,
        json!({
            "size": size,
            "maxSize": MAX_ENVELOPE_BYTES,
            "largestParts": parts.iter().map(|(n, l)| json!({ "path": n, "bytes": l })).collect::<Vec<_>>(),
        }),
    ))
}

fn non_empty_str(value: &Value, pointer: &str) -> Option<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}
