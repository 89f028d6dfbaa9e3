//! UUID v7 generation, batching of the random source, and timestamps.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod oracle;

use std::collections::HashSet;

use common::*;
use optave_core::ids::{IdGenerator, RandomSource, UUID_LEN};
use optave_core::time::{is_iso_timestamp, iso_millis};
use oracle::outbound as model;

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
        assert_eq!(UUID_LEN, 36);
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

#[test]
fn iso_millis_agrees_with_humantime() {
    // Every day boundary of 1969–2104 and its neighbours, leap days included,
    // plus random instants up to the year 9999.
    let mut rng = SeededRandom::new(3);
    let mut values: Vec<f64> = Vec::new();
    for day in 0..50_000u64 {
        let ms = day * 86_400_000;
        values.extend([ms as f64, (ms + 1) as f64, (ms + 86_399_999) as f64]);
    }
    for _ in 0..20_000 {
        let mut b = [0u8; 8];
        rng.fill(&mut b);
        values.push((u64::from_le_bytes(b) % 253_402_300_800_000) as f64);
    }
    values.extend([
        0.0,
        0.4,
        999.9,
        253_402_300_799_999.0,
        253_402_300_800_000.0,
        1e300,
    ]);
    for ms in values {
        assert_eq!(iso_millis(ms), model::iso_millis(ms), "{ms}");
    }
}

#[test]
fn iso_timestamps_agree_with_humantime_except_where_noted() {
    let agreed = [
        "2024-01-15T10:30:00.000Z",
        "2024-01-15 10:30:00.000Z",
        "2024-01-15T10:30:00",
        "2024-01-15T10:30:00.1Z",
        "2024-01-15T10:30:00.123456789Z",
        "2024-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z",
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-00-10T00:00:00Z",
        "2024-01-00T00:00:00Z",
        "2024-01-15T24:00:00Z",
        "2024-01-15T10:60:00Z",
        "2024-01-15T10:30:00+01:00",
        "+2024-01-15T10:30:00Z",
        "2024-1-15T10:30:00Z",
        "2024-01-15T10:30",
        " 2024-01-15T10:30:00Z",
        "",
    ];
    let disagree: Vec<&str> = agreed
        .into_iter()
        .filter(|t| is_iso_timestamp(t) != model::is_iso_timestamp(t))
        .collect();
    assert!(disagree.is_empty(), "{disagree:?}");
    // Where the two differ (protocol.md asks for ISO 8601 UTC, as
    // `Date.prototype.toISOString` writes it): (text, core, humantime).
    let differing = [
        // A leap second: RFC 3339 allows it, `Date` refuses it.
        ("2016-12-31T23:59:60Z", false, true),
        // A fraction without digits: neither RFC 3339 nor `Date` allows it.
        ("2024-01-15T10:30:00.Z", false, true),
        // More than 9 fraction digits: RFC 3339 allows any number.
        ("2024-01-15T10:30:00.1234567891Z", false, true),
        // A lower-case `z` or `t`: RFC 3339 allows both, humantime neither.
        ("2024-01-15T10:30:00.000z", true, false),
        ("2024-01-15t10:30:00Z", true, false),
        // Text after the `Z` of a time without a fraction: humantime ignores it.
        ("2024-01-15T10:30:00ZZ", false, true),
        ("2024-01-15T10:30:00Z ", false, true),
        ("2024-01-15T10:30:00Zjunk", false, true),
        // Before 1970: humantime cannot represent it.
        ("1969-12-31T23:59:59.999Z", true, false),
        ("0001-01-01T00:00:00Z", true, false),
    ];
    for (text, core, humantime) in differing {
        assert_eq!(is_iso_timestamp(text), core, "{text}");
        assert_eq!(model::is_iso_timestamp(text), humantime, "{text}");
    }
}
