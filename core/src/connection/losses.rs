//! What the session does when something goes wrong or ends: a lost
//! connection or attempt, the backoff schedule, `failed`, the page's
//! `close()`, the timer's deadlines.

use alloc::string::String;

use crate::error::{Detail, ErrorCode, OptaveError};
use crate::ids::RandomSource;

use super::errors;
use super::retry::Next;
use super::{is_auth_close, Effect, Envelope, Fx, Phase, Session, CLIENT_CLOSED, NORMAL_CLOSURE};

/// The close reason of a socket the SDK closes on `offline` or `pagehide`.
const INTERRUPTED: &str = "connection interrupted";

/// The `close` event of an open connection whose socket the session let go
/// of (its own close event will not come): what the SDK closed it with,
/// code 1000 and `reason`, clean.
pub(super) fn released_close<T, S>(reason: &str) -> Effect<T, S> {
    Effect::EmitClose {
        code: NORMAL_CLOSURE,
        reason: String::from(reason),
        was_clean: true,
    }
}

impl<T, S: Envelope> Session<T, S> {
    /// `offline` or `pagehide`: the socket of the attempt or connection
    /// under way is closed and released, and the loss handled as any other
    /// (`reason` is reported on `stateChange`), except that after `pagehide`
    /// (`pause`) no attempt is scheduled: `Resume` reconnects. An open
    /// connection ends with `close` (code 1000, reason `connection
    /// interrupted`, what the socket was closed with), as every open
    /// connection does, so the `open`/`close` events of the official client
    /// stay paired; there is no `error`, since the SDK closed it. Nothing
    /// happens in other states.
    pub(super) fn interrupt(
        &mut self,
        reason: OptaveError,
        pause: bool,
        now_ms: f64,
        random: &mut impl RandomSource,
        fx: &mut Fx<T, S>,
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
                reason: INTERRUPTED,
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
            self.go(waiting, Some(reason), None, fx);
        } else {
            self.lost(now_ms, since, Some(reason), false, random, fx);
        }
        if since.is_some() {
            fx.push(released_close(INTERRUPTED));
        }
    }

    /// The requests on the wire of a lost connection: kept to be resent, or
    /// rejected (`resendOnReconnect: false`, `CONNECTION_LOST`; `reconnect:
    /// false`, `CONNECTION_CLOSED`).
    pub(super) fn drop_wire(&mut self, now_ms: f64, fx: &mut Fx<T, S>) {
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
    pub(super) fn lost(
        &mut self,
        now_ms: f64,
        since_ms: Option<f64>,
        reason: Option<OptaveError>,
        auth: bool,
        random: &mut impl RandomSource,
        fx: &mut Fx<T, S>,
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
    pub(super) fn schedule(
        &mut self,
        now_ms: f64,
        reason: Option<OptaveError>,
        auth: bool,
        random: &mut impl RandomSource,
        fx: &mut Fx<T, S>,
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
    pub(super) fn fail(&mut self, reason: Option<OptaveError>, now_ms: f64, fx: &mut Fx<T, S>) {
        let error = reason
            .clone()
            .unwrap_or_else(|| errors::closed_pending(now_ms));
        for (id, waiter) in self.outbox.cancel_all() {
            if let Some(fetch) = self.rest.remove(&id) {
                fx.push(Effect::AbortFetch { id: fetch });
            }
            fx.push(Effect::Reject(waiter, error.clone().for_request(id)));
        }
        self.go(Phase::Failed, reason, None, fx);
    }

    /// An attempt failed (token, socket, close before open, timeout).
    /// `close_code`: the close code when the socket closed before opening
    /// (an authentication close code is a refusal of the credentials).
    pub(super) fn attempt_failed(
        &mut self,
        error: OptaveError,
        close_code: Option<u16>,
        now_ms: f64,
        random: &mut impl RandomSource,
        fx: &mut Fx<T, S>,
    ) {
        let auth = close_code.is_some_and(is_auth_close);
        self.ws_failed(close_code, now_ms, fx);
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

    /// The socket closed ([`Closed`]): a failed attempt, a lost
    /// connection, or the end of `close()`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn on_closed(
        &mut self,
        attempt: u32,
        code: u16,
        reason: String,
        was_clean: bool,
        now_ms: f64,
        random: &mut impl RandomSource,
        fx: &mut Fx<T, S>,
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
                let error = error.with_details(detail());
                self.attempt_failed(error, Some(code), now_ms, random, fx);
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
            Phase::Closing { attempt: a, opened } if a == attempt => {
                fx.push(Effect::ReleaseSocket);
                self.go(Phase::Closed, None, None, fx);
                if opened {
                    fx.push(Effect::EmitClose {
                        code,
                        reason,
                        was_clean,
                    });
                }
            }
            _ => {}
        }
    }

    pub(super) fn on_close(&mut self, now_ms: f64, fx: &mut Fx<T, S>) {
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
                        reason: CLIENT_CLOSED,
                    });
                    Phase::Closing {
                        attempt,
                        opened: false,
                    }
                } else {
                    Phase::Closed
                }
            }
            Phase::Connected { attempt, .. } => {
                fx.push(Effect::CloseSocket {
                    code: NORMAL_CLOSURE,
                    reason: CLIENT_CLOSED,
                });
                Phase::Closing {
                    attempt,
                    opened: true,
                }
            }
            Phase::Initialized | Phase::Waiting { .. } | Phase::Failed => Phase::Closed,
        };
        // REST has no socket to wait for.
        let next = if self.config.transport == super::Transport::Rest {
            Phase::Closed
        } else {
            next
        };
        self.stop_all_fetches(fx);
        let error = pending("close() was called while the request was pending");
        for (id, waiter) in self.outbox.clear() {
            fx.push(Effect::Reject(waiter, error.clone().for_request(id)));
        }
        self.retry.reset();
        self.go(next, None, None, fx);
    }

    pub(super) fn on_tick(
        &mut self,
        now_ms: f64,
        random: &mut impl RandomSource,
        fx: &mut Fx<T, S>,
    ) {
        self.rest_tick(now_ms, fx);
        let expired = self.outbox.expire(now_ms);
        for (id, waiter) in expired.settled {
            fx.push(Effect::Settled(waiter, id));
        }
        for (id, waiter) in expired.timed_out {
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
                self.attempt_failed(error, None, now_ms, random, fx);
            }
            Phase::Waiting {
                retry_at_ms: Some(at),
                ..
            } if now_ms >= at => {
                self.start_attempt(now_ms, fx);
            }
            Phase::Connected { .. } => self.check_stale(now_ms, fx),
            _ => {}
        }
    }
}
