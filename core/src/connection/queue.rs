//! Envelopes built while the connection is down, sent in order once it is up
//! again (the resilient-session issue, "Offline queue"): bounded by count and
//! by bytes, and never dropping what it already holds.
//!
//! Pure bookkeeping; groundwork for the session machine, which is not wired
//! into the client yet.

use alloc::collections::VecDeque;
use alloc::string::String;

/// Default `queueLimit`: 100 envelopes.
pub const DEFAULT_QUEUE_LIMIT: usize = 100;
/// The most envelope text the queue holds: 1 MiB (1,048,576 bytes of UTF-8).
pub const QUEUE_MAX_BYTES: usize = 1_048_576;

/// One built envelope waiting for the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// Its `headers.correlationId`.
    pub correlation_id: String,
    /// The envelope text, sent as is.
    pub text: String,
}

/// Why an envelope was not queued (the queue is left as it was).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// The queue already holds `limit` envelopes.
    Count {
        /// `queueLimit`.
        limit: usize,
    },
    /// The envelope would take the queue past [`QUEUE_MAX_BYTES`].
    Bytes {
        /// Bytes the queue would hold with it.
        would_hold: usize,
    },
}

/// The offline queue, first in first out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendQueue {
    items: VecDeque<Queued>,
    bytes: usize,
    limit: usize,
}

impl Default for SendQueue {
    fn default() -> Self {
        Self::new(DEFAULT_QUEUE_LIMIT)
    }
}

impl SendQueue {
    /// An empty queue of at most `limit` envelopes.
    pub fn new(limit: usize) -> Self {
        Self {
            items: VecDeque::new(),
            bytes: 0,
            limit,
        }
    }

    /// Envelopes waiting.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing waits.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Bytes of envelope text waiting.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Queues `item` behind the others.
    ///
    /// Errors: [`Full`], with `item` handed back; nothing queued is dropped.
    pub fn push(&mut self, item: Queued) -> Result<(), (Queued, Full)> {
        if self.items.len() >= self.limit {
            let limit = self.limit;
            return Err((item, Full::Count { limit }));
        }
        let would_hold = self.bytes.saturating_add(item.text.len());
        if would_hold > QUEUE_MAX_BYTES {
            return Err((item, Full::Bytes { would_hold }));
        }
        self.bytes = would_hold;
        self.items.push_back(item);
        Ok(())
    }

    /// Takes the oldest envelope, to send it.
    pub fn pop(&mut self) -> Option<Queued> {
        let item = self.items.pop_front()?;
        self.bytes = self.bytes.saturating_sub(item.text.len());
        Some(item)
    }

    /// Puts an envelope that could not be sent back at the front.
    pub fn push_front(&mut self, item: Queued) {
        self.bytes = self.bytes.saturating_add(item.text.len());
        self.items.push_front(item);
    }

    /// Takes the envelope of `correlation_id` out (a cancelled request).
    pub fn remove(&mut self, correlation_id: &str) -> Option<Queued> {
        let at = self
            .items
            .iter()
            .position(|q| q.correlation_id == correlation_id)?;
        let item = self.items.remove(at)?;
        self.bytes = self.bytes.saturating_sub(item.text.len());
        Some(item)
    }

    /// Whether an envelope with this correlationId waits.
    pub fn contains(&self, correlation_id: &str) -> bool {
        self.items
            .iter()
            .any(|q| q.correlation_id == correlation_id)
    }
}
