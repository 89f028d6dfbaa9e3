//! Cross-tab sharing as the session sees it (docs/api.md, "One connection
//! across tabs"): which tab carries the connection is decided by
//! [`crate::crosstab`]; the session only hears that its carrier became
//! ready or went away ([`Input::Carrier`]), and, in the tab holding the
//! socket, whether other tabs have requests unfinished on it
//! ([`Input::Peers`]).

#[allow(unused_imports)] // named by the docs
use super::io::Input;
use super::losses::released_close;
use super::{errors, Effect, Envelope, Fx, Phase, Session, NORMAL_CLOSURE};

/// The close reason of a socket or link let go because the connection moved
/// to another tab or the leader tab lost its own.
pub const CARRIER_CHANGED: &str = "shared connection moved";

impl<T, S: Envelope> Session<T, S> {
    /// [`Input::Carrier`]; with `reconnect: false` a carrier that goes away
    /// ends the session (`failed`), as a lost socket does.
    pub(super) fn carrier(&mut self, ready: bool, now_ms: f64, fx: &mut Fx<T, S>) {
        match (ready, self.phase) {
            (true, Phase::Waiting { .. }) => self.start_attempt(now_ms, fx),
            (false, Phase::Connected { .. } | Phase::Connecting { .. }) => {
                let opened = matches!(self.phase, Phase::Connected { .. });
                if opened || matches!(self.phase, Phase::Connecting { socket: true, .. }) {
                    fx.push(Effect::CloseSocket {
                        code: NORMAL_CLOSURE,
                        reason: CARRIER_CHANGED,
                    });
                }
                fx.push(Effect::ReleaseSocket);
                self.drop_wire(now_ms, fx);
                let why = errors::interrupted(
                    "the tab holding the shared connection lost it or handed it over",
                    now_ms,
                );
                if self.config.reconnect.is_none() {
                    // `reconnect: false`: a lost connection is final here too.
                    self.fail(Some(why), now_ms, fx);
                } else {
                    let waiting = Phase::Waiting {
                        retry_at_ms: None,
                        suspended: false,
                    };
                    self.go(waiting, Some(why), None, fx);
                }
                if opened {
                    fx.push(released_close(CARRIER_CHANGED));
                }
            }
            // Waiting already: now for the next carrier, not a timer; the
            // state (`disconnected` or `suspended`) stays as reported.
            (false, Phase::Waiting { .. }) => {
                if let Phase::Waiting { retry_at_ms, .. } = &mut self.phase {
                    *retry_at_ms = None;
                }
            }
            _ => {}
        }
    }

    /// [`Input::Peers`]: a request of another tab going out with nothing
    /// else unfinished restarts the stale clock, as one of this tab's does.
    pub(super) fn peers(&mut self, unfinished: bool, now_ms: f64) {
        if unfinished && !self.peers_unfinished && !self.outbox.unfinished() {
            self.heard_ms = now_ms;
        }
        self.peers_unfinished = unfinished;
    }
}
