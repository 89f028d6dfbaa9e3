//! The session options of `new OptaveClient(...)`: `reconnect`,
//! `connectionStateTtlMs`, `queueLimit`, `queueWhileDisconnected`,
//! `resendOnReconnect`, and the session settings they make.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::result_large_err)]

mod common;

use common::parse_url;
use optave_core::connection::retry::RetryPolicy;
use optave_core::connection::SessionConfig;
use optave_core::error::{ErrorCategory, ErrorCode, OptaveError};
use optave_core::options::{ClientConfig, MAX_QUEUE_LIMIT, OPTION_KEYS};
use serde_json::{json, Value};

const NOW: f64 = 1_705_314_660_000.0;

/// Options with a valid URL and `extra` on top (as JSON text).
fn parse_text(extra: &str) -> Result<ClientConfig, OptaveError> {
    let comma = if extra.is_empty() { "" } else { "," };
    let text = format!(r#"{{"websocketUrl":"wss://x.tech"{comma}{extra}}}"#);
    ClientConfig::from_json(&text, &parse_url, NOW)
}

fn parse(key: &str, value: Value) -> Result<ClientConfig, OptaveError> {
    parse_text(&format!("{}:{value}", json!(key)))
}

/// Refused as INVALID_OPTION naming `name`; returns the message.
fn refused(key: &str, value: Value, name: &str) -> String {
    let err = parse(key, value.clone()).expect_err(&format!("{key}: {value}"));
    assert_eq!(
        (err.category, &*err.code),
        (ErrorCategory::Validation, ErrorCode::InvalidOption.as_str()),
        "{key}: {value}: {err}"
    );
    assert!(
        err.message.contains(name),
        "{key}: {value}: {}",
        err.message
    );
    err.message
}

fn policy(value: Value) -> Option<RetryPolicy> {
    parse("reconnect", value.clone())
        .unwrap_or_else(|e| panic!("{value}: {e}"))
        .reconnect
}

#[test]
fn the_new_keys_are_options() {
    for key in [
        "reconnect",
        "connectionStateTtlMs",
        "queueLimit",
        "queueWhileDisconnected",
        "resendOnReconnect",
    ] {
        assert!(OPTION_KEYS.contains(&key), "{key}");
        parse(key, Value::Null).unwrap_or_else(|e| panic!("{key}: null: {e}"));
    }
    let c = parse_text("").unwrap();
    assert_eq!(c.reconnect, Some(RetryPolicy::default()));
    assert_eq!(
        (
            c.queue_limit,
            c.queue_while_disconnected,
            c.resend_on_reconnect
        ),
        (100, true, true)
    );
}

#[test]
fn reconnect_true_false_or_an_object() {
    let default = RetryPolicy::default();
    assert_eq!(policy(json!(true)), Some(default));
    assert_eq!(policy(json!(null)), Some(default));
    assert_eq!(policy(json!(false)), None);
    assert_eq!(policy(json!({})), Some(default));
    assert_eq!(
        policy(json!({ "minDelayMs": 100, "maxDelayMs": 5000, "maxAttempts": 7 })),
        Some(RetryPolicy {
            min_delay_ms: 100.0,
            max_delay_ms: 5_000.0,
            max_attempts: Some(7),
            ..default
        })
    );
    // A field given as null keeps its default; fields are decoded.
    assert_eq!(
        policy(json!({ "minDelayMs": null, "maxDelayMs": 2147483647 })),
        Some(RetryPolicy {
            max_delay_ms: 2_147_483_647.0,
            ..default
        })
    );
    let c = parse_text(r#""reconnect":{"min\u0044elayMs":1.5,"maxDelayMs":1.5}"#).unwrap();
    assert_eq!(c.reconnect.unwrap().min_delay_ms, 1.5);
    for bad in [json!("yes"), json!(1), json!([]), json!("true")] {
        let message = refused("reconnect", bad.clone(), "option reconnect");
        assert!(
            message.contains("minDelayMs, maxDelayMs, maxAttempts"),
            "{message}"
        );
    }
}

#[test]
fn unknown_reconnect_fields_are_refused_by_name() {
    for field in [
        "minDelay",
        "maxRetries",
        "stableAfterMs",
        "connectionStateTtlMs",
    ] {
        let message = refused("reconnect", json!({ field: 1 }), "option reconnect");
        assert!(message.contains(&format!("\"{field}\"")), "{message}");
    }
}

#[test]
fn reconnect_delays() {
    for field in ["minDelayMs", "maxDelayMs"] {
        for bad in [
            json!(0),
            json!(0.5),
            json!(-1),
            json!(2_147_483_648u64),
            json!(1e300),
            json!("100"),
            json!("Infinity"),
            json!("NaN"),
            json!(true),
        ] {
            refused(
                "reconnect",
                json!({ field: bad }),
                &format!("reconnect.{field}"),
            );
        }
    }
    let message = refused(
        "reconnect",
        json!({ "minDelayMs": 5000, "maxDelayMs": 1000 }),
        "minDelayMs (5000) is over maxDelayMs (1000)",
    );
    assert!(message.starts_with("option reconnect"), "{message}");
    refused(
        "reconnect",
        json!({ "minDelayMs": 800.5, "maxDelayMs": 800 }),
        "is over maxDelayMs (800)",
    );
    // Over the default maxDelayMs (20,000) too.
    refused("reconnect", json!({ "minDelayMs": 30000 }), "minDelayMs");
    let equal = policy(json!({ "minDelayMs": 800, "maxDelayMs": 800 })).unwrap();
    assert_eq!((equal.min_delay_ms, equal.max_delay_ms), (800.0, 800.0));
}

/// `maxAttempts`: a whole number ≥ 0, or `Infinity` (which the facade passes
/// as the string "Infinity").
#[test]
fn reconnect_max_attempts() {
    let attempts = |v: Value| policy(json!({ "maxAttempts": v })).unwrap().max_attempts;
    assert_eq!(attempts(json!("Infinity")), None);
    assert_eq!(attempts(json!(0)), Some(0));
    assert_eq!(attempts(json!(5)), Some(5));
    assert_eq!(attempts(json!(5.0)), Some(5));
    assert_eq!(attempts(json!(1e3)), Some(1_000));
    assert_eq!(attempts(json!(4_294_967_295u64)), Some(u32::MAX));
    for bad in [
        json!(-1),
        json!(1.5),
        json!("5"),
        json!("-Infinity"),
        json!("NaN"),
        json!("infinity"),
        json!(true),
        json!([3]),
    ] {
        let message = refused(
            "reconnect",
            json!({ "maxAttempts": bad }),
            "reconnect.maxAttempts",
        );
        assert!(message.contains("whole number"), "{message}");
    }
}

/// Larger whole numbers are whole numbers too (the documented contract: a
/// whole number ≥ 0, or Infinity).
#[test]
fn reconnect_max_attempts_above_u32() {
    for big in [json!(4_294_967_296u64), json!(9_007_199_254_740_991u64)] {
        let c = parse("reconnect", json!({ "maxAttempts": big }));
        assert!(c.is_ok(), "{big}: {:?}", c.err().map(|e| e.message));
    }
}

#[test]
fn connection_state_ttl() {
    let ttl = |v: Value| {
        parse("connectionStateTtlMs", v)
            .unwrap()
            .reconnect
            .unwrap()
            .state_ttl_ms
    };
    assert_eq!(ttl(json!(null)), 120_000.0);
    assert_eq!(ttl(json!(3000)), 3_000.0);
    assert_eq!(ttl(json!(2_147_483_647u64)), 2_147_483_647.0);
    let c =
        parse_text(r#""connectionStateTtlMs":4000,"reconnect":{"maxDelayMs":900,"minDelayMs":9}"#)
            .unwrap();
    assert_eq!(
        c.reconnect,
        Some(RetryPolicy {
            min_delay_ms: 9.0,
            max_delay_ms: 900.0,
            state_ttl_ms: 4_000.0,
            ..RetryPolicy::default()
        })
    );
    let c = parse_text(r#""connectionStateTtlMs":4000,"reconnect":false"#).unwrap();
    assert_eq!(c.reconnect, None);
    for bad in [json!(0), json!(-5), json!(2_147_483_648u64), json!(1e300)] {
        refused("connectionStateTtlMs", bad, "connectionStateTtlMs");
    }
    let err = parse_text(r#""connectionStateTtlMs":1e400"#).unwrap_err();
    assert!(
        err.message.contains("connectionStateTtlMs"),
        "{}",
        err.message
    );
    for bad in [json!("5000"), json!(true), json!("Infinity"), json!({})] {
        let message = refused("connectionStateTtlMs", bad, "option connectionStateTtlMs");
        assert!(message.contains("expected a finite number"), "{message}");
    }
}

#[test]
fn queue_limit_bounds() {
    assert_eq!(MAX_QUEUE_LIMIT, 100_000.0);
    let limit = |v: Value| parse("queueLimit", v).unwrap().queue_limit;
    assert_eq!(limit(json!(0)), 0);
    assert_eq!(limit(json!(1)), 1);
    assert_eq!(limit(json!(100_000)), 100_000);
    assert_eq!(limit(json!(2.5e2)), 250);
    for bad in [json!(100_001), json!(-1), json!(1.5), json!(1e300)] {
        let message = refused("queueLimit", bad, "queueLimit");
        assert!(message.contains("whole number"), "{message}");
    }
    for bad in [json!("10"), json!("Infinity"), json!(false)] {
        refused(
            "queueLimit",
            bad,
            "option queueLimit: expected a finite number",
        );
    }
}

#[test]
fn queue_while_disconnected_and_resend_on_reconnect() {
    for (key, read) in [
        (
            "queueWhileDisconnected",
            (|c: &ClientConfig| c.queue_while_disconnected) as fn(&ClientConfig) -> bool,
        ),
        ("resendOnReconnect", |c: &ClientConfig| {
            c.resend_on_reconnect
        }),
    ] {
        assert!(read(&parse(key, json!(true)).unwrap()), "{key}");
        assert!(!read(&parse(key, json!(false)).unwrap()), "{key}");
        assert!(read(&parse(key, json!(null)).unwrap()), "{key}");
        for bad in [json!("false"), json!(0), json!({})] {
            refused(key, bad, &format!("option {key}: expected a boolean"));
        }
    }
}

/// The session machine's settings come from the options.
#[test]
fn the_session_settings() {
    let c = parse_text(
        r#""connectionTimeoutMs":1500,"requestTimeoutMs":2500,"reconnect":{"maxAttempts":3},
           "queueLimit":7,"queueWhileDisconnected":false,"resendOnReconnect":false"#,
    )
    .unwrap();
    assert_eq!(
        c.session(true),
        SessionConfig {
            connection_timeout_ms: 1_500.0,
            request_timeout_ms: 2_500.0,
            reconnect: Some(RetryPolicy {
                max_attempts: Some(3),
                ..RetryPolicy::default()
            }),
            queue_limit: 7,
            queue_while_disconnected: false,
            resend_on_reconnect: false,
            has_token_provider: true,
            transport: optave_core::connection::Transport::WebSocket,
            rest_url: None,
            stale_after_ms: Some(15_000.0),
        }
    );
    assert!(!c.session(false).has_token_provider);
    let defaults = parse_text("").unwrap().session(false);
    assert_eq!(
        defaults,
        SessionConfig {
            connection_timeout_ms: 30_000.0,
            request_timeout_ms: 30_000.0,
            ..SessionConfig::default()
        }
    );
    assert_eq!(SessionConfig::default().queue_limit, 100);
}

/// `staleAfterMs`: a number of ms from 1 to 2,147,483,647 (default 15,000),
/// `false` to turn liveness off (`true` and `null` are the default);
/// anything else is refused naming it.
#[test]
fn stale_after_ms() {
    let stale = |v: Value| parse("staleAfterMs", v).unwrap().stale_after_ms;
    assert_eq!(parse_text("").unwrap().stale_after_ms, Some(15_000.0));
    assert_eq!(stale(Value::Null), Some(15_000.0));
    assert_eq!(stale(json!(true)), Some(15_000.0));
    assert_eq!(stale(json!(false)), None);
    assert_eq!(stale(json!(1500)), Some(1_500.0));
    assert_eq!(stale(json!(2_147_483_647u64)), Some(2_147_483_647.0));
    assert_eq!(
        parse("staleAfterMs", json!(false))
            .unwrap()
            .session(false)
            .stale_after_ms,
        None
    );
    for bad in [
        json!(0),
        json!(-1),
        json!(2_147_483_648u64),
        json!("1500"),
        json!("NaN"),
        json!("Infinity"),
        json!({}),
        json!([]),
    ] {
        refused("staleAfterMs", bad, "staleAfterMs");
    }
}
