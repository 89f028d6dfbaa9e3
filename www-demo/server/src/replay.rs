//! Idempotency replay: the frames each answered request produced, kept per
//! `headers.idempotencyKey` for a time window, so that a repeated request is
//! answered from the record instead of being analysed again. Also remembers
//! the keys `fault:drop-before-answer` has already dropped once, and counts
//! analyses and replays per key for `GET /api/test/stats`.
//!
//! Everything is bounded: at most [`MAX_KEYS`] keys and [`MAX_BYTES`] of keys
//! and frames; the oldest entries go first.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long an answer is replayed for its key.
pub const REPLAY_WINDOW: Duration = Duration::from_secs(600);
/// Most keys remembered at once.
pub const MAX_KEYS: usize = 10_000;
/// Most bytes of keys and recorded frames kept at once (64 MiB).
pub const MAX_BYTES: usize = 64 << 20;
/// Bookkeeping bytes counted per entry on top of its key and frames.
const ENTRY_OVERHEAD: usize = 128;

/// The frames of one answer, in the order they were sent.
pub type Frames = Arc<[String]>;

#[derive(Debug)]
struct Entry {
    /// Position in [`Inner::order`]; renewed when the answer is recorded.
    seq: u64,
    /// When the entry was created or its answer recorded.
    touched: Instant,
    /// The recorded answer (none before the first analysis, or when it was
    /// too big to keep).
    frames: Option<Frames>,
    /// Bytes counted for this entry.
    bytes: usize,
    analysed: u64,
    replayed: u64,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    /// Sequence number → key, oldest first.
    order: BTreeMap<u64, String>,
    next_seq: u64,
    bytes: usize,
}

impl Inner {
    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.order.remove(&entry.seq);
            self.bytes = self.bytes.saturating_sub(entry.bytes);
        }
    }

    /// Drops expired entries, then the oldest while over a bound.
    fn prune(&mut self, now: Instant, window: Duration) {
        while let Some((_, key)) = self.order.first_key_value() {
            let expired = self
                .entries
                .get(key)
                .is_none_or(|e| now.saturating_duration_since(e.touched) >= window);
            let over = self.entries.len() > MAX_KEYS || self.bytes > MAX_BYTES;
            if !expired && !over {
                break;
            }
            if let Some((_, key)) = self.order.pop_first() {
                self.remove(&key);
            }
        }
    }

    /// The entry for `key`, created (empty, counted) when absent; renews its
    /// place in the eviction order.
    fn touch(&mut self, key: &str, now: Instant) -> &mut Entry {
        let seq = self.next_seq;
        self.next_seq += 1;
        let fresh = key.len() * 2 + ENTRY_OVERHEAD;
        let mut created = false;
        let entry = self.entries.entry(key.to_owned()).or_insert_with(|| {
            created = true;
            Entry {
                seq,
                touched: now,
                frames: None,
                bytes: fresh,
                analysed: 0,
                replayed: 0,
            }
        });
        if created {
            self.bytes += fresh;
        } else {
            self.order.remove(&entry.seq);
        }
        entry.seq = seq;
        entry.touched = now;
        self.order.insert(seq, key.to_owned());
        entry
    }
}

/// Analyses and replays per key (keys still in the window).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayStats {
    /// Key → how many times its request was analysed.
    pub analysed: BTreeMap<String, u64>,
    /// Key → how many times its recorded answer was sent again.
    pub replayed: BTreeMap<String, u64>,
}

/// The per-key answer record shared by every socket of one server.
#[derive(Debug)]
pub struct ReplayStore {
    window: Duration,
    inner: Mutex<Inner>,
}

impl Default for ReplayStore {
    fn default() -> Self {
        ReplayStore::new(REPLAY_WINDOW)
    }
}

impl ReplayStore {
    /// A store that replays answers for `window` after they were recorded.
    pub fn new(window: Duration) -> Self {
        ReplayStore {
            window,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The recorded answer for `key` when it was analysed within the window
    /// (and counts a replay); `None` otherwise.
    pub fn replay(&self, key: &str) -> Option<Frames> {
        let mut inner = self.lock();
        inner.prune(Instant::now(), self.window);
        let entry = inner.entries.get_mut(key)?;
        let frames = entry.frames.clone()?;
        entry.replayed += 1;
        Some(frames)
    }

    /// True the first time `key` is seen within the window (and remembers
    /// it); false when the key is already known.
    pub fn first_sight(&self, key: &str) -> bool {
        let mut inner = self.lock();
        let now = Instant::now();
        inner.prune(now, self.window);
        if inner.entries.contains_key(key) {
            return false;
        }
        inner.touch(key, now);
        inner.prune(now, self.window);
        true
    }

    /// Records the answer produced by analysing the request of `key` (and
    /// counts an analysis). An answer larger than [`MAX_BYTES`] is counted
    /// but not kept.
    pub fn record(&self, key: &str, frames: Frames) {
        let size: usize = frames.iter().map(String::len).sum();
        let mut inner = self.lock();
        let now = Instant::now();
        inner.prune(now, self.window);
        let entry = inner.touch(key, now);
        let old = entry
            .frames
            .take()
            .map_or(0, |f| f.iter().map(String::len).sum());
        entry.analysed += 1;
        let added = if size <= MAX_BYTES {
            entry.frames = Some(frames);
            size
        } else {
            0
        };
        entry.bytes = entry.bytes.saturating_sub(old) + added;
        inner.bytes = inner.bytes.saturating_sub(old) + added;
        inner.prune(now, self.window);
    }

    /// Counts per key for the keys still in the window.
    pub fn stats(&self) -> ReplayStats {
        let mut inner = self.lock();
        inner.prune(Instant::now(), self.window);
        let mut stats = ReplayStats::default();
        for (key, entry) in &inner.entries {
            if entry.analysed > 0 {
                stats.analysed.insert(key.clone(), entry.analysed);
            }
            if entry.replayed > 0 {
                stats.replayed.insert(key.clone(), entry.replayed);
            }
        }
        stats
    }

    /// How many keys are remembered.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// True when no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(texts: &[&str]) -> Frames {
        texts.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn records_then_replays_in_order() {
        let store = ReplayStore::default();
        assert!(store.replay("k").is_none());
        store.record("k", frames(&["a", "b"]));
        let again = store.replay("k").unwrap();
        assert_eq!(&again[..], &["a".to_owned(), "b".to_owned()]);
        store.replay("k").unwrap();
        let stats = store.stats();
        assert_eq!(stats.analysed.get("k"), Some(&1));
        assert_eq!(stats.replayed.get("k"), Some(&2));
        assert!(store.replay("other").is_none());
    }

    #[test]
    fn first_sight_is_once_per_key() {
        let store = ReplayStore::default();
        assert!(store.first_sight("k"));
        assert!(!store.first_sight("k"));
        // Seen but not analysed: nothing to replay yet.
        assert!(store.replay("k").is_none());
        store.record("k", frames(&["x"]));
        assert!(store.replay("k").is_some());
        assert_eq!(store.len(), 1);
        assert!(store.stats().replayed.contains_key("k"));
    }

    #[test]
    fn entries_expire() {
        let store = ReplayStore::new(Duration::from_millis(20));
        store.record("k", frames(&["x"]));
        assert!(store.first_sight("seen"));
        std::thread::sleep(Duration::from_millis(40));
        assert!(store.replay("k").is_none());
        assert!(store.first_sight("seen"));
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn keys_are_bounded_oldest_first() {
        let store = ReplayStore::default();
        for i in 0..MAX_KEYS + 5 {
            store.record(&format!("k{i}"), frames(&["x"]));
        }
        assert_eq!(store.len(), MAX_KEYS);
        assert!(store.replay("k0").is_none());
        assert!(store.replay("k4").is_none());
        assert!(store.replay("k5").is_some());
        assert!(store.replay(&format!("k{}", MAX_KEYS + 4)).is_some());
    }

    #[test]
    fn bytes_are_bounded() {
        let store = ReplayStore::default();
        let big = "x".repeat(MAX_BYTES / 3);
        for key in ["a", "b", "c", "d"] {
            store.record(key, frames(&[&big]));
        }
        assert!(store.replay("a").is_none());
        assert!(store.replay("d").is_some());
        let huge = "x".repeat(MAX_BYTES + 1);
        store.record("huge", frames(&[&huge]));
        assert!(store.replay("huge").is_none());
        assert_eq!(store.stats().analysed.get("huge"), Some(&1));
    }
}
