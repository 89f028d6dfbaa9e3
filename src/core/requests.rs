//! Pending `...Async` requests, keyed by correlationId, with deadlines.
//!
//! Generic over what the facade stores per request (its promise callbacks), so
//! the bookkeeping is tested natively. Time comes in as `now_ms`.

use std::collections::HashMap;

/// One pending request.
#[derive(Debug)]
struct Entry<T> {
    deadline_ms: f64,
    value: T,
}

/// The table of pending requests.
#[derive(Debug)]
pub struct RequestTable<T> {
    pending: HashMap<String, Entry<T>>,
}

impl<T> Default for RequestTable<T> {
    fn default() -> Self {
        Self {
            pending: HashMap::new(),
        }
    }
}

impl<T> RequestTable<T> {
    /// Registers `id`, due at `deadline_ms`. Returns the value back when a
    /// request with the same id is already pending (the caller refuses it).
    pub fn register(&mut self, id: String, deadline_ms: f64, value: T) -> Result<(), T> {
        if self.pending.contains_key(&id) {
            return Err(value);
        }
        self.pending.insert(id, Entry { deadline_ms, value });
        Ok(())
    }

    /// True when `id` is pending.
    pub fn contains(&self, id: &str) -> bool {
        self.pending.contains_key(id)
    }

    /// Removes and returns `id`'s value: the request settles (frame, cancel).
    pub fn take(&mut self, id: &str) -> Option<T> {
        self.pending.remove(id).map(|e| e.value)
    }

    /// Removes and returns every request whose deadline is at or before `now_ms`.
    pub fn expire(&mut self, now_ms: f64) -> Vec<(String, T)> {
        let due: Vec<String> = self
            .pending
            .iter()
            .filter(|(_, e)| e.deadline_ms <= now_ms)
            .map(|(id, _)| id.clone())
            .collect();
        due.into_iter()
            .filter_map(|id| self.pending.remove(&id).map(|e| (id, e.value)))
            .collect()
    }

    /// Removes and returns every pending request (cancel-all, close).
    pub fn drain(&mut self) -> Vec<(String, T)> {
        self.pending.drain().map(|(id, e)| (id, e.value)).collect()
    }

    /// The earliest deadline, if any request is pending.
    pub fn next_deadline(&self) -> Option<f64> {
        self.pending
            .values()
            .map(|e| e.deadline_ms)
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
