//! The session state machine (docs/api.md, "Connection states"): the connection's
//! states, automatic reconnection with full-jitter backoff, the browser's
//! online/offline and page-lifecycle signals, the offline queue, and every
//! request the page made, sent again after a reconnect and de-duplicated on
//! the way back.
//!
//! Inputs in ([`Input`], through [`Session::handle`] only: the page's
//! calls and requests, socket and page events, frames, the timer, REST
//! answers), effects out ([`Effect`]); the facade carries them out and keeps
//! one timer armed at
//! [`Session::next_wakeup`]. Time comes in as `now_ms` and randomness
//! through a [`RandomSource`], so it is tested natively. Every attempt has a
//! number, so a late token or socket event of an abandoned attempt is
//! ignored.

use alloc::rc::Rc;
use alloc::vec::Vec;

use crate::error::OptaveError;

mod carrier;
mod config;
mod door;
mod errors;
mod input;
mod io;
mod liveness;
mod losses;
pub mod outbox;
mod requests;
pub mod rest;
pub mod retry;
mod transport;
mod via_rest;
pub use carrier::CARRIER_CHANGED;
pub use config::SessionConfig;
pub use io::{ConnectionState, Effect, Input, ReadyState, SendKind, StateChange};
pub use liveness::{DEFAULT_STALE_AFTER_MS, STALE_CLOSE, STALE_REASON};
pub use outbox::Envelope;
use outbox::Outbox;
pub use requests::Request;
pub use rest::{Fetch, Transport};
use retry::Retry;
pub use via_rest::FALLBACK_AFTER_FAILURES;

/// Close code 1000, "normal closure" (RFC 6455 section 7.4.1): the one close
/// from the server, once open, that is not reported on `error`.
pub const NORMAL_CLOSURE: u16 = 1000;

/// The close reason of the socket `close()` closes (with [`NORMAL_CLOSURE`]).
const CLIENT_CLOSED: &str = "client closed";

/// Close codes by which a server refuses credentials.
pub fn is_auth_close(code: u16) -> bool {
    matches!(code, 1008 | 4001 | 4003 | 4401 | 4403)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Initialized,
    Connecting {
        attempt: u32,
        deadline_ms: f64,
        socket: bool,
    },
    Connected {
        attempt: u32,
        since_ms: f64,
    },
    /// `Disconnected` or `Suspended`; `retry_at_ms` is `None` while waiting
    /// for the page to come back (`pagehide`).
    Waiting {
        retry_at_ms: Option<f64>,
        suspended: bool,
    },
    /// `close()` was called; the socket of `attempt` is closing. `opened`:
    /// it had opened (an `open` event was emitted, so a `close` follows).
    Closing {
        attempt: u32,
        opened: bool,
    },
    Closed,
    Failed,
}

impl Phase {
    fn public(self) -> ConnectionState {
        match self {
            Self::Initialized => ConnectionState::Initialized,
            Self::Connecting { .. } => ConnectionState::Connecting,
            Self::Connected { .. } => ConnectionState::Connected,
            Self::Waiting {
                suspended: false, ..
            } => ConnectionState::Disconnected,
            Self::Waiting {
                suspended: true, ..
            } => ConnectionState::Suspended,
            Self::Closing { .. } => ConnectionState::Closing,
            Self::Closed => ConnectionState::Closed,
            Self::Failed => ConnectionState::Failed,
        }
    }
}

/// The session machine. `T` is what the facade keeps per `...Async` request.
#[derive(Debug)]
pub struct Session<T, S = Rc<str>> {
    phase: Phase,
    attempts: u32,
    config: SessionConfig,
    retry: Retry,
    outbox: Outbox<T, S>,
    explicit_token: bool,
    auth_retry_used: bool,
    /// Requests under way over REST.
    rest: rest::Calls,
    /// `auto`: requests go over REST until the WebSocket opens again.
    fallback: bool,
    /// WebSocket attempts failed in a row (reset when one opens).
    ws_failures: u32,
    /// The last failed attempt closed with 1006 before opening.
    closed_1006: bool,
    /// The transport last reported on `stateChange`.
    reported: Transport,
    /// When the stale clock last restarted (open, a frame, a request sent
    /// with nothing unfinished), ms.
    heard_ms: f64,
    /// Since when the page has been hidden (or, if later, since the socket
    /// opened), and whether it was frozen.
    away: Option<(f64, bool)>,
    /// When a send found the open socket stale and was held for the
    /// recovery, ms: the recovery then happens at the next wake-up, even if
    /// the socket seems alive again by then, so that the held request is
    /// not left queued on a connected session.
    stale_held: Option<f64>,
    /// Other tabs have requests unfinished on this tab's socket
    /// ([`Input::Peers`]).
    peers_unfinished: bool,
}

type Fx<T, S> = Vec<Effect<T, S>>;

impl<T, S: Envelope> Session<T, S> {
    /// A session in `initialized`.
    pub fn new(config: SessionConfig) -> Self {
        Self {
            phase: Phase::Initialized,
            attempts: 0,
            retry: Retry::default(),
            outbox: Outbox::default(),
            explicit_token: false,
            auth_retry_used: false,
            rest: rest::Calls::default(),
            fallback: false,
            ws_failures: 0,
            closed_1006: false,
            reported: Transport::WebSocket,
            heard_ms: 0.0,
            away: None,
            stale_held: None,
            peers_unfinished: false,
            config,
        }
    }

    /// The settings.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// The connection state.
    pub fn state(&self) -> ConnectionState {
        self.phase.public()
    }

    /// The `readyState`.
    pub fn ready_state(&self) -> ReadyState {
        self.state().ready_state()
    }

    /// The requests tracked (queued, on the wire, or waiting to be resent).
    pub fn outbox(&self) -> &Outbox<T, S> {
        &self.outbox
    }

    /// True while `attempt` is the attempt under way and has no socket yet:
    /// only then may its token open a socket. A superseded attempt never
    /// opens one, so a single-use ticket that arrives late is dropped.
    pub fn wants_socket(&self, attempt: u32) -> bool {
        matches!(self.phase, Phase::Connecting { attempt: a, socket: false, .. } if a == attempt)
    }

    /// When the facade's one timer must deliver [`Input::Tick`]: the
    /// attempt's deadline, the next retry, the earliest request deadline,
    /// or when the connection turns stale ([`Session::stale_at`]).
    pub fn next_wakeup(&self) -> Option<f64> {
        let phase = match self.phase {
            Phase::Connecting { deadline_ms, .. } => Some(deadline_ms),
            Phase::Waiting { retry_at_ms, .. } => retry_at_ms,
            _ => self.stale_at(),
        };
        [phase, self.outbox.next_deadline(), self.rest.next_wakeup()]
            .into_iter()
            .flatten()
            .min_by(f64::total_cmp)
    }

    pub(super) fn is_connecting(&self, attempt: u32) -> bool {
        matches!(self.phase, Phase::Connecting { attempt: a, .. } if a == attempt)
    }

    /// Enters `phase`, emitting `stateChange` when the public state changes.
    fn go(
        &mut self,
        phase: Phase,
        reason: Option<OptaveError>,
        retry_in_ms: Option<f64>,
        fx: &mut Fx<T, S>,
    ) {
        let previous = self.phase.public();
        self.phase = phase;
        let current = phase.public();
        let transport = self.transport();
        if previous != current || transport != self.reported {
            self.reported = transport;
            fx.push(Effect::State(StateChange {
                previous,
                current,
                reason,
                retry_in_ms,
                transport,
            }));
        }
    }

    fn start_attempt(&mut self, now_ms: f64, fx: &mut Fx<T, S>) {
        self.attempts = self.attempts.wrapping_add(1);
        let deadline_ms = now_ms + self.config.connection_timeout_ms;
        let attempt = self.attempts;
        self.go(
            Phase::Connecting {
                attempt,
                deadline_ms,
                socket: false,
            },
            None,
            None,
            fx,
        );
        fx.push(Effect::StartAttempt { attempt });
    }

    fn on_connect(&mut self, now_ms: f64, explicit_token: bool, fx: &mut Fx<T, S>) {
        self.explicit_token = explicit_token;
        if self.config.transport == Transport::Rest {
            // No socket: requests go out as they are made.
            let connected = Phase::Connected {
                attempt: 0,
                since_ms: now_ms,
            };
            self.go(connected, None, None, fx);
            return fx.push(Effect::SettleConnect(Ok(())));
        }
        match self.phase {
            Phase::Connected { .. } => fx.push(Effect::SettleConnect(Ok(()))),
            Phase::Connecting { .. } => {} // joins the attempt under way
            Phase::Waiting { .. } => self.start_attempt(now_ms, fx),
            Phase::Initialized | Phase::Closed | Phase::Failed | Phase::Closing { .. } => {
                // A closing socket is let go: its own close event will not
                // come, so the `close` of its connection is emitted here,
                // after the state change, as for any other close.
                let closing = match self.phase {
                    Phase::Closing { opened, .. } => Some(opened),
                    _ => None,
                };
                if closing.is_some() {
                    fx.push(Effect::ReleaseSocket);
                }
                self.retry.reset();
                self.auth_retry_used = false;
                self.ws_failures = 0;
                self.fallback = false;
                self.start_attempt(now_ms, fx);
                if closing == Some(true) {
                    fx.push(losses::released_close(CLIENT_CLOSED));
                }
            }
        }
    }

    fn opened(&mut self, attempt: u32, now_ms: f64, fx: &mut Fx<T, S>) {
        self.retry.opened(now_ms);
        self.heard_ms = now_ms;
        // Opened while the page is away: the wake rule judges this socket
        // by the time since it opened, not since the page went away.
        if self.away.is_some() {
            self.away = Some((now_ms, false));
        }
        self.stale_held = None;
        // `auto`: new requests use the WebSocket again.
        self.ws_failures = 0;
        self.fallback = false;
        self.go(
            Phase::Connected {
                attempt,
                since_ms: now_ms,
            },
            None,
            None,
            fx,
        );
        fx.push(Effect::SettleConnect(Ok(())));
        fx.push(Effect::EmitOpen);
        let timeout = self.config.request_timeout_ms;
        for (correlation_id, text, kind) in self.outbox.connected(now_ms, timeout) {
            fx.push(Effect::Transmit {
                correlation_id,
                text,
                kind,
            });
        }
    }
}
