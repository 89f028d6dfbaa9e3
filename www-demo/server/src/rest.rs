//! `POST /message/{action}`: the OCO REST endpoint (protocol.md section 1).
//! `Authorization: Bearer <token>` (a one-time ticket, or the `--rest-token`
//! of the tests), the payload as the body; the request goes through the same
//! validation, idempotency replay, faults and analysis as a socket frame
//! ([`crate::requests::handle_request`]), and the answer is the JSON array of
//! its completed (and error) frames. `Idempotency-Key` is the envelope's
//! `idempotencyKey`, `X-Correlation-Id` its `correlationId`.
//!
//! Faults for tests, as `request.reference.tags` (the `fault:` convention of
//! [`crate::faults`]), counted per `Idempotency-Key`:
//! `fault:status=<code>*<n>` answers `<code>` the first n times the key is
//! seen (`fault:retry-after=<text>` adds `Retry-After: <text>`, as written:
//! seconds, an HTTP date, or something malformed),
//! `fault:not-json` answers 200 with a body that is not JSON. The socket
//! faults apply as well (`fault:delay=<ms>`, `fault:drop`, ...).

use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Bytes;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use tokio::sync::mpsc;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer, ExposeHeaders};

use crate::conn::Cut;
use crate::envelope::{self, Action, REQUEST_SCHEMA};
use crate::frames;
use crate::http::is_loopback_origin;
use crate::requests::{handle_request, rejection, Outbound};
use crate::timestamp::now_rfc3339;
use crate::AppState;

/// Largest body read (8 MiB); bigger envelopes still get `PAYLOAD_TOO_LARGE`.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// CORS for `/message/*`: loopback origins may POST with the headers the
/// client sends and read `Retry-After`.
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(is_loopback_origin)
        }))
        .allow_methods([Method::POST])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(ExposeHeaders::list([header::RETRY_AFTER]))
}

/// REST calls counted for `GET /api/test/stats` (`rest`).
#[derive(Debug, Default)]
pub struct RestStats {
    /// Calls answered (any status).
    pub answered: AtomicU64,
    /// Calls whose connection closed before the answer was ready (aborted).
    pub abandoned: AtomicU64,
}

/// Counts a call as abandoned unless it was answered.
struct Watch<'a> {
    stats: &'a RestStats,
    answered: bool,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        let counter = if self.answered {
            &self.stats.answered
        } else {
            &self.stats.abandoned
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// The REST faults of one request (see the module doc).
#[derive(Debug, Default, PartialEq, Eq)]
struct RestFaults {
    status: Option<(u16, u64)>,
    retry_after: Option<String>,
    not_json: bool,
}

fn rest_faults(request: &Value) -> RestFaults {
    let mut f = RestFaults::default();
    let tags = request
        .get("reference")
        .and_then(|r| r.get("tags"))
        .and_then(Value::as_array);
    for tag in tags.into_iter().flatten().filter_map(Value::as_str) {
        let tag = tag.trim();
        if tag == "fault:not-json" {
            f.not_json = true;
        } else if let Some(arg) = tag.strip_prefix("fault:status=") {
            let (code, times) = arg.split_once('*').unwrap_or((arg, "1"));
            if let (Ok(code), Ok(times)) = (code.trim().parse::<u16>(), times.trim().parse()) {
                if (100..=599).contains(&code) {
                    f.status = Some((code, times));
                }
            }
        } else if let Some(s) = tag.strip_prefix("fault:retry-after=") {
            f.retry_after = Some(s.to_owned());
        }
    }
    f
}

fn error_answer(status: StatusCode, code: &'static str, message: &str) -> Response {
    let frame = frames::error_frame(&rejection(code, message));
    (status, axum::Json(frame)).into_response()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let scheme = value.get(..7)?;
    scheme
        .eq_ignore_ascii_case("bearer ")
        .then(|| value.get(7..).unwrap_or("").trim())
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(HeaderName::from_bytes(name.as_bytes()).ok()?)?
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// `POST /message/{action}`.
pub async fn message(
    State(state): State<AppState>,
    Path(action): Path<String>,
    ConnectInfo(cut): ConnectInfo<Cut>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut watch = Watch {
        stats: &state.test.rest,
        answered: false,
    };
    let answer = answer(&state, &action, &cut, &headers, &body).await;
    watch.answered = answer.is_some();
    answer.unwrap_or_else(|| StatusCode::SERVICE_UNAVAILABLE.into_response())
}

/// The answer, or `None` when the connection was cut (a drop fault).
async fn answer(
    state: &AppState,
    action: &str,
    cut: &Cut,
    headers: &HeaderMap,
    body: &[u8],
) -> Option<Response> {
    let origin = headers.get(header::ORIGIN);
    if origin.is_some_and(|o| !o.to_str().is_ok_and(is_loopback_origin)) {
        return Some((StatusCode::FORBIDDEN, "origin not allowed").into_response());
    }
    // Every call is counted per key, refused or not.
    let key = header_str(headers, "idempotency-key").map(str::to_owned);
    let seen = key.as_deref().map_or(1, |k| state.test.rest_seen(k));
    if state.config.auth {
        let token = bearer(headers);
        let fixed = state.config.rest_token.as_deref();
        let ok = (token.is_some() && token == fixed) || state.tickets.consume(token).is_ok();
        if !ok {
            let why = if token.is_none() {
                "no Authorization: Bearer <token>"
            } else {
                "the token is unknown, expired or already used"
            };
            return Some(error_answer(
                StatusCode::UNAUTHORIZED,
                "AUTHENTICATION_FAILED",
                why,
            ));
        }
    }
    let Some(action) = Action::from_wire(action) else {
        return Some(error_answer(
            StatusCode::NOT_FOUND,
            "INVALID_ACTION",
            "no such action",
        ));
    };
    if body.len() > MAX_BODY {
        return Some(error_answer(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "the body is too large",
        ));
    }
    let payload: Value = match serde_json::from_slice(body) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            return Some(error_answer(
                StatusCode::BAD_REQUEST,
                "INVALID_JSON",
                "the body must be a JSON object (the payload)",
            ))
        }
    };
    let correlation_id = header_str(headers, "x-correlation-id").map_or_else(
        || format!("rest-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed)),
        str::to_owned,
    );
    let mut h = Map::new();
    h.insert("correlationId".into(), json!(correlation_id));
    h.insert("action".into(), json!(action.wire()));
    h.insert("schemaRef".into(), json!(REQUEST_SCHEMA));
    h.insert("issuedAt".into(), json!(now_rfc3339()));
    if let Some(key) = &key {
        h.insert("idempotencyKey".into(), json!(key));
    }
    let request = payload.get("request").cloned().unwrap_or(Value::Null);
    let envelope = json!({ "action": "message", "headers": h, "payload": payload }).to_string();
    if let Err(rej) = envelope::validate(&envelope) {
        let status = if rej.code == "REQUIRED_FIELDS_MISSING" {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::BAD_REQUEST
        };
        return Some((status, axum::Json(frames::error_frame(&rej))).into_response());
    }
    let faults = rest_faults(&request);
    if let Some((code, times)) = faults.status {
        if seen <= times {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut response =
                error_answer(status, "FAULT_INJECTED", "fault:status injected").into_response();
            if let Some(s) = faults.retry_after {
                if let Ok(v) = HeaderValue::from_str(&s) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            return Some(response);
        }
    }
    if faults.not_json {
        return Some((StatusCode::OK, "this is not JSON").into_response());
    }
    let (tx, mut rx) = mpsc::channel::<Outbound>(64);
    let task = tokio::spawn(handle_request(envelope, state.clone(), tx));
    let mut frames: Vec<Value> = Vec::new();
    while let Some(out) = rx.recv().await {
        match out {
            Outbound::Text(text) => {
                if let Ok(frame) = serde_json::from_str::<Value>(&text) {
                    frames.push(frame);
                }
            }
            Outbound::Burst(text, count) => {
                if let Ok(frame) = serde_json::from_str::<Value>(text.as_str()) {
                    frames.extend(std::iter::repeat_n(frame, count as usize));
                }
            }
            // No socket to silence over REST: the call is cut, as for a drop.
            Outbound::Close(..) | Outbound::Drop | Outbound::Silence(_) => {
                task.abort();
                cut.cut();
                return None;
            }
        }
    }
    // Over REST the answer is the completed (and error) frames.
    frames.retain(|f| state_of(f) != Some("started"));
    Some(
        (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(Value::Array(frames)),
        )
            .into_response(),
    )
}

/// The (payload's) `state` of a frame.
fn state_of(frame: &Value) -> Option<&str> {
    frame
        .get("payload")
        .unwrap_or(frame)
        .get("state")
        .and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_tags() {
        let r = json!({ "reference": { "tags": ["fault:status=503*2", "fault:retry-after=1"] } });
        assert_eq!(
            rest_faults(&r),
            RestFaults {
                status: Some((503, 2)),
                retry_after: Some("1".into()),
                not_json: false
            }
        );
        let r = json!({ "reference": { "tags": ["fault:status=401", "fault:not-json"] } });
        assert_eq!(rest_faults(&r).status, Some((401, 1)));
        assert!(rest_faults(&r).not_json);
        assert_eq!(rest_faults(&json!({})), RestFaults::default());
    }
}
