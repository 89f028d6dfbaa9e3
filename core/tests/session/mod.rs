//! Shared rig of the session machine tests: a `Session<u32>` (the waiter is
//! a plain number) driven with explicit times and a seeded random source,
//! and readers that turn its effects into short, comparable lines.
#![allow(dead_code)]

use optave_core::connection::retry::RetryPolicy;
use optave_core::connection::{
    ConnectionState, Effect, Input, SendKind, Session, SessionConfig, StateChange,
};
use optave_core::error::{ErrorCategory, ErrorCode, OptaveError};
use optave_core::ids::RandomSource;

use crate::common::SeededRandom;

mod door;
#[allow(unused_imports)] // each scenario file uses some
pub use door::{Door, Submitted};

/// The first instant of every scenario, ms.
pub const T0: f64 = 1_000_000.0;
/// `connectionTimeoutMs` of the rig.
pub const CONNECT_MS: f64 = 10_000.0;
/// `requestTimeoutMs` of the rig.
pub const REQUEST_MS: f64 = 30_000.0;

/// The effects of one input.
pub type Fx = Vec<Effect<u32>>;

/// The rig's settings: the default policy, a 10 s connection timeout, and
/// no stale detection (the liveness rules have their own scenarios, in
/// core_session_liveness.rs, with [`live_config`]).
pub fn config() -> SessionConfig {
    SessionConfig {
        connection_timeout_ms: CONNECT_MS,
        request_timeout_ms: REQUEST_MS,
        stale_after_ms: None,
        ..SessionConfig::default()
    }
}

/// `staleAfterMs` of the liveness scenarios.
pub const STALE_MS: f64 = 15_000.0;

/// The rig's settings with stale detection on ([`STALE_MS`]).
pub fn live_config() -> SessionConfig {
    SessionConfig {
        stale_after_ms: Some(STALE_MS),
        ..config()
    }
}

/// The rig's settings with `policy`.
pub fn with_policy(policy: RetryPolicy) -> SessionConfig {
    SessionConfig {
        reconnect: Some(policy),
        ..config()
    }
}

/// A session and the seeded source it draws from.
pub struct Rig {
    pub s: Session<u32>,
    pub random: SeededRandom,
}

impl Rig {
    pub fn new(config: SessionConfig) -> Self {
        Self {
            s: Session::new(config),
            random: SeededRandom::new(0x5EED),
        }
    }

    /// Feeds one input.
    pub fn on(&mut self, input: Input<u32>) -> Fx {
        self.s.handle(input, &mut self.random)
    }

    /// `connect()` without an explicit token.
    pub fn connect(&mut self, now_ms: f64) -> Fx {
        self.on(Input::Connect {
            now_ms,
            explicit_token: false,
        })
    }

    /// The socket of `attempt` is created, then opens at `now_ms`.
    pub fn open(&mut self, attempt: u32, now_ms: f64) -> Fx {
        assert!(self.on(Input::SocketCreated { attempt }).is_empty());
        self.on(Input::SocketOpen { attempt, now_ms })
    }

    /// A rig connected on attempt 1 at `T0`.
    pub fn connected(config: SessionConfig) -> Self {
        let mut rig = Self::new(config);
        rig.connect(T0);
        rig.open(1, T0);
        assert_eq!(rig.s.state(), ConnectionState::Connected);
        rig
    }

    /// The uniform draw in [0, 1) the machine's next backoff will use (read
    /// from a copy of the source, as the machine reads it: 53 bits of one
    /// little-endian u64).
    pub fn next_unit(&self) -> f64 {
        let mut copy = self.random.clone();
        let mut bytes = [0u8; 8];
        copy.fill(&mut bytes);
        (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The delay the next backoff draws for the bound `cap`.
    pub fn next_delay(&self, cap: f64) -> f64 {
        cap * self.next_unit()
    }

    /// Sends a request while connected: returns its text as sent.
    pub fn send_now(&mut self, id: &str, waiter: Option<u32>, now_ms: f64) -> String {
        let text = envelope(id);
        let out = self
            .s
            .submit(id.into(), text.clone(), waiter, None, 5_000.0, now_ms)
            .unwrap_or_else(|(_, e)| panic!("{id}: {e}"))
            .expect("sent at once while connected");
        assert_eq!(&*out, text);
        text
    }

    /// Opens a request handle while connected (`settle_ms`, due in
    /// `timeout_ms`): returns its text as sent.
    pub fn handle_now(
        &mut self,
        id: &str,
        waiter: u32,
        settle_ms: f64,
        timeout_ms: f64,
        now_ms: f64,
    ) -> String {
        let text = envelope(id);
        let out = self
            .s
            .submit(
                id.into(),
                text.clone(),
                Some(waiter),
                Some(settle_ms),
                timeout_ms,
                now_ms,
            )
            .unwrap_or_else(|(_, e)| panic!("{id}: {e}"))
            .expect("sent at once while connected");
        assert_eq!(&*out, text);
        text
    }

    /// Queues a request while not connected.
    pub fn queue(&mut self, id: &str, waiter: Option<u32>, timeout_ms: f64, now_ms: f64) {
        let out = self
            .s
            .submit(id.into(), envelope(id), waiter, None, timeout_ms, now_ms)
            .unwrap_or_else(|(_, e)| panic!("{id}: {e}"));
        assert_eq!(out, None, "{id} is queued, not sent");
    }
}

/// The full-jitter bound of attempt `n`: `min(max, min * 2^n)`.
pub fn bound(policy: &RetryPolicy, n: u32) -> f64 {
    (policy.min_delay_ms * 2f64.powi(n as i32)).min(policy.max_delay_ms)
}

/// A small envelope naming `id` (its text is what must go out again).
pub fn envelope(id: &str) -> String {
    format!(r#"{{"headers":{{"correlationId":"{id}"}},"payload":{{"n":"é✓"}}}}"#)
}

/// The socket's close event.
pub fn closed(attempt: u32, code: u16, was_clean: bool, now_ms: f64) -> Input<u32> {
    Input::SocketClosed {
        attempt,
        code,
        reason: format!("r{code}"),
        was_clean,
        now_ms,
    }
}

/// An attempt that failed with `code` (token or socket creation).
pub fn failed(attempt: u32, code: ErrorCode, now_ms: f64) -> Input<u32> {
    let error = match code {
        ErrorCode::MissingToken | ErrorCode::InvalidToken | ErrorCode::TokenProviderFailed => {
            OptaveError::authentication(code, "token", now_ms)
        }
        _ => OptaveError::websocket(code, "socket", now_ms),
    };
    Input::AttemptFailed {
        attempt,
        error,
        now_ms,
    }
}

fn state_line(c: &StateChange) -> String {
    let mut line = format!("state {}>{}", c.previous.as_str(), c.current.as_str());
    if let Some(reason) = &c.reason {
        line.push(' ');
        line.push_str(&reason.code);
    }
    line
}

/// The effects as short lines, e.g. `state connected>disconnected
/// CONNECTION_CLOSED`, `send a queued`, `reject 1 REQUEST_TIMEOUT a`.
pub fn lines(fx: &[Effect<u32>]) -> Vec<String> {
    fx.iter()
        .map(|effect| match effect {
            Effect::StartAttempt { attempt } => format!("start {attempt}"),
            Effect::State(c) => state_line(c),
            Effect::SettleConnect(Ok(())) => "settle ok".into(),
            Effect::SettleConnect(Err(e)) => format!("settle {}", e.code),
            Effect::EmitOpen => "open".into(),
            Effect::EmitClose {
                code,
                reason,
                was_clean,
            } => format!("close {code} {reason} {was_clean}"),
            Effect::EmitError(e) => format!("error {}", e.code),
            Effect::Transmit {
                correlation_id,
                kind,
                ..
            } => format!("send {correlation_id} {}", kind.as_str()),
            Effect::CloseSocket { code, reason } => format!("close-socket {code} {reason}"),
            Effect::ReleaseSocket => "release".into(),
            Effect::Reject(w, e) => format!(
                "reject {w} {} {}",
                e.code,
                e.correlation_id.as_deref().unwrap_or("-")
            ),
            Effect::Settled(w, id) => format!("settled {w} {id}"),
            Effect::Fetch(f) => format!("fetch {} {} {}", f.id, f.correlation_id, f.url),
            Effect::AbortFetch { id } => format!("abort-fetch {id}"),
            Effect::Deliver { correlation_id } => format!("deliver {correlation_id}"),
            Effect::Refused(e) => format!("refused {}", e.code),
            Effect::Fail { waiter, error } => format!(
                "fail {} {} {}",
                waiter.map_or("-".into(), |w| w.to_string()),
                error.code,
                error.correlation_id.as_deref().unwrap_or("-")
            ),
            Effect::Frame { waiter } => {
                format!("frame {}", waiter.map_or("-".into(), |w| w.to_string()))
            }
        })
        .collect()
}

/// The one `stateChange` among the effects.
pub fn change(fx: &[Effect<u32>]) -> &StateChange {
    let mut found = fx.iter().filter_map(|e| match e {
        Effect::State(c) => Some(c),
        _ => None,
    });
    let first = found.next().expect("a stateChange");
    assert!(found.next().is_none(), "one stateChange: {:?}", lines(fx));
    first
}

/// `retry_in_ms` of the one `stateChange`.
pub fn retry_in(fx: &[Effect<u32>]) -> f64 {
    change(fx).retry_in_ms.expect("retry_in_ms")
}

/// The errors emitted on `error`.
pub fn emitted(fx: &[Effect<u32>]) -> Vec<&OptaveError> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::EmitError(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// The envelopes transmitted: id, text, kind.
pub fn sent(fx: &[Effect<u32>]) -> Vec<(String, String, SendKind)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Transmit {
                correlation_id,
                text,
                kind,
            } => Some((correlation_id.clone(), text.to_string(), *kind)),
            _ => None,
        })
        .collect()
}

/// The rejections: waiter and error.
pub fn rejected(fx: &[Effect<u32>]) -> Vec<(u32, &OptaveError)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Reject(w, e) => Some((*w, e)),
            _ => None,
        })
        .collect()
}

/// Asserts an error's category and code.
pub fn is(err: &OptaveError, category: ErrorCategory, code: ErrorCode) {
    assert_eq!(
        (err.category, &*err.code),
        (category, code.as_str()),
        "{err}"
    );
}
