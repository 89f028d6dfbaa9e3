//! The WebSocket endpoints: `/ws` (the OCO message endpoint: test gates,
//! authentication, one task per request (see [`crate::requests`]), abort on
//! `POST /api/test/drop`) and `/echo` (a raw echo used as a benchmark
//! baseline).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::connect_info::ConnectInfo;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::auth::Refusal;
use crate::conn::Cut;
use crate::control::Gate;
use crate::frames;
use crate::http::is_loopback_origin;
use crate::requests::{handle_request, rejection, Outbound};
use crate::AppState;

/// The subprotocol the server selects.
pub const SUBPROTOCOL: &str = "optave-v1";
/// Close code for refused authentication.
pub const CLOSE_UNAUTHORIZED: u16 = 4401;
/// Largest WebSocket message read at all; bigger envelopes up to this size
/// still get a `PAYLOAD_TOO_LARGE` error frame instead of a dropped socket.
const MAX_WS_MESSAGE: usize = 8 * 1024 * 1024;
/// How long a closing socket waits for the peer's close reply.
const CLOSE_DRAIN: Duration = Duration::from_secs(2);

fn refuse_foreign_origin(headers: &HeaderMap) -> Option<Response> {
    let origin = headers.get(header::ORIGIN)?;
    let allowed = origin.to_str().is_ok_and(is_loopback_origin);
    (!allowed).then(|| (StatusCode::FORBIDDEN, "origin not allowed").into_response())
}

/// Strips a leading `Bearer ` (any case) from a query token.
fn strip_bearer(token: &str) -> &str {
    let t = token.trim();
    match t.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => t.get(7..).unwrap_or("").trim(),
        _ => t,
    }
}

/// Holds a stalled upgrade request for `hold` (or until the server shuts
/// down), then cuts its connection so that no answer is ever sent.
async fn stall(state: &AppState, hold: Duration, extensions: &Extensions) -> Response {
    tracing::debug!(?hold, "test control: stalling an upgrade request");
    let mut shutdown = state.shutdown.clone();
    tokio::select! {
        () = tokio::time::sleep(hold) => {}
        () = stopped(&mut shutdown) => {}
    }
    if let Some(ConnectInfo(cut)) = extensions.get::<ConnectInfo<Cut>>() {
        cut.cut();
    }
    (StatusCode::SERVICE_UNAVAILABLE, "stalled").into_response()
}

/// `GET /ws`: applies the test gates (refuse, stall), authenticates, then
/// serves OCO requests on the socket.
pub async fn ws_handler(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    extensions: Extensions,
    ws: WebSocketUpgrade,
) -> Response {
    match state.test.gate() {
        Gate::Open => {}
        Gate::Refuse => {
            return (StatusCode::SERVICE_UNAVAILABLE, "refusing connections").into_response()
        }
        Gate::Stall(hold) => return stall(&state, hold, &extensions).await,
    }
    if let Some(refused) = refuse_foreign_origin(&headers) {
        return refused;
    }
    let proto_token = ws
        .requested_protocols()
        .filter_map(|p| p.to_str().ok())
        .find(|p| *p != SUBPROTOCOL)
        .map(str::to_owned);
    let query_token = query
        .get("Authorization")
        .map(|t| strip_bearer(t).to_owned());
    let token = proto_token.or(query_token);
    if let Some(session) = query.get("OptaveTraceChatSessionId") {
        tracing::debug!(session_id = %session, "connection with chat session id");
    }
    let verdict = if state.config.auth {
        state.tickets.consume(token.as_deref())
    } else {
        Ok(())
    };
    ws.protocols([SUBPROTOCOL])
        .max_message_size(MAX_WS_MESSAGE)
        .max_frame_size(MAX_WS_MESSAGE)
        .on_upgrade(move |socket| async move {
            match verdict {
                Ok(()) => connection(socket, state).await,
                Err(refusal) => refuse(socket, refusal).await,
            }
        })
}

async fn refuse(socket: WebSocket, refusal: Refusal) {
    tracing::debug!(reason = refusal.reason(), "refusing connection");
    close_and_drain(socket, CLOSE_UNAUTHORIZED, refusal.reason()).await;
}

/// Sends a close frame, then waits (bounded) for the peer's reply so the
/// close frame is not lost to a TCP reset.
async fn close_and_drain(mut socket: WebSocket, code: u16, reason: &'static str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    if socket.send(Message::Close(Some(frame))).await.is_err() {
        return;
    }
    let _ = tokio::time::timeout(CLOSE_DRAIN, async {
        while let Some(Ok(_)) = socket.recv().await {}
    })
    .await;
}

/// Serves one authenticated `/ws` connection until it ends (its request
/// tasks end with it).
async fn connection(mut socket: WebSocket, state: AppState) {
    let (registered, mut abort) = state.test.sockets.register();
    let mut silences = state.test.sockets.silences();
    silences.mark_unchanged();
    let (tx, mut rx) = mpsc::channel::<Outbound>(64);
    let mut tasks: JoinSet<()> = JoinSet::new();
    let mut shutdown = state.shutdown.clone();
    loop {
        tokio::select! {
            // Returning drops the socket: the TCP stream closes with no close frame.
            _ = &mut abort => return,
            inbound = socket.recv() => match inbound {
                Some(Ok(Message::Text(text))) => {
                    let text = text.as_str().to_owned();
                    tasks.spawn(handle_request(text, state.clone(), tx.clone()));
                }
                Some(Ok(Message::Binary(_))) => {
                    let rej = rejection("INVALID_JSON", "binary frames are not supported: send JSON text frames");
                    let frame = frames::error_frame(&rej).to_string();
                    if socket.send(Message::Text(frame.into())).await.is_err() {
                        return;
                    }
                }
                Some(Ok(Message::Close(_))) => {
                    // The close reply is queued by the WebSocket layer; flush it so
                    // the peer sees a clean close (its code echoed), not 1006.
                    let _ = socket.flush().await;
                    return;
                }
                Some(Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
            Some(out) = rx.recv() => match out {
                Outbound::Text(s) => {
                    if socket.send(Message::Text(s.into())).await.is_err() {
                        return;
                    }
                }
                Outbound::Burst(frame, count) => {
                    for _ in 0..count {
                        if socket.feed(Message::Text(frame.clone())).await.is_err() {
                            return;
                        }
                    }
                    if socket.flush().await.is_err() {
                        return;
                    }
                }
                Outbound::Close(code, reason) => return close_and_drain(socket, code, reason).await,
                Outbound::Silence(span) => {
                    return hush(socket, Instant::now() + span, &mut abort, &mut shutdown).await;
                }
                // Returning drops the socket: the TCP stream closes with no close frame.
                Outbound::Drop => return,
            },
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            Ok(()) = silences.changed() => {
                let order = *silences.borrow_and_update();
                if let (true, Some(until)) = (registered.id() < order.below, order.until) {
                    return hush(socket, until, &mut abort, &mut shutdown).await;
                }
            }
            () = stopped(&mut shutdown) => {
                return close_and_drain(socket, 1001, "server shutting down").await;
            }
        }
    }
}

/// A silent connection: neither read nor written until `until` (or an
/// abort, or shutdown), its TCP connection kept open; then it is dropped
/// without a close frame.
async fn hush(
    socket: WebSocket,
    until: Instant,
    abort: &mut tokio::sync::oneshot::Receiver<()>,
    shutdown: &mut tokio::sync::watch::Receiver<bool>,
) {
    tracing::debug!("test control: connection silent");
    tokio::select! {
        () = tokio::time::sleep_until(until.into()) => {}
        _ = abort => {}
        () = stopped(shutdown) => {}
    }
    drop(socket);
}

/// Resolves once the server is shutting down (or its handle is gone).
async fn stopped(shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// `GET /echo`: sends every text (and binary) frame back unchanged; no auth.
pub async fn echo_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if let Some(refused) = refuse_foreign_origin(&headers) {
        return refused;
    }
    ws.protocols([SUBPROTOCOL])
        .max_message_size(MAX_WS_MESSAGE)
        .on_upgrade(|socket| echo(socket, state))
}

async fn echo(mut socket: WebSocket, state: AppState) {
    let (_registered, mut abort) = state.test.sockets.register();
    loop {
        let msg = tokio::select! {
            _ = &mut abort => return,
            inbound = socket.recv() => match inbound {
                Some(Ok(msg)) => msg,
                Some(Err(_)) | None => return,
            },
        };
        let reply = match msg {
            Message::Text(_) | Message::Binary(_) => msg,
            Message::Close(_) => return,
            _ => continue,
        };
        if socket.send(reply).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_prefix_is_stripped() {
        assert_eq!(strip_bearer("Bearer abc"), "abc");
        assert_eq!(strip_bearer("bearer  abc "), "abc");
        assert_eq!(strip_bearer("abc"), "abc");
        assert_eq!(strip_bearer("Bear"), "Bear");
        assert_eq!(strip_bearer("Beärer x"), "Beärer x");
    }
}
