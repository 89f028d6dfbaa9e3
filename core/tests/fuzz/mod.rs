//! The fuzz properties of optave-core: one function per target, taking the
//! fuzzer's raw bytes and panicking when a property is violated.
//!
//! The same file serves the stable short run (`tests/core_fuzz.rs`, part of
//! `cargo test`) and the libFuzzer targets of `core/fuzz` (nightly, through
//! `#[path]`), so each property has one implementation. Every property is
//! checked on the result with means of its own (`serde_json`, the `url`
//! crate, constants written out here), not with the code under test:
//!
//! - [`check_outbound`]: the builder's envelope is a JSON object of at most
//!   131,072 bytes whose `headers.correlationId` is the returned id and whose
//!   `headers.action` is the action's wire name; a refusal is a VALIDATION
//!   error with one of the builder's three codes and well-formed details.
//! - [`check_url`]: an accepted `websocketUrl` is ws/wss, without
//!   credentials or fragment, and `ws://` only to a loopback host, as the
//!   `url` crate reads it; a refusal is `INVALID_WEBSOCKET_URL`.
//! - [`check_options`]: accepted options have timeouts `> 0` and at most
//!   2^31 − 1 ms, a frame limit in range, a URL that passes the URL
//!   property, and every value as `serde_json` reads the options; a refusal
//!   has one of the three option codes.
//! - [`check_inbound`] (in `inbound.rs`): the inbound router agrees with the
//!   reference model, delivers only frames with every field protocol.md
//!   section 5 requires, and names a request from an unreadable frame only
//!   by a correlationId the frame carries.
//!
//! Input layout: [`check_outbound`] reads the action from byte 0 and the
//! client config from byte 1 (see [`outbound_setup`]); the rest, as lossy
//! UTF-8, is the params text. The other two targets read all their bytes as
//! lossy UTF-8 text.
#![allow(dead_code)]
// Errors travel unboxed, as in the crate (they are the cold path).
#![allow(clippy::result_large_err)]

use std::borrow::Cow;
use std::fmt::Display;
use std::net::Ipv6Addr;

use optave_core::action::Action;
use optave_core::error::{Detail, ErrorCategory, ErrorCode, OptaveError};
use optave_core::legacy::Deprecation;
use optave_core::options::{check_websocket_url, AuthTransport, ClientConfig, OPTION_KEYS};
use optave_core::outbound::{build, Builder, EnvelopeConfig, Outbound};
use serde_json::{Map, Value};
use url::{Host, Url};

use crate::common::{assert_uuid_v7, ids, parse_url, NOW_ISO, NOW_MS};

mod inbound;
#[allow(unused_imports)]
pub use inbound::check_inbound;

/// RFC 8259 reading into `serde_json` values (lone surrogate escapes and
/// numbers beyond `f64`, which `serde_json` alone refuses), no depth limit:
/// the reference model's reader (`tests/oracle/json.rs`).
use crate::oracle::json as rfc_json;

/// The envelope size limit of protocol.md section 4, in UTF-8 bytes.
pub const ENVELOPE_LIMIT: usize = 131_072;
/// The longest timeout a browser timer honours, in ms (2^31 − 1).
pub const TIMEOUT_LIMIT_MS: f64 = 2_147_483_647.0;
/// The default of both timeouts, in ms.
pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
/// `maxInboundFrameBytes`: a whole number of bytes in this range, by default 1 MiB.
pub const FRAME_BYTES_RANGE: (u32, u32) = (1_024, 268_435_456);
/// The default `maxInboundFrameBytes`.
pub const DEFAULT_FRAME_BYTES: u32 = 1_048_576;

/// Byte 0 of an outbound input picks the action (modulo 9) in this order,
/// with the wire name `headers.action` must carry (protocol.md section 4).
pub const ACTIONS: [(Action, &str); 9] = [
    (Action::Interaction, "interaction"),
    (Action::Reception, "reception"),
    (Action::Insights, "insights"),
    (Action::Summarize, "summarize"),
    (Action::Translate, "translate"),
    (Action::Recommend, "recommend"),
    (Action::Elevate, "elevate"),
    (Action::Adjust, "adjust"),
    (Action::CustomerInteraction, "customerinteraction"),
];

/// Params the reused [`Builder`] builds first, so that a second build shows
/// whether anything of the first one leaks into it.
const WARM_UP_PARAMS: &str = include_str!("../fixtures/seed002_interaction_params.json");

/// How much of an input a failure message quotes.
const QUOTE: usize = 400;

/// `text`, cut to [`QUOTE`] characters, for failure messages.
fn quote(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTE) {
        Some((at, _)) => Cow::Owned(format!("{:?}… ({} bytes)", &text[..at], text.len())),
        None => Cow::Owned(format!("{text:?}")),
    }
}

// ---------------------------------------------------------------------------
// Errors.

/// The properties every refusal has: VALIDATION, one of `codes`, a message,
/// the build time as timestamp, and details that `details.write_json` writes
/// as valid JSON holding the same values.
fn check_error(err: &OptaveError, codes: &[ErrorCode], context: &dyn Display) {
    assert_eq!(
        err.category,
        ErrorCategory::Validation,
        "{context}: category of {err}"
    );
    assert!(
        codes.iter().any(|c| err.code == c.as_str()),
        "{context}: code {} is not one of {:?}: {err}",
        err.code,
        codes.iter().map(|c| c.as_str()).collect::<Vec<_>>()
    );
    assert!(
        !err.message.trim().is_empty(),
        "{context}: empty message: {err:?}"
    );
    assert_eq!(err.timestamp, NOW_ISO, "{context}: timestamp of {err}");
    let mut json = String::new();
    err.details.write_json(&mut json);
    let value = rfc_json::parse_strict(&json)
        .unwrap_or_else(|e| panic!("{context}: details are not JSON ({e}): {json}"));
    same_detail(&err.details, &value, "details", context);
}

/// `value` (what `serde_json` read from `detail.write_json`) holds what
/// `detail` holds: strings exactly, numbers as numbers (or `null`).
fn same_detail(detail: &Detail, value: &Value, path: &str, context: &dyn Display) {
    let ok = match (detail, value) {
        (Detail::Null | Detail::Frame, Value::Null) => true,
        (Detail::Bool(b), Value::Bool(v)) => b == v,
        (Detail::Num(_), Value::Number(_) | Value::Null) => true,
        (Detail::Str(s), Value::String(v)) => s == v,
        (Detail::List(items), Value::Array(values)) => {
            assert_eq!(items.len(), values.len(), "{context}: {path}: length");
            for (i, (item, v)) in items.iter().zip(values).enumerate() {
                same_detail(item, v, &format!("{path}[{i}]"), context);
            }
            true
        }
        (Detail::Map(entries), Value::Object(members)) => {
            assert_eq!(entries.len(), members.len(), "{context}: {path}: members");
            for (key, item) in entries {
                let v = members
                    .get(*key)
                    .unwrap_or_else(|| panic!("{context}: {path}.{key} is missing"));
                same_detail(item, v, &format!("{path}.{key}"), context);
            }
            true
        }
        _ => false,
    };
    assert!(ok, "{context}: {path}: {detail:?} was written as {value}");
}

// ---------------------------------------------------------------------------
// Outbound.

/// The ids a config byte can set, by its high nibble: plain, empty, blank,
/// JSON-hostile, non-ASCII, line separators, long.
fn config_id(style: u8, base: &str) -> String {
    match style % 8 {
        0 => format!("{base}-1"),
        1 => String::new(),
        2 => "  \t".to_owned(),
        3 => format!("{base}\"\\\n\r\u{1}\u{1f}\u{7f}/"),
        4 => format!("{base}-é-組織-😀"),
        5 => format!("{base}\u{2028}\u{2029}</script>"),
        6 => format!("{base}\u{fffd}\u{feff}"),
        _ => base.repeat(64),
    }
}

/// The action (byte 0, modulo 9, in [`ACTIONS`] order) and client config
/// (byte 1: bit 0 `strict`, bit 1 organization id, bit 2 tenant id, bit 3
/// session id, bits 4–7 the ids' spelling, see [`config_id`]) of an
/// outbound input; missing bytes count as 0.
pub fn outbound_setup(data: &[u8]) -> ((Action, &'static str), EnvelopeConfig) {
    let a = data.first().copied().unwrap_or(0);
    let c = data.get(1).copied().unwrap_or(0);
    let action = ACTIONS[usize::from(a) % ACTIONS.len()];
    let style = c >> 4;
    let config = EnvelopeConfig {
        strict: c & 1 != 0,
        organization_id: (c & 2 != 0).then(|| config_id(style, "org")),
        tenant_id: (c & 4 != 0).then(|| config_id(style, "tenant")),
        session_id: (c & 8 != 0).then(|| config_id(style, "session")),
        shared_socket: false,
    };
    (action, config)
}

/// The outbound builder on one input (see [`outbound_setup`]).
///
/// On success: the text is a JSON object of at most [`ENVELOPE_LIMIT`]
/// bytes, `action` is `"message"`, `headers.correlationId` is the returned
/// id (the params' own when they give one, else a UUID v7 of the build
/// time), `headers.action` is the wire name, a configured tenant is sent,
/// the deprecated alias is reported. On refusal: [`check_error`] with
/// `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` or `PAYLOAD_TOO_LARGE`.
/// Either way a reused [`Builder`] gives the same answer as a fresh one.
pub fn check_outbound(data: &[u8]) {
    let ((action, wire), config) = outbound_setup(data);
    let params = String::from_utf8_lossy(data.get(2..).unwrap_or_default());
    let context = format!("{action:?} {config:?} params {}", quote(&params));

    let result = build(action, &params, &config, &mut ids(7), NOW_MS);

    let mut reused = Builder::default();
    let _ = reused.build(
        Action::Interaction,
        WARM_UP_PARAMS,
        &config,
        &mut ids(1),
        NOW_MS,
    );
    let again = reused.build(action, &params, &config, &mut ids(7), NOW_MS);
    assert_eq!(
        again, result,
        "{context}: a reused builder answers otherwise"
    );

    match result {
        Ok(out) => check_envelope(&out, action, wire, &config, &params, &context),
        Err(err) => check_error(
            &err,
            &[
                ErrorCode::PayloadSchemaMismatch,
                ErrorCode::RequiredFieldsMissing,
                ErrorCode::PayloadTooLarge,
            ],
            &context,
        ),
    }
}

fn check_envelope(
    out: &Outbound,
    action: Action,
    wire: &str,
    config: &EnvelopeConfig,
    params: &str,
    context: &str,
) {
    assert!(
        out.text.len() <= ENVELOPE_LIMIT,
        "{context}: envelope of {} bytes",
        out.text.len()
    );
    let envelope = rfc_json::parse(&out.text).unwrap_or_else(|e| {
        panic!(
            "{context}: the envelope is not JSON ({e}): {}",
            quote(&out.text)
        )
    });
    let Value::Object(envelope) = envelope else {
        panic!("{context}: the envelope is not an object: {}", out.text);
    };
    assert_eq!(
        envelope.get("action"),
        Some(&Value::from("message")),
        "{context}: envelope action"
    );
    let headers = match envelope.get("headers") {
        Some(Value::Object(h)) => h,
        other => panic!("{context}: headers {other:?}"),
    };
    assert!(
        matches!(envelope.get("payload"), Some(Value::Object(_))),
        "{context}: payload is not an object: {}",
        quote(&out.text)
    );
    assert!(
        !out.correlation_id.is_empty(),
        "{context}: empty correlation id"
    );
    assert_eq!(
        headers.get("correlationId"),
        Some(&Value::from(out.correlation_id.as_str())),
        "{context}: headers.correlationId is not the returned id"
    );
    assert_eq!(
        headers.get("action"),
        Some(&Value::from(wire)),
        "{context}: headers.action"
    );
    if config.tenant_id.is_some() {
        assert!(
            matches!(headers.get("tenantId"), Some(Value::String(_))),
            "{context}: configured tenant not sent: {:?}",
            headers.get("tenantId")
        );
    }
    if action == Action::CustomerInteraction {
        assert!(
            out.deprecations.contains(&Deprecation::CustomerInteraction),
            "{context}: the deprecated alias is not reported"
        );
    }
    // Where the id comes from, read from the params as JSON.parse reads them
    // (when serde_json can, and no key repeats: JSON.parse keeps the last).
    if let Ok(Value::Object(p)) = rfc_json::parse(params) {
        if !rfc_json::has_repeated_keys(params) {
            let given = p
                .get("headers")
                .and_then(|h| h.get("correlationId"))
                .and_then(Value::as_str);
            let request_id = p
                .get("request")
                .filter(|r| r.is_object())
                .and_then(|r| r.get("requestId"))
                .and_then(Value::as_str)
                .filter(|id| !id.trim().is_empty());
            match given.or(request_id) {
                Some(id) => assert_eq!(
                    out.correlation_id, id,
                    "{context}: the params' own correlation id"
                ),
                None => assert_uuid_v7(&out.correlation_id, NOW_MS as u64),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// URL.

/// The URL rule on one input (all of it, lossy UTF-8), with the `url`
/// crate's parse as the browser's: accepted only as [`assert_url_ok`]
/// allows; refused with `INVALID_WEBSOCKET_URL` naming the URL. Without a
/// parse (the parser refused the text) it is always refused.
pub fn check_url(data: &[u8]) {
    let url = String::from_utf8_lossy(data);
    let context = format!("websocketUrl {}", quote(&url));
    match check_websocket_url(&url, parse_url(&url).as_ref(), NOW_MS) {
        Ok(()) => assert_url_ok(&url, &context),
        Err(err) => check_url_error(&err, &url, &context),
    }
    match check_websocket_url(&url, None, NOW_MS) {
        Ok(()) => panic!("{context}: accepted without a parse"),
        Err(err) => check_url_error(&err, &url, &context),
    }
}

fn check_url_error(err: &OptaveError, url: &str, context: &str) {
    check_error(err, &[ErrorCode::InvalidWebsocketUrl], &context);
    let mut json = String::new();
    err.details.write_json(&mut json);
    let details = rfc_json::parse_strict(&json).unwrap_or_default();
    assert_eq!(
        details.get("websocketUrl").and_then(Value::as_str),
        Some(url),
        "{context}: details.websocketUrl"
    );
}

/// What an accepted `websocketUrl` is, read by the `url` crate (a WHATWG
/// parser, as the browser's `URL`): no white space or control character in
/// the text, scheme `ws` or `wss`, no user name, password or fragment, a
/// host, and for `ws` a loopback host (`localhost`, `127.0.0.0/8`, `::1`).
pub fn assert_url_ok(url: &str, context: &str) {
    assert!(
        !url.chars().any(|c| c.is_whitespace() || c.is_control()),
        "{context}: accepted with white space or a control character"
    );
    let parsed =
        Url::parse(url).unwrap_or_else(|e| panic!("{context}: accepted but unparsable: {e}"));
    let secure = match parsed.scheme() {
        "wss" => true,
        "ws" => false,
        other => panic!("{context}: accepted with scheme {other:?}"),
    };
    assert!(
        parsed.username().is_empty() && parsed.password().is_none(),
        "{context}: accepted with credentials"
    );
    assert!(
        parsed.fragment().is_none(),
        "{context}: accepted with a fragment"
    );
    let host = parsed
        .host()
        .unwrap_or_else(|| panic!("{context}: accepted without a host"));
    if !secure {
        let loopback = match &host {
            Host::Domain(name) => *name == "localhost",
            Host::Ipv4(ip) => ip.octets()[0] == 127,
            Host::Ipv6(ip) => *ip == Ipv6Addr::LOCALHOST,
        };
        assert!(
            loopback,
            "{context}: ws:// accepted to the non-loopback host {host:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Options.

/// The option parser on one input (all of it, lossy UTF-8, as the options'
/// JSON text), with the `url` crate as URL parser.
///
/// On success: both timeouts finite, `> 0` and at most 2^31 − 1,
/// `maxInboundFrameBytes` in [`FRAME_BYTES_RANGE`], the URL passes
/// [`assert_url_ok`], and, when `serde_json` reads the text as an
/// object without repeated keys, every key is an option, there is no
/// `clientSecret`, and every value is the one read ([`same_options`]). On
/// refusal: [`check_error`] with `INVALID_OPTION`, `UNSUPPORTED_IN_BROWSER`
/// or `INVALID_WEBSOCKET_URL`.
pub fn check_options(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let context = format!("options {}", quote(&text));
    match ClientConfig::from_json(&text, &parse_url, NOW_MS) {
        Ok(config) => {
            for (name, ms) in [
                ("connectionTimeoutMs", config.connection_timeout_ms),
                ("requestTimeoutMs", config.request_timeout_ms),
            ] {
                assert!(
                    ms.is_finite() && ms > 0.0 && ms <= TIMEOUT_LIMIT_MS,
                    "{context}: {name} = {ms}"
                );
            }
            let (min, max) = FRAME_BYTES_RANGE;
            assert!(
                (min..=max).contains(&config.max_inbound_frame_bytes),
                "{context}: maxInboundFrameBytes = {}",
                config.max_inbound_frame_bytes
            );
            assert_url_ok(
                &config.websocket_url,
                &format!("{context}: websocketUrl {:?}", config.websocket_url),
            );
            if let Ok(Value::Object(options)) = rfc_json::parse(&text) {
                if !rfc_json::has_repeated_keys(&text) {
                    same_options(&config, &options, &context);
                }
            }
        }
        Err(err) => check_error(
            &err,
            &[
                ErrorCode::InvalidOption,
                ErrorCode::UnsupportedInBrowser,
                ErrorCode::InvalidWebsocketUrl,
            ],
            &context,
        ),
    }
}

/// Accepted options hold what `serde_json` read: only known keys, no
/// `clientSecret`, `websocketUrl` a string, and each value or its default
/// (`null` counts as absent; an empty id as none).
fn same_options(config: &ClientConfig, options: &Map<String, Value>, context: &str) {
    for key in options.keys() {
        assert!(
            OPTION_KEYS.contains(&key.as_str()),
            "{context}: accepted with the unknown option {key:?}"
        );
    }
    let get = |name: &str| options.get(name).filter(|v| !v.is_null());
    assert!(
        get("clientSecret").is_none(),
        "{context}: accepted with a clientSecret"
    );
    assert_eq!(
        get("websocketUrl").and_then(Value::as_str),
        Some(config.websocket_url.as_str()),
        "{context}: websocketUrl"
    );
    let transport = match get("authTransport") {
        None => AuthTransport::Subprotocol,
        Some(v) if v == "subprotocol" => AuthTransport::Subprotocol,
        Some(v) if v == "query" => AuthTransport::Query,
        Some(v) => panic!("{context}: accepted authTransport {v}"),
    };
    assert_eq!(config.auth_transport, transport, "{context}: authTransport");
    for (name, value, default) in [
        ("authRequired", config.auth_required, true),
        ("strictValidation", config.strict, false),
    ] {
        let want = match get(name) {
            None => default,
            Some(Value::Bool(b)) => *b,
            Some(v) => panic!("{context}: accepted {name} {v}"),
        };
        assert_eq!(value, want, "{context}: {name}");
    }
    for (name, value) in [
        ("organizationId", &config.organization_id),
        ("tenantId", &config.tenant_id),
    ] {
        let want = match get(name) {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()).filter(|s| !s.is_empty()),
            Some(v) => panic!("{context}: accepted {name} {v}"),
        };
        assert_eq!(value.as_deref(), want, "{context}: {name}");
    }
    for (name, value, default) in [
        (
            "connectionTimeoutMs",
            config.connection_timeout_ms,
            DEFAULT_TIMEOUT_MS,
        ),
        (
            "requestTimeoutMs",
            config.request_timeout_ms,
            DEFAULT_TIMEOUT_MS,
        ),
        (
            "maxInboundFrameBytes",
            f64::from(config.max_inbound_frame_bytes),
            f64::from(DEFAULT_FRAME_BYTES),
        ),
    ] {
        let want = match get(name) {
            None => default,
            Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
            Some(v) => panic!("{context}: accepted {name} {v}"),
        };
        // The parser is accurate to a few units in the last place; a
        // millionth of a ms (or byte) is far below anything that matters.
        assert!(
            (value - want).abs() <= want.abs() * 1e-9 + 1e-6,
            "{context}: {name} is {value}, serde_json reads {want}"
        );
    }
}
