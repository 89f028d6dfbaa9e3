//! Answering one request frame: validation, idempotency replay, fault
//! injection, then the `started`/`completed` frames of the analysis, handed
//! to the connection as [`Outbound`] messages.

use std::panic::{catch_unwind, AssertUnwindSafe};

use axum::extract::ws::Utf8Bytes;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::analysis::{self, Input};
use crate::envelope::{self, Rejection, ValidRequest};
use crate::faults::{big_error_frame, Faults, CLOSE_REASON, MALFORMED_FRAME};
use crate::frames::{self, State as FrameState};
use crate::replay::Frames;
use crate::AppState;

/// What a request task asks the connection to do.
#[derive(Debug)]
pub enum Outbound {
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
    /// Go silent in both directions for this long, the TCP connection kept
    /// open, then drop it (`fault:silent-connection`).
    Silence(std::time::Duration),
}

/// A rejection without ids (for frames that are not envelopes at all).
pub fn rejection(code: &'static str, message: &str) -> Rejection {
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
///
/// A request whose `headers.idempotencyKey` was analysed within the replay
/// window gets the recorded frames again, and none of its fault tags apply.
pub async fn handle_request(text: String, state: AppState, tx: mpsc::Sender<Outbound>) {
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
    let key = req.idempotency_key.as_deref();
    if let Some(key) = key {
        if let Some(recorded) = state.test.replay.replay(key) {
            tracing::debug!(idempotency_key = key, "replaying a recorded answer");
            send_all(&tx, &recorded).await;
            return;
        }
        if let Some(span) = faults.silent_connection {
            if state.test.replay.first_sight(key) {
                let _ = tx.send(Outbound::Silence(span)).await;
                return;
            }
        }
        if faults.drop_before_answer && state.test.replay.first_sight(key) {
            let _ = tx.send(Outbound::Drop).await;
            return;
        }
    }
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
    let answered: Frames = answer(&req, &faults, state.config.analysis)
        .iter()
        .map(Value::to_string)
        .collect();
    if let Some(key) = key {
        let drop_now = faults.drop_after_started && state.test.replay.first_sight(key);
        state.test.replay.record(key, Frames::clone(&answered));
        if drop_now {
            // The answer is recorded whole; this connection gets only the
            // `started` frames before it is dropped.
            let started: Vec<String> = answered
                .iter()
                .filter(|f| f.contains(r#""state":"started""#))
                .cloned()
                .collect();
            send_all(&tx, &started).await;
            let _ = tx.send(Outbound::Drop).await;
            return;
        }
    }
    send_all(&tx, &answered).await;
}

/// Sends frames in order; stops when the connection is gone.
async fn send_all(tx: &mpsc::Sender<Outbound>, frames: &[String]) {
    for frame in frames {
        if tx.send(Outbound::Text(frame.clone())).await.is_err() {
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
        if faults.error_one.as_deref() == Some(*p) {
            frames.push(failed(p));
            continue;
        }
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
