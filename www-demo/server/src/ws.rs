//! The WebSocket endpoints: `/ws` (the OCO message endpoint: authentication,
//! one task per request, fault injection, started/completed frames) and
//! `/echo` (a raw echo used as a benchmark baseline).

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::analysis::{self, Input};
use crate::auth::Refusal;
use crate::envelope::{self, Rejection, ValidRequest};
use crate::faults::{big_error_frame, Faults, CLOSE_REASON, MALFORMED_FRAME};
use crate::frames::{self, State as FrameState};
use crate::http::is_loopback_origin;
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

/// What a request task asks the connection to do.
#[derive(Debug)]
enum Outbound {
    /// Send one text frame.
    Text(String),
    /// Send the same text frame `count` times, back to back (`fault:burst`):
    /// the frames are queued into the socket's write buffer and flushed once,
    /// so the server is not the bottleneck of a benchmark.
    Burst(Utf8Bytes, u32),
    /// Send a close frame, then end the connection.
    Close(u16, &'static str),
    /// Drop the TCP connection without a close frame.
    Drop,
}

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

/// `GET /ws`: authenticates, then serves OCO requests on the socket.
pub async fn ws_handler(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
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

/// Serves one authenticated `/ws` connection until it ends.
async fn connection(mut socket: WebSocket, state: AppState) {
    let (tx, mut rx) = mpsc::channel::<Outbound>(64);
    let mut tasks: JoinSet<()> = JoinSet::new();
    let mut shutdown = state.shutdown.clone();
    loop {
        tokio::select! {
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
                // Returning drops the socket: the TCP stream closes with no close frame.
                Outbound::Drop => return,
            },
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            () = stopped(&mut shutdown) => {
                return close_and_drain(socket, 1001, "server shutting down").await;
            }
        }
    }
}

/// Resolves once the server is shutting down (or its handle is gone).
async fn stopped(shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

fn rejection(code: &'static str, message: &str) -> Rejection {
    Rejection {
        code,
        message: message.to_owned(),
        correlation_id: None,
        action: None,
        fields: Vec::new(),
    }
}

/// Answers one request frame (sends through `tx`; a send error only means the
/// connection is gone).
async fn handle_request(text: String, state: AppState, tx: mpsc::Sender<Outbound>) {
    let req = match envelope::validate(&text) {
        Ok(req) => req,
        Err(rej) => {
            let _ = tx
                .send(Outbound::Text(frames::error_frame(&rej).to_string()))
                .await;
            return;
        }
    };
    let faults = Faults::from_request(&req.request);
    if let Some(delay) = faults.delay {
        tokio::time::sleep(delay).await;
    }
    if faults.drop {
        let _ = tx.send(Outbound::Drop).await;
        return;
    }
    if let Some(code) = faults.close {
        let _ = tx.send(Outbound::Close(code, CLOSE_REASON)).await;
        return;
    }
    if faults.silent {
        return;
    }
    if faults.malformed {
        let _ = tx.send(Outbound::Text(MALFORMED_FRAME.to_owned())).await;
    }
    if let Some(junk) = faults.junk {
        let _ = tx
            .send(Outbound::Text(junk.frame(&req.correlation_id)))
            .await;
    }
    if let Some(bytes) = faults.big {
        let frame = big_error_frame(&req.correlation_id, bytes);
        let _ = tx.send(Outbound::Text(frame)).await;
    }
    if let Some(count) = faults.burst {
        let frame = burst_frame(&req, &faults).to_string();
        let _ = tx.send(Outbound::Burst(frame.into(), count)).await;
        return;
    }
    for frame in answer(&req, &faults, state.config.analysis) {
        if tx.send(Outbound::Text(frame.to_string())).await.is_err() {
            return;
        }
    }
}

/// The frames answering a valid request: every `started` frame, then every
/// `completed` (or `error`) frame, enveloped unless `fault:bare`.
fn answer(req: &ValidRequest, faults: &Faults, analysis_on: bool) -> Vec<Value> {
    let wrap = |payload: Value| {
        if faults.bare {
            frames::bare_frame(req, payload)
        } else {
            frames::response_envelope(req, payload)
        }
    };
    if !analysis_on {
        return vec![wrap(frames::superpower_payload(
            "echo",
            FrameState::Completed,
            None,
        ))];
    }
    let powers = analysis::superpowers(req.action);
    let mut frames: Vec<Value> = powers
        .iter()
        .map(|p| wrap(frames::superpower_payload(p, FrameState::Started, None)))
        .collect();
    let failed = |p: &str| {
        let item =
            json!({ "content": "Error while fetching results", "error_code": "SUPERPOWER_FAILED" });
        wrap(frames::superpower_payload(
            p,
            FrameState::Error,
            Some(vec![item]),
        ))
    };
    if faults.error_first {
        return powers.iter().map(|p| failed(p)).collect();
    }
    if faults.error {
        frames.extend(powers.iter().map(|p| failed(p)));
        return frames;
    }
    let input = Input::new(&req.request, &req.session);
    for p in powers {
        match catch_unwind(AssertUnwindSafe(|| analysis::run(p, &input))) {
            Ok(items) => frames.push(wrap(frames::superpower_payload(
                p,
                FrameState::Completed,
                Some(items),
            ))),
            Err(_) => {
                tracing::error!(action_type = p, "analysis panicked");
                frames.push(failed(p));
            }
        }
    }
    frames
}

/// The frame repeated by `fault:burst`: a typical completed
/// `sentiment_analysis` frame (fixed figures, two participants), enveloped
/// unless `fault:bare`, with the request's correlation id.
fn burst_frame(req: &ValidRequest, faults: &Faults) -> Value {
    let participant = |id: &str, name: &str, role: &str, score: f64| json!({ "participantId": id, "displayName": name, "role": role, "score": score });
    let item = json!({
        "sentiment": "negative",
        "score": -0.296,
        "positive": 0.1,
        "neutral": 0.6,
        "negative": 0.3,
        "byParticipant": [
            participant("2c4f8a9b-1d3e-5f70-8293-456789012def", "John Doe", "user", -0.296),
            participant("5b8c9d0e-2f4a-6b1c-9d8e-123456789xyz", "Sarah Smith", "operator", 0.836),
        ],
    });
    let payload = frames::superpower_payload(
        "sentiment_analysis",
        FrameState::Completed,
        Some(vec![item]),
    );
    if faults.bare {
        frames::bare_frame(req, payload)
    } else {
        frames::response_envelope(req, payload)
    }
}

/// `GET /echo`: sends every text (and binary) frame back unchanged; no auth.
pub async fn echo_handler(headers: HeaderMap, ws: WebSocketUpgrade) -> Response {
    if let Some(refused) = refuse_foreign_origin(&headers) {
        return refused;
    }
    ws.protocols([SUBPROTOCOL])
        .max_message_size(MAX_WS_MESSAGE)
        .on_upgrade(|mut socket| async move {
            while let Some(Ok(msg)) = socket.recv().await {
                let reply = match msg {
                    Message::Text(_) | Message::Binary(_) => msg,
                    Message::Close(_) => break,
                    _ => continue,
                };
                if socket.send(reply).await.is_err() {
                    break;
                }
            }
        })
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
