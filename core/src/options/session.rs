//! The session options (docs/api.md, "Connection states"): `reconnect`,
//! `connectionStateTtlMs`, `queueLimit`, `queueWhileDisconnected`,
//! `resendOnReconnect`.

use crate::connection::retry::RetryPolicy;
use crate::error::{ErrorCode, OptaveError};
use crate::json::{self, Doc, Kind};
use crate::text::Text;

use super::timeouts::{number, MAX_TIMEOUT_MS};

/// The largest `queueLimit`: 100,000 envelopes (the queue is also bounded by
/// 1 MiB of text).
pub const MAX_QUEUE_LIMIT: f64 = 100_000.0;

fn invalid(message: Text, now_ms: f64) -> OptaveError {
    OptaveError::validation(ErrorCode::InvalidOption, message, now_ms)
}

/// `reconnect`: `true` (the default policy), `false` (`None`), or
/// `{ minDelayMs, maxDelayMs, maxAttempts }` over the defaults (500 ms,
/// 20,000 ms, `Infinity`); `ttl_ms` is `connectionStateTtlMs`.
///
/// Errors: VALIDATION / `INVALID_OPTION` naming the field: another type, an
/// unknown key, a delay outside 1 to 2,147,483,647 ms, `minDelayMs` over
/// `maxDelayMs`, `maxAttempts` not a whole number ≥ 0 or `Infinity`.
pub fn reconnect(
    doc: &Doc,
    text: &str,
    at: Option<u32>,
    ttl_ms: f64,
    now_ms: f64,
) -> Result<Option<RetryPolicy>, OptaveError> {
    let mut policy = RetryPolicy {
        state_ttl_ms: ttl_ms,
        ..RetryPolicy::default()
    };
    let Some(node) = at.and_then(|at| doc.node(at)) else {
        return Ok(Some(policy));
    };
    match node.kind {
        Kind::Null => return Ok(Some(policy)),
        Kind::Bool => return Ok((json::raw(text, node) == "true").then_some(policy)),
        Kind::Obj => {}
        other => {
            return Err(invalid(
                Text::new("option reconnect: expected a boolean or { minDelayMs, maxDelayMs, maxAttempts }, got ")
                    .s(other.name()),
                now_ms,
            ))
        }
    }
    for child in doc.children(at.unwrap_or_default()) {
        let Some(field) = doc.node(child) else {
            continue;
        };
        let key = json::key(text, field);
        if field.kind == Kind::Null {
            continue;
        }
        let value = match field.kind {
            Kind::Num => number(json::raw(text, field)),
            Kind::Str if json::string(text, field) == "Infinity" => Some(f64::INFINITY),
            _ => None,
        };
        let bad = |what: &str| {
            invalid(
                Text::new("option reconnect.").s(&key).s(": ").s(what),
                now_ms,
            )
        };
        match &*key {
            "minDelayMs" | "maxDelayMs" => {
                let ms = value
                    .filter(|ms| *ms >= 1.0 && *ms <= MAX_TIMEOUT_MS)
                    .ok_or_else(|| bad("expected a number of ms from 1 to 2147483647"))?;
                if key == "minDelayMs" {
                    policy.min_delay_ms = ms;
                } else {
                    policy.max_delay_ms = ms;
                }
            }
            "maxAttempts" => {
                let n = value
                    .filter(|n| *n >= 0.0 && (n.is_infinite() || *n == (*n as u64) as f64))
                    .ok_or_else(|| bad("expected a whole number >= 0, or Infinity"))?;
                // Beyond u32::MAX attempts is never, in practice: no limit.
                policy.max_attempts = (n <= f64::from(u32::MAX)).then_some(n as u32);
            }
            _ => {
                return Err(invalid(
                    Text::new("option reconnect: unknown field ")
                        .q(&key)
                        .s("; fields are minDelayMs, maxDelayMs, maxAttempts"),
                    now_ms,
                ))
            }
        }
    }
    if policy.min_delay_ms > policy.max_delay_ms {
        return Err(invalid(
            Text::new("option reconnect: minDelayMs (")
                .n(policy.min_delay_ms as u64)
                .s(") is over maxDelayMs (")
                .n(policy.max_delay_ms as u64)
                .s(")"),
            now_ms,
        ));
    }
    Ok(Some(policy))
}

/// `queueLimit`: a whole number of envelopes from 0 to 100,000 (default 100).
///
/// Errors: VALIDATION / `INVALID_OPTION`.
pub fn queue_limit(raw: Option<&str>, now_ms: f64) -> Result<usize, OptaveError> {
    let Some(raw) = raw else {
        return Ok(crate::connection::outbox::DEFAULT_QUEUE_LIMIT);
    };
    match number(raw) {
        Some(n) if (0.0..=MAX_QUEUE_LIMIT).contains(&n) && n == f64::from(n as u32) => {
            Ok(n as usize)
        }
        _ => Err(invalid(
            Text::new("queueLimit must be a whole number of envelopes from 0 to 100000"),
            now_ms,
        )),
    }
}
