//! The connection state machine, driven with explicit times.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::details;
use optave_core::connection::{Connection, Effect, Input, ReadyState};
use optave_core::error::{ErrorCategory, ErrorCode, OptaveError};

const T0: f64 = 1_000.0;
const TIMEOUT: f64 = 5_000.0;

fn connect(c: &mut Connection, now_ms: f64) -> Vec<Effect> {
    c.handle(Input::Connect {
        now_ms,
        timeout_ms: TIMEOUT,
    })
}

fn closed(attempt: u32, code: u16, now_ms: f64) -> Input {
    Input::SocketClosed {
        attempt,
        code,
        reason: "bye".into(),
        was_clean: code == 1000,
        now_ms,
    }
}

fn emit_close(code: u16) -> Effect {
    Effect::EmitClose {
        code,
        reason: "bye".into(),
        was_clean: code == 1000,
    }
}

/// A connection that is open on attempt 1.
fn open() -> Connection {
    let mut c = Connection::default();
    connect(&mut c, T0);
    assert!(c.handle(Input::SocketCreated { attempt: 1 }).is_empty());
    c.handle(Input::SocketOpen { attempt: 1 });
    assert_eq!(c.ready_state(), ReadyState::Open);
    c
}

fn settle_err(effect: &Effect) -> &OptaveError {
    match effect {
        Effect::SettleConnect(Err(e)) => e,
        other => panic!("expected SettleConnect(Err), got {other:?}"),
    }
}

fn rejected(effect: &Effect) -> &OptaveError {
    match effect {
        Effect::RejectPending(e) => e,
        other => panic!("expected RejectPending, got {other:?}"),
    }
}

#[test]
fn ready_state_strings() {
    assert_eq!(ReadyState::Connecting.as_str(), "connecting");
    assert_eq!(ReadyState::Open.as_str(), "open");
    assert_eq!(ReadyState::Closing.as_str(), "closing");
    assert_eq!(ReadyState::Closed.as_str(), "closed");
}

/// The state the page reads (`optave_core::model::ReadyState`, feature `ts`)
/// is spelled as the state machine's.
#[cfg(feature = "ts")]
#[test]
fn ready_state_strings_match_the_typed_model() {
    use optave_core::model::ReadyState as Typed;
    for (state, typed) in [
        (ReadyState::Connecting, Typed::Connecting),
        (ReadyState::Open, Typed::Open),
        (ReadyState::Closing, Typed::Closing),
        (ReadyState::Closed, Typed::Closed),
    ] {
        assert_eq!(
            serde_json::to_value(typed).unwrap(),
            serde_json::json!(state.as_str())
        );
    }
}

#[test]
fn connect_then_open() {
    let mut c = Connection::default();
    assert_eq!(c.ready_state(), ReadyState::Closed);
    assert_eq!(c.attempt(), None);
    assert_eq!(
        connect(&mut c, T0),
        [
            Effect::ArmTimer {
                at_ms: T0 + TIMEOUT
            },
            Effect::StartAttempt { attempt: 1 }
        ]
    );
    assert_eq!(c.ready_state(), ReadyState::Connecting);
    assert_eq!(c.attempt(), Some(1));
    assert_eq!(c.deadline(), Some(T0 + TIMEOUT));
    assert!(c.handle(Input::SocketCreated { attempt: 1 }).is_empty());
    assert_eq!(
        c.handle(Input::SocketOpen { attempt: 1 }),
        [Effect::SettleConnect(Ok(())), Effect::EmitOpen]
    );
    assert_eq!(c.ready_state(), ReadyState::Open);
    assert_eq!(c.deadline(), None);
    // A timer firing after the open does nothing.
    assert!(c
        .handle(Input::Tick {
            now_ms: T0 + TIMEOUT
        })
        .is_empty());
}

#[test]
fn connect_while_open_settles_at_once_and_while_connecting_joins() {
    let mut c = open();
    assert_eq!(connect(&mut c, T0 + 10.0), [Effect::SettleConnect(Ok(()))]);
    assert_eq!(c.attempt(), Some(1));
    let mut c = Connection::default();
    connect(&mut c, T0);
    assert!(connect(&mut c, T0 + 100.0).is_empty());
    assert_eq!(c.attempt(), Some(1));
    assert_eq!(c.deadline(), Some(T0 + TIMEOUT));
}

#[test]
fn tick_before_the_deadline_re_arms() {
    let mut c = Connection::default();
    connect(&mut c, T0);
    assert_eq!(
        c.handle(Input::Tick {
            now_ms: T0 + TIMEOUT - 1.0
        }),
        [Effect::ArmTimer {
            at_ms: T0 + TIMEOUT
        }]
    );
    assert_eq!(c.ready_state(), ReadyState::Connecting);
}

#[test]
fn tick_at_the_deadline_times_out_and_closes_a_created_socket() {
    let mut c = Connection::default();
    connect(&mut c, T0);
    c.handle(Input::SocketCreated { attempt: 1 });
    let effects = c.handle(Input::Tick {
        now_ms: T0 + TIMEOUT,
    });
    assert_eq!(effects.len(), 4, "{effects:?}");
    assert_eq!(
        effects[0],
        Effect::CloseSocket {
            code: 1000,
            reason: "connection timeout"
        }
    );
    assert_eq!(effects[1], Effect::ReleaseSocket);
    let err = settle_err(&effects[2]);
    assert!(err.is(ErrorCode::ConnectionTimeout));
    assert_eq!(err.category, ErrorCategory::Websocket);
    assert!(err.message.contains("5000"), "{}", err.message);
    assert_eq!(effects[3], Effect::EmitError(err.clone()));
    assert_eq!(c.ready_state(), ReadyState::Closed);
    // The late close event of the abandoned socket is ignored.
    assert!(c.handle(closed(1, 1006, T0 + TIMEOUT + 5.0)).is_empty());
    assert!(c.handle(Input::SocketOpen { attempt: 1 }).is_empty());
    assert_eq!(c.ready_state(), ReadyState::Closed);
}

#[test]
fn timeout_without_a_socket_only_releases() {
    let mut c = Connection::default();
    connect(&mut c, T0);
    let effects = c.handle(Input::Tick {
        now_ms: T0 + TIMEOUT + 1.0,
    });
    assert_eq!(effects[0], Effect::ReleaseSocket);
    assert!(settle_err(&effects[1]).is(ErrorCode::ConnectionTimeout));
    assert!(matches!(effects[2], Effect::EmitError(_)));
    assert_eq!(effects.len(), 3);
}

#[test]
fn close_before_open_with_4401_is_an_authentication_failure() {
    for code in [4401, 4403, 1008] {
        let mut c = Connection::default();
        connect(&mut c, T0);
        c.handle(Input::SocketCreated { attempt: 1 });
        let effects = c.handle(closed(1, code, T0 + 50.0));
        assert_eq!(effects[0], Effect::ReleaseSocket);
        let err = settle_err(&effects[1]);
        assert!(err.is(ErrorCode::AuthenticationFailed), "{code}: {err}");
        assert_eq!(err.category, ErrorCategory::Authentication);
        assert_eq!(details(err)["code"], code);
        assert_eq!(details(err)["reason"], "bye");
        assert_eq!(effects[2], Effect::EmitError(err.clone()));
        assert!(rejected(&effects[3]).is(ErrorCode::ConnectionClosed));
        assert_eq!(effects[4], emit_close(code));
        assert_eq!(effects.len(), 5);
        assert_eq!(c.ready_state(), ReadyState::Closed);
    }
}

#[test]
fn close_before_open_with_another_code_is_a_connection_error() {
    let mut c = Connection::default();
    connect(&mut c, T0);
    let effects = c.handle(closed(1, 1006, T0 + 50.0));
    let err = settle_err(&effects[1]);
    assert!(err.is(ErrorCode::ConnectionError));
    assert_eq!(err.category, ErrorCategory::Websocket);
    assert!(err.message.contains("1006"));
    assert_eq!(details(err)["wasClean"], false);
    assert_eq!(effects.last(), Some(&emit_close(1006)));
}

#[test]
fn server_close_while_open_rejects_pending_and_emits_close() {
    let mut c = open();
    let effects = c.handle(closed(1, 1000, T0 + 500.0));
    assert_eq!(effects.len(), 3, "{effects:?}");
    assert_eq!(effects[0], Effect::ReleaseSocket);
    let err = rejected(&effects[1]);
    assert!(err.is(ErrorCode::ConnectionClosed));
    assert!(err.message.contains("1000"));
    assert_eq!(effects[2], emit_close(1000));
    assert_eq!(c.ready_state(), ReadyState::Closed);
    // An auth close while open also reports the refusal.
    let mut c = open();
    let effects = c.handle(closed(1, 4401, T0 + 500.0));
    assert!(matches!(&effects[1], Effect::EmitError(e) if e.is(ErrorCode::AuthenticationFailed)));
    assert_eq!(effects.len(), 4);
}

/// Issue 8, finding 7: a close the page did not ask for, other than a clean
/// 1000, is reported on `error` (CONNECTION_CLOSED, naming the code), before
/// the pending requests are rejected and `close` fires.
#[test]
fn abnormal_close_while_open_is_reported_on_error() {
    for (code, was_clean) in [
        (1006, false),
        (1011, true),
        (4000, true),
        (1001, true),
        (1000, false),
    ] {
        let mut c = open();
        let effects = c.handle(Input::SocketClosed {
            attempt: 1,
            code,
            reason: "gone".into(),
            was_clean,
            now_ms: T0 + 500.0,
        });
        assert_eq!(effects.len(), 4, "{code}: {effects:?}");
        let Effect::EmitError(err) = &effects[1] else {
            panic!("{code}: {effects:?}");
        };
        assert!(err.is(ErrorCode::ConnectionClosed), "{code}");
        assert_eq!(err.category, ErrorCategory::Websocket);
        assert!(err.message.contains(&code.to_string()), "{}", err.message);
        assert_eq!(details(err)["code"], code);
        assert_eq!(details(err)["wasClean"], was_clean);
        assert!(rejected(&effects[2]).is(ErrorCode::ConnectionClosed));
        assert_eq!(
            effects[3],
            Effect::EmitClose {
                code,
                reason: "gone".into(),
                was_clean
            }
        );
    }
    // A close the page asked for is not an error, whatever its code.
    let mut c = open();
    c.handle(Input::Close { now_ms: T0 + 10.0 });
    let effects = c.handle(closed(1, 1006, T0 + 20.0));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::EmitError(_))),
        "{effects:?}"
    );
}

#[test]
fn client_close_while_open() {
    let mut c = open();
    let effects = c.handle(Input::Close { now_ms: T0 + 10.0 });
    assert_eq!(effects.len(), 2);
    assert!(rejected(&effects[0]).is(ErrorCode::ConnectionClosed));
    assert_eq!(
        effects[1],
        Effect::CloseSocket {
            code: 1000,
            reason: "client closed"
        }
    );
    assert_eq!(c.ready_state(), ReadyState::Closing);
    assert!(c.handle(Input::Close { now_ms: T0 + 11.0 }).is_empty());
    let effects = c.handle(closed(1, 1000, T0 + 20.0));
    assert_eq!(effects.first(), Some(&Effect::ReleaseSocket));
    assert_eq!(effects.last(), Some(&emit_close(1000)));
    assert!(!effects
        .iter()
        .any(|e| matches!(e, Effect::EmitError(_) | Effect::SettleConnect(_))));
    assert_eq!(c.ready_state(), ReadyState::Closed);
    assert!(c.handle(Input::Close { now_ms: T0 + 30.0 }).is_empty());
}

#[test]
fn client_close_while_connecting() {
    // Before the socket exists: settle, reject, done.
    let mut c = Connection::default();
    connect(&mut c, T0);
    let effects = c.handle(Input::Close { now_ms: T0 + 1.0 });
    assert!(settle_err(&effects[0]).is(ErrorCode::ConnectionClosed));
    assert!(rejected(&effects[1]).is(ErrorCode::ConnectionClosed));
    assert_eq!(effects.len(), 2);
    assert_eq!(c.ready_state(), ReadyState::Closed);
    assert!(c.handle(Input::SocketOpen { attempt: 1 }).is_empty());
    // With a socket: it is closed too, and its close event finishes the job.
    let mut c = Connection::default();
    connect(&mut c, T0);
    c.handle(Input::SocketCreated { attempt: 1 });
    let effects = c.handle(Input::Close { now_ms: T0 + 1.0 });
    assert_eq!(effects.len(), 3);
    assert!(matches!(effects[2], Effect::CloseSocket { code: 1000, .. }));
    assert_eq!(c.ready_state(), ReadyState::Closing);
    let effects = c.handle(closed(1, 1000, T0 + 2.0));
    assert_eq!(effects.last(), Some(&emit_close(1000)));
    assert!(!effects
        .iter()
        .any(|e| matches!(e, Effect::SettleConnect(_))));
}

#[test]
fn attempt_failed_settles_with_that_error() {
    let mut c = Connection::default();
    connect(&mut c, T0);
    let error = OptaveError::authentication(ErrorCode::TokenProviderFailed, "no ticket", T0);
    assert_eq!(
        c.handle(Input::AttemptFailed {
            attempt: 1,
            error: error.clone()
        }),
        [
            Effect::ReleaseSocket,
            Effect::SettleConnect(Err(error.clone())),
            Effect::EmitError(error.clone())
        ]
    );
    assert_eq!(c.ready_state(), ReadyState::Closed);
    // Repeated or stale failures are ignored.
    assert!(c
        .handle(Input::AttemptFailed { attempt: 1, error })
        .is_empty());
}

#[test]
fn socket_error_is_reported_only_while_open() {
    let mut c = Connection::default();
    connect(&mut c, T0);
    assert!(c
        .handle(Input::SocketError {
            attempt: 1,
            now_ms: T0
        })
        .is_empty());
    c.handle(Input::SocketOpen { attempt: 1 });
    let effects = c.handle(Input::SocketError {
        attempt: 1,
        now_ms: T0 + 5.0,
    });
    assert!(matches!(&effects[..], [Effect::EmitError(e)] if e.is(ErrorCode::WebsocketError)));
    assert!(c
        .handle(Input::SocketError {
            attempt: 2,
            now_ms: T0
        })
        .is_empty());
    assert_eq!(c.ready_state(), ReadyState::Open);
}

#[test]
fn reconnect_increments_the_attempt_and_ignores_stale_inputs() {
    let mut c = open();
    c.handle(closed(1, 1006, T0 + 100.0));
    assert_eq!(
        connect(&mut c, 10_000.0),
        [
            Effect::ArmTimer { at_ms: 15_000.0 },
            Effect::StartAttempt { attempt: 2 }
        ]
    );
    assert_eq!(c.attempt(), Some(2));
    // Inputs from attempt 1 change nothing.
    assert!(c.handle(Input::SocketOpen { attempt: 1 }).is_empty());
    assert!(c.handle(closed(1, 4401, 10_001.0)).is_empty());
    c.handle(Input::SocketCreated { attempt: 1 });
    // The attempt-1 SocketCreated did not mark attempt 2's socket: a timeout does not close one.
    let effects = c.handle(Input::Tick { now_ms: 15_000.0 });
    assert!(!effects
        .iter()
        .any(|e| matches!(e, Effect::CloseSocket { .. })));
}

#[test]
fn connect_while_closing_releases_the_old_socket() {
    let mut c = open();
    c.handle(Input::Close { now_ms: T0 });
    assert_eq!(
        connect(&mut c, 2_000.0),
        [
            Effect::ReleaseSocket,
            Effect::ArmTimer { at_ms: 7_000.0 },
            Effect::StartAttempt { attempt: 2 }
        ]
    );
    // The old socket's close event no longer matters.
    assert!(c.handle(closed(1, 1000, 2_001.0)).is_empty());
    assert_eq!(c.ready_state(), ReadyState::Connecting);
    assert_eq!(
        c.handle(Input::SocketOpen { attempt: 2 }),
        [Effect::SettleConnect(Ok(())), Effect::EmitOpen]
    );
}

/// Only the attempt under way, before its socket exists, may open a socket:
/// a token that arrives for any other attempt is dropped.
#[test]
fn wants_socket_only_while_the_attempt_is_connecting_without_a_socket() {
    let mut c = Connection::default();
    assert!(!c.wants_socket(0), "closed, never connected");
    assert!(!c.wants_socket(1), "closed, never connected");
    connect(&mut c, T0);
    assert!(c.wants_socket(1), "connecting, no socket yet");
    assert!(!c.wants_socket(0), "not the attempt under way");
    assert!(!c.wants_socket(2), "not the attempt under way");
    // A tick before the deadline changes nothing.
    c.handle(Input::Tick {
        now_ms: T0 + TIMEOUT - 1.0,
    });
    assert!(c.wants_socket(1), "still connecting before the deadline");
    // A SocketCreated of another attempt does not count for this one.
    c.handle(Input::SocketCreated { attempt: 2 });
    assert!(c.wants_socket(1), "attempt 2's socket is not attempt 1's");
    c.handle(Input::SocketCreated { attempt: 1 });
    assert!(!c.wants_socket(1), "the attempt has its socket");
    c.handle(Input::SocketOpen { attempt: 1 });
    assert_eq!(c.ready_state(), ReadyState::Open);
    assert!(!c.wants_socket(1), "open");
    c.handle(Input::Close { now_ms: T0 + 10.0 });
    assert_eq!(c.ready_state(), ReadyState::Closing);
    assert!(!c.wants_socket(1), "closing");
}

#[test]
fn wants_socket_is_false_after_close_while_connecting() {
    let mut c = Connection::default();
    connect(&mut c, T0);
    assert!(c.wants_socket(1));
    c.handle(Input::Close { now_ms: T0 + 1.0 });
    assert_eq!(c.ready_state(), ReadyState::Closed);
    assert!(
        !c.wants_socket(1),
        "a token arriving after close() opens nothing"
    );
}

#[test]
fn wants_socket_is_false_after_the_connection_timeout() {
    let mut c = Connection::default();
    connect(&mut c, T0);
    let effects = c.handle(Input::Tick {
        now_ms: T0 + TIMEOUT,
    });
    assert!(settle_err(&effects[1]).is(ErrorCode::ConnectionTimeout));
    assert_eq!(c.ready_state(), ReadyState::Closed);
    assert!(
        !c.wants_socket(1),
        "a token arriving after the timeout opens nothing"
    );
}

#[test]
fn wants_socket_is_false_after_the_attempt_failed() {
    let mut c = Connection::default();
    connect(&mut c, T0);
    let error = OptaveError::authentication(ErrorCode::TokenProviderFailed, "no ticket", T0);
    c.handle(Input::AttemptFailed { attempt: 1, error });
    assert!(!c.wants_socket(1));
}

#[test]
fn wants_socket_is_false_for_an_older_attempt_after_a_newer_connect() {
    // close() while the first token is still out, then connect() again: the
    // first attempt's token, arriving late, must not open a socket.
    let mut c = Connection::default();
    connect(&mut c, T0);
    c.handle(Input::Close { now_ms: T0 + 1.0 });
    assert_eq!(
        connect(&mut c, T0 + 2.0),
        [
            Effect::ArmTimer {
                at_ms: T0 + 2.0 + TIMEOUT
            },
            Effect::StartAttempt { attempt: 2 }
        ]
    );
    assert!(!c.wants_socket(1), "superseded by attempt 2");
    assert!(c.wants_socket(2));
    // The same after a timed-out attempt.
    c.handle(Input::Tick {
        now_ms: T0 + 2.0 + TIMEOUT,
    });
    connect(&mut c, 20_000.0);
    assert_eq!(c.attempt(), Some(3));
    assert!(!c.wants_socket(1));
    assert!(!c.wants_socket(2), "superseded by attempt 3");
    assert!(c.wants_socket(3));
    // And after an open connection was closed by the server.
    let mut c = open();
    c.handle(closed(1, 1006, T0 + 100.0));
    connect(&mut c, 10_000.0);
    assert!(!c.wants_socket(1));
    assert!(c.wants_socket(2));
}
