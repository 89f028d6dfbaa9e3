//! The page's requests through the session: sent, queued or refused
//! ([`Session::submit`]), their frames ([`Session::frame`]), cancellation.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::OptaveError;

use super::errors;
use super::io::ConnectionState;
use super::outbox::{Envelope, FrameOutcome};
#[allow(unused_imports)] // named by the docs
use super::Effect;
use super::Session;

impl<T, S: Envelope> Session<T, S> {
    /// Takes a request the page made: sent now when `connected` (the text
    /// is returned, to send), queued while `connecting`, `disconnected` or
    /// `suspended`. `waiter` is the `...Async` promise (`None` for
    /// fire-and-forget); it is settled by the first frame naming
    /// `correlation_id`, or rejected at `now_ms + timeout_ms`. With
    /// `settle_ms`, `waiter` is a request handle: it gets every frame and
    /// [`Effect::Settled`] once the request is complete and quiet for
    /// `settle_ms` (the request-handles issue).
    ///
    /// Errors, with the waiter handed back: WEBSOCKET
    /// `WEBSOCKET_NOT_IN_OPEN_STATE` (`initialized`, `closing`, `closed`,
    /// `failed`, or any state but `connected` with `queueWhileDisconnected:
    /// false`), `QUEUE_FULL`; VALIDATION `DUPLICATE_CORRELATION_ID`.
    pub fn submit(
        &mut self,
        correlation_id: String,
        text: impl Into<S>,
        waiter: Option<T>,
        settle_ms: Option<f64>,
        timeout_ms: f64,
        now_ms: f64,
    ) -> Result<Option<S>, (Option<T>, OptaveError)> {
        let state = self.state();
        let queue = match state {
            // A stale socket found at send time (its timer may have been
            // throttled): the request waits for the reconnect, which the
            // overdue wake-up starts at once.
            ConnectionState::Connected if self.is_stale(now_ms) => true,
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
            _ => return Err((waiter, errors::not_open(state, &correlation_id, now_ms))),
        };
        self.track(
            correlation_id,
            text.into(),
            waiter,
            settle_ms,
            timeout_ms,
            now_ms,
            queue,
        )
    }

    /// Hands a request to the outbox, over either transport: its deadline
    /// (`timeout_ms` for a request with a waiter, `requestTimeoutMs` for a
    /// fire-and-forget one), the queue's bounds, and the refusal as an error.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn track(
        &mut self,
        correlation_id: String,
        text: S,
        waiter: Option<T>,
        settle_ms: Option<f64>,
        timeout_ms: f64,
        now_ms: f64,
        queue: bool,
    ) -> Result<Option<S>, (Option<T>, OptaveError)> {
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
                settle_ms,
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
        now_ms: f64,
    ) -> FrameOutcome<T>
    where
        T: Clone,
    {
        self.outbox
            .frame(correlation_id, action_type, state, now_ms)
            .unwrap_or(FrameOutcome {
                deliver: true,
                waiter: None,
                stream: false,
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
