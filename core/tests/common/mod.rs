//! Shared helpers of the native core tests: a deterministic random source,
//! the fixture loader, envelope-building shortcuts, the inbound field reader
//! (as the facade's JavaScript reads a parsed frame) and error details as JSON.
#![allow(dead_code)]
// Errors travel unboxed, as in the crate (they are the cold path).
#![allow(clippy::result_large_err)]

use std::cell::Cell;
use std::rc::Rc;

use optave_core::action::Action;
use optave_core::error::{Detail, ErrorCode, OptaveError};
use optave_core::ids::{IdGenerator, RandomSource};
use optave_core::inbound::{self, BodyFields, ErrorFields, HeaderFields, Routed, Routing};
use optave_core::outbound::{build, EnvelopeConfig, Outbound};
use serde_json::{json, Map, Value};

/// 2024-01-15T10:31:00.000Z, the `issuedAt` of seed 002's header example.
pub const NOW_MS: f64 = 1_705_314_660_000.0;
/// `NOW_MS` as ISO text.
pub const NOW_ISO: &str = "2024-01-15T10:31:00.000Z";

/// A seeded xorshift64* source that counts how often it is asked for bytes.
#[derive(Debug, Clone)]
pub struct SeededRandom {
    state: u64,
    /// How many times `fill` was called (shared with clones).
    pub calls: Rc<Cell<usize>>,
}

impl SeededRandom {
    /// A source seeded with `seed` (0 is replaced by a fixed non-zero seed).
    pub fn new(seed: u64) -> Self {
        Self {
            state: if seed == 0 {
                0x9E37_79B9_7F4A_7C15
            } else {
                seed
            },
            calls: Rc::new(Cell::new(0)),
        }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

impl RandomSource for SeededRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        self.calls.set(self.calls.get() + 1);
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// A fresh id generator over `SeededRandom::new(seed)`.
pub fn ids(seed: u64) -> IdGenerator<SeededRandom> {
    IdGenerator::new(SeededRandom::new(seed))
}

/// The path of `core/tests/fixtures/<name>`.
pub fn fixture_path(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Loads `core/tests/fixtures/<name>` as JSON.
pub fn fixture(name: &str) -> Value {
    let path = fixture_path(name);
    serde_json::from_str(&fixture_text(name)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The raw text of `core/tests/fixtures/<name>`.
pub fn fixture_text(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `value` as compact JSON text (what `JSON.stringify` makes of it).
pub fn text(value: &Value) -> String {
    serde_json::to_string(value).expect("serializable")
}

/// Builds from `params` (serialized) at `NOW_MS` with id seed 7.
pub fn try_build(
    action: Action,
    params: &Value,
    config: &EnvelopeConfig,
) -> Result<Outbound, OptaveError> {
    build(action, &text(params), config, &mut ids(7), NOW_MS)
}

/// Builds with the given config at `NOW_MS`; panics on error. Returns the
/// parsed envelope and the `Outbound`.
pub fn build_with(action: Action, params: Value, config: &EnvelopeConfig) -> (Value, Outbound) {
    let out = try_build(action, &params, config).unwrap_or_else(|e| {
        panic!(
            "build {action:?} failed: {e} {}",
            detail_to_json(&e.details)
        )
    });
    let envelope: Value = serde_json::from_str(&out.text).expect("envelope is JSON");
    (envelope, out)
}

/// Builds with the default config; panics on error.
pub fn build_ok(action: Action, params: Value) -> (Value, Outbound) {
    build_with(action, params, &EnvelopeConfig::default())
}

/// Builds with the given config; panics when it succeeds.
pub fn build_err_with(action: Action, params: Value, config: &EnvelopeConfig) -> OptaveError {
    match try_build(action, &params, config) {
        Ok(out) => panic!("build {action:?} unexpectedly succeeded: {}", out.text),
        Err(e) => e,
    }
}

/// Builds with the default config; panics when it succeeds.
pub fn build_err(action: Action, params: Value) -> OptaveError {
    build_err_with(action, params, &EnvelopeConfig::default())
}

/// Asserts the error's code and returns it for further checks.
pub fn expect_code(err: OptaveError, code: ErrorCode) -> OptaveError {
    assert_eq!(
        err.code,
        code.as_str(),
        "unexpected error: {err} {}",
        detail_to_json(&err.details)
    );
    err
}

/// `err.details` as JSON.
pub fn details(err: &OptaveError) -> Value {
    detail_to_json(&err.details)
}

/// Minimal params that satisfy every requirement of `interaction`.
pub fn minimal_params() -> Value {
    json!({
        "request": {
            "connections": { "threadId": "thread-1" },
            "context": { "organizationId": "org-1" },
            "scope": { "conversations": [{ "conversationId": "c-1", "messages": [] }] }
        }
    })
}

/// Asserts that every member of `expected` is in `actual` with the same value
/// (objects: recursively; arrays: same length, element-wise; else equal).
pub fn assert_subset(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, value) in e {
                let child = format!("{path}.{key}");
                let got = a.get(key).unwrap_or_else(|| panic!("{child} is missing"));
                assert_subset(got, value, &child);
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{path}: array length");
            for (i, (got, want)) in a.iter().zip(e).enumerate() {
                assert_subset(got, want, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

/// Checks the UUID v7 layout of `id` and that its 48-bit timestamp is `ms`.
pub fn assert_uuid_v7(id: &str, ms: u64) {
    let parsed = uuid::Uuid::parse_str(id).unwrap_or_else(|e| panic!("{id:?}: {e}"));
    assert_eq!(parsed.hyphenated().to_string(), id, "lower-case hyphenated");
    let bytes = parsed.as_bytes();
    assert_eq!(bytes[6] >> 4, 7, "{id}: version nibble");
    assert_eq!(bytes[8] >> 6, 0b10, "{id}: variant bits");
    let mut ts = [0u8; 8];
    ts[2..].copy_from_slice(&bytes[..6]);
    assert_eq!(u64::from_be_bytes(ts), ms, "{id}: timestamp");
}

// ---------------------------------------------------------------------------
// Inbound: the fields the facade reads off the page's `JSON.parse` of a frame.

/// The string `v` holds, if any.
fn as_text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

/// The member `key` of `value` when it is present and not `null`.
fn member<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.get(key).filter(|v| !v.is_null())
}

/// The routing fields of a parsed frame, read as the facade's JavaScript
/// reader reads them, in one pass: the `headers` object's fields, the body
/// fields of the frame itself and of its `payload` object; a string field
/// that is missing, `null` or not a string is `None`.
pub fn routing_of(frame: &Value) -> Routing<'_> {
    let Value::Object(_) = frame else {
        return Routing::default();
    };
    fn bad_id(v: &Value) -> bool {
        member(v, "correlationId").is_some_and(|c| !c.is_string())
    }
    fn body(b: &Value) -> BodyFields<'_> {
        BodyFields {
            has_action: member(b, "action").is_some_and(Value::is_string),
            action_type: as_text(member(b, "actionType")),
            state: as_text(member(b, "state")),
            has_error: member(b, "error").is_some(),
            message_is_object: member(b, "message").is_some_and(Value::is_object),
            correlation_id: as_text(member(b, "correlationId")),
            correlation_id_not_string: bad_id(b),
        }
    }
    Routing {
        is_object: true,
        action_is_message: as_text(member(frame, "action")) == Some("message"),
        has_headers: member(frame, "headers").is_some(),
        headers: member(frame, "headers")
            .filter(|h| h.is_object())
            .map(|h| HeaderFields {
                correlation_id: as_text(member(h, "correlationId")),
                correlation_id_not_string: bad_id(h),
                schema_ref: as_text(member(h, "schemaRef")),
                action: as_text(member(h, "action")),
            }),
        top: body(frame),
        payload: member(frame, "payload").filter(|p| p.is_object()).map(body),
    }
}

/// Routes a parsed frame as the facade does: its fields read once.
pub fn route_value(frame: &Value, strict: bool) -> Result<Routed, OptaveError> {
    inbound::route(&routing_of(frame), strict, NOW_MS)
}

/// The fields an error frame says about itself, read from its body (as in
/// [`routing_of`]): `message.results[0].response[0].{error_code, content}`,
/// `error.{code, error_code, message}`, and `error` when it is a string.
pub fn error_fields_of(frame: &Value, enveloped: bool) -> ErrorFields<'_> {
    let text = as_text;
    let payload = member(frame, "payload").filter(|p| p.is_object());
    let body = match payload {
        Some(p) if enveloped => p,
        _ => frame,
    };
    let item = member(body, "message").and_then(|m| m.pointer("/results/0/response/0"));
    let error = member(body, "error");
    let from_error = |key: &str| as_text(error.and_then(|e| member(e, key)));
    ErrorFields {
        item_error_code: text(item.and_then(|i| member(i, "error_code"))),
        item_content: text(item.and_then(|i| member(i, "content"))),
        error_code: from_error("code"),
        error_error_code: from_error("error_code"),
        error_message: from_error("message"),
        error_text: text(error),
    }
}

/// What the facade does with a frame: a response to deliver, or an error
/// frame and the error it reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivered {
    /// `superpower.response`.
    Response(inbound::Inbound),
    /// `superpower.error`, with the error built from the frame's own fields.
    Error(inbound::Inbound, OptaveError),
}

/// Routes a parsed frame and, for an error frame, builds its error.
pub fn deliver(frame: &Value, strict: bool) -> Result<Delivered, OptaveError> {
    match route_value(frame, strict)? {
        Routed::Deliver(i) => Ok(Delivered::Response(i)),
        Routed::Error(i) => {
            // The body of an envelope is its payload; a bare frame's is itself.
            let fields = error_fields_of(frame, i.enveloped);
            let err = inbound::remote_error(&i, &fields, NOW_MS);
            Ok(Delivered::Error(i, err))
        }
    }
}

// ---------------------------------------------------------------------------
// Errors as JSON.

/// Marker that [`detail_to_json`] writes for [`Detail::Frame`] (the facade
/// puts the parsed frame there).
pub const FRAME_MARKER: &str = "<the inbound frame>";

/// A [`Detail`] as the JSON value it stands for. Whole numbers are written as
/// integers (JavaScript does not tell them apart); [`Detail::Frame`] becomes
/// [`FRAME_MARKER`].
pub fn detail_to_json(detail: &Detail) -> Value {
    match detail {
        Detail::Null => Value::Null,
        Detail::Bool(b) => json!(b),
        Detail::Num(n) if n.fract() == 0.0 && *n >= 0.0 && *n < 9_007_199_254_740_992.0 => {
            json!(*n as u64)
        }
        Detail::Num(n) if n.fract() == 0.0 && *n < 0.0 && *n > -9_007_199_254_740_992.0 => {
            json!(*n as i64)
        }
        Detail::Num(n) => json!(n),
        Detail::Str(s) => json!(s),
        Detail::List(items) => Value::Array(items.iter().map(detail_to_json).collect()),
        Detail::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), detail_to_json(v)))
                .collect::<Map<String, Value>>(),
        ),
        Detail::Frame => json!(FRAME_MARKER),
    }
}

/// The fields of an error as the page sees them on the JS `Error` (camelCase,
/// `correlationId` only when set); `frame` stands in for [`Detail::Frame`].
pub fn error_json(err: &OptaveError, frame: Option<&Value>) -> Value {
    let details = match (&err.details, frame) {
        (Detail::Frame, Some(frame)) => frame.clone(),
        (d, _) => detail_to_json(d),
    };
    let mut out = Map::new();
    out.insert("category".into(), json!(err.category.as_str()));
    out.insert("code".into(), json!(err.code));
    out.insert("message".into(), json!(err.message));
    out.insert("details".into(), details);
    out.insert("suggestions".into(), json!(err.suggestions));
    if let Some(id) = &err.correlation_id {
        out.insert("correlationId".into(), json!(id));
    }
    out.insert("timestamp".into(), json!(err.timestamp));
    Value::Object(out)
}

/// `overlay` merged onto `base` (objects key by key, anything else replaces),
/// for building test params.
pub fn merged(mut base: Value, overlay: Value) -> Value {
    fn merge(base: &mut Value, overlay: Value) {
        match (base, overlay) {
            (Value::Object(b), Value::Object(o)) => {
                for (key, value) in o {
                    match b.get_mut(&key) {
                        Some(slot) => merge(slot, value),
                        None => {
                            b.insert(key, value);
                        }
                    }
                }
            }
            (slot, value) => *slot = value,
        }
    }
    merge(&mut base, overlay);
    base
}

/// The JSON kind of a value (`null`, `boolean`, `number`, `string`, `array`, `object`).
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

/// What a WHATWG URL parser (the `url` crate, standing in for the browser's
/// `URL`) makes of `text`, in the form the core judges.
pub fn parse_url(text: &str) -> Option<optave_core::url::UrlParts> {
    let u = url::Url::parse(text).ok()?;
    Some(optave_core::url::UrlParts {
        scheme: format!("{}:", u.scheme()),
        host: u.host_str().unwrap_or_default().to_owned(),
        has_credentials: !u.username().is_empty() || u.password().is_some(),
        has_fragment: u.fragment().is_some(),
    })
}
