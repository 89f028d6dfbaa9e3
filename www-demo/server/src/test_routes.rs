//! The test control endpoints (`/api/test/*`), for browser tests of a
//! client's reconnection: abort every open socket, refuse or stall `/ws`
//! upgrades for a while, and read per-key analysis and replay counts. JSON
//! answers, CORS for loopback origins; a request with a foreign `Origin`
//! gets 403 and changes nothing.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use serde_json::{json, Value};

use crate::control::MAX_WINDOW;
use crate::http::{loopback_only, test_cors};
use crate::AppState;

/// The `/api/test/*` routes, with their CORS policy and origin guard.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/test/drop", post(drop_sockets))
        .route("/api/test/silence", post(silence))
        .route("/api/test/refuse", post(refuse))
        .route("/api/test/stall", post(stall))
        .route("/api/test/stats", get(stats))
        .route("/api/test/websocket", post(websocket))
        .layer(middleware::from_fn(loopback_only))
        .layer(test_cors())
}

fn answer(status: StatusCode, body: Value) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// Reads `?ms=N` (a whole number of milliseconds), capped at
/// [`MAX_WINDOW`]; `None` when absent or not a number.
fn window(query: &HashMap<String, String>) -> Option<Duration> {
    let ms = query.get("ms")?.trim().parse::<u64>().ok()?;
    Some(Duration::from_millis(ms).min(MAX_WINDOW))
}

fn bad_window() -> Response {
    answer(
        StatusCode::BAD_REQUEST,
        json!({ "error": "query parameter ms must be a whole number of milliseconds" }),
    )
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// `POST /api/test/drop`: aborts every open WebSocket of this server (the
/// TCP connection is dropped, no close frame). Answers `{"dropped": n}`.
pub async fn drop_sockets(State(state): State<AppState>) -> Response {
    let dropped = state.test.sockets.abort_all();
    tracing::debug!(dropped, "test control: sockets aborted");
    answer(StatusCode::OK, json!({ "dropped": dropped }))
}

/// `POST /api/test/silence?ms=N`: every open WebSocket goes silent in both
/// directions for N ms (at most 60,000): the server neither reads nor writes
/// it and keeps its TCP connection open, then drops it. Sockets accepted
/// after the call are served normally. Answers `{"silenced": n,
/// "silentForMs": N}`.
pub async fn silence(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(span) = window(&query) else {
        return bad_window();
    };
    let span = span.min(crate::control::MAX_SILENCE);
    let silenced = state.test.sockets.silence_all(span);
    tracing::debug!(silenced, ?span, "test control: sockets silenced");
    answer(
        StatusCode::OK,
        json!({ "silenced": silenced, "silentForMs": millis(span) }),
    )
}

/// `POST /api/test/refuse?ms=N`: for the next N ms (at most 600,000), `/ws`
/// upgrade requests get HTTP 503. Answers `{"refusingForMs": N}`.
pub async fn refuse(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match window(&query) {
        Some(span) => {
            let span = state.test.refuse_for(span);
            answer(StatusCode::OK, json!({ "refusingForMs": millis(span) }))
        }
        None => bad_window(),
    }
}

/// `POST /api/test/stall?ms=N`: for the next N ms (at most 600,000), `/ws`
/// upgrade requests are held unanswered, then their connection is dropped
/// (at most N ms + 60 s later). Answers `{"stallingForMs": N}`.
pub async fn stall(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    match window(&query) {
        Some(span) => {
            let span = state.test.stall_for(span);
            answer(StatusCode::OK, json!({ "stallingForMs": millis(span) }))
        }
        None => bad_window(),
    }
}

/// `GET /api/test/stats`: `{"analysed": {key: n}, "replayed": {key: n},
/// "openSockets": n, "acceptedSockets": n, "rest": {"seen": {key: n},
/// "answered": n, "abandoned": n}, "websocketAllowed": b}` (keys still in
/// the replay window; `rest.seen` counts REST calls per `Idempotency-Key`,
/// `rest.abandoned` the calls whose connection closed before the answer).
pub async fn stats(State(state): State<AppState>) -> Response {
    let replay = state.test.replay.stats();
    answer(
        StatusCode::OK,
        json!({
            "analysed": replay.analysed,
            "replayed": replay.replayed,
            "openSockets": state.test.sockets.open_count(),
            "acceptedSockets": state.test.sockets.accepted_count(),
            "rest": {
                "seen": state.test.rest_keys(),
                "answered": state.test.rest.answered.load(Ordering::Relaxed),
                "abandoned": state.test.rest.abandoned.load(Ordering::Relaxed),
            },
            "websocketAllowed": state.test.websocket_allowed(),
        }),
    )
}

/// `POST /api/test/websocket` with `{"allow": true|false}` (or
/// `?allow=true|false`): accept or refuse (HTTP 503, as `--no-websocket`)
/// every `/ws` upgrade from now on. Answers `{"websocketAllowed": b}`.
pub async fn websocket(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    let allow = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("allow").and_then(Value::as_bool))
        .or_else(|| query.get("allow").and_then(|a| a.parse().ok()));
    match allow {
        Some(allow) => {
            state.test.allow_websocket(allow);
            answer(StatusCode::OK, json!({ "websocketAllowed": allow }))
        }
        None => answer(
            StatusCode::BAD_REQUEST,
            json!({ "error": "body must be {\"allow\": true|false}" }),
        ),
    }
}
