//! Test control of one server, shared by all its sockets: the idempotency
//! record ([`ReplayStore`]), the registry of open WebSockets (so that
//! `POST /api/test/drop` can abort them), and the windows during which
//! `/ws` upgrades are refused or stalled. The `/api/test/*` handlers live in
//! [`crate::test_routes`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{oneshot, watch};

use crate::replay::ReplayStore;

/// Longest refuse or stall window.
pub const MAX_WINDOW: Duration = Duration::from_millis(600_000);
/// How long a stalled upgrade is held beyond the end of its stall window.
pub const STALL_GRACE: Duration = Duration::from_secs(60);

/// Longest silence of a connection (`POST /api/test/silence`,
/// `fault:silent-connection`): after it, the connection is dropped.
pub const MAX_SILENCE: Duration = Duration::from_millis(60_000);

/// A silence order: the sockets registered before `below` neither read nor
/// write until `until`, their TCP connections kept open; then they are
/// dropped (no close frame), as a NAT that finally forgets them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Silence {
    /// Sockets with an id below this one are concerned.
    pub below: u64,
    /// When the silence ends (`None`: no order yet).
    pub until: Option<Instant>,
}

/// What to do with a `/ws` upgrade request right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Serve it.
    Open,
    /// Answer 503.
    Refuse,
    /// Hold it this long, then drop the connection without an answer.
    Stall(Duration),
}

#[derive(Debug, Default)]
struct Windows {
    refuse_until: Option<Instant>,
    stall_until: Option<Instant>,
}

/// The open WebSockets of a server, each with a switch that aborts it.
#[derive(Debug, Default)]
pub struct Sockets {
    next_id: AtomicU64,
    accepted: AtomicU64,
    open: Mutex<HashMap<u64, oneshot::Sender<()>>>,
    silence: watch::Sender<Silence>,
}

/// Keeps a socket registered until dropped (when its connection ends).
#[derive(Debug)]
pub struct SocketGuard {
    id: u64,
    sockets: Arc<Sockets>,
}

impl SocketGuard {
    /// The socket's number (in the order sockets were accepted).
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for SocketGuard {
    fn drop(&mut self) {
        self.sockets.lock().remove(&self.id);
    }
}

impl Sockets {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, oneshot::Sender<()>>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers an accepted socket. The receiver resolves when the socket
    /// must be aborted (drop the TCP connection, no close frame).
    pub fn register(self: &Arc<Self>) -> (SocketGuard, oneshot::Receiver<()>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.accepted.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.lock().insert(id, tx);
        let guard = SocketGuard {
            id,
            sockets: Arc::clone(self),
        };
        (guard, rx)
    }

    /// Aborts every open socket; returns how many there were.
    pub fn abort_all(&self) -> usize {
        let open: Vec<_> = self.lock().drain().map(|(_, tx)| tx).collect();
        let count = open.len();
        for tx in open {
            let _ = tx.send(());
        }
        count
    }

    /// Silences every socket open now for `span` (capped at
    /// [`MAX_SILENCE`]): they stop reading and writing, their TCP
    /// connections stay open, and they are dropped when it ends. Sockets
    /// accepted later are not concerned. Returns how many are open.
    pub fn silence_all(&self, span: Duration) -> usize {
        let below = self.next_id.load(Ordering::Relaxed);
        let until = Some(Instant::now() + span.min(MAX_SILENCE));
        self.silence.send_replace(Silence { below, until });
        self.open_count()
    }

    /// The silence orders, for a socket to watch.
    pub fn silences(&self) -> watch::Receiver<Silence> {
        self.silence.subscribe()
    }

    /// Sockets open now.
    pub fn open_count(&self) -> usize {
        self.lock().len()
    }

    /// Sockets accepted since the server started.
    pub fn accepted_count(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }
}

/// The test-control state of one server.
#[derive(Debug, Default)]
pub struct TestControl {
    /// Answers recorded per idempotency key.
    pub replay: ReplayStore,
    /// Open WebSockets (`/ws` and `/echo`).
    pub sockets: Arc<Sockets>,
    windows: Mutex<Windows>,
    /// REST calls answered and abandoned.
    pub rest: crate::rest::RestStats,
    /// REST calls seen per `Idempotency-Key` (bounded like the replay store:
    /// at most [`crate::replay::MAX_KEYS`] keys; cleared when full).
    rest_keys: Mutex<HashMap<String, u64>>,
    /// `/ws` upgrades are refused while this is set (`--no-websocket`).
    ws_blocked: std::sync::atomic::AtomicBool,
}

impl TestControl {
    /// A test control; `websocket: false` refuses every `/ws` upgrade until
    /// [`TestControl::allow_websocket`].
    pub fn new(websocket: bool) -> Self {
        let control = Self::default();
        control.allow_websocket(websocket);
        control
    }

    /// Accepts (`true`) or refuses (`false`, HTTP 503, which a page sees as
    /// close 1006 before open) every `/ws` upgrade from now on.
    pub fn allow_websocket(&self, allow: bool) {
        self.ws_blocked.store(!allow, Ordering::Relaxed);
    }

    /// Whether `/ws` upgrades are accepted.
    pub fn websocket_allowed(&self) -> bool {
        !self.ws_blocked.load(Ordering::Relaxed)
    }

    /// Counts one REST call with `key`; returns how many were seen with it.
    pub fn rest_seen(&self, key: &str) -> u64 {
        let mut keys = self
            .rest_keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if keys.len() >= crate::replay::MAX_KEYS && !keys.contains_key(key) {
            keys.clear();
        }
        let n = keys.entry(key.to_owned()).or_default();
        *n += 1;
        *n
    }

    /// REST calls seen per `Idempotency-Key`.
    pub fn rest_keys(&self) -> HashMap<String, u64> {
        self.rest_keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn windows(&self) -> std::sync::MutexGuard<'_, Windows> {
        self.windows.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Refuses `/ws` upgrades for the next `span` (capped at
    /// [`MAX_WINDOW`]; zero ends a refusal); returns the span used.
    pub fn refuse_for(&self, span: Duration) -> Duration {
        let span = span.min(MAX_WINDOW);
        self.windows().refuse_until = Some(Instant::now() + span);
        span
    }

    /// Stalls `/ws` upgrades for the next `span` (capped at [`MAX_WINDOW`];
    /// zero ends a stall); returns the span used.
    pub fn stall_for(&self, span: Duration) -> Duration {
        let span = span.min(MAX_WINDOW);
        self.windows().stall_until = Some(Instant::now() + span);
        span
    }

    /// What to do with a `/ws` upgrade request arriving now (a refusal wins
    /// over a stall).
    pub fn gate(&self) -> Gate {
        if !self.websocket_allowed() {
            return Gate::Refuse;
        }
        let now = Instant::now();
        let windows = self.windows();
        if windows.refuse_until.is_some_and(|t| now < t) {
            return Gate::Refuse;
        }
        match windows.stall_until {
            Some(t) if now < t => Gate::Stall(t - now + STALL_GRACE),
            _ => Gate::Open,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_open_and_close() {
        let control = TestControl::default();
        assert_eq!(control.gate(), Gate::Open);
        assert_eq!(
            control.stall_for(Duration::from_secs(5)),
            Duration::from_secs(5)
        );
        assert!(
            matches!(control.gate(), Gate::Stall(d) if d > STALL_GRACE && d <= STALL_GRACE + Duration::from_secs(5))
        );
        control.refuse_for(Duration::from_secs(5));
        assert_eq!(control.gate(), Gate::Refuse);
        control.refuse_for(Duration::ZERO);
        control.stall_for(Duration::ZERO);
        assert_eq!(control.gate(), Gate::Open);
        assert_eq!(control.refuse_for(Duration::from_secs(10_000)), MAX_WINDOW);
    }

    #[tokio::test]
    async fn sockets_are_counted_and_aborted() {
        let sockets = Arc::new(Sockets::default());
        let (a, mut a_rx) = sockets.register();
        let (b, _b_rx) = sockets.register();
        assert_eq!((sockets.open_count(), sockets.accepted_count()), (2, 2));
        drop(b);
        assert_eq!(sockets.open_count(), 1);
        assert_eq!(sockets.abort_all(), 1);
        assert!((&mut a_rx).await.is_ok());
        assert_eq!(sockets.open_count(), 0);
        drop(a);
        assert_eq!((sockets.open_count(), sockets.accepted_count()), (0, 2));
    }
}
