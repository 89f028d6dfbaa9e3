//! Pending `...Async` requests, keyed by correlationId, with deadlines.
//!
//! Generic over what the facade stores per request (its promise callbacks), so
//! the bookkeeping is tested natively. Time comes in as `now_ms`. A page has a
//! handful of requests in flight, so a vector scanned in order is both the
//! smallest and the fastest table.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{ErrorCode, OptaveError};
use crate::text::Text;

/// The table of pending requests.
#[derive(Debug)]
pub struct RequestTable<T> {
    pending: Vec<(String, f64, T)>,
}

impl<T> Default for RequestTable<T> {
    fn default() -> Self {
        Self {
            pending: Vec::new(),
        }
    }
}

impl<T> RequestTable<T> {
    /// Registers `id`, due at `deadline_ms`. Returns the value back when a
    /// request with the same id is already pending (the caller refuses it).
    pub fn register(&mut self, id: String, deadline_ms: f64, value: T) -> Result<(), T> {
        if self.contains(&id) {
            return Err(value);
        }
        self.pending.push((id, deadline_ms, value));
        Ok(())
    }

    /// Refuses a new request whose correlationId `id` is already pending (an
    /// answer to it would settle the other request).
    ///
    /// Errors: VALIDATION / `DUPLICATE_CORRELATION_ID`.
    pub fn check_free(&self, id: &str, now_ms: f64) -> Result<(), OptaveError> {
        if !self.contains(id) {
            return Ok(());
        }
        Err(OptaveError::validation(
            ErrorCode::DuplicateCorrelationId,
            Text::new("a request with correlationId ")
                .q(id)
                .s(" is already pending"),
            now_ms,
        )
        .for_request(id)
        .suggest("Give each request its own requestId (or let the SDK generate the correlationId)"))
    }

    /// True when `id` is pending.
    pub fn contains(&self, id: &str) -> bool {
        self.pending.iter().any(|(k, _, _)| k == id)
    }

    /// Removes and returns `id`'s value: the request settles (frame, cancel).
    pub fn take(&mut self, id: &str) -> Option<T> {
        let at = self.pending.iter().position(|(k, _, _)| k == id)?;
        Some(self.pending.swap_remove(at).2)
    }

    /// Removes and returns every request whose deadline is at or before `now_ms`.
    pub fn expire(&mut self, now_ms: f64) -> Vec<(String, T)> {
        let mut due = Vec::new();
        let mut i = 0;
        while i < self.pending.len() {
            if self.pending.get(i).is_some_and(|e| e.1 <= now_ms) {
                let (id, _, value) = self.pending.swap_remove(i);
                due.push((id, value));
            } else {
                i += 1;
            }
        }
        due
    }

    /// Removes and returns every pending request (cancel-all, close).
    pub fn drain(&mut self) -> Vec<(String, T)> {
        self.pending
            .drain(..)
            .map(|(id, _, value)| (id, value))
            .collect()
    }

    /// The earliest deadline, if any request is pending.
    pub fn next_deadline(&self) -> Option<f64> {
        self.pending
            .iter()
            .map(|e| e.1)
            .min_by(|a, b| a.total_cmp(b))
    }

    /// How many requests are pending.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}
