//! The supervisor's control endpoints (JSON answers, CORS for loopback
//! origins, 403 for a foreign `Origin`): `POST /kill`, `POST /start`,
//! `POST /restart?downMs=N`, `GET /status`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use serde_json::{json, Value};

use super::Supervisor;
use crate::http::{loopback_only, test_cors};

/// Longest `downMs` of a restart.
pub const MAX_DOWN: Duration = Duration::from_millis(600_000);

/// The control routes.
pub fn routes(supervisor: Arc<Supervisor>) -> Router {
    Router::new()
        .route("/kill", post(kill))
        .route("/start", post(start))
        .route("/restart", post(restart))
        .route("/status", get(status))
        .layer(middleware::from_fn(loopback_only))
        .layer(test_cors())
        .with_state(supervisor)
}

fn answer(status: StatusCode, body: Value) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// `POST /kill`: kills the server (SIGKILL) and waits for it to exit.
/// Answers `{"killed": pid}` (`null` when it was not running).
pub async fn kill(State(supervisor): State<Arc<Supervisor>>) -> Response {
    let killed = supervisor.kill().await;
    answer(StatusCode::OK, json!({ "killed": killed }))
}

/// `POST /start`: starts the server on its port (retrying while the port is
/// busy) unless it runs. Answers `{"pid": pid, "port": port}` once it
/// listens, or 500 `{"error": ...}`.
pub async fn start(State(supervisor): State<Arc<Supervisor>>) -> Response {
    match supervisor.start().await {
        Ok((pid, port)) => answer(StatusCode::OK, json!({ "pid": pid, "port": port })),
        Err(e) => answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({ "error": e.to_string() }),
        ),
    }
}

/// `POST /restart?downMs=N`: kills the server now and answers
/// `{"killed": pid}` at once; starts it again after N ms (default 0, at most
/// 600,000) in the background.
pub async fn restart(
    State(supervisor): State<Arc<Supervisor>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let down = match query.get("downMs").map(|ms| ms.trim().parse::<u64>()) {
        None => Duration::ZERO,
        Some(Ok(ms)) => Duration::from_millis(ms).min(MAX_DOWN),
        Some(Err(_)) => {
            return answer(
                StatusCode::BAD_REQUEST,
                json!({ "error": "downMs must be a whole number of milliseconds" }),
            )
        }
    };
    let killed = supervisor.restart(down).await;
    answer(StatusCode::OK, json!({ "killed": killed }))
}

/// `GET /status`: `{"running": bool, "pid": pid|null, "port": port,
/// "starts": n}`.
pub async fn status(State(supervisor): State<Arc<Supervisor>>) -> Response {
    let status = supervisor.status().await;
    answer(StatusCode::OK, json!(status))
}
