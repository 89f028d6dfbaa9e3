//! The REST transport (protocol.md section 1): `POST {restUrl}/message/{action}`
//! with the payload as the body, the answer one frame, an array of frames or
//! a response envelope. One call per request, retried on 408, 429, 5xx and
//! network errors with the same `Idempotency-Key` and the full-jitter backoff
//! of [`super::retry`], until the request's deadline; 401/403 get one more
//! call with a fresh token; anything else ends the request with an error.
//!
//! Pure bookkeeping: the session feeds it the fetch results and the time;
//! randomness comes from the caller's [`RandomSource`].

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::OptaveError;
use crate::ids::RandomSource;

use super::retry::{Next, Retry, RetryPolicy};
pub use super::transport::{classify, status_error, Class, Fetch, Transport, MAX_ERROR_BODY_UNITS};

/// One request over REST.
#[derive(Debug, Clone)]
struct Call {
    correlation_id: String,
    action: &'static str,
    url: String,
    key: String,
    body: Rc<str>,
    deadline_ms: f64,
    retry: Retry,
    /// The fetch under way, if any.
    in_flight: Option<u32>,
    /// When to call again, while waiting out a backoff.
    retry_at_ms: Option<f64>,
    auth_retried: bool,
}

/// What became of a fetch result.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Not a fetch under way (a late result of an aborted call): ignore it.
    Stale,
    /// Deliver the answer's frames for this request (correlationId, wire
    /// action of the URL).
    Deliver(String),
    /// Call again now (fresh token).
    Again(Fetch),
    /// Waiting `delay_ms` before calling again.
    Later {
        /// ms.
        delay_ms: f64,
    },
    /// The request ends with this error.
    Failed(String, OptaveError),
}

/// The requests under way over REST.
#[derive(Debug, Default)]
pub struct Calls {
    calls: Vec<Call>,
    next_id: u32,
}

impl Calls {
    /// Requests under way.
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    /// True when no request is under way.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// Whether `correlation_id` is under way over REST.
    pub fn contains(&self, correlation_id: &str) -> bool {
        self.calls
            .iter()
            .any(|c| c.correlation_id == correlation_id)
    }

    /// Starts a request: the first fetch. `action` is the wire name, `url` is the full endpoint
    /// (`{restUrl}/message/{action}`), `body` the payload, `deadline_ms` the
    /// request's deadline (no call starts after it).
    pub fn start(
        &mut self,
        correlation_id: String,
        action: &'static str,
        url: String,
        key: String,
        body: Rc<str>,
        deadline_ms: f64,
    ) -> Fetch {
        let mut call = Call {
            correlation_id,
            action,
            url,
            key,
            body,
            deadline_ms,
            retry: Retry::default(),
            in_flight: None,
            retry_at_ms: None,
            auth_retried: false,
        };
        let fetch = self.fetch(&mut call, false);
        self.calls.push(call);
        fetch
    }

    fn fetch(&mut self, call: &mut Call, fresh_token: bool) -> Fetch {
        self.next_id = self.next_id.wrapping_add(1);
        call.in_flight = Some(self.next_id);
        call.retry_at_ms = None;
        Fetch {
            id: self.next_id,
            correlation_id: call.correlation_id.clone(),
            action: call.action,
            url: call.url.clone(),
            headers: alloc::vec![
                ("Content-Type", String::from("application/json")),
                ("Idempotency-Key", call.key.clone()),
                ("X-Correlation-Id", call.correlation_id.clone()),
            ],
            body: call.body.clone(),
            fresh_token,
        }
    }

    fn position(&self, fetch_id: u32) -> Option<usize> {
        self.calls
            .iter()
            .position(|c| c.in_flight == Some(fetch_id))
    }

    /// Fetch `fetch_id` was answered with `status` (`retry_after_ms`: the
    /// `Retry-After` header, in ms; `body`: the start of the answer's text
    /// for an error). `may_refresh`: a fresh token can be had (a
    /// `tokenProvider` and no explicit token).
    #[allow(clippy::too_many_arguments)]
    pub fn answered(
        &mut self,
        fetch_id: u32,
        status: u16,
        retry_after_ms: Option<f64>,
        body: &str,
        may_refresh: bool,
        policy: &RetryPolicy,
        now_ms: f64,
        random: &mut impl RandomSource,
    ) -> Outcome {
        let Some(at) = self.position(fetch_id) else {
            return Outcome::Stale;
        };
        let class = classify(status);
        if class == Class::Auth {
            if let Some(call) = self.calls.get_mut(at) {
                if may_refresh && !call.auth_retried {
                    call.auth_retried = true;
                    let mut call = call.clone();
                    let fetch = self.fetch(&mut call, true);
                    if let Some(slot) = self.calls.get_mut(at) {
                        *slot = call;
                    }
                    return Outcome::Again(fetch);
                }
            }
        }
        match class {
            Class::Answer => match self.remove_at(at) {
                Some(call) => Outcome::Deliver(call.correlation_id),
                None => Outcome::Stale,
            },
            Class::Retry => {
                let answer = Some((status, body));
                self.back_off(at, retry_after_ms, answer, policy, now_ms, random)
            }
            Class::Auth | Class::Invalid | Class::Refused => match self.remove_at(at) {
                Some(call) => {
                    let error = status_error(status, body, &call.correlation_id, now_ms);
                    Outcome::Failed(call.correlation_id, error)
                }
                None => Outcome::Stale,
            },
        }
    }

    /// Fetch `fetch_id` failed: `error` ends the request (the token could not
    /// be had); `None` (a network error) is retried.
    pub fn failed(
        &mut self,
        fetch_id: u32,
        error: Option<OptaveError>,
        policy: &RetryPolicy,
        now_ms: f64,
        random: &mut impl RandomSource,
    ) -> Outcome {
        let Some(at) = self.position(fetch_id) else {
            return Outcome::Stale;
        };
        match error {
            Some(error) => match self.remove_at(at) {
                Some(call) => {
                    let id = call.correlation_id;
                    Outcome::Failed(id.clone(), error.for_request(id))
                }
                None => Outcome::Stale,
            },
            None => self.back_off(at, None, None, policy, now_ms, random),
        }
    }

    /// Schedules the next call: after `Retry-After` when the server gave
    /// one (at least `reconnect.minDelayMs`, so that `Retry-After: 0` from
    /// a server that keeps refusing is no storm of calls), else a
    /// full-jitter delay. A `Retry-After` that ends after the request's
    /// deadline ends the request now with the server's `answer` (status and
    /// body): the page learns why at once rather than at its timeout.
    fn back_off(
        &mut self,
        at: usize,
        retry_after_ms: Option<f64>,
        answer: Option<(u16, &str)>,
        policy: &RetryPolicy,
        now_ms: f64,
        random: &mut impl RandomSource,
    ) -> Outcome {
        let Some(call) = self.calls.get_mut(at) else {
            return Outcome::Stale;
        };
        call.in_flight = None;
        call.retry.lost(policy, now_ms);
        let jitter = match call.retry.next(policy, now_ms, random) {
            Next::Retry { delay_ms, .. } => delay_ms,
            Next::GiveUp => policy.max_delay_ms,
        };
        let told = retry_after_ms
            .filter(|ms| ms.is_finite() && *ms >= 0.0)
            .map(|ms| ms.max(policy.min_delay_ms));
        if let (Some(ms), Some((status, body))) = (told, answer) {
            if now_ms + ms > call.deadline_ms {
                return match self.remove_at(at) {
                    Some(call) => {
                        let id = call.correlation_id;
                        let error = status_error(status, body, &id, now_ms);
                        Outcome::Failed(id, error)
                    }
                    None => Outcome::Stale,
                };
            }
        }
        let delay_ms = told.unwrap_or(jitter);
        call.retry_at_ms = Some(now_ms + delay_ms);
        Outcome::Later { delay_ms }
    }

    fn remove_at(&mut self, at: usize) -> Option<Call> {
        (at < self.calls.len()).then(|| self.calls.remove(at))
    }

    /// Stops the request `correlation_id`; returns the fetch to abort, if one
    /// is under way.
    pub fn remove(&mut self, correlation_id: &str) -> Option<u32> {
        let at = self
            .calls
            .iter()
            .position(|c| c.correlation_id == correlation_id)?;
        self.remove_at(at)?.in_flight
    }

    /// Stops every request; returns the fetches to abort.
    pub fn clear(&mut self) -> Vec<u32> {
        self.calls.drain(..).filter_map(|c| c.in_flight).collect()
    }

    /// At `now_ms`: the calls whose backoff is over (to make now), and the
    /// requests past their deadline, removed (with the fetch to abort).
    pub fn tick(&mut self, now_ms: f64) -> (Vec<Fetch>, Vec<(String, Option<u32>)>) {
        let mut expired = Vec::new();
        let mut at = 0;
        while let Some(call) = self.calls.get(at) {
            if call.deadline_ms <= now_ms {
                if let Some(call) = self.remove_at(at) {
                    expired.push((call.correlation_id, call.in_flight));
                }
            } else {
                at += 1;
            }
        }
        let mut due = Vec::new();
        for at in 0..self.calls.len() {
            let ready = self
                .calls
                .get(at)
                .is_some_and(|c| c.retry_at_ms.is_some_and(|t| t <= now_ms));
            if !ready {
                continue;
            }
            if let Some(mut call) = self.calls.get(at).cloned() {
                due.push(self.fetch(&mut call, false));
                if let Some(slot) = self.calls.get_mut(at) {
                    *slot = call;
                }
            }
        }
        (due, expired)
    }

    /// The earliest backoff end or deadline.
    pub fn next_wakeup(&self) -> Option<f64> {
        self.calls
            .iter()
            .map(|c| {
                c.retry_at_ms
                    .map_or(c.deadline_ms, |t| t.min(c.deadline_ms))
            })
            .min_by(f64::total_cmp)
    }
}

/// Whether `value` can travel as an HTTP header value unchanged (the
/// `X-Correlation-Id` and `Idempotency-Key` of a REST call): printable
/// ASCII, not empty, no space at either end (a browser's `Headers` refuses
/// other characters outright, and trims the ends).
pub fn header_value_ok(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.first().is_some_and(|b| *b != b' ')
        && bytes.last().is_some_and(|b| *b != b' ')
        && bytes.iter().all(|b| *b >= b' ' && *b <= b'~')
}

/// `{restUrl}/message/{action}` (a trailing `/` of `restUrl` is not doubled).
pub fn endpoint(rest_url: &str, action: &str) -> String {
    let mut url = String::from(rest_url.trim_end_matches('/'));
    url.push_str("/message/");
    url.push_str(action);
    url
}
