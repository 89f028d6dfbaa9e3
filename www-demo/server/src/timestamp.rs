//! RFC 3339 timestamps: the server's own (`issuedAt`, `timestamp`: UTC with
//! milliseconds) and parsing of the client's (`headers.issuedAt`, message
//! timestamps), offsets included.

use std::time::{Duration, SystemTime};

/// The current time as RFC 3339 UTC with milliseconds.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// Parses an RFC 3339 timestamp (`Z`, `+00:00` or any `±HH:MM` offset).
pub fn parse_timestamp(s: &str) -> Option<SystemTime> {
    if let Ok(t) = humantime::parse_rfc3339(s) {
        return Some(t);
    }
    let b = s.as_bytes();
    if !s.is_ascii() || b.len() < 25 {
        return None;
    }
    let (base, offset) = s.split_at(b.len() - 6);
    let ob = offset.as_bytes();
    let sign = match ob.first() {
        Some(b'+') => 1i64,
        Some(b'-') => -1i64,
        _ => return None,
    };
    if ob.get(3) != Some(&b':') {
        return None;
    }
    let hours: u64 = offset.get(1..3)?.parse().ok()?;
    let minutes: u64 = offset.get(4..6)?.parse().ok()?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    let local = humantime::parse_rfc3339(&format!("{base}Z")).ok()?;
    let shift = Duration::from_secs(hours * 3600 + minutes * 60);
    // local time = UTC + offset, so UTC = local - offset.
    if sign > 0 {
        local.checked_sub(shift)
    } else {
        local.checked_add(shift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_with_offsets() {
        let z = parse_timestamp("2024-01-15T10:30:00.000Z");
        assert!(z.is_some());
        assert_eq!(parse_timestamp("2024-01-15T12:30:00.000+02:00"), z);
        assert_eq!(parse_timestamp("2024-01-15T05:30:00-05:00"), z);
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("2024-01-15T10:30:00.000+0é:00"), None);
    }
}
