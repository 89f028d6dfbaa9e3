//! The session's one door: [`Session::handle`] takes every [`Input`] (the
//! page's requests and calls, the socket's and the page's events, frames,
//! the timer, REST answers) and returns the [`Effect`]s to carry out.

use alloc::string::String;
use alloc::vec::Vec;

use crate::ids::RandomSource;

use super::io::{Input, SendKind};
use super::rest::Transport;
use super::{errors, Effect, Envelope, Fx, Phase, Session};

impl<T: Clone, S: Envelope> Session<T, S>
where
    String: Into<S>,
{
    /// Feeds one input; returns the effects to carry out, in order.
    pub fn handle(&mut self, input: Input<T>, random: &mut impl RandomSource) -> Fx<T, S> {
        let mut fx = Vec::new();
        match input {
            Input::Submit { request, now_ms } => self.on_submit(request, now_ms, &mut fx),
            Input::Frame {
                correlation_id,
                action_type,
                state,
                now_ms,
            } => self.on_frame(
                correlation_id.as_deref(),
                action_type.as_deref().unwrap_or_default(),
                state.as_deref().unwrap_or_default(),
                now_ms,
                &mut fx,
            ),
            Input::Cancel {
                correlation_id,
                now_ms,
            } => self.on_cancel(correlation_id, now_ms, &mut fx),
            Input::CancelAll { now_ms } => self.on_cancel_all(false, now_ms, &mut fx),
            Input::Free { now_ms } => self.on_cancel_all(true, now_ms, &mut fx),
            Input::SendFailed { error, kind } => {
                self.on_failed(error, kind == SendKind::Direct, &mut fx)
            }
            Input::Unreadable { error } => self.on_failed(error, false, &mut fx),
            other => self.on_event(other, random, &mut fx),
        }
        fx
    }
}

impl<T, S: Envelope> Session<T, S> {
    /// The connection's inputs: the page's `connect()` and `close()`, the
    /// socket's and the page's events, the timer, the REST answers.
    fn on_event(&mut self, input: Input<T>, random: &mut impl RandomSource, fx: &mut Fx<T, S>) {
        let network = matches!(input, Input::Online { .. });
        let socket_signal = matches!(
            input,
            Input::Offline { .. }
                | Input::Online { .. }
                | Input::Resume { .. }
                | Input::Hidden { .. }
                | Input::PageHide { .. }
        );
        if socket_signal && self.config.transport == Transport::Rest {
            return; // no socket to look after
        }
        match input {
            Input::Connect {
                now_ms,
                explicit_token,
            } => self.on_connect(now_ms, explicit_token, fx),
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
            } if self.is_connecting(attempt) => {
                fx.push(Effect::ReleaseSocket);
                self.attempt_failed(error, None, now_ms, random, fx);
            }
            Input::SocketOpen { attempt, now_ms } if self.is_connecting(attempt) => {
                self.opened(attempt, now_ms, fx);
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
            } => self.on_closed(attempt, code, reason, was_clean, now_ms, random, fx),
            Input::Close { now_ms } => self.on_close(now_ms, fx),
            Input::Tick { now_ms } => self.on_tick(now_ms, random, fx),
            Input::Offline { now_ms } => {
                let why = errors::interrupted("the browser went offline", now_ms);
                self.interrupt(why, false, now_ms, random, fx);
            }
            Input::PageHide { now_ms } => {
                let why = errors::interrupted("the page was hidden (pagehide)", now_ms);
                self.interrupt(why, true, now_ms, random, fx);
                // Already waiting for a retry: the page holds it until `Resume`.
                if let Phase::Waiting { retry_at_ms, .. } = &mut self.phase {
                    *retry_at_ms = None;
                }
            }
            // `online` is not the page's return: the away spell runs on.
            Input::Online { now_ms } | Input::Resume { now_ms } => match self.phase {
                Phase::Waiting { .. } => {
                    if !network {
                        self.away = None;
                    }
                    self.start_attempt(now_ms, fx);
                }
                Phase::Connected { .. } => self.wake(network, now_ms, fx),
                _ if !network => self.away = None,
                _ => {}
            },
            Input::Hidden { now_ms, frozen } => self.away(frozen, now_ms),
            Input::Carrier { ready, now_ms } => self.carrier(ready, now_ms, fx),
            Input::Peers { unfinished, now_ms } => self.peers(unfinished, now_ms),

            Input::FetchResponse {
                id,
                status,
                retry_after_ms,
                body,
                now_ms,
            } => self.fetch_answered(id, status, retry_after_ms, &body, now_ms, random, fx),
            Input::FetchFailed { id, error, now_ms } => {
                self.fetch_failed(id, error, now_ms, random, fx)
            }
            // An event of an attempt no longer under way; the page's
            // requests (taken by `Session::handle`).
            _ => {}
        }
    }
}
