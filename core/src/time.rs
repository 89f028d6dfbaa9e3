//! Timestamps: milliseconds since the Unix epoch in, ISO 8601 UTC text out.
//!
//! Time is always passed in (`now_ms`), never read here, so the core stays
//! deterministic under test. Dates are computed with the days-to-civil
//! algorithm of H. Hinnant ("chrono-Compatible Low-Level Date Algorithms"):
//! a date library would bring formatting code the wasm build does without.

use alloc::string::String;

/// 9999-12-31T23:59:59.999Z, the last instant RFC 3339 can write.
const MAX_MS: f64 = 253_402_300_799_999.0;
const MS_PER_DAY: u64 = 86_400_000;

/// Formats `ms` (Unix epoch milliseconds) as ISO 8601 UTC with milliseconds,
/// e.g. `2024-01-15T10:31:00.000Z` (24 bytes). Negative or non-finite input
/// clamps to the epoch, input past the year 9999 to its end.
pub fn iso_millis(ms: f64) -> String {
    let ms = if ms.is_finite() && ms > 0.0 {
        ms.min(MAX_MS) as u64
    } else {
        0
    };
    let (year, month, day) = civil_from_days(ms / MS_PER_DAY);
    let in_day = ms % MS_PER_DAY;
    let mut out = String::with_capacity(24);
    push_digits(&mut out, year, 4);
    out.push('-');
    push_digits(&mut out, month, 2);
    out.push('-');
    push_digits(&mut out, day, 2);
    out.push('T');
    push_digits(&mut out, in_day / 3_600_000, 2);
    out.push(':');
    push_digits(&mut out, in_day / 60_000 % 60, 2);
    out.push(':');
    push_digits(&mut out, in_day / 1000 % 60, 2);
    out.push('.');
    push_digits(&mut out, in_day % 1000, 3);
    out.push('Z');
    out
}

/// (year, month 1–12, day 1–31) of the day `days` after 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

fn push_digits(out: &mut String, value: u64, width: u32) {
    let mut div = 10u64.pow(width.saturating_sub(1));
    while div > 0 {
        out.push(char::from(b'0' + (value / div % 10) as u8));
        div /= 10;
    }
}

/// True when `text` is an ISO 8601 / RFC 3339 UTC timestamp such as
/// `2024-01-15T10:30:00.000Z`: `YYYY-MM-DD`, `T` (or `t`, or a space), `HH:MM:SS`,
/// an optional fraction of 1 to 9 digits, an optional `Z`; every field in
/// range (day within its month, leap years counted).
pub fn is_iso_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<u64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0u64, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + u64::from(d - b'0'))
        })
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let fields = (|| {
        let fields = [
            num(0, 4)?,
            num(5, 2)?,
            num(8, 2)?,
            num(11, 2)?,
            num(14, 2)?,
            num(17, 2)?,
        ];
        let seps = at(4, b'-') && at(7, b'-') && (at(10, b'T') || at(10, b't') || at(10, b' '));
        (seps && at(13, b':') && at(16, b':')).then_some(fields)
    })();
    let Some([year, month, day, hour, minute, second]) = fields else {
        return false;
    };
    let mut rest = b.get(19..).unwrap_or_default();
    if let Some((b'.', frac)) = rest.split_first() {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return false;
        }
        rest = frac.get(digits..).unwrap_or_default();
    }
    if matches!(rest, [b'Z'] | [b'z']) {
        rest = &[];
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    rest.is_empty()
        && (1..=12).contains(&month)
        && (1..=month_days).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60
}
