//! The one-time WebSocket ticket store: issues opaque tickets (32 random
//! bytes, lower-case hex, so they are valid RFC 7230 tokens and can travel as
//! a WebSocket subprotocol), and checks and consumes them on connection.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a used or expired ticket is remembered, so that a late second use
/// is refused as `token already used` / `expired token` rather than `unknown
/// token`.
const RETENTION: Duration = Duration::from_secs(300);

/// Why a connection was refused (the close reason sent with code 4401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No token was sent.
    Missing,
    /// The token was never issued (or was forgotten long ago).
    Unknown,
    /// The ticket's time to live has passed.
    Expired,
    /// The ticket was already used for a connection.
    AlreadyUsed,
}

impl Refusal {
    /// The close reason text for this refusal.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::Missing => "missing token",
            Refusal::Unknown => "unknown token",
            Refusal::Expired => "expired token",
            Refusal::AlreadyUsed => "token already used",
        }
    }
}

#[derive(Debug)]
struct Entry {
    expires_at: Instant,
    used: bool,
}

/// Single-use tickets with a time to live.
#[derive(Debug)]
pub struct TicketStore {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

impl TicketStore {
    /// A store whose tickets live for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        TicketStore {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The tickets' time to live.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues a fresh ticket, purging long-expired entries first.
    pub fn issue(&self) -> Result<String, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        let ticket = bytes.iter().fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|_, e| e.expires_at + RETENTION > now);
        entries.insert(
            ticket.clone(),
            Entry {
                expires_at: now + self.ttl,
                used: false,
            },
        );
        Ok(ticket)
    }

    /// Checks a presented token and, when it is valid, consumes it.
    pub fn consume(&self, token: Option<&str>) -> Result<(), Refusal> {
        let token = match token {
            Some(t) if !t.is_empty() => t,
            _ => return Err(Refusal::Missing),
        };
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get_mut(token).ok_or(Refusal::Unknown)?;
        if entry.used {
            return Err(Refusal::AlreadyUsed);
        }
        if Instant::now() >= entry.expires_at {
            return Err(Refusal::Expired);
        }
        entry.used = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_single_use_tokens() {
        let store = TicketStore::new(Duration::from_secs(30));
        let t = store.issue().unwrap();
        assert_eq!(t.len(), 64);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(store.consume(Some(&t)), Ok(()));
        assert_eq!(store.consume(Some(&t)), Err(Refusal::AlreadyUsed));
        assert_eq!(store.consume(Some("nope")), Err(Refusal::Unknown));
        assert_eq!(store.consume(None), Err(Refusal::Missing));
        assert_eq!(store.consume(Some("")), Err(Refusal::Missing));
    }

    #[test]
    fn tickets_expire() {
        let store = TicketStore::new(Duration::from_millis(1));
        let t = store.issue().unwrap();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(store.consume(Some(&t)), Err(Refusal::Expired));
    }
}
