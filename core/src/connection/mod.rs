//! The session state machine (the resilient-session issue): the connection's
//! states, automatic reconnection with full-jitter backoff, the browser's
//! online/offline and page-lifecycle signals, the offline queue, and every
//! request the page made, sent again after a reconnect and de-duplicated on
//! the way back.
//!
//! Inputs in ([`Input`], and the request calls [`Session::submit`],
//! [`Session::frame`], [`Session::cancel`]), effects out ([`Effect`]); the
//! facade carries them out and keeps one timer armed at
//! [`Session::next_wakeup`]. Time comes in as `now_ms` and randomness
//! through a [`RandomSource`], so it is tested natively. Every attempt has a
//! number, so a late token or socket event of an abandoned attempt is
//! ignored.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Detail, ErrorCode, OptaveError};
use crate::ids::RandomSource;

mod errors;
mod io;
pub mod outbox;
pub mod retry;
pub use io::{ConnectionState, Effect, Input, ReadyState, SendKind, StateChange};
pub use outbox::FrameOutcome;
use outbox::Outbox;
use retry::{Next, Retry, RetryPolicy};

/// Close code 1000, "normal closure" (RFC 6455 section 7.4.1): the one close
/// from the server, once open, that is not reported on `error`.
pub const NORMAL_CLOSURE: u16 = 1000;

/// Close codes by which a server refuses credentials.
pub fn is_auth_close(code: u16) -> bool {
    matches!(code, 1008 | 4001 | 4003 | 4401 | 4403)
}

/// The session's settings, from the client options.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionConfig {
    /// `connectionTimeoutMs`: one attempt's limit (token and handshake), ms.
    pub connection_timeout_ms: f64,
    /// `requestTimeoutMs`: how long a fire-and-forget request is tracked
    /// after it was sent, ms.
    pub request_timeout_ms: f64,
    /// `reconnect`: `None` for `reconnect: false`.
    pub reconnect: Option<RetryPolicy>,
    /// `queueLimit`: envelopes the offline queue holds (default 100).
    pub queue_limit: usize,
    /// `queueWhileDisconnected` (default true).
    pub queue_while_disconnected: bool,
    /// `resendOnReconnect` (default true).
    pub resend_on_reconnect: bool,
    /// A `tokenProvider` was given (a refused token gets one more attempt
    /// with a fresh one).
    pub has_token_provider: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            connection_timeout_ms: crate::options::DEFAULT_TIMEOUT_MS,
            request_timeout_ms: crate::options::DEFAULT_TIMEOUT_MS,
            reconnect: Some(RetryPolicy::default()),
            queue_limit: outbox::DEFAULT_QUEUE_LIMIT,
            queue_while_disconnected: true,
            resend_on_reconnect: true,
            has_token_provider: false,
        }
    }
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
    Closing {
        attempt: u32,
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
pub struct Session<T> {
    phase: Phase,
    attempts: u32,
    config: SessionConfig,
    retry: Retry,
    outbox: Outbox<T>,
    explicit_token: bool,
    auth_retry_used: bool,
}

type Fx<T> = Vec<Effect<T>>;

impl<T> Session<T> {
    /// A session in `initialized`.
    pub fn new(config: SessionConfig) -> Self {
        Self {
            phase: Phase::Initialized,
            attempts: 0,
            config,
            retry: Retry::default(),
            outbox: Outbox::default(),
            explicit_token: false,
            auth_retry_used: false,
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
    pub fn outbox(&self) -> &Outbox<T> {
        &self.outbox
    }

    /// True while `attempt` is the attempt under way and has no socket yet:
    /// only then may its token open a socket. A superseded attempt never
    /// opens one, so a single-use ticket that arrives late is dropped.
    pub fn wants_socket(&self, attempt: u32) -> bool {
        matches!(self.phase, Phase::Connecting { attempt: a, socket: false, .. } if a == attempt)
    }

    /// When the facade's one timer must deliver [`Input::Tick`]: the
    /// attempt's deadline, the next retry, or the earliest request deadline.
    pub fn next_wakeup(&self) -> Option<f64> {
        let phase = match self.phase {
            Phase::Connecting { deadline_ms, .. } => Some(deadline_ms),
            Phase::Waiting { retry_at_ms, .. } => retry_at_ms,
            _ => None,
        };
        match (phase, self.outbox.next_deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Feeds one input; returns the effects to carry out, in order.
    pub fn handle(&mut self, input: Input, random: &mut impl RandomSource) -> Fx<T> {
        let mut fx = Vec::new();
        match input {
            Input::Connect {
                now_ms,
                explicit_token,
            } => self.on_connect(now_ms, explicit_token, &mut fx),
            Input::SocketCreated { attempt } => {
                if let Phase::Connecting {
                    attempt: a, socket, ..
                } = &mut self.phase
                {
                    *socket |= *a == attempt;
                }
            }
            Input::AttemptFailed {
                attempt,
                error,
                now_ms,
            } => {
                if self.is_connecting(attempt) {
                    fx.push(Effect::ReleaseSocket);
                    self.attempt_failed(error, false, now_ms, random, &mut fx);
                }
            }
            Input::SocketOpen { attempt, now_ms } => {
                if self.is_connecting(attempt) {
                    self.opened(attempt, now_ms, &mut fx);
                }
            }
            Input::SocketError { attempt, now_ms } => {
                if matches!(self.phase, Phase::Connected { attempt: a, .. } if a == attempt) {
                    fx.push(Effect::EmitError(errors::socket_error(now_ms)));
                }
            }
            Input::SocketClosed {
                attempt,
                code,
                reason,
                was_clean,
                now_ms,
            } => self.on_closed(attempt, code, reason, was_clean, now_ms, random, &mut fx),
            Input::Close { now_ms } => self.on_close(now_ms, &mut fx),
            Input::Tick { now_ms } => self.on_tick(now_ms, random, &mut fx),
            Input::Offline { now_ms } => {
                let why = errors::interrupted("the browser went offline", now_ms);
                self.interrupt(why, false, now_ms, random, &mut fx);
            }
            Input::PageHide { now_ms } => {
                let why = errors::interrupted("the page was hidden (pagehide)", now_ms);
                self.interrupt(why, true, now_ms, random, &mut fx);
                // Already waiting for a retry: the page holds it until `Resume`.
                if let Phase::Waiting { retry_at_ms, .. } = &mut self.phase {
                    *retry_at_ms = None;
                }
            }
            Input::Online { now_ms } | Input::Resume { now_ms } => {
                if matches!(self.phase, Phase::Waiting { .. }) {
                    self.start_attempt(now_ms, &mut fx);
                }
            }
        }
        fx
    }

    fn is_connecting(&self, attempt: u32) -> bool {
        matches!(self.phase, Phase::Connecting { attempt: a, .. } if a == attempt)
    }

    /// Enters `phase`, emitting `stateChange` when the public state changes.
    fn go(
        &mut self,
        phase: Phase,
        reason: Option<OptaveError>,
        retry_in_ms: Option<f64>,
        fx: &mut Fx<T>,
    ) {
        let previous = self.phase.public();
        self.phase = phase;
        let current = phase.public();
        if previous != current {
            fx.push(Effect::State(StateChange {
                previous,
                current,
                reason,
                retry_in_ms,
            }));
        }
    }

    fn start_attempt(&mut self, now_ms: f64, fx: &mut Fx<T>) {
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

    fn on_connect(&mut self, now_ms: f64, explicit_token: bool, fx: &mut Fx<T>) {
        self.explicit_token = explicit_token;
        match self.phase {
            Phase::Connected { .. } => fx.push(Effect::SettleConnect(Ok(()))),
            Phase::Connecting { .. } => {} // joins the attempt under way
            Phase::Waiting { .. } => self.start_attempt(now_ms, fx),
            Phase::Initialized | Phase::Closed | Phase::Failed | Phase::Closing { .. } => {
                if matches!(self.phase, Phase::Closing { .. }) {
                    fx.push(Effect::ReleaseSocket);
                }
                self.retry.reset();
                self.auth_retry_used = false;
                self.start_attempt(now_ms, fx);
            }
        }
    }

    fn opened(&mut self, attempt: u32, now_ms: f64, fx: &mut Fx<T>) {
        self.retry.opened(now_ms);
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

    /// `offline` or `pagehide`: the socket of the attempt or connection
    /// under way is closed and released, and the loss handled as any other
    /// (`reason` is reported on `stateChange`), except that after `pagehide`
    /// (`pause`) no attempt is scheduled: `Resume` reconnects. Nothing
    /// happens in other states.
    fn interrupt(
        &mut self,
        reason: OptaveError,
        pause: bool,
        now_ms: f64,
        random: &mut impl RandomSource,
        fx: &mut Fx<T>,
    ) {
        let since = match self.phase {
            Phase::Connected { since_ms, .. } => Some(since_ms),
            Phase::Connecting { .. } => None,
            _ => return,
        };
        if matches!(
            self.phase,
            Phase::Connected { .. } | Phase::Connecting { socket: true, .. }
        ) {
            fx.push(Effect::CloseSocket {
                code: NORMAL_CLOSURE,
                reason: "connection interrupted",
            });
        }
        fx.push(Effect::ReleaseSocket);
        if since.is_none() {
            fx.push(Effect::SettleConnect(Err(reason.clone())));
        }
        if pause && self.config.reconnect.is_some() {
            if let Some(policy) = &self.config.reconnect {
                self.retry.lost(policy, now_ms);
            }
            self.drop_wire(now_ms, fx);
            let waiting = Phase::Waiting {
                retry_at_ms: None,
                suspended: false,
            };
            return self.go(waiting, Some(reason), None, fx);
        }
        self.lost(now_ms, since, Some(reason), false, random, fx);
    }

    /// The requests on the wire of a lost connection: kept to be resent, or
    /// rejected (`resendOnReconnect: false`, `CONNECTION_LOST`; `reconnect:
    /// false`, `CONNECTION_CLOSED`).
    fn drop_wire(&mut self, now_ms: f64, fx: &mut Fx<T>) {
        let resend = self.config.resend_on_reconnect && self.config.reconnect.is_some();
        let error = if self.config.reconnect.is_none() {
            errors::closed_pending(now_ms)
        } else {
            errors::connection_lost(now_ms)
        };
        for (id, waiter) in self.outbox.lost(resend) {
            fx.push(Effect::Reject(waiter, error.clone().for_request(id)));
        }
    }

    /// A connection (`since_ms` when it opened) or an attempt was lost:
    /// what is on the wire is kept or rejected, then the next attempt is
    /// scheduled.
    fn lost(
        &mut self,
        now_ms: f64,
        since_ms: Option<f64>,
        reason: Option<OptaveError>,
        auth: bool,
        random: &mut impl RandomSource,
        fx: &mut Fx<T>,
    ) {
        if let (Some(since), Some(policy)) = (since_ms, &self.config.reconnect) {
            if now_ms - since >= policy.stable_after_ms {
                self.auth_retry_used = false;
            }
        }
        if let Some(policy) = &self.config.reconnect {
            self.retry.lost(policy, now_ms);
        }
        self.drop_wire(now_ms, fx);
        self.schedule(now_ms, reason, auth, random, fx);
    }

    /// After a failure: one more attempt at once for a refused token from
    /// the provider, the backoff delay otherwise, or `failed`.
    fn schedule(
        &mut self,
        now_ms: f64,
        reason: Option<OptaveError>,
        auth: bool,
        random: &mut impl RandomSource,
        fx: &mut Fx<T>,
    ) {
        let Some(policy) = self.config.reconnect else {
            return self.fail(reason, now_ms, fx);
        };
        if auth {
            if self.explicit_token || self.auth_retry_used || !self.config.has_token_provider {
                return self.fail(reason, now_ms, fx);
            }
            self.auth_retry_used = true;
            let waiting = Phase::Waiting {
                retry_at_ms: Some(now_ms),
                suspended: false,
            };
            self.go(waiting, reason, Some(0.0), fx);
            return self.start_attempt(now_ms, fx);
        }
        match self.retry.next(&policy, now_ms, random) {
            Next::Retry {
                delay_ms,
                suspended,
            } => {
                let waiting = Phase::Waiting {
                    retry_at_ms: Some(now_ms + delay_ms),
                    suspended,
                };
                self.go(waiting, reason, Some(delay_ms), fx);
            }
            Next::GiveUp => self.fail(reason, now_ms, fx),
        }
    }

    /// `failed`: unsettled `...Async` requests are rejected with the reason;
    /// queued fire-and-forget sends wait for the next `connect()`.
    fn fail(&mut self, reason: Option<OptaveError>, now_ms: f64, fx: &mut Fx<T>) {
        let error = reason
            .clone()
            .unwrap_or_else(|| errors::closed_pending(now_ms));
        for (id, waiter) in self.outbox.cancel_all() {
            fx.push(Effect::Reject(waiter, error.clone().for_request(id)));
        }
        self.go(Phase::Failed, reason, None, fx);
    }

    /// An attempt failed (token, socket, close before open, timeout).
    fn attempt_failed(
        &mut self,
        error: OptaveError,
        auth: bool,
        now_ms: f64,
        random: &mut impl RandomSource,
        fx: &mut Fx<T>,
    ) {
        fx.push(Effect::SettleConnect(Err(error.clone())));
        fx.push(Effect::EmitError(error.clone()));
        let fatal = error.code == ErrorCode::MissingToken.as_str()
            || (self.explicit_token && error.code == ErrorCode::InvalidToken.as_str());
        if fatal {
            return self.fail(Some(error), now_ms, fx);
        }
        if let Some(policy) = &self.config.reconnect {
            self.retry.lost(policy, now_ms);
        }
        self.schedule(now_ms, Some(error), auth, random, fx);
    }

    #[allow(clippy::too_many_arguments)]
    fn on_closed(
        &mut self,
        attempt: u32,
        code: u16,
        reason: String,
        was_clean: bool,
        now_ms: f64,
        random: &mut impl RandomSource,
        fx: &mut Fx<T>,
    ) {
        let detail = || {
            Detail::Map(alloc::vec![
                ("code", Detail::Num(f64::from(code))),
                ("reason", Detail::str(reason.clone())),
                ("wasClean", Detail::Bool(was_clean)),
            ])
        };
        let auth = is_auth_close(code);
        match self.phase {
            Phase::Connecting { attempt: a, .. } if a == attempt => {
                fx.push(Effect::ReleaseSocket);
                let error = if auth {
                    errors::auth_refused(code, &reason, now_ms)
                } else {
                    errors::closed_before_open(code, now_ms)
                };
                self.attempt_failed(error.with_details(detail()), auth, now_ms, random, fx);
            }
            Phase::Connected {
                attempt: a,
                since_ms,
            } if a == attempt => {
                fx.push(Effect::ReleaseSocket);
                let error = if auth {
                    Some(errors::auth_refused(code, &reason, now_ms).with_details(detail()))
                } else if code == NORMAL_CLOSURE && was_clean {
                    None
                } else {
                    Some(
                        errors::closed_unexpectedly(code, was_clean, now_ms).with_details(detail()),
                    )
                };
                if let Some(error) = &error {
                    fx.push(Effect::EmitError(error.clone()));
                }
                self.lost(now_ms, Some(since_ms), error, auth, random, fx);
                fx.push(Effect::EmitClose {
                    code,
                    reason,
                    was_clean,
                });
            }
            Phase::Closing { attempt: a } if a == attempt => {
                fx.push(Effect::ReleaseSocket);
                self.go(Phase::Closed, None, None, fx);
                fx.push(Effect::EmitClose {
                    code,
                    reason,
                    was_clean,
                });
            }
            _ => {}
        }
    }

    fn on_close(&mut self, now_ms: f64, fx: &mut Fx<T>) {
        let pending = |message| errors::closed_by_page(message, now_ms);
        let next = match self.phase {
            Phase::Closed | Phase::Closing { .. } => return,
            Phase::Connecting {
                attempt, socket, ..
            } => {
                fx.push(Effect::SettleConnect(Err(pending(
                    "close() was called before the connection opened",
                ))));
                if socket {
                    fx.push(Effect::CloseSocket {
                        code: NORMAL_CLOSURE,
                        reason: "client closed",
                    });
                    Phase::Closing { attempt }
                } else {
                    Phase::Closed
                }
            }
            Phase::Connected { attempt, .. } => {
                fx.push(Effect::CloseSocket {
                    code: NORMAL_CLOSURE,
                    reason: "client closed",
                });
                Phase::Closing { attempt }
            }
            Phase::Initialized | Phase::Waiting { .. } | Phase::Failed => Phase::Closed,
        };
        let error = pending("close() was called while the request was pending");
        for (id, waiter) in self.outbox.clear() {
            fx.push(Effect::Reject(waiter, error.clone().for_request(id)));
        }
        self.retry.reset();
        self.go(next, None, None, fx);
    }

    fn on_tick(&mut self, now_ms: f64, random: &mut impl RandomSource, fx: &mut Fx<T>) {
        for (id, waiter) in self.outbox.expire(now_ms) {
            let error = errors::request_timeout(&id, now_ms);
            fx.push(Effect::Reject(waiter, error.clone()));
            fx.push(Effect::EmitError(error));
        }
        match self.phase {
            Phase::Connecting {
                deadline_ms,
                socket,
                ..
            } if now_ms >= deadline_ms => {
                if socket {
                    fx.push(Effect::CloseSocket {
                        code: NORMAL_CLOSURE,
                        reason: "connection timeout",
                    });
                }
                fx.push(Effect::ReleaseSocket);
                let timeout_ms = self.config.connection_timeout_ms;
                // No socket yet: the attempt was still waiting for its token.
                let error = if !socket && self.config.has_token_provider && !self.explicit_token {
                    errors::provider_timeout(timeout_ms, now_ms)
                } else {
                    errors::connect_timeout(timeout_ms, now_ms)
                };
                self.attempt_failed(error, false, now_ms, random, fx);
            }
            Phase::Waiting {
                retry_at_ms: Some(at),
                ..
            } if now_ms >= at => {
                self.start_attempt(now_ms, fx);
            }
            _ => {}
        }
    }

    /// Takes a request the page made: sent now when `connected` (the text
    /// is returned, to send), queued while `connecting`, `disconnected` or
    /// `suspended`. `waiter` is the `...Async` promise (`None` for
    /// fire-and-forget); it is settled by the first frame naming
    /// `correlation_id`, or rejected at `now_ms + timeout_ms`.
    ///
    /// Errors, with the waiter handed back: WEBSOCKET
    /// `WEBSOCKET_NOT_IN_OPEN_STATE` (`initialized`, `closing`, `closed`,
    /// `failed`, or any state but `connected` with `queueWhileDisconnected:
    /// false`), `QUEUE_FULL`; VALIDATION `DUPLICATE_CORRELATION_ID`.
    pub fn submit(
        &mut self,
        correlation_id: String,
        text: String,
        waiter: Option<T>,
        timeout_ms: f64,
        now_ms: f64,
    ) -> Result<Option<Rc<str>>, (Option<T>, OptaveError)> {
        let state = self.state();
        let queue = match state {
            ConnectionState::Connected => false,
            ConnectionState::Connecting
            | ConnectionState::Disconnected
            | ConnectionState::Suspended
                if self.config.queue_while_disconnected =>
            {
                true
            }
            _ => return Err((waiter, errors::not_open(state, &correlation_id, now_ms))),
        };
        let timeout_ms = if waiter.is_some() {
            timeout_ms
        } else {
            self.config.request_timeout_ms
        };
        let limit = self.config.queue_limit;
        let id = correlation_id.clone();
        self.outbox
            .submit(
                correlation_id,
                text,
                waiter,
                now_ms + timeout_ms,
                queue,
                limit,
            )
            .map_err(|(waiter, refusal)| (waiter, errors::refused(refusal, &id, now_ms)))
    }

    /// A frame naming `correlation_id` arrived: whether to deliver it (a
    /// repeat of a tracked request's `(actionType, state)` is not) and the
    /// `...Async` promise it settles.
    pub fn frame(
        &mut self,
        correlation_id: &str,
        action_type: &str,
        state: &str,
    ) -> FrameOutcome<T> {
        self.outbox
            .frame(correlation_id, action_type, state)
            .unwrap_or(FrameOutcome {
                deliver: true,
                waiter: None,
            })
    }

    /// Stops tracking `correlation_id` (its send failed, or a frame naming
    /// it could not be read); returns its unsettled promise.
    pub fn forget(&mut self, correlation_id: &str) -> Option<T> {
        self.outbox.remove(correlation_id)
    }

    /// `cancelRequest(id)`: the unsettled `...Async` request's promise.
    pub fn cancel(&mut self, correlation_id: &str) -> Option<T> {
        self.outbox.cancel(correlation_id)
    }

    /// `cancelPendingRequests()`: every unsettled `...Async` promise.
    pub fn cancel_all(&mut self) -> Vec<(String, T)> {
        self.outbox.cancel_all()
    }
}
