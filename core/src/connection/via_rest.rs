//! The session's REST side: which transport a request takes, the REST
//! calls' results and deadlines, and the `auto` fallback (docs/api.md,
//! "Transports"): the WebSocket is tried first; once [`FALLBACK_AFTER_FAILURES`]
//! attempts in a row failed, or an attempt closed with 1006 before opening
//! (how a proxy that blocks WebSockets looks to a page) as the first failure,
//! requests go over REST (those waiting for the socket too) while the
//! WebSocket keeps being retried; once it opens, new requests use it again.

use alloc::rc::Rc;
use alloc::string::String;

use crate::error::OptaveError;
use crate::ids::RandomSource;
use crate::outbound::RestParts;

use super::errors;
use super::rest::{endpoint, header_value_ok, Fetch, Outcome, Transport};
use super::retry::RetryPolicy;
use super::{Effect, Envelope, Fx, Session};

/// `auto`: WebSocket attempts failed in a row after which requests go over
/// REST.
pub const FALLBACK_AFTER_FAILURES: u32 = 3;

/// Close code 1006: the connection closed without a close frame (before
/// opening, the way a proxy refusing the upgrade looks to a page).
const ABNORMAL_CLOSURE: u16 = 1006;

impl<T, S: Envelope> Session<T, S> {
    /// The transport requests use now: `Rest` with `transport: 'rest'`, or
    /// with `'auto'` while the WebSocket cannot be established; else
    /// `WebSocket`.
    pub fn transport(&self) -> Transport {
        match self.config.transport {
            Transport::Rest => Transport::Rest,
            Transport::Auto if self.fallback => Transport::Rest,
            _ => Transport::WebSocket,
        }
    }

    /// Requests under way over REST.
    pub fn rest_calls(&self) -> usize {
        self.rest.len()
    }

    /// Whether a request's ids can be the headers of a REST call
    /// ([`header_value_ok`]); else why not.
    pub(super) fn rest_headers(
        correlation_id: &str,
        rest: &RestParts,
        now_ms: f64,
    ) -> Result<(), OptaveError> {
        if !header_value_ok(correlation_id) {
            return Err(errors::not_a_header(
                "the correlationId (headers.correlationId, or request.requestId)",
                "X-Correlation-Id",
                correlation_id,
                now_ms,
            ));
        }
        if !header_value_ok(&rest.idempotency_key) {
            return Err(errors::not_a_header(
                "headers.idempotencyKey",
                "Idempotency-Key",
                correlation_id,
                now_ms,
            ));
        }
        Ok(())
    }

    pub(super) fn start_fetch(
        &mut self,
        id: String,
        rest: &RestParts,
        body: Rc<str>,
        deadline: f64,
    ) -> Fetch {
        let url = endpoint(
            self.config.rest_url.as_deref().unwrap_or_default(),
            rest.action,
        );
        let key = rest.idempotency_key.clone();
        self.rest.start(id, rest.action, url, key, body, deadline)
    }

    fn rest_policy(&self) -> RetryPolicy {
        self.config.reconnect.unwrap_or_default()
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn fetch_answered(
        &mut self,
        id: u32,
        status: u16,
        retry_after_ms: Option<f64>,
        body: &str,
        now_ms: f64,
        random: &mut impl RandomSource,
        fx: &mut Fx<T, S>,
    ) {
        let may_refresh = self.config.has_token_provider && !self.explicit_token;
        let policy = self.rest_policy();
        let outcome = self.rest.answered(
            id,
            status,
            retry_after_ms,
            body,
            may_refresh,
            &policy,
            now_ms,
            random,
        );
        self.rest_outcome(outcome, fx);
    }

    pub(super) fn fetch_failed(
        &mut self,
        id: u32,
        error: Option<OptaveError>,
        now_ms: f64,
        random: &mut impl RandomSource,
        fx: &mut Fx<T, S>,
    ) {
        let policy = self.rest_policy();
        let outcome = self.rest.failed(id, error, &policy, now_ms, random);
        self.rest_outcome(outcome, fx);
    }

    fn rest_outcome(&mut self, outcome: Outcome, fx: &mut Fx<T, S>) {
        match outcome {
            Outcome::Stale | Outcome::Later { .. } => {}
            Outcome::Deliver(correlation_id) => fx.push(Effect::Deliver { correlation_id }),
            Outcome::Again(fetch) => fx.push(Effect::Fetch(fetch)),
            Outcome::Failed(id, error) => {
                if let Some(waiter) = self.outbox.remove(&id) {
                    fx.push(Effect::Reject(waiter, error.clone()));
                }
                fx.push(Effect::EmitError(error));
            }
        }
    }

    /// Stops every REST call (`close()`).
    pub(super) fn stop_all_fetches(&mut self, fx: &mut Fx<T, S>) {
        for id in self.rest.clear() {
            fx.push(Effect::AbortFetch { id });
        }
    }

    /// The timer: calls whose backoff is over go out again; calls past their
    /// deadline are aborted (the outbox rejects their waiters).
    pub(super) fn rest_tick(&mut self, now_ms: f64, fx: &mut Fx<T, S>) {
        let (due, expired) = self.rest.tick(now_ms);
        for (_, in_flight) in expired {
            if let Some(id) = in_flight {
                fx.push(Effect::AbortFetch { id });
            }
        }
        fx.extend(due.into_iter().map(Effect::Fetch));
    }

    /// A WebSocket attempt failed (`code`: its close code when it closed
    /// before opening). With `auto`, decides whether requests go over REST
    /// from now on, and sends those waiting for the socket there.
    pub(super) fn ws_failed(&mut self, code: Option<u16>, now_ms: f64, fx: &mut Fx<T, S>) {
        self.ws_failures = self.ws_failures.saturating_add(1);
        self.closed_1006 = code == Some(ABNORMAL_CLOSURE);
        let auto = self.config.transport == Transport::Auto && self.config.rest_url.is_some();
        if !auto || self.fallback {
            return;
        }
        let proxy_like = self.ws_failures == 1 && self.closed_1006;
        if !proxy_like && self.ws_failures < FALLBACK_AFTER_FAILURES {
            return;
        }
        self.fallback = true;
        let plain = self.config.request_timeout_ms;
        for id in self.outbox.waiting_for_socket() {
            if let Some((deadline, Some((rest, body)))) = self.outbox.to_rest(&id, now_ms, plain) {
                let fetch = self.start_fetch(id, &rest, body, deadline);
                fx.push(Effect::Fetch(fetch));
            }
        }
    }
}
