//! Every request the session is responsible for, in the order the page made
//! them: queued while the connection is down, tracked on the wire until its
//! answer is complete, sent again after a reconnect, and de-duplicated on the
//! way back (docs/api.md, "Connection states, reconnection and the offline
//! queue").
//!
//! A request is *complete* once a frame has arrived for it and every
//! superpower that reported `started` has reported again (`completed`,
//! `error`, or any other state), or once an `actionType: "error"` frame
//! arrived. Until then its frames are de-duplicated by
//! `(actionType, state)`, and a reconnect sends its envelope again, the same
//! text. An `...Async` request also ends at its deadline; a fire-and-forget
//! request stops being tracked at its deadline (`requestTimeoutMs` after it
//! was sent).
//!
//! A request handle (`client.request(...)`, docs/api.md, "API" (request handles)) gets
//! every frame, not only the first, and *settles* once its request is
//! complete and no new frame has arrived for its `settleMs`: the settle rule
//! lives here and nowhere else. A `completed` frame with no `started` before
//! it counts as started and finished.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;

use super::io::SendKind;
use super::requests::{Kept, Request};

#[path = "outbox_entry.rs"]
mod entry;
#[path = "outbox_queries.rs"]
mod queries;
#[path = "outbox_rest.rs"]
mod rest_wire;

use entry::{key, Entry, Wire};
pub use entry::{Envelope, Expired, FrameOutcome, Refusal};

/// Default `queueLimit`: 100 envelopes.
pub const DEFAULT_QUEUE_LIMIT: usize = 100;
/// The most envelope text the queue holds: 1 MiB (1,048,576 bytes of UTF-8).
pub const QUEUE_MAX_BYTES: usize = 1_048_576;
// Fire-and-forget requests on the wire are tracked within the queue's own
// bounds (`queueLimit` envelopes, [`QUEUE_MAX_BYTES`]): both are what the
// session holds for the page with no promise waiting. A send beyond them
// goes out untracked (it is not sent again after a reconnect).

/// The requests, in the order the page made them. A page has a handful in
/// flight, so a vector searched in order is both the smallest and the
/// fastest table; the search compares hashed keys (`keys`, one per entry)
/// before any text.
#[derive(Debug)]
pub struct Outbox<T, S = Rc<str>> {
    entries: Vec<Entry<T, S>>,
    keys: Vec<u64>,
    /// [`Outbox::next_deadline`] while nothing changed it (`None`: to be
    /// computed again).
    earliest: Cell<Option<Option<f64>>>,
    queued: usize,
    queued_bytes: usize,
    tracked_plain: usize,
    tracked_plain_bytes: usize,
}

impl<T, S> Default for Outbox<T, S> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            keys: Vec::new(),
            earliest: Cell::new(None),
            queued: 0,
            queued_bytes: 0,
            tracked_plain: 0,
            tracked_plain_bytes: 0,
        }
    }
}

impl<T, S: Envelope> Outbox<T, S> {
    /// Takes a request: sent now (`queue == false`) or queued (subject to
    /// `limit` envelopes and [`QUEUE_MAX_BYTES`]), due at `deadline_ms`,
    /// with its REST parts `kept` (`auto`). A fire-and-forget request
    /// (no waiter) sent now while `limit` of them, or [`QUEUE_MAX_BYTES`] of
    /// their text, are tracked on the wire is sent untracked. Returns the
    /// text to send now, if any.
    ///
    /// Errors: [`Refusal`] (the waiter is dropped).
    pub fn submit(
        &mut self,
        request: Request<T>,
        kept: Kept,
        deadline_ms: f64,
        queue: bool,
        limit: usize,
    ) -> Result<Option<S>, Refusal>
    where
        String: Into<S>,
    {
        let Request {
            correlation_id: id,
            text,
            waiter,
            settle_ms,
            ..
        } = request;
        let key = key(&id);
        if self.contains(&id) {
            return Err(Refusal::Duplicate);
        }
        let text: S = text.into();
        let bytes = text.byte_len();
        let is_async = waiter.is_some();
        if queue {
            if self.queued >= limit {
                return Err(Refusal::QueueCount { limit });
            }
            let would_hold = self.queued_bytes.saturating_add(bytes);
            if would_hold > QUEUE_MAX_BYTES {
                return Err(Refusal::QueueBytes { would_hold });
            }
            self.queued += 1;
            self.queued_bytes = would_hold;
        } else if !is_async {
            let over = self.tracked_plain >= limit
                || self.tracked_plain_bytes.saturating_add(bytes) > QUEUE_MAX_BYTES;
            if over {
                return Ok(Some(text));
            }
        }
        let out = (!queue).then(|| text.clone());
        if let Some(earliest) = self.earliest.get().filter(|_| is_async || !queue) {
            let at = earliest.map_or(deadline_ms, |e| e.min(deadline_ms));
            self.earliest.set(Some(Some(at)));
        }
        let entry = Entry {
            id,
            text,
            bytes,
            deadline_ms,
            waiter,
            is_async,
            settle_ms: settle_ms.filter(|_| is_async),
            settle_at: None,
            wire: if queue { Wire::Queued } else { Wire::Sent },
            seen: Vec::new(),
            rest: kept,
        };
        if !is_async && !queue {
            self.tracked_plain += 1;
            self.tracked_plain_bytes += bytes;
        }
        self.entries.push(entry);
        self.keys.push(key);
        Ok(out)
    }

    fn remove_at(&mut self, at: usize) -> Option<Entry<T, S>> {
        if at >= self.entries.len() || at >= self.keys.len() {
            return None;
        }
        let entry = self.entries.remove(at);
        self.keys.remove(at);
        self.earliest.set(None);
        self.account_out(&entry);
        Some(entry)
    }

    fn account_out(&mut self, entry: &Entry<T, S>) {
        if entry.wire == Wire::Queued {
            self.queued = self.queued.saturating_sub(1);
            self.queued_bytes = self.queued_bytes.saturating_sub(entry.bytes);
        } else if !entry.is_async {
            self.tracked_plain = self.tracked_plain.saturating_sub(1);
            self.tracked_plain_bytes = self.tracked_plain_bytes.saturating_sub(entry.bytes);
        }
    }

    /// Stops tracking `id` entirely (a send that failed, a frame that could
    /// not be read); returns its waiter.
    pub fn remove(&mut self, id: &str) -> Option<T> {
        let at = self.find(id)?;
        self.remove_at(at)?.waiter
    }

    /// Cancels the `...Async` request `id` whose promise has not settled:
    /// it is no longer tracked (nor queued). `None` for anything else.
    pub fn cancel(&mut self, id: &str) -> Option<T> {
        let at = self.find(id)?;
        if self.entries.get(at).is_none_or(|e| e.waiter.is_none()) {
            return None;
        }
        self.remove_at(at)?.waiter
    }

    /// Cancels every `...Async` request whose promise has not settled.
    pub fn cancel_all(&mut self) -> Vec<(String, T)> {
        self.take_where(|e| e.waiter.is_some())
    }

    /// Removes the entries `pick` chooses, in order; returns their
    /// unsettled waiters.
    fn take_where(&mut self, pick: impl Fn(&Entry<T, S>) -> bool) -> Vec<(String, T)> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(entry) = self.entries.get(at) {
            if !pick(entry) {
                at += 1;
                continue;
            }
            if let Some(entry) = self.remove_at(at) {
                if let Some(waiter) = entry.waiter {
                    out.push((entry.id, waiter));
                }
            }
        }
        out
    }

    /// Forgets everything (`close()`): returns the unsettled waiters.
    pub fn clear(&mut self) -> Vec<(String, T)> {
        self.take_where(|_| true)
    }

    /// The connection carrying the sent requests was lost. With `resend`,
    /// they are kept to be sent again; without, they stop being tracked and
    /// the unsettled waiters are returned (to be rejected). A handle whose
    /// answer is already complete is not on the wire: it stays, and settles
    /// after its quiet period either way.
    pub fn lost(&mut self, resend: bool) -> Vec<(String, T)> {
        if resend {
            for entry in self.entries.iter_mut() {
                if entry.wire == Wire::Sent {
                    entry.wire = Wire::Lost;
                }
            }
            return Vec::new();
        }
        self.take_where(|e| matches!(e.wire, Wire::Sent | Wire::Lost) && !e.complete())
    }

    /// The connection is up: every lost and queued envelope, in the order
    /// the page made the requests, to send now. Queued fire-and-forget
    /// requests are tracked from now, until `now_ms + plain_timeout_ms`.
    pub fn connected(&mut self, now_ms: f64, plain_timeout_ms: f64) -> Vec<(String, S, SendKind)> {
        let mut out = Vec::new();
        self.earliest.set(None);
        for entry in self.entries.iter_mut() {
            let kind = match entry.wire {
                Wire::Sent | Wire::Rest => continue,
                // A handle's request that completed before the loss (it was
                // waiting out its quiet period) is not sent again.
                Wire::Lost if entry.complete() => {
                    entry.wire = Wire::Sent;
                    continue;
                }
                Wire::Lost => SendKind::Resent,
                Wire::Queued => {
                    if !entry.is_async {
                        entry.deadline_ms = now_ms + plain_timeout_ms;
                        self.tracked_plain += 1;
                        self.tracked_plain_bytes += entry.bytes;
                    }
                    SendKind::Queued
                }
            };
            entry.wire = Wire::Sent;
            out.push((entry.id.clone(), entry.text.clone(), kind));
        }
        self.queued = 0;
        self.queued_bytes = 0;
        out
    }

    /// A frame for `id` arrived. `None` when `id` is not tracked (deliver it
    /// as is).
    pub fn frame(
        &mut self,
        id: &str,
        action_type: &str,
        state: &str,
        now_ms: f64,
    ) -> Option<FrameOutcome<T>>
    where
        T: Clone,
    {
        let at = self.find(id)?;
        let entry = self.entries.get_mut(at)?;
        if entry
            .seen
            .iter()
            .any(|(t, s)| t == action_type && s == state)
        {
            return Some(FrameOutcome {
                deliver: false,
                waiter: None,
            });
        }
        entry
            .seen
            .push((String::from(action_type), String::from(state)));
        let done = entry.complete();
        if let Some(settle_ms) = entry.settle_ms {
            // A handle: every frame is its own; the quiet period restarts.
            entry.settle_at = done.then_some(now_ms + settle_ms);
            self.earliest.set(None);
            return Some(FrameOutcome {
                deliver: true,
                waiter: entry.waiter.clone(),
            });
        }
        let waiter = entry.waiter.take();
        if done {
            self.remove_at(at);
        }
        Some(FrameOutcome {
            deliver: true,
            waiter,
        })
    }

    /// Removes every handle that settled (complete, and quiet since
    /// `settle_at`) and every request whose deadline is at or before
    /// `now_ms` (a queued fire-and-forget request waits for the connection
    /// instead; a handle complete in time waits out its quiet period).
    pub fn expire(&mut self, now_ms: f64) -> Expired<T> {
        let settled = self.take_where(|e| e.settle_at.is_some_and(|at| at <= now_ms));
        let timed_out = self.take_where(|e| {
            e.deadline_ms <= now_ms
                && e.settle_at.is_none()
                && (e.is_async || e.wire != Wire::Queued)
        });
        Expired { timed_out, settled }
    }
}
