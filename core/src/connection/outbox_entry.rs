//! What the outbox keeps per request ([`Entry`]: its envelope, where it
//! is, its waiter and the frames seen) and what it answers with.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::hash::Hasher;

/// An envelope's text as the session keeps it for sending again: the
/// facade keeps the JavaScript string it sent (so the text does not stay in
/// wasm memory), native code and tests an `Rc<str>`.
pub trait Envelope: Clone {
    /// The text's length in bytes of UTF-8 (the queue's and the tracking
    /// limits count these).
    fn byte_len(&self) -> usize;
}

impl Envelope for Rc<str> {
    fn byte_len(&self) -> usize {
        self.len()
    }
}

/// The key a correlationId is looked up by before its text is compared
/// (FxHash: the table is scanned on every send).
pub(super) fn key(id: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(id.as_bytes());
    hasher.finish()
}

/// Where a request's envelope is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wire {
    /// Built while the connection was down; never sent.
    Queued,
    /// Sent on the current connection.
    Sent,
    /// Sent on a connection that was lost before the answer was complete.
    Lost,
    /// Under way over REST (never sent on the socket).
    Rest,
}

#[derive(Debug)]
pub(super) struct Entry<T, S> {
    pub(super) id: String,
    pub(super) text: S,
    /// `text.byte_len()`.
    pub(super) bytes: usize,
    pub(super) deadline_ms: f64,
    /// The `...Async` promise, until the first frame settles it.
    pub(super) waiter: Option<T>,
    /// Whether it was sent with a waiter (an `...Async` request or a handle).
    pub(super) is_async: bool,
    /// A handle's `settleMs`: every frame goes to the waiter, which settles
    /// after this quiet period once the request is complete.
    pub(super) settle_ms: Option<f64>,
    /// When the handle settles, while its request is complete.
    pub(super) settle_at: Option<f64>,
    pub(super) wire: Wire,
    /// `(actionType, state)` pairs delivered.
    pub(super) seen: Vec<(String, String)>,
    /// `auto`: its REST parts and payload, while it may move to REST.
    pub(super) rest: super::Kept,
}

impl<T, S> Entry<T, S> {
    /// Its answer is complete: an `actionType: "error"` frame arrived, or
    /// every superpower that started has ended.
    pub(super) fn complete(&self) -> bool {
        self.seen.iter().any(|(t, _)| t == "error")
            || (!self.seen.is_empty()
                && self.seen.iter().all(|(t, s)| {
                    s != "started" || self.seen.iter().any(|(t2, s2)| t2 == t && s2 != "started")
                }))
    }
}

/// Why a request was not accepted (the outbox is left as it was).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A request with this correlationId is tracked.
    Duplicate,
    /// The queue holds `queueLimit` envelopes.
    QueueCount {
        /// `queueLimit`.
        limit: usize,
    },
    /// The queue would hold more than [`QUEUE_MAX_BYTES`].
    QueueBytes {
        /// Bytes it would hold with this envelope.
        would_hold: usize,
    },
}

/// What became of an inbound frame naming a tracked request.
#[derive(Debug, PartialEq)]
pub struct FrameOutcome<T> {
    /// Deliver it to the page (false for a repeat).
    pub deliver: bool,
    /// The `...Async` promise it settles (the first frame), or the handle it
    /// goes to (every frame).
    pub waiter: Option<T>,
}

/// What [`Outbox::expire`] ended.
#[derive(Debug, PartialEq)]
pub struct Expired<T> {
    /// Unsettled waiters past their deadline (to reject, `REQUEST_TIMEOUT`).
    pub timed_out: Vec<(String, T)>,
    /// Handles whose request is complete and quiet for `settleMs`.
    pub settled: Vec<(String, T)>,
}
