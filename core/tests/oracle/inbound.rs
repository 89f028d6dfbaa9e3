//! Inbound frames (protocol.md section 5) classified from the whole parsed
//! frame: bare (`{ action: "superpower", ... }`) or enveloped
//! (`{ action: "message", headers, payload }`), delivered or reported as an
//! error, and the error an error frame stands for.

use serde_json::Value;

/// `schemaRef` of a response envelope.
pub const RESPONSE_SCHEMA_REF: &str = "optave.response.v3";
/// `schemaRef` of an error envelope.
pub const ERROR_SCHEMA_REF: &str = "optave.error.v3";

/// What a frame is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// `headers.correlationId`, else a top-level `correlationId`, else the body's.
    pub correlation_id: Option<String>,
    /// True when the frame came inside a response envelope.
    pub enveloped: bool,
    /// The body's `actionType`.
    pub action_type: Option<String>,
    /// The body's `state`.
    pub state: Option<String>,
    /// `headers.action`.
    pub request_action: Option<String>,
    /// Set for an error frame: the ORCHESTRATOR error it stands for.
    pub error: Option<Remote>,
}

/// The ORCHESTRATOR error of an error frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// The frame's `error_code` / `error.code` / `error.error_code`, else `REMOTE_ERROR`.
    pub code: String,
    /// `<actionType> failed: <content>`.
    pub message: String,
    /// The frame's correlation id.
    pub correlation_id: Option<String>,
}

/// A frame that is not one of the protocol: WEBSOCKET /
/// `INBOUND_ENVELOPE_SCHEMA_MISMATCH` with this message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The error message.
    pub message: String,
}

/// The members classification reads; `null` counts as absent.
struct RawFrame<'a> {
    action: Option<&'a Value>,
    action_type: Option<&'a Value>,
    state: Option<&'a Value>,
    headers: Option<&'a Value>,
    payload: Option<&'a Value>,
    correlation_id: Option<&'a Value>,
    error: Option<&'a Value>,
    message: Option<&'a Value>,
}

impl<'a> RawFrame<'a> {
    fn read(value: &'a Value) -> Self {
        let get = |key: &str| value.get(key).filter(|v| !v.is_null());
        Self {
            action: get("action"),
            action_type: get("actionType"),
            state: get("state"),
            headers: get("headers"),
            payload: get("payload"),
            correlation_id: get("correlationId"),
            error: get("error"),
            message: get("message"),
        }
    }
}

/// Classifies a parsed frame; `strict` refuses an unknown `schemaRef` or `state`.
pub fn classify(value: &Value, strict: bool) -> Result<Classified, Refused> {
    let mismatch = |message: String| Refused { message };
    if !value.is_object() {
        return Err(mismatch("inbound frame is not a JSON object".into()));
    }
    let top = RawFrame::read(value);
    let enveloped = top.action.and_then(|v| v.as_str()) == Some("message") || top.headers.is_some();
    let (headers, body) = if enveloped {
        let headers = match &top.headers {
            Some(h @ Value::Object(_)) => h,
            _ => return Err(mismatch("response envelope has no headers object".into())),
        };
        let body = match &top.payload {
            Some(p @ Value::Object(_)) => p,
            _ => return Err(mismatch("response envelope has no payload object".into())),
        };
        (Some(headers), RawFrame::read(body))
    } else {
        (None, top)
    };
    let header = |name: &str| headers.and_then(|h| h.get(name)).and_then(Value::as_str);
    let ids = [
        headers.and_then(|h| h.get("correlationId")),
        value.get("correlationId"),
        body.correlation_id,
    ];
    if ids.iter().flatten().any(|v| !v.is_null() && !v.is_string()) {
        return Err(mismatch(
            "inbound frame has a correlationId that is not a string".into(),
        ));
    }
    let correlation_id = header("correlationId")
        .or_else(|| value.get("correlationId").and_then(Value::as_str))
        .or_else(|| body.correlation_id.and_then(|v| v.as_str()))
        .map(str::to_owned);
    let schema_ref = header("schemaRef");
    let action_type = body.action_type.and_then(Value::as_str).map(str::to_owned);
    let state = body.state.and_then(Value::as_str).map(str::to_owned);
    if strict {
        if let Some(s) = schema_ref.filter(|s| *s != RESPONSE_SCHEMA_REF && *s != ERROR_SCHEMA_REF)
        {
            return Err(mismatch(format!("unknown schemaRef {}", quoted(s))));
        }
        if let Some(s) = state
            .as_deref()
            .filter(|s| !matches!(*s, "started" | "completed" | "error"))
        {
            return Err(mismatch(format!("unknown state {}", quoted(s))));
        }
    }
    let is_error = state.as_deref() == Some("error")
        || action_type.as_deref() == Some("error")
        || body.error.is_some()
        || schema_ref == Some(ERROR_SCHEMA_REF);
    if !is_error {
        let missing: Vec<&str> = [
            ("action", body.action.is_some_and(Value::is_string)),
            ("actionType", action_type.is_some()),
            ("state", state.is_some()),
            ("message", body.message.is_some_and(Value::is_object)),
        ]
        .into_iter()
        .filter(|(_, ok)| !ok)
        .map(|(name, _)| name)
        .collect();
        if !missing.is_empty() {
            return Err(mismatch(format!(
                "inbound frame lacks {} (action, actionType and state strings and a message object are required)",
                missing.join(", ")
            )));
        }
    }
    let error = is_error.then(|| {
        let mut remote = remote_error(&body, action_type.as_deref());
        remote.correlation_id.clone_from(&correlation_id);
        remote
    });
    Ok(Classified {
        correlation_id,
        enveloped,
        action_type,
        state,
        request_action: header("action").map(str::to_owned),
        error,
    })
}

/// `value` between double quotes, as error messages show it.
fn quoted(value: &str) -> String {
    format!("\"{value}\"")
}

fn remote_error(body: &RawFrame, action_type: Option<&str>) -> Remote {
    let item = body
        .message
        .and_then(|m| m.pointer("/results/0/response/0"));
    let from_item = |key: &str| item.and_then(|i| i.get(key)).and_then(Value::as_str);
    let from_error = |key: &str| body.error.and_then(|e| e.get(key)).and_then(Value::as_str);
    let code = from_item("error_code")
        .or_else(|| from_error("code"))
        .or_else(|| from_error("error_code"))
        .unwrap_or("REMOTE_ERROR");
    let text = from_item("content")
        .or_else(|| from_error("message"))
        .or_else(|| body.error.and_then(|v| v.as_str()))
        .unwrap_or("the server reported an error");
    let what = action_type.filter(|t| *t != "error").unwrap_or("request");
    Remote {
        code: code.to_owned(),
        message: format!("{what} failed: {text}"),
        correlation_id: None,
    }
}
