//! The session's requests across the connection's life: sent at once when
//! connected, queued while connecting or reconnecting (bounded by
//! `queueLimit` and 1 MiB), sent again after a reconnect, and their
//! deadlines, which keep running during an outage.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;

use optave_core::connection::outbox::QUEUE_MAX_BYTES;
use optave_core::connection::{ConnectionState as S, Input, SendKind, SessionConfig};
use optave_core::error::{ErrorCategory, ErrorCode, OptaveError};
use session::*;

fn refuse(rig: &mut Rig, id: &str, text: String, waiter: u32) -> OptaveError {
    let (back, error) = rig
        .s
        .submit(id.into(), text, Some(waiter), None, 1_000.0, T0)
        .expect_err(id);
    assert_eq!(back, Some(waiter), "the waiter is handed back");
    assert_eq!(error.correlation_id.as_deref(), Some(id));
    assert!(!rig.s.outbox().contains(id));
    error
}

/// Sent while connected, queued while connecting, disconnected or
/// suspended, refused before `connect()`, while closing, closed or failed.
#[test]
fn what_a_submit_does_in_each_state() {
    let mut rig = Rig::new(config());
    let e = refuse(&mut rig, "i", envelope("i"), 1);
    is(
        &e,
        ErrorCategory::Websocket,
        ErrorCode::WebsocketNotInOpenState,
    );
    assert!(e.message.contains("initialized"), "{}", e.message);

    rig.connect(T0);
    rig.queue("c", Some(2), 1_000.0, T0);
    rig.open(1, T0);
    assert_eq!(rig.send_now("d", None, T0), envelope("d"));
    rig.on(closed(1, 1006, false, T0));
    assert_eq!(rig.s.state(), S::Disconnected);
    rig.queue("w", None, 1_000.0, T0);
    assert_eq!(rig.s.outbox().queued(), 1);

    rig.on(Input::Tick { now_ms: T0 + 1e4 });
    rig.open(2, T0 + 1e4);
    rig.on(Input::Close { now_ms: T0 + 1e4 });
    let e = refuse(&mut rig, "k", envelope("k"), 3);
    assert!(e.message.contains("closing"), "{}", e.message);
    rig.on(closed(2, 1000, true, T0 + 1e4));
    let e = refuse(&mut rig, "x", envelope("x"), 4);
    is(
        &e,
        ErrorCategory::Websocket,
        ErrorCode::WebsocketNotInOpenState,
    );
    assert!(e.message.contains("closed"), "{}", e.message);
}

/// `queueWhileDisconnected: false`: only a connected session takes requests.
#[test]
fn without_the_queue_only_connected_sends() {
    let mut rig = Rig::new(SessionConfig {
        queue_while_disconnected: false,
        ..config()
    });
    rig.connect(T0);
    let e = refuse(&mut rig, "a", envelope("a"), 1);
    is(
        &e,
        ErrorCategory::Websocket,
        ErrorCode::WebsocketNotInOpenState,
    );
    assert!(e.message.contains("connecting"), "{}", e.message);
    rig.open(1, T0);
    rig.send_now("b", Some(2), T0);
    rig.on(closed(1, 1006, false, T0 + 1.0));
    let e = refuse(&mut rig, "c", envelope("c"), 3);
    assert!(e.message.contains("disconnected"), "{}", e.message);
    assert_eq!(rig.s.outbox().queued(), 0);
}

/// `queueLimit` envelopes: the next is QUEUE_FULL and nothing queued is
/// dropped; a freed slot takes one again.
#[test]
fn the_queue_limit_by_count() {
    let mut rig = Rig::new(SessionConfig {
        queue_limit: 2,
        ..config()
    });
    rig.connect(T0);
    rig.queue("a", Some(1), 1e5, T0);
    rig.queue("b", None, 1e5, T0);
    let e = refuse(&mut rig, "c", envelope("c"), 3);
    is(&e, ErrorCategory::Websocket, ErrorCode::QueueFull);
    assert!(e.message.contains("queueLimit (2)"), "{}", e.message);
    assert_eq!(rig.s.outbox().queued(), 2);
    assert_eq!(rig.s.cancel("a"), Some(1));
    rig.queue("c", Some(3), 1e5, T0);
    let fx = rig.open(1, T0 + 1.0);
    let ids: Vec<_> = sent(&fx).into_iter().map(|(id, ..)| id).collect();
    assert_eq!(ids, ["b", "c"]);
    assert_eq!(rig.s.outbox().queued(), 0);

    let mut rig = Rig::new(SessionConfig {
        queue_limit: 0,
        ..config()
    });
    rig.connect(T0);
    let e = refuse(&mut rig, "a", envelope("a"), 1);
    is(&e, ErrorCategory::Websocket, ErrorCode::QueueFull);
}

/// The queue holds at most 1 MiB of envelope text (UTF-8 bytes).
#[test]
fn the_queue_limit_by_bytes() {
    assert_eq!(QUEUE_MAX_BYTES, 1_048_576);
    let mut rig = Rig::new(config());
    rig.connect(T0);
    let half = "é".repeat(QUEUE_MAX_BYTES / 4);
    assert_eq!(half.len(), QUEUE_MAX_BYTES / 2);
    for id in ["a", "b"] {
        let out = rig.s.submit(id.into(), half.clone(), None, None, 1.0, T0);
        assert_eq!(out.unwrap(), None);
    }
    assert_eq!(rig.s.outbox().queued_bytes(), QUEUE_MAX_BYTES);
    let e = refuse(&mut rig, "c", "x".into(), 3);
    is(&e, ErrorCategory::Websocket, ErrorCode::QueueFull);
    assert!(e.message.contains("1048577"), "{}", e.message);
    assert_eq!(rig.s.outbox().queued(), 2);
    assert_eq!(rig.s.forget("a"), None);
    assert_eq!(rig.s.outbox().queued_bytes(), QUEUE_MAX_BYTES / 2);
    rig.s.submit("c".into(), "x", None, None, 1.0, T0).unwrap();
    let fx = rig.open(1, T0);
    assert_eq!(sent(&fx).len(), 2);
    assert_eq!(sent(&fx)[0].1, half);
}

/// Requests of a lost connection go out again, the same text, with the
/// queued ones, in the order the page made them; complete ones do not.
#[test]
fn requests_are_resent_after_a_reconnect() {
    let mut rig = Rig::new(config());
    rig.connect(T0);
    rig.queue("q0", None, 1e6, T0);
    let fx = rig.open(1, T0);
    assert_eq!(sent(&fx), [("q0".into(), envelope("q0"), SendKind::Queued)]);
    let a = rig.send_now("a", Some(1), T0);
    rig.send_now("done", Some(2), T0);
    let b = rig.send_now("b", None, T0);
    rig.send_now("half", Some(3), T0);
    assert_eq!(rig.s.frame("done", "sp", "completed", 0.0).waiter, Some(2));
    assert_eq!(rig.s.frame("half", "sp", "started", 0.0).waiter, Some(3));
    rig.on(closed(1, 1006, false, T0 + 1.0));
    rig.queue("q1", Some(4), 1e6, T0 + 2.0);
    let t = rig.s.next_wakeup().unwrap();
    rig.on(Input::Tick { now_ms: t });
    let fx = rig.open(2, t);
    let kinds: Vec<_> = sent(&fx)
        .iter()
        .map(|(id, _, k)| (id.clone(), *k))
        .collect();
    assert_eq!(
        kinds,
        [
            ("q0".into(), SendKind::Resent),
            ("a".into(), SendKind::Resent),
            ("b".into(), SendKind::Resent),
            ("half".into(), SendKind::Resent),
            ("q1".into(), SendKind::Queued),
        ]
    );
    assert_eq!(
        (sent(&fx)[1].1.as_str(), sent(&fx)[2].1.as_str()),
        (&*a, &*b)
    );
    assert!(rejected(&fx).is_empty());
    // The server answers again what it had answered: not delivered twice.
    assert!(!rig.s.frame("half", "sp", "started", 0.0).deliver);
    assert!(rig.s.frame("half", "sp", "completed", 0.0).deliver);
    assert!(!rig.s.outbox().contains("half"));
    // A second loss resends what the first reconnect sent.
    rig.on(closed(2, 1006, false, t + 1.0));
    let t2 = rig.s.next_wakeup().unwrap();
    rig.on(Input::Tick { now_ms: t2 });
    let ids: Vec<_> = sent(&rig.open(3, t2))
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    assert_eq!(ids, ["q0", "a", "b", "q1"]);
}

/// `resendOnReconnect: false`: the `...Async` requests on the wire are
/// rejected CONNECTION_LOST and nothing is sent again; the queue still is.
#[test]
fn without_resend_a_loss_rejects_connection_lost() {
    let mut rig = Rig::connected(SessionConfig {
        resend_on_reconnect: false,
        ..config()
    });
    rig.send_now("a", Some(1), T0);
    rig.send_now("b", None, T0);
    let fx = rig.on(closed(1, 1006, false, T0 + 1.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "error CONNECTION_CLOSED",
            "reject 1 CONNECTION_LOST a",
            "state connected>disconnected CONNECTION_CLOSED",
            "close 1006 r1006 false",
        ]
    );
    is(
        rejected(&fx)[0].1,
        ErrorCategory::Websocket,
        ErrorCode::ConnectionLost,
    );
    assert!(rig.s.outbox().is_empty());
    rig.queue("c", None, 1.0, T0 + 2.0);
    let t = rig.s.next_wakeup().unwrap();
    rig.on(Input::Tick { now_ms: t });
    let fx = rig.open(2, t);
    assert_eq!(sent(&fx), [("c".into(), envelope("c"), SendKind::Queued)]);
}

/// An `...Async` deadline keeps running while the connection is down: the
/// timer rejects it REQUEST_TIMEOUT, and a request timed out in the queue is
/// never sent. A queued fire-and-forget send waits for the connection.
#[test]
fn deadlines_run_during_the_outage() {
    let mut rig = Rig::connected(with_policy(optave_core::connection::retry::RetryPolicy {
        min_delay_ms: 20_000.0,
        max_delay_ms: 20_000.0,
        ..Default::default()
    }));
    let delay = rig.next_delay(20_000.0);
    assert!(delay > 6_000.0, "the seeded draw: {delay}");
    rig.send_now("a", Some(1), T0); // deadline T0 + 5,000
    rig.on(closed(1, 1006, false, T0 + 100.0));
    rig.queue("q", Some(2), 1_000.0, T0 + 200.0);
    rig.queue("p", None, 1.0, T0 + 200.0);
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 1_200.0));
    let fx = rig.on(Input::Tick {
        now_ms: T0 + 1_200.0,
    });
    assert_eq!(
        lines(&fx),
        ["reject 2 REQUEST_TIMEOUT q", "error REQUEST_TIMEOUT"]
    );
    let (_, error) = rejected(&fx)[0];
    is(error, ErrorCategory::Websocket, ErrorCode::RequestTimeout);
    assert_eq!(emitted(&fx), [error]);
    assert_eq!(rig.s.outbox().queued(), 1);
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 5_000.0));
    let fx = rig.on(Input::Tick {
        now_ms: T0 + 5_000.0,
    });
    assert_eq!(
        lines(&fx),
        ["reject 1 REQUEST_TIMEOUT a", "error REQUEST_TIMEOUT"]
    );
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 100.0 + delay));
    let t = T0 + 100.0 + delay;
    assert_eq!(lines(&rig.on(Input::Tick { now_ms: t }))[1], "start 2");
    let fx = rig.open(2, t);
    assert_eq!(sent(&fx), [("p".into(), envelope("p"), SendKind::Queued)]);
    // Once sent, it is tracked for requestTimeoutMs, then silently dropped.
    assert_eq!(rig.s.next_wakeup(), Some(t + REQUEST_MS));
    assert!(rig
        .on(Input::Tick {
            now_ms: t + REQUEST_MS
        })
        .is_empty());
    assert!(rig.s.outbox().is_empty());
}
