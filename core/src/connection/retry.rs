//! When to try the connection again: full-jitter exponential backoff, a slow
//! `suspended` pace after `connectionStateTtlMs` of failures, and an attempt
//! counter that resets once a connection has stayed open long enough
//! (docs/api.md, "Connection states, reconnection and the offline queue").
//!
//! Pure bookkeeping: the caller feeds it the times at which connections
//! opened and dropped and asks it for the next delay; randomness comes from
//! the caller's [`RandomSource`], so tests draw from a seeded one.

use crate::ids::RandomSource;

/// The reconnection settings (the `reconnect` option), in ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Base delay (`reconnect.minDelayMs`, default 500 ms).
    pub min_delay_ms: f64,
    /// Largest delay, and the pace while suspended (`reconnect.maxDelayMs`,
    /// default 20,000 ms).
    pub max_delay_ms: f64,
    /// Attempts after which the client gives up (`reconnect.maxAttempts`,
    /// default `None`: never).
    pub max_attempts: Option<u32>,
    /// Time without a connection after which the client is `suspended`
    /// (`connectionStateTtlMs`, default 120,000 ms).
    pub state_ttl_ms: f64,
    /// Time a connection must stay open for the attempt counter to reset
    /// (5,000 ms).
    pub stable_after_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            min_delay_ms: 500.0,
            max_delay_ms: 20_000.0,
            max_attempts: None,
            state_ttl_ms: 120_000.0,
            stable_after_ms: 5_000.0,
        }
    }
}

/// What to do after a connection dropped or an attempt failed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Next {
    /// Try again after `delay_ms`; `suspended` once the connection has been
    /// down for `state_ttl_ms` (one attempt every `max_delay_ms`).
    Retry {
        /// The wait before the next attempt, ms.
        delay_ms: f64,
        /// The client is `suspended` rather than `disconnected`.
        suspended: bool,
    },
    /// `max_attempts` is spent: the client is `failed`.
    GiveUp,
}

/// The backoff state between connections.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Retry {
    /// Attempts made since the last stable connection.
    attempts: u32,
    /// When the connection was last lost (or the first attempt failed), ms.
    down_since_ms: Option<f64>,
    /// When the current connection opened, ms.
    open_since_ms: Option<f64>,
}

impl Retry {
    /// Attempts made since the last stable connection.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// A connection opened at `now_ms`.
    pub fn opened(&mut self, now_ms: f64) {
        self.open_since_ms = Some(now_ms);
        self.down_since_ms = None;
    }

    /// The connection (or an attempt) was lost at `now_ms`. A connection that
    /// had stayed open for `stable_after_ms` resets the attempt counter, so a
    /// server that accepts and then drops at once is not retried in a tight
    /// loop.
    pub fn lost(&mut self, policy: &RetryPolicy, now_ms: f64) {
        if let Some(opened) = self.open_since_ms.take() {
            if now_ms - opened >= policy.stable_after_ms {
                self.attempts = 0;
            }
        }
        self.down_since_ms = self.down_since_ms.or(Some(now_ms));
    }

    /// The page closed the client or reconnection was turned off: forget
    /// everything.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// The next step after a loss at or before `now_ms`: a full-jitter delay,
    /// `random(0, min(max_delay_ms, min_delay_ms * 2^attempts))`, or
    /// `max_delay_ms` once suspended; [`Next::GiveUp`] when `max_attempts`
    /// attempts have been made.
    pub fn next(
        &mut self,
        policy: &RetryPolicy,
        now_ms: f64,
        random: &mut impl RandomSource,
    ) -> Next {
        if policy.max_attempts.is_some_and(|max| self.attempts >= max) {
            return Next::GiveUp;
        }
        let down_for = self.down_since_ms.map_or(0.0, |since| now_ms - since);
        let suspended = down_for >= policy.state_ttl_ms;
        let delay_ms = if suspended {
            policy.max_delay_ms
        } else {
            let exp = (1u64 << self.attempts.min(40)) as f64;
            let cap = (policy.min_delay_ms * exp).min(policy.max_delay_ms);
            cap * unit(random)
        };
        self.attempts = self.attempts.saturating_add(1);
        Next::Retry {
            delay_ms,
            suspended,
        }
    }
}

/// A uniform draw in [0, 1) from 53 random bits.
fn unit(random: &mut impl RandomSource) -> f64 {
    let mut bytes = [0u8; 8];
    random.fill(&mut bytes);
    let bits = u64::from_le_bytes(bytes) >> 11;
    bits as f64 / (1u64 << 53) as f64
}
