//! Inbound request envelopes: the action names and the validation of each
//! text frame (protocol.md sections 2 and 4) into a [`ValidRequest`] or a
//! [`Rejection`] (which [`crate::frames::error_frame`] turns into a frame).

use serde_json::{Map, Value};

use crate::timestamp::parse_timestamp;

/// Largest accepted request envelope, in bytes of UTF-8 (128 KiB).
pub const MAX_ENVELOPE_BYTES: usize = 131_072;
/// Schema of every request envelope.
pub const REQUEST_SCHEMA: &str = "optave.message.v3";
/// Schema of the server's response envelopes.
pub const RESPONSE_SCHEMA: &str = "optave.response.v3";
/// Schema of the server's error envelopes.
pub const ERROR_SCHEMA: &str = "optave.error.v3";

/// One OCO action, as named on the wire in `headers.action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `interaction`
    Interaction,
    /// `customerinteraction` (deprecated alias of `interaction`)
    CustomerInteraction,
    /// `reception`
    Reception,
    /// `elevate`
    Elevate,
    /// `adjust`
    Adjust,
    /// `summarize`
    Summarize,
    /// `translate`
    Translate,
    /// `recommend`
    Recommend,
    /// `insights`
    Insights,
}

impl Action {
    /// Every action, in a fixed order.
    pub const ALL: [Action; 9] = [
        Action::Interaction,
        Action::Reception,
        Action::Elevate,
        Action::Adjust,
        Action::Summarize,
        Action::Translate,
        Action::Recommend,
        Action::Insights,
        Action::CustomerInteraction,
    ];

    /// Parses an exact, lower-case wire name.
    pub fn from_wire(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.wire() == name)
    }

    /// The wire name (`headers.action`).
    pub fn wire(self) -> &'static str {
        match self {
            Action::Interaction => "interaction",
            Action::CustomerInteraction => "customerinteraction",
            Action::Reception => "reception",
            Action::Elevate => "elevate",
            Action::Adjust => "adjust",
            Action::Summarize => "summarize",
            Action::Translate => "translate",
            Action::Recommend => "recommend",
            Action::Insights => "insights",
        }
    }
}

/// A request envelope that passed validation.
#[derive(Debug, Clone)]
pub struct ValidRequest {
    /// `headers.correlationId`.
    pub correlation_id: String,
    /// `headers.action`.
    pub action: Action,
    /// `headers.traceId`, when sent.
    pub trace_id: Option<String>,
    /// `headers.idempotencyKey`, when sent.
    pub idempotency_key: Option<String>,
    /// `payload.request` (`null` when absent).
    pub request: Value,
    /// `payload.session` (`null` when absent).
    pub session: Value,
}

/// Why a request was refused: becomes an error frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// Machine-readable code, e.g. `REQUIRED_FIELDS_MISSING`.
    pub code: &'static str,
    /// Human message naming the offending field(s).
    pub message: String,
    /// The correlation id, when it could be read.
    pub correlation_id: Option<String>,
    /// The request's `headers.action` string, when it could be read.
    pub action: Option<String>,
    /// Paths of missing fields (only for `REQUIRED_FIELDS_MISSING`).
    pub fields: Vec<String>,
}

impl Rejection {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Rejection {
            code,
            message: message.into(),
            correlation_id: None,
            action: None,
            fields: Vec::new(),
        }
    }
}

/// Validates one inbound text frame as a request envelope.
pub fn validate(text: &str) -> Result<ValidRequest, Rejection> {
    let root: Value = serde_json::from_str(text)
        .or_else(|e| match lone_surrogates_replaced(text) {
            // As a JavaScript server's JSON.parse, accept the lone-surrogate
            // escapes JSON.stringify writes (read as U+FFFD).
            Some(fixed) => serde_json::from_str(&fixed),
            None => Err(e),
        })
        .map_err(|e| Rejection::new("INVALID_JSON", format!("frame is not valid JSON: {e}")))?;
    let headers = root.get("headers").and_then(Value::as_object);
    let correlation_id = headers
        .and_then(|h| h.get("correlationId"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let raw_action = headers
        .and_then(|h| h.get("action"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let with_ids = |mut r: Rejection| {
        r.correlation_id = correlation_id.clone();
        r.action = raw_action.clone();
        r
    };
    if text.len() > MAX_ENVELOPE_BYTES {
        return Err(with_ids(Rejection::new(
            "PAYLOAD_TOO_LARGE",
            format!(
                "envelope is {} bytes, the maximum is {MAX_ENVELOPE_BYTES} bytes",
                text.len()
            ),
        )));
    }
    let obj = root
        .as_object()
        .ok_or_else(|| Rejection::new("INVALID_ENVELOPE", "envelope must be a JSON object"))?;
    check_envelope_shape(obj).map_err(with_ids)?;
    let (headers, payload) = match (headers, obj.get("payload").and_then(Value::as_object)) {
        (Some(h), Some(p)) => (h, p),
        _ => return Err(with_ids(Rejection::new("INVALID_ENVELOPE", "bad envelope"))),
    };
    let (action, trace_id) = check_headers(headers).map_err(with_ids)?;
    let correlation_id = correlation_id.clone().unwrap_or_default();
    let idempotency_key = headers.get("idempotencyKey").and_then(Value::as_str);
    let request = payload.get("request").cloned().unwrap_or(Value::Null);
    let session = payload.get("session").cloned().unwrap_or(Value::Null);
    let missing = missing_fields(action, &request);
    if !missing.is_empty() {
        let mut r = with_ids(Rejection::new(
            "REQUIRED_FIELDS_MISSING",
            format!(
                "missing required fields for action '{}': {}",
                action.wire(),
                missing.join(", ")
            ),
        ));
        r.fields = missing;
        return Err(r);
    }
    Ok(ValidRequest {
        correlation_id,
        action,
        trace_id,
        idempotency_key: idempotency_key.map(str::to_owned),
        request,
        session,
    })
}

fn check_envelope_shape(obj: &Map<String, Value>) -> Result<(), Rejection> {
    match obj.get("action") {
        Some(Value::String(a)) if a == "message" => {}
        _ => {
            return Err(Rejection::new(
                "INVALID_ENVELOPE",
                "envelope field 'action' must be \"message\"",
            ))
        }
    }
    if !obj.get("headers").is_some_and(Value::is_object) {
        return Err(Rejection::new(
            "INVALID_ENVELOPE",
            "envelope field 'headers' must be an object",
        ));
    }
    if !obj.get("payload").is_some_and(Value::is_object) {
        return Err(Rejection::new(
            "INVALID_ENVELOPE",
            "envelope field 'payload' must be an object",
        ));
    }
    Ok(())
}

fn check_headers(h: &Map<String, Value>) -> Result<(Action, Option<String>), Rejection> {
    if h.get("correlationId")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(Rejection::new(
            "INVALID_HEADERS",
            "headers.correlationId must be a non-empty string",
        ));
    }
    let action = match h.get("action") {
        Some(Value::String(name)) => Action::from_wire(name).ok_or_else(|| {
            Rejection::new(
                "INVALID_ACTION",
                format!("headers.action '{name}' is not a known action"),
            )
        })?,
        _ => {
            return Err(Rejection::new(
                "INVALID_ACTION",
                "headers.action must be a string naming an action",
            ))
        }
    };
    match h.get("schemaRef") {
        Some(Value::String(s)) if s == REQUEST_SCHEMA => {}
        other => {
            return Err(Rejection::new(
                "SCHEMA_MISMATCH",
                format!(
                    "headers.schemaRef must be \"{REQUEST_SCHEMA}\", got {}",
                    show(other)
                ),
            ))
        }
    }
    match h.get("issuedAt") {
        Some(Value::String(s)) if parse_timestamp(s).is_some() => {}
        other => {
            return Err(Rejection::new(
                "INVALID_HEADERS",
                format!(
                    "headers.issuedAt must be an RFC 3339 timestamp, got {}",
                    show(other)
                ),
            ))
        }
    }
    for key in ["traceId", "idempotencyKey"] {
        match h.get(key) {
            None => {}
            Some(Value::String(s)) if !s.is_empty() => {}
            Some(_) => {
                return Err(Rejection::new(
                    "INVALID_HEADERS",
                    format!("headers.{key} must be a non-empty string when present"),
                ))
            }
        }
    }
    let trace_id = h.get("traceId").and_then(Value::as_str).map(str::to_owned);
    Ok((action, trace_id))
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => "nothing".to_owned(),
        Some(v) => {
            let s = v.to_string();
            if s.chars().count() > 60 {
                format!("{}...", s.chars().take(60).collect::<String>())
            } else {
                s
            }
        }
    }
}

/// Lists the required paths (protocol.md section 4) that `request` lacks.
pub fn missing_fields(action: Action, request: &Value) -> Vec<String> {
    let mut strings = vec![
        "request.connections.threadId",
        "request.context.organizationId",
    ];
    let mut arrays = vec!["request.scope.conversations"];
    match action {
        Action::Recommend => arrays.push("request.resources.offers"),
        Action::Elevate => {
            strings.extend(["request.attributes.content", "request.connections.parentId"])
        }
        Action::Adjust => strings.extend([
            "request.attributes.content",
            "request.attributes.instruction",
            "request.connections.parentId",
        ]),
        _ => {}
    }
    let mut missing = Vec::new();
    for path in strings {
        if lookup(request, path)
            .and_then(Value::as_str)
            .is_none_or(|s| s.trim().is_empty())
        {
            missing.push(path.to_owned());
        }
    }
    for path in arrays {
        if lookup(request, path)
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
        {
            missing.push(path.to_owned());
        }
    }
    missing
}

/// Looks up a dotted path below `request` (the leading `request.` is skipped).
pub fn lookup<'a>(request: &'a Value, path: &str) -> Option<&'a Value> {
    let rest = path.strip_prefix("request.").unwrap_or(path);
    rest.split('.').try_fold(request, |v, key| v.get(key))
}

/// `text` with every `\\uXXXX` escape of a lone surrogate replaced by
/// `\\ufffd`; `None` when it has none.
fn lone_surrogates_replaced(text: &str) -> Option<String> {
    let hex = |at: usize| -> Option<u32> {
        let digits = text.get(at..at + 4)?;
        u32::from_str_radix(digits, 16).ok()
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut last, mut changed) = (0, 0, false);
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let unit = hex(i + 2).unwrap_or(0);
        let paired = (0xD800..0xDC00).contains(&unit)
            && text.get(i + 6..i + 8) == Some("\\u")
            && hex(i + 8).is_some_and(|low| (0xDC00..0xE000).contains(&low));
        if paired {
            i += 12;
        } else if (0xD800..0xE000).contains(&unit) {
            out.push_str(&text[last..i]);
            out.push_str("\\ufffd");
            i += 6;
            last = i;
            changed = true;
        } else {
            i += 6;
        }
    }
    changed.then(|| {
        out.push_str(&text[last..]);
        out
    })
}

#[cfg(test)]
#[path = "envelope_tests.rs"]
mod tests;
