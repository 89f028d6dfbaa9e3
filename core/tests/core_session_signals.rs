//! The session machine and credentials (refused tokens, a missing token)
//! and the browser's signals (`offline`, `online`, `pagehide`, and the page
//! coming back).
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;

use common::details;
use optave_core::connection::{
    is_auth_close, ConnectionState as S, Effect, Input, SendKind, SessionConfig, StateChange,
};
use optave_core::error::{ErrorCategory, ErrorCode};
use serde_json::json;
use session::*;

fn with_provider() -> SessionConfig {
    SessionConfig {
        has_token_provider: true,
        ..config()
    }
}

fn changes(fx: &[Effect<u32>]) -> Vec<&StateChange> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::State(c) => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn the_close_codes_that_refuse_credentials() {
    for code in [1008, 4001, 4003, 4401, 4403] {
        assert!(is_auth_close(code), "{code}");
    }
    for code in [1000, 1001, 1006, 1011, 4000, 4002, 4400, 4402, 4404] {
        assert!(!is_auth_close(code), "{code}");
    }
    // Without a provider: 4001 is final, 4000 is retried.
    for (code, line, state) in [
        (4001, "error AUTHENTICATION_FAILED", S::Failed),
        (4000, "error CONNECTION_ERROR", S::Disconnected),
    ] {
        let mut rig = Rig::new(config());
        rig.connect(T0);
        rig.on(Input::SocketCreated { attempt: 1 });
        let fx = rig.on(closed(1, code, true, T0 + 1.0));
        assert_eq!(lines(&fx)[2], line, "{code}");
        assert_eq!(rig.s.state(), state, "{code}");
    }
}

/// A token given to `connect()` and refused (close 4401): `failed` at once,
/// even with a provider.
#[test]
fn a_refused_explicit_token_is_failed() {
    let mut rig = Rig::new(with_provider());
    rig.on(Input::Connect {
        now_ms: T0,
        explicit_token: true,
    });
    rig.on(Input::SocketCreated { attempt: 1 });
    let fx = rig.on(closed(1, 4401, true, T0 + 5.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "settle AUTHENTICATION_FAILED",
            "error AUTHENTICATION_FAILED",
            "state connecting>failed AUTHENTICATION_FAILED",
        ]
    );
    let error = emitted(&fx)[0];
    is(
        error,
        ErrorCategory::Authentication,
        ErrorCode::AuthenticationFailed,
    );
    assert!(error.message.contains("4401") && error.message.contains("r4401"));
    assert_eq!(details(error)["code"], json!(4401));
    assert_eq!((rig.s.state(), rig.s.next_wakeup()), (S::Failed, None));

    // An explicit token the socket cannot carry: final too.
    let mut rig = Rig::new(with_provider());
    rig.on(Input::Connect {
        now_ms: T0,
        explicit_token: true,
    });
    let fx = rig.on(failed(1, ErrorCode::InvalidToken, T0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "settle INVALID_TOKEN",
            "error INVALID_TOKEN",
            "state connecting>failed INVALID_TOKEN",
        ]
    );
}

/// With a `tokenProvider`, the first refusal gets one new attempt at once
/// (`retry_in_ms` 0) with a fresh token; the second is final. `connect()`
/// grants the extra attempt again.
#[test]
fn a_refused_provider_token_gets_one_more_attempt() {
    let mut rig = Rig::new(with_provider());
    rig.connect(T0);
    rig.on(Input::SocketCreated { attempt: 1 });
    let fx = rig.on(closed(1, 4401, true, T0 + 5.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "settle AUTHENTICATION_FAILED",
            "error AUTHENTICATION_FAILED",
            "state connecting>disconnected AUTHENTICATION_FAILED",
            "state disconnected>connecting",
            "start 2",
        ]
    );
    assert_eq!(changes(&fx)[0].retry_in_ms, Some(0.0));
    assert!(rig.s.wants_socket(2));
    rig.on(Input::SocketCreated { attempt: 2 });
    let fx = rig.on(closed(2, 4403, true, T0 + 6.0));
    assert_eq!(
        lines(&fx).last().unwrap(),
        "state connecting>failed AUTHENTICATION_FAILED"
    );
    assert_eq!(rig.s.state(), S::Failed);

    rig.connect(T0 + 10.0);
    rig.on(Input::SocketCreated { attempt: 3 });
    let fx = rig.on(closed(3, 1008, false, T0 + 11.0));
    assert_eq!(lines(&fx)[5], "start 4");
}

/// A refusal on an open connection: the extra attempt is granted again only
/// after a connection that stayed open `stable_after_ms`.
#[test]
fn a_refusal_while_connected() {
    let mut rig = Rig::connected(with_provider());
    let fx = rig.on(closed(1, 4401, true, T0 + 10.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "error AUTHENTICATION_FAILED",
            "state connected>disconnected AUTHENTICATION_FAILED",
            "state disconnected>connecting",
            "start 2",
            "close 4401 r4401 true",
        ]
    );
    rig.open(2, T0 + 20.0);
    let fx = rig.on(closed(2, 4401, true, T0 + 20.0 + 5_000.0));
    assert_eq!(lines(&fx)[4], "start 3", "stable: a fresh extra attempt");
    rig.open(3, T0 + 6_000.0);
    let fx = rig.on(closed(3, 4401, true, T0 + 6_001.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "error AUTHENTICATION_FAILED",
            "state connected>failed AUTHENTICATION_FAILED",
            "close 4401 r4401 true",
        ]
    );
}

/// No token and `authRequired`: `failed`, even with a provider (it gave
/// nothing). A provider that threw is retried.
#[test]
fn a_missing_token_is_failed() {
    let mut rig = Rig::new(with_provider());
    rig.connect(T0);
    let fx = rig.on(failed(1, ErrorCode::MissingToken, T0 + 1.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "settle MISSING_TOKEN",
            "error MISSING_TOKEN",
            "state connecting>failed MISSING_TOKEN",
        ]
    );
    assert_eq!((rig.s.state(), rig.s.next_wakeup()), (S::Failed, None));
    for code in [ErrorCode::TokenProviderFailed, ErrorCode::InvalidToken] {
        let mut rig = Rig::new(with_provider());
        rig.connect(T0);
        rig.on(failed(1, code, T0 + 1.0));
        assert_eq!(rig.s.state(), S::Disconnected, "{code:?}");
    }
}

/// `offline` closes the open connection at once (`disconnected`, then
/// `close` with the code and reason the socket was closed with, no `error`);
/// `online` reconnects without waiting for the backoff.
#[test]
fn offline_then_online() {
    let mut rig = Rig::connected(config());
    let text = rig.send_now("a", Some(1), T0);
    let delay = rig.next_delay(500.0);
    let fx = rig.on(Input::Offline { now_ms: T0 + 10.0 });
    assert_eq!(
        lines(&fx),
        [
            "close-socket 1000 connection interrupted",
            "release",
            "state connected>disconnected CONNECTION_CLOSED",
            "close 1000 connection interrupted true",
        ]
    );
    let reason = change(&fx).reason.as_ref().unwrap();
    is(
        reason,
        ErrorCategory::Websocket,
        ErrorCode::ConnectionClosed,
    );
    assert!(reason.message.contains("offline"), "{}", reason.message);
    assert_eq!(retry_in(&fx), delay);
    assert!(rig.on(Input::Offline { now_ms: T0 + 11.0 }).is_empty());
    let fx = rig.on(Input::Online {
        now_ms: T0 + 10.0 + delay / 2.0,
    });
    assert_eq!(lines(&fx), ["state disconnected>connecting", "start 2"]);
    assert!(rig.on(Input::Online { now_ms: T0 + 20.0 }).is_empty());
    let fx = rig.open(2, T0 + 30.0);
    assert_eq!(sent(&fx), [("a".to_owned(), text, SendKind::Resent)]);
    assert!(rig.on(Input::Online { now_ms: T0 + 40.0 }).is_empty());

    // While connecting: the attempt is abandoned (its socket closed if any).
    for (socket, first) in [
        (true, "close-socket 1000 connection interrupted"),
        (false, "release"),
    ] {
        let mut rig = Rig::new(config());
        rig.connect(T0);
        if socket {
            rig.on(Input::SocketCreated { attempt: 1 });
        }
        let fx = rig.on(Input::Offline { now_ms: T0 + 1.0 });
        assert_eq!(lines(&fx)[0], first);
        assert_eq!(
            lines(&fx)[lines(&fx).len() - 2..],
            [
                "settle CONNECTION_CLOSED",
                "state connecting>disconnected CONNECTION_CLOSED"
            ]
        );
    }
    // Nothing to interrupt or resume before connect().
    let mut rig = Rig::new(config());
    for input in [
        Input::Offline { now_ms: T0 },
        Input::Online { now_ms: T0 },
        Input::PageHide { now_ms: T0 },
        Input::Resume { now_ms: T0 },
    ] {
        assert!(rig.on(input.clone()).is_empty(), "{input:?}");
    }
    assert_eq!(rig.s.state(), S::Initialized);
}

/// `pagehide`: `disconnected`, and no attempt until the page comes back
/// (`Resume`); the timer only tracks request deadlines meanwhile.
#[test]
fn pagehide_waits_for_the_page_to_come_back() {
    let mut rig = Rig::connected(config());
    rig.send_now("a", Some(1), T0);
    let fx = rig.on(Input::PageHide { now_ms: T0 + 10.0 });
    assert_eq!(
        lines(&fx),
        [
            "close-socket 1000 connection interrupted",
            "release",
            "state connected>disconnected CONNECTION_CLOSED",
            "close 1000 connection interrupted true",
        ]
    );
    let reason = change(&fx).reason.as_ref().unwrap();
    assert!(reason.message.contains("pagehide"), "{}", reason.message);
    assert_eq!(change(&fx).retry_in_ms, None, "no attempt is due");
    assert_eq!(rig.s.next_wakeup(), Some(T0 + 5_000.0), "the request only");
    let fx = rig.on(Input::Tick {
        now_ms: T0 + 5_000.0,
    });
    assert_eq!(
        lines(&fx),
        ["reject 1 REQUEST_TIMEOUT a", "error REQUEST_TIMEOUT"]
    );
    assert_eq!(rig.s.next_wakeup(), None);
    assert!(rig.on(Input::Tick { now_ms: T0 + 1e9 }).is_empty());
    assert_eq!(rig.s.state(), S::Disconnected);
    let fx = rig.on(Input::Resume { now_ms: T0 + 1e9 });
    assert_eq!(lines(&fx), ["state disconnected>connecting", "start 2"]);
    assert!(rig.on(Input::Resume { now_ms: T0 + 1e9 }).is_empty());

    // While connecting: the attempt is abandoned, nothing is scheduled.
    let mut rig = Rig::new(config());
    rig.connect(T0);
    let fx = rig.on(Input::PageHide { now_ms: T0 + 1.0 });
    assert_eq!(
        lines(&fx),
        [
            "release",
            "settle CONNECTION_CLOSED",
            "state connecting>disconnected CONNECTION_CLOSED",
        ]
    );
    assert_eq!((change(&fx).retry_in_ms, rig.s.next_wakeup()), (None, None));
}

/// Hidden during the backoff wait: the retry is held until `Resume`, so no
/// socket opens while the page is hidden (it would keep the page out of the
/// back/forward cache).
#[test]
fn pagehide_during_the_backoff_wait_holds_the_retry() {
    for suspended in [false, true] {
        let mut rig = Rig::connected(with_policy(optave_core::connection::retry::RetryPolicy {
            state_ttl_ms: if suspended { 0.0 } else { 120_000.0 },
            ..Default::default()
        }));
        rig.on(closed(1, 1006, false, T0 + 10.0));
        let waiting = if suspended {
            S::Suspended
        } else {
            S::Disconnected
        };
        assert_eq!(rig.s.state(), waiting);
        assert!(rig.s.next_wakeup().is_some());
        assert!(rig.on(Input::PageHide { now_ms: T0 + 11.0 }).is_empty());
        assert_eq!((rig.s.state(), rig.s.next_wakeup()), (waiting, None));
        assert!(rig.on(Input::Tick { now_ms: T0 + 1e6 }).is_empty());
        let fx = rig.on(Input::Resume { now_ms: T0 + 1e6 });
        assert_eq!(lines(&fx)[1], "start 2");
    }
}

/// The page coming back during an ordinary backoff wait reconnects at once.
#[test]
fn resume_during_the_backoff_wait_reconnects() {
    let mut rig = Rig::connected(config());
    rig.on(closed(1, 1006, false, T0 + 10.0));
    let fx = rig.on(Input::Resume { now_ms: T0 + 10.0 });
    assert_eq!(lines(&fx), ["state disconnected>connecting", "start 2"]);
    assert!(rig.on(Input::Resume { now_ms: T0 + 11.0 }).is_empty());
    rig.open(2, T0 + 20.0);
    assert!(rig.on(Input::Resume { now_ms: T0 + 30.0 }).is_empty());
    assert_eq!(rig.s.state(), S::Connected);
}
