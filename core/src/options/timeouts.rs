//! Timeouts: the constructor's defaults and bounds, a request's
//! `{ timeoutMs }`, and the number reading both use.

use crate::error::{ErrorCode, OptaveError};
use crate::json::{self, Doc, Kind};
use crate::text::Text;

/// Default `connectionTimeoutMs` and `requestTimeoutMs`: 30,000 ms.
pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
/// The longest timeout accepted, in ms: 2,147,483,647 (2^31 − 1), the longest
/// delay a browser timer honours.
pub const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;

/// How the facade passes a number JSON cannot carry (`NaN`, `Infinity`,
/// `-Infinity`, which `JSON.stringify` would turn into `null`, i.e. "absent"):
/// as its name in a string, so a number option refuses it by name.
pub const NON_FINITE: [&str; 3] = ["NaN", "Infinity", "-Infinity"];

/// The timeout of one request: `options.timeoutMs` (JSON text of the options,
/// `None` when absent) or `default_ms`.
///
/// Errors: VALIDATION / `INVALID_ARGUMENT` for anything but an object whose
/// only key is `timeoutMs`, or a timeout that is not a number > 0.
pub fn request_timeout(
    options_json: Option<&str>,
    default_ms: f64,
    now_ms: f64,
) -> Result<f64, OptaveError> {
    let bad = |m: Text| OptaveError::validation(ErrorCode::InvalidArgument, m, now_ms);
    let Some(text) = options_json else {
        return Ok(default_ms);
    };
    let mut doc = Doc::default();
    if doc.parse(text).is_err() || doc.node(0).is_none_or(|n| n.kind != Kind::Obj) {
        return Err(bad(Text::new("request options must be an object")));
    }
    let mut timeout = None;
    for child in doc.children(0) {
        let Some(node) = doc.node(child) else {
            continue;
        };
        if !json::key_is(text, node, "timeoutMs") {
            return Err(bad(Text::new("request options: unknown field ")
                .q(&json::key(text, node))
                .s(", expected timeoutMs")));
        }
        match node.kind {
            Kind::Null => {}
            Kind::Num => timeout = number(json::raw(text, node)),
            Kind::Str if NON_FINITE.contains(&&*json::string(text, node)) => {
                return Err(bad(Text::new(
                    "timeoutMs must be a number of ms from 1 to 2147483647, got ",
                )
                .s(&json::string(text, node))))
            }
            other => {
                return Err(bad(Text::new(
                    "request options: timeoutMs: expected a number, got ",
                )
                .s(other.name())))
            }
        }
    }
    match timeout {
        None => Ok(default_ms),
        Some(ms) if ms > 0.0 && ms <= MAX_TIMEOUT_MS => Ok(ms),
        Some(_) => Err(bad(Text::new(
            "timeoutMs must be a number of ms from 1 to 2147483647",
        ))),
    }
}

/// The value of a JSON number token (`JSON.stringify` output: digits, an
/// optional fraction and exponent). Accurate to a few units in the last place,
/// which is plenty for milliseconds.
pub fn number(raw: &str) -> Option<f64> {
    let (negative, digits) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let (mantissa, exponent) = match digits.find(['e', 'E']) {
        Some(at) => (digits.get(..at)?, digits.get(at + 1..)?),
        None => (digits, ""),
    };
    let mut value = 0f64;
    let mut scale: i32 = 0;
    let mut in_fraction = false;
    for b in mantissa.bytes() {
        match b {
            b'.' if !in_fraction => in_fraction = true,
            b'0'..=b'9' => {
                value = value * 10.0 + f64::from(b - b'0');
                if in_fraction {
                    scale -= 1;
                }
            }
            _ => return None,
        }
    }
    if !exponent.is_empty() {
        let (sign, e) = match exponent.as_bytes().first() {
            Some(b'-') => (-1, exponent.get(1..)?),
            Some(b'+') => (1, exponent.get(1..)?),
            _ => (1, exponent),
        };
        let e: i32 = e.parse().ok()?;
        scale = scale.saturating_add(sign * e);
    }
    let value = value * libm_pow10(scale);
    Some(if negative { -value } else { value })
}

/// 10 to the power `e`, by repeated multiplication (no float library).
fn libm_pow10(e: i32) -> f64 {
    let mut out = 1f64;
    let base = if e < 0 { 0.1 } else { 10.0 };
    for _ in 0..e.unsigned_abs().min(400) {
        out *= base;
    }
    out
}
