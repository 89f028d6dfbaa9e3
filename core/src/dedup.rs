//! Superpower frames already delivered, so that a request sent again after a
//! reconnect never shows the page the same frame twice (the
//! resilient-session issue: frames are de-duplicated by `correlationId`,
//! `actionType` and `state` for as long as the request is tracked).
//!
//! Pure bookkeeping; groundwork for the session machine, which is not wired
//! into the client yet.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// The `(actionType, state)` pairs delivered per tracked correlationId.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivered {
    seen: BTreeMap<String, Vec<(String, String)>>,
}

impl Delivered {
    /// Starts tracking `correlation_id` (a request sent, or queued).
    pub fn track(&mut self, correlation_id: &str) {
        self.seen.entry(String::from(correlation_id)).or_default();
    }

    /// Stops tracking `correlation_id` (the request settled, was cancelled or
    /// timed out) and forgets its frames.
    pub fn forget(&mut self, correlation_id: &str) {
        self.seen.remove(correlation_id);
    }

    /// How many requests are tracked.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// True when no request is tracked.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// Whether to deliver a frame: true the first time a tracked request's
    /// `(actionType, state)` pair arrives, false for a repeat. Frames of
    /// untracked requests are always delivered (nothing was sent again for
    /// them), and so are frames without an `actionType` or `state` to tell
    /// them apart.
    pub fn first(
        &mut self,
        correlation_id: &str,
        action_type: Option<&str>,
        state: Option<&str>,
    ) -> bool {
        let (Some(action_type), Some(state)) = (action_type, state) else {
            return true;
        };
        let Some(pairs) = self.seen.get_mut(correlation_id) else {
            return true;
        };
        if pairs
            .iter()
            .any(|(t, s)| t.as_str() == action_type && s.as_str() == state)
        {
            return false;
        }
        pairs.push((String::from(action_type), String::from(state)));
        true
    }
}
