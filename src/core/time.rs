//! Timestamps: milliseconds since the Unix epoch in, ISO 8601 UTC text out.
//!
//! Time is always passed in (`now_ms`), never read here, so the core stays
//! deterministic under test. Formatting and parsing use `humantime`.

use std::time::{Duration, UNIX_EPOCH};

/// Formats `ms` (Unix epoch milliseconds) as ISO 8601 UTC with milliseconds,
/// e.g. `2024-01-15T10:31:00.000Z`. Negative or non-finite input clamps to the
/// epoch, input past the year 9999 (which RFC 3339 cannot write) to its end.
pub fn iso_millis(ms: f64) -> String {
    /// 9999-12-31T23:59:59.999Z.
    const MAX_MS: f64 = 253_402_300_799_999.0;
    let ms = if ms.is_finite() && ms > 0.0 {
        ms.min(MAX_MS)
    } else {
        0.0
    };
    let t = UNIX_EPOCH + Duration::from_millis(ms as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

/// True when `text` is an ISO 8601 / RFC 3339 UTC timestamp such as
/// `2024-01-15T10:30:00.000Z` (the `Z` may be omitted; fractions are optional).
pub fn is_iso_timestamp(text: &str) -> bool {
    humantime::parse_rfc3339_weak(text).is_ok()
}
