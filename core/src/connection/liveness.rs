//! Liveness: a connection the client cannot see is a connection it must
//! test. A path can stop forwarding in both directions with the socket still
//! open (a sleeping laptop, Wi-Fi to 4G, a NAT timeout, a page frozen while
//! its path died); the browser then reports nothing, ever.
//!
//! The rules, all here:
//! - *Stale*: while a request is unfinished on the socket (sent on it, not
//!   complete), a connection from which no frame at all arrived for
//!   `staleAfterMs` is stale. The clock restarts on `open`, on every frame,
//!   and when a request goes out while nothing was unfinished. It is
//!   evaluated on the timer, and against the clock at once on every wake
//!   signal and every send (a hidden tab's timers are throttled).
//! - *Wake*: after a `freeze`, after the page was hidden for longer than
//!   `staleAfterMs`, or on `online`, an open socket is not trusted: with a
//!   request unfinished on it, the connection is treated as stale at once;
//!   with none, the next send is covered by the stale rule. A socket that
//!   opened while the page was away is judged from its open; `online` and
//!   a new carrier do not end the away spell, only the page's return does.
//! - *Held sends*: a send that finds the socket stale waits for the
//!   recovery, and the recovery then happens at the next wake-up even if
//!   a late frame or a timeout made the socket look fine in between (at
//!   most one needless reconnect), so the held request is never left
//!   queued on a connected session.
//! - *Recovery*: a stale connection is closed with [`STALE_CLOSE`] and
//!   released, `stateChange` reports `disconnected` (WEBSOCKET
//!   `CONNECTION_STALE`), and the next attempt starts at once, without the
//!   backoff; the unfinished requests are resent after it opens, the same
//!   text (same `correlationId`, same `idempotencyKey`), and their frames
//!   are de-duplicated by `(actionType, state)` as after any reconnect.
//!
//! `staleAfterMs: false` turns all of it off.

use alloc::string::String;

use super::{errors, Effect, Envelope, Fx, Phase, Session, Transport};

/// Default `staleAfterMs`: 15,000 ms.
pub const DEFAULT_STALE_AFTER_MS: f64 = 15_000.0;

/// The close code the SDK closes a stale connection with: 4000, the first
/// of the application codes (RFC 6455 section 7.4.2, 4000 to 4999), which no
/// server gives a meaning to here (the credential codes are 4001, 4003,
/// 4401, 4403), so a server's log tells a client-side stale close apart.
pub const STALE_CLOSE: u16 = 4000;

/// The close reason of a stale connection.
pub const STALE_REASON: &str = "connection stale";

impl<T, S: Envelope> Session<T, S> {
    /// A frame arrived on the socket of `attempt` at `now_ms`: the stale
    /// clock restarts. Returns false for a frame of a superseded attempt (a
    /// connection the session let go of), which must not be delivered.
    pub fn heard(&mut self, attempt: u32, now_ms: f64) -> bool {
        let current = match self.phase {
            Phase::Connecting { attempt, .. }
            | Phase::Connected { attempt, .. }
            | Phase::Closing { attempt, .. } => attempt,
            _ => return false,
        };
        if current == attempt {
            self.heard_ms = now_ms;
        }
        current == attempt
    }

    /// When the connection turns stale if no frame arrives: while
    /// connected over the socket with a request unfinished on it, the last
    /// restart of the clock plus `staleAfterMs`; else `None`.
    pub fn stale_at(&self) -> Option<f64> {
        let ms = self.config.stale_after_ms?;
        let on_socket = matches!(self.phase, Phase::Connected { .. })
            && self.config.transport != Transport::Rest;
        if !on_socket {
            return None;
        }
        if let Some(held_at) = self.stale_held {
            return Some(held_at);
        }
        (self.outbox.unfinished() || self.peers_unfinished).then_some(self.heard_ms + ms)
    }

    /// True when the connection is stale at `now_ms`.
    pub(super) fn is_stale(&self, now_ms: f64) -> bool {
        self.stale_at().is_some_and(|at| now_ms >= at)
    }

    /// A request is about to go out on the socket: with nothing unfinished
    /// before it (this tab's or another's), the stale clock starts now.
    pub(super) fn sending(&mut self, now_ms: f64) {
        if !self.outbox.unfinished() && !self.peers_unfinished {
            self.heard_ms = now_ms;
        }
    }

    /// A send found the socket stale at `now_ms` and is held: the recovery
    /// is due at once and no longer depends on the clock.
    pub(super) fn hold_for_recovery(&mut self, now_ms: f64) {
        self.stale_held.get_or_insert(now_ms);
    }

    /// Recovers a stale connection now if it is stale at `now_ms`.
    pub(super) fn check_stale(&mut self, now_ms: f64, fx: &mut Fx<T, S>) {
        if self.is_stale(now_ms) {
            self.recover(false, now_ms, fx);
        }
    }

    /// `visibilitychange` to hidden (`frozen: false`) or `freeze`.
    pub(super) fn away(&mut self, frozen: bool, now_ms: f64) {
        let (since, was_frozen) = self.away.unwrap_or((now_ms, false));
        self.away = Some((since, frozen || was_frozen));
    }

    /// A wake signal while connected: `online` (`network`), or the page
    /// visible or resumed again. The wake rule, then the clock. Only the
    /// page's own signals end its away spell: `online` while hidden leaves
    /// it running.
    pub(super) fn wake(&mut self, network: bool, now_ms: f64, fx: &mut Fx<T, S>) {
        let away = if network { self.away } else { self.away.take() };
        let Some(ms) = self.config.stale_after_ms else {
            return;
        };
        let untrusted =
            network || away.is_some_and(|(since, frozen)| frozen || now_ms - since > ms);
        if untrusted && self.stale_at().is_some() {
            self.recover(true, now_ms, fx);
        } else {
            self.check_stale(now_ms, fx);
        }
    }

    /// Closes the stale connection ([`STALE_CLOSE`]), keeps its unfinished
    /// requests for resending (or rejects them, as after any loss), and
    /// starts the next attempt at once; with `reconnect: false`, `failed`.
    fn recover(&mut self, woke: bool, now_ms: f64, fx: &mut Fx<T, S>) {
        fx.push(Effect::CloseSocket {
            code: STALE_CLOSE,
            reason: STALE_REASON,
        });
        fx.push(Effect::ReleaseSocket);
        let reason = errors::stale(woke, now_ms);
        self.drop_wire(now_ms, fx);
        match &self.config.reconnect {
            None => self.fail(Some(reason), now_ms, fx),
            Some(policy) => {
                self.retry.lost(policy, now_ms);
                let waiting = Phase::Waiting {
                    retry_at_ms: Some(now_ms),
                    suspended: false,
                };
                self.go(waiting, Some(reason), Some(0.0), fx);
                self.start_attempt(now_ms, fx);
            }
        }
        fx.push(Effect::EmitClose {
            code: STALE_CLOSE,
            reason: String::from(STALE_REASON),
            was_clean: false,
        });
    }
}
