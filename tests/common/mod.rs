//! Shared helpers of the native core tests: a deterministic random source,
//! the fixture loader and envelope-building shortcuts.
#![allow(dead_code)]

use std::cell::Cell;
use std::rc::Rc;

use optave_client::core::action::Action;
use optave_client::core::envelope::{build, EnvelopeConfig, Outbound};
use optave_client::core::error::{ErrorCode, OptaveError};
use optave_client::core::ids::{IdGenerator, RandomSource};
use serde_json::Value;

/// 2024-01-15T10:31:00.000Z, the `issuedAt` of seed 002's header example.
pub const NOW_MS: f64 = 1_705_314_660_000.0;
/// `NOW_MS` as ISO text.
pub const NOW_ISO: &str = "2024-01-15T10:31:00.000Z";

/// A seeded xorshift64* source that counts how often it is asked for bytes.
#[derive(Debug, Clone)]
pub struct SeededRandom {
    state: u64,
    /// How many times `fill` was called (shared with clones).
    pub calls: Rc<Cell<usize>>,
}

impl SeededRandom {
    /// A source seeded with `seed` (0 is replaced by a fixed non-zero seed).
    pub fn new(seed: u64) -> Self {
        Self {
            state: if seed == 0 {
                0x9E37_79B9_7F4A_7C15
            } else {
                seed
            },
            calls: Rc::new(Cell::new(0)),
        }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

impl RandomSource for SeededRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        self.calls.set(self.calls.get() + 1);
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

/// A fresh id generator over `SeededRandom::new(seed)`.
pub fn ids(seed: u64) -> IdGenerator<SeededRandom> {
    IdGenerator::new(SeededRandom::new(seed))
}

/// Loads `tests/fixtures/<name>` as JSON.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The raw text of `tests/fixtures/<name>`.
pub fn fixture_text(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Builds with the given config at `NOW_MS`; panics on error. Returns the
/// parsed envelope and the `Outbound`.
pub fn build_with(action: Action, params: Value, config: &EnvelopeConfig) -> (Value, Outbound) {
    let out = build(action, params, config, &mut ids(7), NOW_MS)
        .unwrap_or_else(|e| panic!("build {action:?} failed: {e} {}", e.details));
    let envelope: Value = serde_json::from_str(&out.text).expect("envelope is JSON");
    (envelope, out)
}

/// Builds with the default config; panics on error.
pub fn build_ok(action: Action, params: Value) -> (Value, Outbound) {
    build_with(action, params, &EnvelopeConfig::default())
}

/// Builds with the given config; panics when it succeeds.
pub fn build_err_with(action: Action, params: Value, config: &EnvelopeConfig) -> OptaveError {
    match build(action, params, config, &mut ids(7), NOW_MS) {
        Ok(out) => panic!("build {action:?} unexpectedly succeeded: {}", out.text),
        Err(e) => e,
    }
}

/// Builds with the default config; panics when it succeeds.
pub fn build_err(action: Action, params: Value) -> OptaveError {
    build_err_with(action, params, &EnvelopeConfig::default())
}

/// Asserts the error's code and returns it for further checks.
pub fn expect_code(err: OptaveError, code: ErrorCode) -> OptaveError {
    assert_eq!(
        err.code,
        code.as_str(),
        "unexpected error: {err} {}",
        err.details
    );
    err
}

/// Minimal params that satisfy every requirement of `interaction`.
pub fn minimal_params() -> Value {
    serde_json::json!({
        "request": {
            "connections": { "threadId": "thread-1" },
            "context": { "organizationId": "org-1" },
            "scope": { "conversations": [{ "conversationId": "c-1", "messages": [] }] }
        }
    })
}

/// Asserts that every member of `expected` is in `actual` with the same value
/// (objects: recursively; arrays: same length, element-wise; else equal).
pub fn assert_subset(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, value) in e {
                let child = format!("{path}.{key}");
                let got = a.get(key).unwrap_or_else(|| panic!("{child} is missing"));
                assert_subset(got, value, &child);
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{path}: array length");
            for (i, (got, want)) in a.iter().zip(e).enumerate() {
                assert_subset(got, want, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

/// Checks the UUID v7 layout of `id` and that its 48-bit timestamp is `ms`.
pub fn assert_uuid_v7(id: &str, ms: u64) {
    let parsed = uuid::Uuid::parse_str(id).unwrap_or_else(|e| panic!("{id:?}: {e}"));
    assert_eq!(parsed.hyphenated().to_string(), id, "lower-case hyphenated");
    let bytes = parsed.as_bytes();
    assert_eq!(bytes[6] >> 4, 7, "{id}: version nibble");
    assert_eq!(bytes[8] >> 6, 0b10, "{id}: variant bits");
    let mut ts = [0u8; 8];
    ts[2..].copy_from_slice(&bytes[..6]);
    assert_eq!(u64::from_be_bytes(ts), ms, "{id}: timestamp");
}
