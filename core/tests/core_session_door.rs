//! The page's requests through the session's one door, `Session::handle`:
//! submit, frame, cancel, cancel-all, free, a failed send and an unreadable
//! frame each go in as an `Input`, and the effects come out in the order the
//! facade carries them out.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;

use optave_core::connection::rest::Transport;
use optave_core::connection::{Input, Request, SendKind, SessionConfig};
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::outbound::RestParts;
use session::*;

const REST_URL: &str = "https://tenant.oco.optave.tech/";

fn rest_config() -> SessionConfig {
    SessionConfig {
        transport: Transport::Rest,
        rest_url: Some(REST_URL.into()),
        ..config()
    }
}

/// A request `id` with its REST parts, waiter `w` (a handle with
/// `settle_ms`).
fn request(id: &str, waiter: Option<u32>, settle_ms: Option<f64>) -> Request<u32> {
    let text = envelope(id);
    let at = text
        .find("\"payload\":")
        .map_or(0, |at| at + "\"payload\":".len());
    Request {
        correlation_id: id.into(),
        rest: Some(RestParts {
            action: "summarize",
            idempotency_key: format!("key-{id}"),
            payload_at: at,
        }),
        text,
        waiter,
        settle_ms,
        timeout_ms: 5_000.0,
    }
}

fn submit(rig: &mut Rig, id: &str, waiter: Option<u32>, now_ms: f64) -> Vec<String> {
    let request = request(id, waiter, None);
    lines(&rig.on(Input::Submit { request, now_ms }))
}

fn frame(rig: &mut Rig, id: &str, action_type: &str, state: &str, now_ms: f64) -> Vec<String> {
    lines(&rig.on(Input::Frame {
        correlation_id: Some(id.into()),
        action_type: Some(action_type.into()),
        state: Some(state.into()),
        now_ms,
    }))
}

fn cancel(rig: &mut Rig, id: &str) -> Vec<String> {
    lines(&rig.on(Input::Cancel {
        correlation_id: id.into(),
        now_ms: T0,
    }))
}

fn send_failed(id: &str, kind: SendKind) -> Input<u32> {
    Input::SendFailed {
        error: OptaveError::websocket(ErrorCode::SendFailed, "send threw", T0).for_request(id),
        kind,
    }
}

#[test]
fn a_submit_is_sent_now_when_connected_queued_while_connecting_refused_before_connect() {
    let mut rig = Rig::new(config());
    assert_eq!(
        submit(&mut rig, "early", Some(1), T0),
        ["refused WEBSOCKET_NOT_IN_OPEN_STATE"]
    );
    assert!(!rig.s.outbox().contains("early"));

    rig.connect(T0);
    assert!(submit(&mut rig, "q", Some(2), T0).is_empty(), "queued");
    let open = lines(&rig.open(1, T0 + 1.0));
    assert!(open.contains(&"send q queued".into()), "{open:?}");

    assert_eq!(submit(&mut rig, "a", None, T0 + 2.0), ["send a direct"]);
    assert_eq!(
        submit(&mut rig, "a", Some(3), T0 + 3.0),
        ["refused DUPLICATE_CORRELATION_ID"]
    );
}

#[test]
fn a_frame_is_delivered_once_per_action_type_and_state_with_its_waiter() {
    let mut rig = Rig::connected(config());
    submit(&mut rig, "a", Some(1), T0);
    assert_eq!(frame(&mut rig, "a", "sp", "started", T0), ["frame 1"]);
    assert!(
        frame(&mut rig, "a", "sp", "started", T0).is_empty(),
        "a repeat"
    );
    assert_eq!(frame(&mut rig, "a", "sp", "completed", T0), ["frame -"]);
    assert!(!rig.s.outbox().contains("a"), "complete");
    let untracked = rig.on(Input::Frame {
        correlation_id: None,
        action_type: None,
        state: None,
        now_ms: T0,
    });
    assert_eq!(lines(&untracked), ["frame -"], "a frame naming no request");
}

#[test]
fn cancel_of_a_socket_request_rejects_it_once() {
    let mut rig = Rig::connected(config());
    submit(&mut rig, "a", Some(1), T0);
    submit(&mut rig, "plain", None, T0);
    assert_eq!(cancel(&mut rig, "a"), ["reject 1 REQUEST_CANCELLED a"]);
    assert!(cancel(&mut rig, "a").is_empty(), "already cancelled");
    assert!(cancel(&mut rig, "plain").is_empty(), "no waiter to cancel");
    assert!(rig.s.outbox().contains("plain"));
}

#[test]
fn cancel_of_a_rest_request_aborts_its_fetch_then_rejects() {
    let mut rig = Rig::new(rest_config());
    rig.connect(T0);
    let fx = submit(&mut rig, "r", Some(1), T0);
    let id = match rig.s.rest_calls() {
        1 => fx[0].split(' ').nth(1).unwrap_or_default().to_owned(),
        n => panic!("{n} REST calls: {fx:?}"),
    };
    assert_eq!(
        cancel(&mut rig, "r"),
        [
            format!("abort-fetch {id}"),
            "reject 1 REQUEST_CANCELLED r".into()
        ]
    );
    assert_eq!(rig.s.rest_calls(), 0);
    assert!(cancel(&mut rig, "r").is_empty());
}

#[test]
fn cancel_all_aborts_every_fetch_before_rejecting_in_order() {
    let mut rig = Rig::new(rest_config());
    rig.connect(T0);
    submit(&mut rig, "a", Some(1), T0);
    submit(&mut rig, "plain", None, T0);
    submit(&mut rig, "b", Some(2), T0);
    assert_eq!(
        lines(&rig.on(Input::CancelAll { now_ms: T0 })),
        [
            "abort-fetch 1",
            "abort-fetch 3",
            "reject 1 REQUEST_CANCELLED a",
            "reject 2 REQUEST_CANCELLED b",
        ]
    );
    assert_eq!(rig.s.rest_calls(), 1, "the fire-and-forget call goes on");
    assert!(lines(&rig.on(Input::CancelAll { now_ms: T0 })).is_empty());
}

#[test]
fn free_rejects_every_request_then_the_connect_promises() {
    let mut rig = Rig::new(config());
    rig.connect(T0);
    rig.queue("a", Some(1), 1_000.0, T0);
    rig.queue("b", Some(2), 1_000.0, T0);
    assert_eq!(
        lines(&rig.on(Input::Free { now_ms: T0 })),
        [
            "reject 1 CONNECTION_CLOSED a",
            "reject 2 CONNECTION_CLOSED b",
            "settle CONNECTION_CLOSED",
        ]
    );
    assert!(rig.s.outbox().is_empty());
}

#[test]
fn a_failed_send_at_the_page_call_refuses_it_and_forgets_the_request() {
    let mut rig = Rig::connected(config());
    submit(&mut rig, "a", Some(1), T0);
    assert_eq!(
        lines(&rig.on(send_failed("a", SendKind::Direct))),
        ["refused SEND_FAILED"]
    );
    assert!(!rig.s.outbox().contains("a"));
}

#[test]
fn a_failed_resend_reports_the_error_and_fails_the_waiter() {
    let mut rig = Rig::new(config());
    rig.connect(T0);
    rig.queue("a", Some(1), 60_000.0, T0);
    rig.open(1, T0 + 1.0);
    assert_eq!(
        lines(&rig.on(send_failed("a", SendKind::Queued))),
        ["fail 1 SEND_FAILED a"]
    );
    assert!(!rig.s.outbox().contains("a"));
    assert_eq!(
        lines(&rig.on(send_failed("a", SendKind::Resent))),
        ["fail - SEND_FAILED a"],
        "no request left: the error alone"
    );
}

#[test]
fn an_unreadable_frame_fails_the_request_it_names() {
    let mut rig = Rig::connected(config());
    submit(&mut rig, "a", Some(1), T0);
    let error = OptaveError::validation(ErrorCode::InvalidJson, "not JSON", T0).for_request("a");
    assert_eq!(
        lines(&rig.on(Input::Unreadable { error })),
        ["fail 1 INVALID_JSON a"]
    );
    assert!(!rig.s.outbox().contains("a"));
    let error = OptaveError::validation(ErrorCode::InvalidJson, "not JSON", T0);
    assert_eq!(
        lines(&rig.on(Input::Unreadable { error })),
        ["fail - INVALID_JSON -"]
    );
}

#[test]
fn a_handle_gets_every_frame_then_settles_after_its_quiet_period() {
    let mut rig = Rig::connected(config());
    let request = request("h", Some(7), Some(200.0));
    assert_eq!(
        lines(&rig.on(Input::Submit {
            request,
            now_ms: T0
        })),
        ["send h direct"]
    );
    assert_eq!(frame(&mut rig, "h", "sp", "started", T0 + 1.0), ["frame 7"]);
    assert_eq!(
        frame(&mut rig, "h", "sp", "completed", T0 + 2.0),
        ["frame 7"]
    );
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 202.0));
    assert_eq!(
        lines(&rig.on(Input::Tick { now_ms: T0 + 202.0 })),
        ["settled 7 h"]
    );
    assert!(
        cancel(&mut rig, "h").is_empty(),
        "settled: nothing to cancel"
    );
}
