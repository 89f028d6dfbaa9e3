//! Identifier generation: UUID version 7 (RFC 9562, section 5.7).
//!
//! Randomness is injected through [`RandomSource`] so tests are deterministic;
//! the wasm facade supplies `crypto.getRandomValues`. Bytes are drawn in
//! batches so one envelope's ids cost one call into the source.

use alloc::string::String;
use uuid::Builder;

/// A source of random bytes.
pub trait RandomSource {
    /// Fills `buf` with random bytes.
    fn fill(&mut self, buf: &mut [u8]);
}

/// How many random bytes are fetched from the source at a time (25 ids).
const BATCH: usize = 250;
/// Random bytes per UUID v7: 74 random bits, rounded up to 10 bytes.
const PER_ID: usize = 10;
/// Length of a hyphenated UUID.
pub const UUID_LEN: usize = 36;

/// Generates UUID v7 ids from a [`RandomSource`] and a caller-supplied clock.
#[derive(Debug)]
pub struct IdGenerator<R> {
    source: R,
    pool: [u8; BATCH],
    used: usize,
}

impl<R: RandomSource> IdGenerator<R> {
    /// A generator drawing from `source`.
    pub fn new(source: R) -> Self {
        Self {
            source,
            pool: [0; BATCH],
            used: BATCH,
        }
    }

    /// A UUID v7 whose 48-bit timestamp is `now_ms` (Unix epoch milliseconds),
    /// version nibble 7 and variant `10`, as RFC 9562 lays out. Hyphenated
    /// lower case, [`UUID_LEN`] characters.
    pub fn uuid_v7(&mut self, now_ms: f64) -> String {
        let mut random = [0u8; PER_ID];
        if self.used + PER_ID > BATCH {
            self.source.fill(&mut self.pool);
            self.used = 0;
        }
        if let Some(chunk) = self.pool.get(self.used..self.used + PER_ID) {
            random.copy_from_slice(chunk);
        }
        self.used += PER_ID;
        let ms = if now_ms.is_finite() && now_ms > 0.0 {
            now_ms as u64
        } else {
            0
        };
        let id = Builder::from_unix_timestamp_millis(ms, &random).into_uuid();
        let mut buf = [0u8; UUID_LEN];
        String::from(&*id.hyphenated().encode_lower(&mut buf))
    }
}
