//! The session's reconnection: failed attempts and the connection timeout,
//! the full-jitter backoff as the machine applies it, `suspended` after
//! `connectionStateTtlMs`, the stable-period reset, `maxAttempts` and
//! `reconnect: false`.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod session;

use common::details;
use optave_core::connection::retry::RetryPolicy;
use optave_core::connection::{ConnectionState as S, Input, SessionConfig};
use optave_core::error::{ErrorCategory, ErrorCode};
use serde_json::json;
use session::*;

/// Not open within `connectionTimeoutMs`: CONNECTION_TIMEOUT, the socket
/// closed when there was one, the next attempt scheduled.
#[test]
fn the_connection_timeout() {
    let mut rig = Rig::new(config());
    rig.connect(T0);
    rig.on(Input::SocketCreated { attempt: 1 });
    let deadline = T0 + CONNECT_MS;
    assert!(rig
        .on(Input::Tick {
            now_ms: deadline - 1.0
        })
        .is_empty());
    let delay = rig.next_delay(500.0);
    let fx = rig.on(Input::Tick { now_ms: deadline });
    assert_eq!(
        lines(&fx),
        [
            "close-socket 1000 connection timeout",
            "release",
            "settle CONNECTION_TIMEOUT",
            "error CONNECTION_TIMEOUT",
            "state connecting>disconnected CONNECTION_TIMEOUT",
        ]
    );
    let error = emitted(&fx)[0];
    is(
        error,
        ErrorCategory::Websocket,
        ErrorCode::ConnectionTimeout,
    );
    assert!(error.message.contains("10000 ms"), "{}", error.message);
    assert_eq!(retry_in(&fx), delay);

    // Attempt 2 never gets a socket: nothing to close.
    let t = deadline + delay;
    rig.on(Input::Tick { now_ms: t });
    let delay = rig.next_delay(1_000.0);
    let fx = rig.on(Input::Tick {
        now_ms: t + CONNECT_MS,
    });
    assert_eq!(
        lines(&fx),
        [
            "release",
            "settle CONNECTION_TIMEOUT",
            "error CONNECTION_TIMEOUT",
            "state connecting>disconnected CONNECTION_TIMEOUT",
        ]
    );
    assert_eq!(retry_in(&fx), delay);
}

/// A closed or failed socket before `open` is a failed attempt
/// (CONNECTION_ERROR), retried with the growing backoff.
#[test]
fn a_socket_that_never_opens() {
    let policy = RetryPolicy::default();
    let mut rig = Rig::new(config());
    rig.connect(T0);
    rig.on(Input::SocketCreated { attempt: 1 });
    let delay = rig.next_delay(bound(&policy, 0));
    let fx = rig.on(closed(1, 1006, false, T0 + 5.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "settle CONNECTION_ERROR",
            "error CONNECTION_ERROR",
            "state connecting>disconnected CONNECTION_ERROR",
        ]
    );
    assert_eq!(details(emitted(&fx)[0])["code"], json!(1006));
    assert_eq!(retry_in(&fx), delay);
    let t = T0 + 5.0 + delay;
    assert_eq!(
        lines(&rig.on(Input::Tick { now_ms: t })),
        ["state disconnected>connecting", "start 2"]
    );
    let delay = rig.next_delay(bound(&policy, 1));
    let fx = rig.on(failed(2, ErrorCode::TokenProviderFailed, t + 1.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "settle TOKEN_PROVIDER_FAILED",
            "error TOKEN_PROVIDER_FAILED",
            "state connecting>disconnected TOKEN_PROVIDER_FAILED",
        ]
    );
    assert_eq!(retry_in(&fx), delay);
}

/// Failed attempts of every kind until the connection has been down for
/// `connectionStateTtlMs`: then `suspended`, one attempt every `maxDelayMs`;
/// an attempt that opens ends it.
#[test]
fn down_for_the_state_ttl_is_suspended() {
    let policy = RetryPolicy {
        min_delay_ms: 100.0,
        max_delay_ms: 1_000.0,
        state_ttl_ms: 3_000.0,
        ..RetryPolicy::default()
    };
    let mut rig = Rig::new(SessionConfig {
        connection_timeout_ms: 500.0,
        ..with_policy(policy)
    });
    let mut t = T0;
    rig.connect(t);
    let (mut attempt, mut retries, mut suspensions) = (1u32, 0u32, 0);
    let mut down_since = None;
    while suspensions < 2 {
        assert!(attempt < 100, "never suspended");
        let unit = rig.next_unit();
        let (fx, code) = match attempt % 3 {
            1 => {
                t += 100.0;
                (
                    rig.on(failed(attempt, ErrorCode::ConnectionError, t)),
                    "CONNECTION_ERROR",
                )
            }
            2 => {
                rig.on(Input::SocketCreated { attempt });
                t += 100.0;
                (rig.on(closed(attempt, 1006, false, t)), "CONNECTION_ERROR")
            }
            _ => {
                t = rig.s.next_wakeup().expect("the attempt's deadline");
                (rig.on(Input::Tick { now_ms: t }), "CONNECTION_TIMEOUT")
            }
        };
        let down = t - *down_since.get_or_insert(t);
        let line = lines(&fx).pop().unwrap();
        let from = if down >= 3_000.0 {
            suspensions += 1;
            assert_eq!(line, format!("state connecting>suspended {code}"));
            assert_eq!(rig.s.state(), S::Suspended);
            assert_eq!(retry_in(&fx), 1_000.0, "suspended: exactly maxDelayMs");
            // Requests are still queued while suspended.
            rig.queue(&format!("q{attempt}"), None, 1.0, t);
            "suspended"
        } else {
            assert_eq!(line, format!("state connecting>disconnected {code}"));
            let delay = retry_in(&fx);
            assert_eq!(delay, bound(&policy, retries) * unit, "attempt {attempt}");
            assert!(delay < bound(&policy, retries));
            "disconnected"
        };
        retries += 1;
        assert_eq!(rig.s.next_wakeup(), Some(t + retry_in(&fx)));
        t += retry_in(&fx);
        attempt += 1;
        let fx = rig.on(Input::Tick { now_ms: t });
        assert_eq!(
            lines(&fx),
            [
                format!("state {from}>connecting"),
                format!("start {attempt}")
            ]
        );
    }
    assert!(attempt > 6, "every kind of failure, twice");
    assert_eq!(rig.s.outbox().queued(), 2);
    let fx = rig.open(attempt, t + 1.0);
    assert_eq!(
        lines(&fx)[..3],
        ["state connecting>connected", "settle ok", "open"]
    );
    assert_eq!(sent(&fx).len(), 2);
    // The outage is over: the next loss is `disconnected` again, the counter
    // kept (the connection was not stable).
    let delay = rig.next_delay(bound(&policy, retries));
    let fx = rig.on(closed(attempt, 1006, false, t + 2.0));
    assert_eq!(rig.s.state(), S::Disconnected);
    assert_eq!(retry_in(&fx), delay);
}

/// `suspended` from the instant the outage has lasted the TTL, not before.
#[test]
fn suspended_from_exactly_the_ttl() {
    let policy = RetryPolicy {
        state_ttl_ms: 3_000.0,
        ..RetryPolicy::default()
    };
    for (fails_at, state) in [(2_999.5, S::Disconnected), (3_000.0, S::Suspended)] {
        let mut rig = Rig::new(with_policy(policy));
        rig.connect(T0);
        rig.on(failed(1, ErrorCode::ConnectionError, T0));
        rig.on(Input::Tick {
            now_ms: T0 + 1_000.0,
        });
        let fx = rig.on(failed(2, ErrorCode::ConnectionError, T0 + fails_at));
        assert_eq!(rig.s.state(), state, "{fails_at}");
        if state == S::Suspended {
            assert_eq!(retry_in(&fx), 20_000.0);
        } else {
            assert!(retry_in(&fx) < 1_000.0);
        }
    }
}

/// A connection that stayed open `stable_after_ms` resets the backoff to
/// attempt 0; one that drops sooner keeps it growing.
#[test]
fn a_stable_connection_resets_the_backoff() {
    let policy = RetryPolicy {
        min_delay_ms: 100.0,
        max_delay_ms: 100_000.0,
        ..RetryPolicy::default()
    };
    assert_eq!(policy.stable_after_ms, 5_000.0);
    let mut rig = Rig::connected(with_policy(policy));
    let (mut t, mut attempt) = (T0, 1);
    for (open_for, n) in [
        (10.0, 0),
        (10.0, 1),
        (4_999.0, 2),
        (5_000.0, 0),
        (10.0, 1),
        (10.0, 2),
        (60_000.0, 0),
    ] {
        t += open_for;
        let delay = rig.next_delay(bound(&policy, n));
        let fx = rig.on(closed(attempt, 1006, false, t));
        assert_eq!(retry_in(&fx), delay, "open for {open_for} ms: bound {n}");
        t += delay;
        attempt += 1;
        assert_eq!(
            lines(&rig.on(Input::Tick { now_ms: t })),
            [
                "state disconnected>connecting".to_owned(),
                format!("start {attempt}")
            ]
        );
        rig.open(attempt, t);
    }
}

/// `maxAttempts` more attempts after the first failure, then `failed`:
/// `...Async` requests rejected with the reason, queued fire-and-forget
/// sends kept for the next `connect()`, which starts the count again.
#[test]
fn max_attempts_spent_is_failed() {
    let policy = RetryPolicy {
        min_delay_ms: 100.0,
        max_attempts: Some(2),
        ..RetryPolicy::default()
    };
    let mut rig = Rig::new(with_policy(policy));
    let mut t = T0;
    rig.connect(t);
    rig.queue("a", Some(1), 1e6, t);
    rig.queue("b", None, 1e6, t);
    for attempt in 1..=2 {
        t += 10.0;
        rig.on(failed(attempt, ErrorCode::ConnectionError, t));
        assert_eq!(rig.s.state(), S::Disconnected);
        t = rig.s.next_wakeup().unwrap();
        rig.on(Input::Tick { now_ms: t });
    }
    let fx = rig.on(failed(3, ErrorCode::ConnectionError, t + 10.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "settle CONNECTION_ERROR",
            "error CONNECTION_ERROR",
            "reject 1 CONNECTION_ERROR a",
            "state connecting>failed CONNECTION_ERROR",
        ]
    );
    assert_eq!(change(&fx).retry_in_ms, None);
    assert_eq!((rig.s.state(), rig.s.next_wakeup()), (S::Failed, None));
    assert!(!rig.s.outbox().contains("a") && rig.s.outbox().contains("b"));
    assert_eq!(rig.s.outbox().queued(), 1);
    for later in [
        Input::Tick { now_ms: t + 1e9 },
        Input::Online { now_ms: t + 1e9 },
        Input::Resume { now_ms: t + 1e9 },
    ] {
        assert!(rig.on(later.clone()).is_empty(), "{later:?}");
    }
    let (waiter, error) = rig
        .s
        .submit("c".into(), envelope("c"), Some(2), None, 1e3, t)
        .unwrap_err();
    assert_eq!(waiter, Some(2));
    is(
        &error,
        ErrorCategory::Websocket,
        ErrorCode::WebsocketNotInOpenState,
    );

    let fx = rig.connect(t + 100.0);
    assert_eq!(lines(&fx), ["state failed>connecting", "start 4"]);
    let delay = rig.next_delay(bound(&policy, 0));
    let fx = rig.on(failed(4, ErrorCode::ConnectionError, t + 110.0));
    assert_eq!(retry_in(&fx), delay, "the count starts again");
    t = rig.s.next_wakeup().unwrap();
    rig.on(Input::Tick { now_ms: t });
    let fx = rig.open(5, t);
    assert_eq!(
        sent(&fx),
        [(
            "b".to_owned(),
            envelope("b"),
            optave_core::connection::SendKind::Queued
        )]
    );

    // `maxAttempts: 0`: the first failure is final.
    let mut rig = Rig::new(with_policy(RetryPolicy {
        max_attempts: Some(0),
        ..policy
    }));
    rig.connect(T0);
    rig.on(failed(1, ErrorCode::ConnectionError, T0));
    assert_eq!(rig.s.state(), S::Failed);
}

/// `reconnect: false`: a lost connection is `failed`; what was on the wire
/// is rejected CONNECTION_CLOSED and forgotten.
#[test]
fn without_reconnect_a_loss_is_failed() {
    let config = SessionConfig {
        reconnect: None,
        ..config()
    };
    let mut rig = Rig::connected(config.clone());
    rig.send_now("a", Some(1), T0);
    rig.send_now("b", None, T0);
    rig.send_now("c", Some(2), T0);
    assert_eq!(rig.s.frame("c", "sp", "started", 0.0).waiter, Some(2));
    let fx = rig.on(closed(1, 1006, false, T0 + 10.0));
    assert_eq!(
        lines(&fx),
        [
            "release",
            "error CONNECTION_CLOSED",
            "reject 1 CONNECTION_CLOSED a",
            "state connected>failed CONNECTION_CLOSED",
            "close 1006 r1006 false",
        ]
    );
    let (_, error) = rejected(&fx)[0];
    is(error, ErrorCategory::Websocket, ErrorCode::ConnectionClosed);
    assert_eq!(error.correlation_id.as_deref(), Some("a"));
    assert!(rig.s.outbox().is_empty());
    assert_eq!(rig.s.next_wakeup(), None);

    // A clean close: `failed` too, with no reason.
    let mut rig = Rig::connected(config.clone());
    let fx = rig.on(closed(1, 1000, true, T0 + 10.0));
    assert_eq!(
        lines(&fx),
        ["release", "state connected>failed", "close 1000 r1000 true"]
    );
    // A failed first attempt: its error is reported as given.
    let mut rig = Rig::new(config);
    rig.connect(T0);
    let input = failed(1, ErrorCode::ConnectionError, T0 + 1.0);
    let Input::AttemptFailed { error, .. } = input.clone() else {
        unreachable!()
    };
    let fx = rig.on(input);
    assert_eq!(
        lines(&fx).last().unwrap(),
        "state connecting>failed CONNECTION_ERROR"
    );
    assert_eq!(emitted(&fx), [&error]);
    assert_eq!(change(&fx).reason.as_ref(), Some(&error));
}
