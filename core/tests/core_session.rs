//! The session machine (`optave_core::connection::Session`) through its
//! public API: the states, connecting, losing and regaining the connection,
//! stale attempts and `close()`. The backoff, the connection timeout and
//! `failed` are in `core_session_retry.rs`, credentials and the browser's
//! signals in `core_session_signals.rs`, requests in
//! `core_session_requests.rs` and `core_session_frames.rs`.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;

use common::details;
use optave_core::connection::{ConnectionState as S, Input, ReadyState, SendKind, Session};
use optave_core::error::{ErrorCategory, ErrorCode};
use serde_json::json;
use session::*;

#[test]
fn every_state_has_its_name_and_ready_state() {
    for (state, name, ready) in [
        (S::Initialized, "initialized", ReadyState::Closed),
        (S::Connecting, "connecting", ReadyState::Connecting),
        (S::Connected, "connected", ReadyState::Open),
        (S::Disconnected, "disconnected", ReadyState::Closed),
        (S::Suspended, "suspended", ReadyState::Closed),
        (S::Closing, "closing", ReadyState::Closing),
        (S::Closed, "closed", ReadyState::Closed),
        (S::Failed, "failed", ReadyState::Closed),
    ] {
        assert_eq!((state.as_str(), state.ready_state()), (name, ready));
    }
    for (ready, name) in [
        (ReadyState::Connecting, "connecting"),
        (ReadyState::Open, "open"),
        (ReadyState::Closing, "closing"),
        (ReadyState::Closed, "closed"),
    ] {
        assert_eq!(ready.as_str(), name);
    }
    let kinds = [SendKind::Direct, SendKind::Queued, SendKind::Resent];
    assert_eq!(kinds.map(SendKind::as_str), ["direct", "queued", "resent"]);
}

/// The page reads the states as the typed model spells them.
#[cfg(feature = "ts")]
#[test]
fn state_names_match_the_typed_model() {
    use optave_core::model::{ConnectionState as Typed, ReadyState as TypedReady};
    for (state, typed) in [
        (S::Initialized, Typed::Initialized),
        (S::Connecting, Typed::Connecting),
        (S::Connected, Typed::Connected),
        (S::Disconnected, Typed::Disconnected),
        (S::Suspended, Typed::Suspended),
        (S::Closing, Typed::Closing),
        (S::Closed, Typed::Closed),
        (S::Failed, Typed::Failed),
    ] {
        assert_eq!(serde_json::to_value(typed).unwrap(), json!(state.as_str()));
    }
    for (ready, typed) in [
        (ReadyState::Connecting, TypedReady::Connecting),
        (ReadyState::Open, TypedReady::Open),
        (ReadyState::Closing, TypedReady::Closing),
        (ReadyState::Closed, TypedReady::Closed),
    ] {
        assert_eq!(serde_json::to_value(typed).unwrap(), json!(ready.as_str()));
    }
}

#[test]
fn connect_then_open() {
    let mut rig = Rig::new(config());
    assert_eq!(
        (rig.s.state(), rig.s.ready_state()),
        (S::Initialized, ReadyState::Closed)
    );
    assert_eq!(rig.s.next_wakeup(), None);
    assert!(!rig.s.wants_socket(1));

    let fx = rig.connect(T0);
    assert_eq!(lines(&fx), ["state initialized>connecting", "start 1"]);
    let c = change(&fx);
    assert_eq!((c.reason.as_ref(), c.retry_in_ms), (None, None));
    assert_eq!(rig.s.ready_state(), ReadyState::Connecting);
    assert_eq!(rig.s.next_wakeup(), Some(T0 + CONNECT_MS));
    assert!(rig.s.wants_socket(1) && !rig.s.wants_socket(0) && !rig.s.wants_socket(2));
    // A second connect() joins the attempt under way.
    assert!(rig.connect(T0 + 1.0).is_empty());
    // Another attempt's socket does not count; this one's does.
    assert!(rig.on(Input::SocketCreated { attempt: 2 }).is_empty());
    assert!(rig.s.wants_socket(1));
    assert!(rig.on(Input::SocketCreated { attempt: 1 }).is_empty());
    assert!(!rig.s.wants_socket(1));

    let fx = rig.on(Input::SocketOpen {
        attempt: 1,
        now_ms: T0 + 50.0,
    });
    assert_eq!(
        lines(&fx),
        ["state connecting>connected", "settle ok", "open"]
    );
    assert_eq!(
        (rig.s.state(), rig.s.ready_state()),
        (S::Connected, ReadyState::Open)
    );
    assert_eq!(rig.s.next_wakeup(), None);
    assert_eq!(lines(&rig.connect(T0 + 60.0)), ["settle ok"]);
    assert_eq!(rig.s.state(), S::Connected);
}

/// Code 1006: `error` (CONNECTION_CLOSED), `disconnected` with a full-jitter
/// delay in [0, minDelayMs), `close`; the timer starts attempt 2, and
/// events of attempt 1 are ignored from then on.
#[test]
fn an_unexpected_close_reconnects() {
    let mut rig = Rig::connected(config());
    let delay = rig.next_delay(500.0);
    let t = T0 + 1_000.0;
    let fx = rig.on(closed(1, 1006, false, t));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "error CONNECTION_CLOSED",
            "state connected>disconnected CONNECTION_CLOSED",
            "close 1006 r1006 false",
        ]
    );
    let error = emitted(&fx)[0];
    is(error, ErrorCategory::Websocket, ErrorCode::ConnectionClosed);
    assert_eq!(
        details(error),
        json!({ "code": 1006, "reason": "r1006", "wasClean": false })
    );
    assert_eq!(change(&fx).reason.as_ref(), Some(error));
    assert_eq!(retry_in(&fx), delay);
    assert!((0.0..500.0).contains(&delay), "{delay}");
    assert_eq!(
        (rig.s.state(), rig.s.ready_state()),
        (S::Disconnected, ReadyState::Closed)
    );
    assert_eq!(rig.s.next_wakeup(), Some(t + delay));

    // Attempt 1 is over: none of its events does anything.
    for stale in [
        Input::SocketOpen {
            attempt: 1,
            now_ms: t,
        },
        Input::SocketError {
            attempt: 1,
            now_ms: t,
        },
        closed(1, 1006, false, t),
        failed(1, ErrorCode::ConnectionError, t),
        Input::SocketCreated { attempt: 1 },
    ] {
        assert!(rig.on(stale.clone()).is_empty(), "{stale:?}");
    }
    let fx = rig.on(Input::Tick { now_ms: t + delay });
    assert_eq!(lines(&fx), ["state disconnected>connecting", "start 2"]);
    assert!(rig.s.wants_socket(2) && !rig.s.wants_socket(1));
    assert_eq!(rig.s.next_wakeup(), Some(t + delay + CONNECT_MS));
    for stale in [
        Input::SocketOpen {
            attempt: 1,
            now_ms: t + 600.0,
        },
        closed(1, 1000, true, t + 600.0),
        failed(1, ErrorCode::ConnectionError, t + 600.0),
    ] {
        assert!(rig.on(stale.clone()).is_empty(), "{stale:?}");
        assert_eq!(rig.s.state(), S::Connecting);
    }
    let fx = rig.open(2, t + 700.0);
    assert_eq!(
        lines(&fx),
        ["state connecting>connected", "settle ok", "open"]
    );
    // The socket's `error` event is reported for the open attempt only.
    assert!(rig
        .on(Input::SocketError {
            attempt: 1,
            now_ms: t + 800.0
        })
        .is_empty());
    let fx = rig.on(Input::SocketError {
        attempt: 2,
        now_ms: t + 800.0,
    });
    assert_eq!(lines(&fx), ["error WEBSOCKET_ERROR"]);
    assert_eq!(rig.s.state(), S::Connected);
}

/// Only a clean 1000 from the server goes unreported; it still reconnects.
#[test]
fn a_clean_close_from_the_server_reconnects_without_error() {
    let mut rig = Rig::connected(config());
    let delay = rig.next_delay(500.0);
    let fx = rig.on(closed(1, 1000, true, T0 + 10.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "state connected>disconnected",
            "close 1000 r1000 true"
        ]
    );
    assert_eq!(retry_in(&fx), delay);
    let fx = rig.on(Input::Tick {
        now_ms: T0 + 10.0 + delay,
    });
    assert_eq!(lines(&fx), ["state disconnected>connecting", "start 2"]);

    for (code, clean) in [(1000, false), (1001, true), (4000, true)] {
        let mut rig = Rig::connected(config());
        let fx = rig.on(closed(1, code, clean, T0 + 10.0));
        assert_eq!(emitted(&fx).len(), 1, "{code} {clean}");
        is(
            emitted(&fx)[0],
            ErrorCategory::Websocket,
            ErrorCode::ConnectionClosed,
        );
        assert_eq!(rig.s.state(), S::Disconnected);
    }
}

/// `close()` while connected: `closing`, then `closed` on the socket's close
/// event; pending requests rejected, no retry, no timer.
#[test]
fn close_by_the_page() {
    let mut rig = Rig::connected(config());
    rig.send_now("a", Some(7), T0);
    rig.send_now("b", None, T0);
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 5_000.0));
    let fx = rig.on(Input::Close { now_ms: T0 + 10.0 });
    assert_eq!(
        lines(&fx),
        [
            "close-socket 1000 client closed",
            "reject 7 CONNECTION_CLOSED a",
            "state connected>closing",
        ]
    );
    is(
        rejected(&fx)[0].1,
        ErrorCategory::Websocket,
        ErrorCode::ConnectionClosed,
    );
    assert_eq!(
        (rig.s.state(), rig.s.ready_state()),
        (S::Closing, ReadyState::Closing)
    );
    assert!(rig.s.outbox().is_empty());
    assert_eq!(rig.s.next_wakeup(), None);
    assert!(rig.on(Input::Close { now_ms: T0 + 11.0 }).is_empty());

    let fx = rig.on(closed(1, 1000, true, T0 + 20.0));
    assert_eq!(
        lines(&fx),
        ["release", "state closing>closed", "close 1000 r1000 true"]
    );
    assert_eq!(
        (rig.s.state(), rig.s.ready_state()),
        (S::Closed, ReadyState::Closed)
    );
    assert_eq!(rig.s.next_wakeup(), None);
    for later in [
        Input::Tick { now_ms: T0 + 1e9 },
        Input::Online { now_ms: T0 + 1e9 },
        Input::Resume { now_ms: T0 + 1e9 },
        Input::Offline { now_ms: T0 + 1e9 },
        Input::Close { now_ms: T0 + 1e9 },
        closed(1, 1006, false, T0 + 1e9),
    ] {
        assert!(rig.on(later.clone()).is_empty(), "{later:?}");
    }
    assert_eq!(rig.s.state(), S::Closed);
}

#[test]
fn close_while_connecting() {
    // No socket yet: closed at once; its late token opens nothing.
    let mut rig = Rig::new(config());
    rig.connect(T0);
    rig.queue("q", Some(3), 5_000.0, T0);
    let fx = rig.on(Input::Close { now_ms: T0 + 1.0 });
    assert_eq!(
        lines(&fx),
        [
            "settle CONNECTION_CLOSED",
            "reject 3 CONNECTION_CLOSED q",
            "state connecting>closed"
        ]
    );
    assert!(!rig.s.wants_socket(1));
    assert!(rig
        .on(Input::SocketOpen {
            attempt: 1,
            now_ms: T0 + 2.0
        })
        .is_empty());
    assert_eq!((rig.s.state(), rig.s.next_wakeup()), (S::Closed, None));

    // With a socket: closing until it reports closed; connect() meanwhile
    // drops it and starts over.
    let mut rig = Rig::new(config());
    rig.connect(T0);
    rig.on(Input::SocketCreated { attempt: 1 });
    let fx = rig.on(Input::Close { now_ms: T0 + 1.0 });
    assert_eq!(
        lines(&fx),
        [
            "settle CONNECTION_CLOSED",
            "close-socket 1000 client closed",
            "state connecting>closing"
        ]
    );
    assert!(rig
        .on(Input::SocketOpen {
            attempt: 1,
            now_ms: T0 + 2.0
        })
        .is_empty());
    assert_eq!(rig.s.state(), S::Closing);
    let fx = rig.connect(T0 + 3.0);
    assert_eq!(
        lines(&fx),
        ["release", "state closing>connecting", "start 2"]
    );
    assert!(rig.on(closed(1, 1000, true, T0 + 4.0)).is_empty());
    assert_eq!(rig.s.state(), S::Connecting);

    // A socket that never opened gets no `close` event: there was no `open`.
    let mut rig = Rig::new(config());
    rig.connect(T0);
    rig.on(Input::SocketCreated { attempt: 1 });
    rig.on(Input::Close { now_ms: T0 + 1.0 });
    let fx = rig.on(closed(1, 1000, true, T0 + 2.0));
    assert_eq!(lines(&fx), ["release", "state closing>closed"]);
}

/// `open` and `close` stay paired when `connect()` comes before the closing
/// socket reports closed: its `close` is emitted then, after the state
/// change (the socket is released, so its own close event will not reach
/// the session).
#[test]
fn connect_while_closing_emits_the_close_of_the_open_connection() {
    let mut rig = Rig::connected(config());
    rig.on(Input::Close { now_ms: T0 + 10.0 });
    assert_eq!(rig.s.state(), S::Closing);
    let fx = rig.connect(T0 + 11.0);
    assert_eq!(
        lines(&fx),
        [
            "release",
            "state closing>connecting",
            "start 2",
            "close 1000 client closed true",
        ]
    );
    assert!(rig.on(closed(1, 1000, true, T0 + 12.0)).is_empty());
    let fx = rig.open(2, T0 + 13.0);
    assert!(lines(&fx).iter().any(|l| l == "open"), "{:?}", lines(&fx));
}

/// `close()` during the backoff wait: `closed`, no timer; `connect()` starts
/// again with the backoff counter reset.
#[test]
fn close_during_the_backoff_wait() {
    let mut rig = Rig::connected(config());
    rig.on(closed(1, 1006, false, T0 + 10.0));
    assert!(rig.s.next_wakeup().is_some());
    let fx = rig.on(Input::Close { now_ms: T0 + 20.0 });
    assert_eq!(lines(&fx), ["state disconnected>closed"]);
    assert_eq!((rig.s.state(), rig.s.next_wakeup()), (S::Closed, None));
    assert!(rig.on(Input::Tick { now_ms: T0 + 1e7 }).is_empty());
    assert_eq!(rig.s.state(), S::Closed);

    let fx = rig.connect(T0 + 1e7);
    assert_eq!(lines(&fx), ["state closed>connecting", "start 2"]);
    rig.open(2, T0 + 1e7);
    // Bound of attempt 0 again (it would be 1,000 ms without the reset).
    let delay = rig.next_delay(500.0);
    let fx = rig.on(closed(2, 1006, false, T0 + 1e7 + 1.0));
    assert_eq!(retry_in(&fx), delay);
}

#[test]
fn a_session_starts_from_its_config() {
    let s: Session<u32> = Session::new(config());
    assert_eq!(s.config(), &config());
    assert!(s.outbox().is_empty());
    assert_eq!(
        (s.outbox().len(), s.outbox().queued(), s.outbox().waiting()),
        (0, 0, 0)
    );
}
