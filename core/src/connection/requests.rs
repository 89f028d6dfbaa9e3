//! The page's requests through the session, all through
//! [`Session::handle`](super::Session::handle): one [`Request`] sent, queued
//! or refused ([`Input::Submit`]), its frames ([`Input::Frame`]),
//! cancellation ([`Input::Cancel`], [`Input::CancelAll`], [`Input::Free`])
//! and the facade's failures ([`Input::SendFailed`], [`Input::Unreadable`]).

use alloc::rc::Rc;
use alloc::string::String;

use crate::error::OptaveError;
use crate::outbound::RestParts;

use super::errors;
use super::io::{ConnectionState, SendKind};
use super::outbox::{Envelope, FrameOutcome};
use super::rest::Transport;
#[allow(unused_imports)] // named by the docs
use super::Input;
use super::{Effect, Fx, Session};

/// One request the page made, as the builder made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Request<T> {
    /// The envelope's correlationId.
    pub correlation_id: String,
    /// The envelope text (leaves for the facade's envelope type `S` once
    /// tracked).
    pub text: String,
    /// What a REST call of it needs (`None`: the WebSocket only).
    pub rest: Option<RestParts>,
    /// The `...Async` promise or request handle (`None` for
    /// fire-and-forget): settled by the first frame naming
    /// `correlation_id`, or rejected once `timeout_ms` has passed.
    pub waiter: Option<T>,
    /// With a waiter: it is a request handle that gets every frame, and
    /// [`Effect::Settled`] once the request is complete and quiet for this
    /// long, ms.
    pub settle_ms: Option<f64>,
    /// How long the waiter waits, ms (a fire-and-forget request is tracked
    /// for `requestTimeoutMs` instead).
    pub timeout_ms: f64,
}

/// A request's REST parts and its REST body (the payload), kept while it
/// may still move to REST.
pub(super) type Kept = Option<(RestParts, Rc<str>)>;

impl<T, S: Envelope> Session<T, S>
where
    String: Into<S>,
{
    /// [`Input::Submit`]: the transport in use now, then the socket's rules
    /// or a REST call.
    pub(super) fn on_submit(&mut self, mut request: Request<T>, now_ms: f64, fx: &mut Fx<T, S>) {
        let over_rest = self.transport() == Transport::Rest && self.config.rest_url.is_some();
        let out = match request.rest.take() {
            Some(rest) if over_rest => self.submit_rest(request, rest, now_ms),
            rest => self.submit_socket(request, rest, now_ms),
        };
        match out {
            Ok(Some(effect)) => fx.push(effect),
            Ok(None) => {}
            Err(err) => fx.push(Effect::Refused(err)),
        }
    }

    /// Sent now when `connected`, queued while `connecting`, `disconnected`
    /// or `suspended` (with `queueWhileDisconnected`), refused otherwise.
    /// With `auto`, the REST parts and payload are kept with the request in
    /// case it moves to REST before the socket takes it.
    fn submit_socket(
        &mut self,
        request: Request<T>,
        rest: Option<RestParts>,
        now_ms: f64,
    ) -> Result<Option<Effect<T, S>>, OptaveError> {
        let state = self.state();
        let id = &request.correlation_id;
        let queue = match state {
            // A stale socket found at send time (its timer may have been
            // throttled): the request waits for the reconnect, which the
            // overdue wake-up starts at once.
            ConnectionState::Connected if self.is_stale(now_ms) => {
                self.hold_for_recovery(now_ms);
                true
            }
            ConnectionState::Connected => {
                self.sending(now_ms);
                false
            }
            ConnectionState::Connecting
            | ConnectionState::Disconnected
            | ConnectionState::Suspended
                if self.config.queue_while_disconnected =>
            {
                true
            }
            _ => return Err(errors::not_open(state, id, now_ms)),
        };
        let kept = rest
            .filter(|_| self.config.transport == Transport::Auto)
            .map(|rest| {
                let body = Rc::from(rest.payload(&request.text));
                (rest, body)
            });
        let correlation_id = id.clone();
        let out = self.track(request, kept, now_ms, queue)?;
        Ok(out.map(|text| Effect::Transmit {
            correlation_id,
            text,
            kind: SendKind::Direct,
        }))
    }

    /// Over REST: tracked as any other request, and its first call made.
    /// Refused after `close()` (WEBSOCKET `WEBSOCKET_NOT_IN_OPEN_STATE`).
    fn submit_rest(
        &mut self,
        request: Request<T>,
        rest: RestParts,
        now_ms: f64,
    ) -> Result<Option<Effect<T, S>>, OptaveError> {
        let state = self.state();
        let id = request.correlation_id.clone();
        if matches!(state, ConnectionState::Closing | ConnectionState::Closed) {
            return Err(errors::not_open(state, &id, now_ms));
        }
        Self::rest_headers(&id, &rest, now_ms)?;
        let body = Rc::<str>::from(rest.payload(&request.text));
        let untracked = self.track(request, None, now_ms, false)?;
        let plain = self.config.request_timeout_ms;
        let deadline = match (self.outbox.to_rest(&id, now_ms, plain), untracked) {
            (Some((deadline, _)), _) => deadline,
            // Beyond the tracking bounds a fire-and-forget request goes out
            // untracked, as over the socket.
            (None, Some(_)) => now_ms + plain,
            (None, None) => return Ok(None),
        };
        Ok(Some(Effect::Fetch(
            self.start_fetch(id, &rest, body, deadline),
        )))
    }

    /// Hands a request to the outbox, over either transport: its deadline
    /// (`timeout_ms` for a request with a waiter, `requestTimeoutMs` for a
    /// fire-and-forget one), the queue's bounds, and the refusal as an
    /// error. Returns the text to send now, if any.
    fn track(
        &mut self,
        request: Request<T>,
        kept: Kept,
        now_ms: f64,
        queue: bool,
    ) -> Result<Option<S>, OptaveError> {
        let timeout_ms = if request.waiter.is_some() {
            request.timeout_ms
        } else {
            self.config.request_timeout_ms
        };
        let limit = self.config.queue_limit;
        let id = request.correlation_id.clone();
        self.outbox
            .submit(request, kept, now_ms + timeout_ms, queue, limit)
            .map_err(|refusal| errors::refused(refusal, &id, now_ms))
    }
}

impl<T: Clone, S: Envelope> Session<T, S> {
    /// [`Input::Frame`]: delivered unless it repeats a tracked request's
    /// `(actionType, state)`, with the waiter it settles or feeds.
    pub(super) fn on_frame(
        &mut self,
        correlation_id: Option<&str>,
        action_type: &str,
        state: &str,
        now_ms: f64,
        fx: &mut Fx<T, S>,
    ) {
        let outcome = correlation_id
            .and_then(|id| self.outbox.frame(id, action_type, state, now_ms))
            .unwrap_or(FrameOutcome {
                deliver: true,
                waiter: None,
            });
        if outcome.deliver {
            fx.push(Effect::Frame {
                waiter: outcome.waiter,
            });
        }
    }
}

impl<T, S: Envelope> Session<T, S> {
    /// [`Input::Cancel`]: the unsettled request stops, its REST call first.
    pub(super) fn on_cancel(&mut self, correlation_id: String, now_ms: f64, fx: &mut Fx<T, S>) {
        let Some(waiter) = self.outbox.cancel(&correlation_id) else {
            return;
        };
        if let Some(id) = self.rest.remove(&correlation_id) {
            fx.push(Effect::AbortFetch { id });
        }
        let err = errors::cancelled(now_ms).for_request(correlation_id);
        fx.push(Effect::Reject(waiter, err));
    }

    /// [`Input::CancelAll`] (`freed: false`) and [`Input::Free`]: every REST
    /// call of an unsettled request is aborted, then each waiter rejects;
    /// `free()` then rejects the waiting `connect()` promises.
    pub(super) fn on_cancel_all(&mut self, freed: bool, now_ms: f64, fx: &mut Fx<T, S>) {
        let pending = self.outbox.cancel_all();
        for (correlation_id, _) in &pending {
            if let Some(id) = self.rest.remove(correlation_id) {
                fx.push(Effect::AbortFetch { id });
            }
        }
        let err = if freed {
            errors::freed(now_ms)
        } else {
            errors::cancelled(now_ms)
        };
        for (id, waiter) in pending {
            fx.push(Effect::Reject(waiter, err.clone().for_request(id)));
        }
        if freed {
            fx.push(Effect::SettleConnect(Err(err)));
        }
    }

    /// [`Input::SendFailed`] and [`Input::Unreadable`]: the request the
    /// error names stops being tracked; the error fails the page's call (`direct`) or is
    /// reported, its waiter rejected with it.
    pub(super) fn on_failed(&mut self, error: OptaveError, direct: bool, fx: &mut Fx<T, S>) {
        let id = error.correlation_id.as_deref();
        let waiter = id.and_then(|id| self.outbox.remove(id));
        fx.push(if direct {
            Effect::Refused(error)
        } else {
            Effect::Fail { waiter, error }
        });
    }
}
