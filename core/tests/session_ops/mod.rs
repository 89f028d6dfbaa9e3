//! Random operations on the session machine for the property tests of
//! `core_session_props.rs`: every input (naming the current attempt, the
//! previous or the next one), the request calls, and random settings.

use optave_core::connection::retry::RetryPolicy;
use optave_core::connection::SessionConfig;
use optave_core::error::ErrorCode;
use proptest::prelude::*;

/// Which attempt an event names, relative to the latest one started.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    Current,
    Previous,
    Next,
}

/// One step: an input, or a request call on request `r{index}`.
#[derive(Debug, Clone)]
pub enum Op {
    Connect(bool),
    Created(Which),
    Failed(Which, usize),
    Open(Which),
    SocketError(Which),
    Closed(Which, u16, bool),
    Close,
    Tick(bool),
    Offline,
    Online,
    Resume,
    PageHide,
    Submit(usize, bool, f64),
    Frame(usize, usize, usize),
    Cancel(usize),
    CancelAll,
    Forget(usize),
}

pub const INPUTS: [&str; 12] = [
    "connect", "created", "failed", "open", "error", "closed", "close", "tick", "offline",
    "online", "resume", "pagehide",
];
pub const FAILURES: [ErrorCode; 4] = [
    ErrorCode::ConnectionError,
    ErrorCode::TokenProviderFailed,
    ErrorCode::MissingToken,
    ErrorCode::InvalidToken,
];
pub const ACTION_TYPES: [&str; 3] = ["sp1", "sp2", "error"];
pub const STATES: [&str; 3] = ["started", "completed", "failed"];

pub fn which() -> impl Strategy<Value = Which> {
    prop_oneof![6 => Just(Which::Current), 1 => Just(Which::Previous), 1 => Just(Which::Next)]
}

pub fn op() -> impl Strategy<Value = Op> {
    let close_code = prop::sample::select(vec![1000u16, 1001, 1006, 1008, 4000, 4401]);
    prop_oneof![
        2 => any::<bool>().prop_map(Op::Connect),
        3 => which().prop_map(Op::Created),
        2 => (which(), 0..FAILURES.len()).prop_map(|(w, f)| Op::Failed(w, f)),
        4 => which().prop_map(Op::Open),
        1 => which().prop_map(Op::SocketError),
        3 => (which(), close_code, any::<bool>()).prop_map(|(w, c, k)| Op::Closed(w, c, k)),
        1 => Just(Op::Close),
        5 => any::<bool>().prop_map(Op::Tick),
        1 => Just(Op::Offline),
        1 => Just(Op::Online),
        1 => Just(Op::Resume),
        1 => Just(Op::PageHide),
        5 => (0..6usize, any::<bool>(), 1.0..20_000.0f64).prop_map(|(i, a, t)| Op::Submit(i, a, t)),
        4 => (0..6usize, 0..3usize, 0..3usize).prop_map(|(i, a, s)| Op::Frame(i, a, s)),
        1 => (0..6usize).prop_map(Op::Cancel),
        1 => Just(Op::CancelAll),
        1 => (0..6usize).prop_map(Op::Forget),
    ]
}

pub fn config() -> impl Strategy<Value = SessionConfig> {
    let policy = (
        1.0..2_000.0f64,
        0.0..5_000.0f64,
        prop::option::of(0..4u32),
        0.0..8_000.0f64,
    )
        .prop_map(|(min, spread, max_attempts, ttl)| RetryPolicy {
            min_delay_ms: min,
            max_delay_ms: min + spread,
            max_attempts,
            state_ttl_ms: ttl,
            stable_after_ms: 5_000.0,
        });
    (
        prop_oneof![1 => Just(None), 5 => policy.prop_map(Some)],
        (100.0..5_000.0f64, 100.0..30_000.0f64),
        (0..4usize, any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(reconnect, (connect_ms, request_ms), (limit, q, r, p))| SessionConfig {
                connection_timeout_ms: connect_ms,
                request_timeout_ms: request_ms,
                reconnect,
                queue_limit: limit,
                queue_while_disconnected: q,
                resend_on_reconnect: r,
                has_token_provider: p,
                ..SessionConfig::default()
            },
        )
}
