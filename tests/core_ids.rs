//! UUID v7 generation, batching of the random source, and timestamps.
// Native only: plain `#[test]`s (the browser suite is tests/web*.rs).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashSet;

use common::*;
use optave_client::core::ids::{IdGenerator, RandomSource};
use optave_client::core::time::{is_iso_timestamp, iso_millis};

/// A source that always yields the same byte.
#[derive(Debug)]
struct Constant(u8);

impl RandomSource for Constant {
    fn fill(&mut self, buf: &mut [u8]) {
        buf.fill(self.0);
    }
}

#[test]
fn uuid_v7_layout() {
    let mut gen = ids(11);
    for ms in [NOW_MS, 1.0, 281_474_976_710_655.0] {
        let id = gen.uuid_v7(ms);
        assert_eq!(id.len(), 36);
        assert_uuid_v7(&id, ms as u64);
    }
    // The 48-bit timestamp is the first 12 hex digits.
    let id = gen.uuid_v7(NOW_MS);
    assert_eq!(
        &id[..13],
        format!(
            "{:08x}-{:04x}",
            (NOW_MS as u64) >> 16,
            (NOW_MS as u64) & 0xffff
        )
    );
}

#[test]
fn random_bits_come_from_the_source() {
    let id = IdGenerator::new(Constant(0xff)).uuid_v7(NOW_MS);
    // All random bits set; version 7 and variant 10 forced.
    assert!(id.ends_with("-7fff-bfff-ffffffffffff"), "{id}");
    let id = IdGenerator::new(Constant(0)).uuid_v7(NOW_MS);
    assert!(id.ends_with("-7000-8000-000000000000"), "{id}");
}

#[test]
fn ids_in_a_row_are_distinct_and_the_source_is_called_once_per_25() {
    let source = SeededRandom::new(42);
    let calls = source.calls.clone();
    let mut gen = IdGenerator::new(source);
    assert_eq!(calls.get(), 0, "nothing is drawn before the first id");
    let mut seen = HashSet::new();
    for i in 0..1_000 {
        assert!(seen.insert(gen.uuid_v7(NOW_MS)), "duplicate at {i}");
        assert_eq!(calls.get(), i / 25 + 1, "after id {}", i + 1);
    }
}

#[test]
fn same_seed_same_ids() {
    let a: Vec<String> = (0..30)
        .map({
            let mut g = ids(5);
            move |_| g.uuid_v7(NOW_MS)
        })
        .collect();
    let b: Vec<String> = (0..30)
        .map({
            let mut g = ids(5);
            move |_| g.uuid_v7(NOW_MS)
        })
        .collect();
    assert_eq!(a, b);
}

#[test]
fn time_is_clamped() {
    let mut gen = ids(9);
    for bad in [-5.0, f64::NAN, f64::NEG_INFINITY, f64::INFINITY, 0.0] {
        let id = gen.uuid_v7(bad);
        assert_uuid_v7(&id, 0);
        assert!(id.starts_with("00000000-0000-7"), "{id}");
    }
    // Fractions of a millisecond are dropped.
    assert_uuid_v7(&gen.uuid_v7(NOW_MS + 0.9), NOW_MS as u64);
}

#[test]
fn iso_millis_formats_utc_with_milliseconds() {
    assert_eq!(iso_millis(1_705_314_660_000.0), "2024-01-15T10:31:00.000Z");
    assert_eq!(iso_millis(1_705_314_600_123.0), "2024-01-15T10:30:00.123Z");
    assert_eq!(iso_millis(1_705_314_600_123.9), "2024-01-15T10:30:00.123Z");
    assert_eq!(iso_millis(0.0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_millis(-1.0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_millis(f64::NAN), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_millis(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
    // RFC 3339 stops at the year 9999: later times clamp to its last millisecond.
    assert_eq!(
        iso_millis(253_402_300_799_999.0),
        "9999-12-31T23:59:59.999Z"
    );
    for huge in [253_402_300_800_000.0, 1e16, f64::MAX] {
        assert_eq!(iso_millis(huge), "9999-12-31T23:59:59.999Z");
    }
}

#[test]
fn iso_timestamps_are_recognised() {
    for good in [
        "2024-01-15T10:30:00.000Z",
        "2025-09-05T16:30:00.000Z",
        "2025-08-06T00:00:00Z",
        "2024-01-15T10:30:00",
    ] {
        assert!(is_iso_timestamp(good), "{good}");
    }
    for bad in [
        "",
        "now",
        "2024-01-15",
        "10:30:00",
        "2024-02-30T10:30:00Z",
        "2024-01-15T25:00:00Z",
    ] {
        assert!(!is_iso_timestamp(bad), "{bad}");
    }
}
