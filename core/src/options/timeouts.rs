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
    request_options(options_json, false, default_ms, now_ms).map(|o| o.timeout_ms)
}

/// Default `settleMs` of a request handle: 400 ms.
pub const DEFAULT_SETTLE_MS: f64 = 400.0;

/// The options of one request handle (`client.request(action, params,
/// options)`, docs/api.md, "API" (request handles)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HandleOptions {
    /// `timeoutMs`, or the client's `requestTimeoutMs`.
    pub timeout_ms: f64,
    /// `settleMs`: the quiet period after the last superpower completed,
    /// 0 to 2,147,483,647 ms (default 400).
    pub settle_ms: f64,
}

/// The options of a request handle: `{ timeoutMs?, settleMs? }`.
///
/// Errors: VALIDATION / `INVALID_ARGUMENT` for anything but an object with
/// those keys, a timeout that is not a number > 0, a `settleMs` that is
/// not a number ≥ 0.
pub fn handle_options(
    options_json: Option<&str>,
    default_ms: f64,
    now_ms: f64,
) -> Result<HandleOptions, OptaveError> {
    request_options(options_json, true, default_ms, now_ms)
}

fn request_options(
    options_json: Option<&str>,
    handle: bool,
    default_ms: f64,
    now_ms: f64,
) -> Result<HandleOptions, OptaveError> {
    let bad = |m: Text| OptaveError::validation(ErrorCode::InvalidArgument, m, now_ms);
    let mut out = HandleOptions {
        timeout_ms: default_ms,
        settle_ms: DEFAULT_SETTLE_MS,
    };
    let Some(text) = options_json else {
        return Ok(out);
    };
    let mut doc = Doc::default();
    if doc.parse(text).is_err() || doc.node(0).is_none_or(|n| n.kind != Kind::Obj) {
        return Err(bad(Text::new("request options must be an object")));
    }
    let expected = if handle {
        ", expected timeoutMs or settleMs"
    } else {
        ", expected timeoutMs"
    };
    for child in doc.children(0) {
        let Some(node) = doc.node(child) else {
            continue;
        };
        let key = json::key(text, node);
        let settle = handle && key == "settleMs";
        if key != "timeoutMs" && !settle {
            return Err(bad(Text::new("request options: unknown field ")
                .q(&key)
                .s(expected)));
        }
        let value = match node.kind {
            Kind::Null => continue,
            Kind::Num => number(json::raw(text, node)),
            Kind::Str if NON_FINITE.contains(&&*json::string(text, node)) => None,
            other => {
                return Err(bad(Text::new("request options: ")
                    .s(&key)
                    .s(": expected a number, got ")
                    .s(other.name())))
            }
        };
        match value {
            Some(ms) if settle && (0.0..=MAX_TIMEOUT_MS).contains(&ms) => out.settle_ms = ms,
            Some(ms) if !settle && ms > 0.0 && ms <= MAX_TIMEOUT_MS => out.timeout_ms = ms,
            _ => {
                let range = if settle { " from 0" } else { " from 1" };
                return Err(bad(Text::new("")
                    .s(&key)
                    .s(" must be a number of ms")
                    .s(range)
                    .s(" to 2147483647, got ")
                    .s(&shown(text, node))));
            }
        }
    }
    Ok(out)
}

/// A refused number as the page wrote it: `NaN` for the name the facade
/// passes in a string, the digits otherwise.
fn shown<'t>(text: &'t str, node: &crate::json::Node) -> alloc::borrow::Cow<'t, str> {
    if node.kind == Kind::Str {
        json::string(text, node)
    } else {
        alloc::borrow::Cow::Borrowed(json::raw(text, node))
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
