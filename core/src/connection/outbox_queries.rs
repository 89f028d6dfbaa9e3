//! What the outbox can be asked without changing it: how many requests it
//! tracks and of which kind, whether one is tracked or unfinished, and when
//! it next has something to do.

use super::entry::{key, Wire};
use super::{Envelope, Outbox};

impl<T, S: Envelope> Outbox<T, S> {
    /// Requests tracked (queued or on the wire).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is tracked.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Envelopes queued (never sent).
    pub fn queued(&self) -> usize {
        self.queued
    }

    /// Bytes of queued envelope text.
    pub fn queued_bytes(&self) -> usize {
        self.queued_bytes
    }

    /// `...Async` requests whose promise has not settled.
    pub fn waiting(&self) -> usize {
        self.entries.iter().filter(|e| e.waiter.is_some()).count()
    }

    /// Whether a request is unfinished on the current connection: sent on
    /// it and not complete (the stale rule watches these).
    pub fn unfinished(&self) -> bool {
        self.entries
            .iter()
            .any(|e| e.wire == Wire::Sent && !e.complete())
    }

    /// Whether a request with this correlationId is tracked.
    pub fn contains(&self, id: &str) -> bool {
        self.find(id).is_some()
    }

    /// The index of the request with this correlationId.
    pub(super) fn find(&self, id: &str) -> Option<usize> {
        let key = key(id);
        let mut from = 0;
        while let Some(rest) = self.keys.get(from..) {
            let at = from + rest.iter().position(|k| *k == key)?;
            if self.entries.get(at).is_some_and(|e| e.id == id) {
                return Some(at);
            }
            from = at + 1;
        }
        None
    }

    /// The earliest time [`Outbox::expire`] acts on (kept between changes:
    /// the facade asks after every send).
    pub fn next_deadline(&self) -> Option<f64> {
        if let Some(earliest) = self.earliest.get() {
            // Every session test checks the kept value against the table.
            debug_assert_eq!(earliest, self.earliest_now(), "stale next_deadline");
            return earliest;
        }
        let earliest = self.earliest_now();
        self.earliest.set(Some(earliest));
        earliest
    }

    fn earliest_now(&self) -> Option<f64> {
        self.entries
            .iter()
            .filter(|e| e.is_async || e.wire != Wire::Queued)
            // A handle complete in time settles after its quiet period;
            // its deadline no longer applies.
            .map(|e| e.settle_at.unwrap_or(e.deadline_ms))
            .min_by(f64::total_cmp)
    }
}
