//! The outbox's REST side: requests moved off the socket (`auto`; docs/api.md,
//! "Transports").

use alloc::string::String;
use alloc::vec::Vec;

use super::super::rest::header_value_ok;
use super::{Envelope, Kept, Outbox, Wire};

impl<T, S: Envelope> Outbox<T, S> {
    /// The requests waiting for the socket (queued, or lost with their
    /// answer incomplete) that can move to REST (their REST parts kept, and
    /// ids that can be its headers: [`header_value_ok`]), in order: their
    /// correlationIds. The others keep waiting for the socket.
    pub fn waiting_for_socket(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| {
                e.rest.as_ref().is_some_and(|(rest, _)| {
                    header_value_ok(&e.id) && header_value_ok(&rest.idempotency_key)
                })
            })
            .filter(|e| e.wire == Wire::Queued || (e.wire == Wire::Lost && !e.complete()))
            .map(|e| e.id.clone())
            .collect()
    }

    /// Marks `id` as under way over REST (it is never sent on the socket);
    /// a queued fire-and-forget request is tracked from now until
    /// `now_ms + plain_timeout_ms`. Returns its deadline and the REST parts
    /// kept with it (no longer needed there).
    pub fn to_rest(&mut self, id: &str, now_ms: f64, plain_timeout_ms: f64) -> Option<(f64, Kept)> {
        let at = self.find(id)?;
        let entry = self.entries.get_mut(at)?;
        if entry.wire == Wire::Queued {
            self.queued = self.queued.saturating_sub(1);
            self.queued_bytes = self.queued_bytes.saturating_sub(entry.bytes);
            if !entry.is_async {
                entry.deadline_ms = now_ms + plain_timeout_ms;
                self.tracked_plain += 1;
                self.tracked_plain_bytes += entry.bytes;
            }
        }
        entry.wire = Wire::Rest;
        self.earliest.set(None);
        Some((entry.deadline_ms, entry.rest.take()))
    }
}
