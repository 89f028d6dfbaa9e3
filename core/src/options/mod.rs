//! Client options and the connection target (protocol.md sections 1 and 7).
//!
//! Validates what the page passes to `new OptaveClient(...)` (as the JSON text
//! `JSON.stringify(options)` made; functions are absent from it) and turns
//! the URL, token and session id into what `new WebSocket(url, protocols)` takes.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::error::{Detail, ErrorCode, OptaveError};
use crate::json::{self, Doc, Kind, Node};
use crate::text::Text;
use crate::url::UrlParts;

mod target;
pub use target::{connect_target, refuse_long_token, ConnectTarget, MAX_TOKEN_UNITS};

/// The subprotocol that announces a token in the second protocol entry.
pub const SUBPROTOCOL: &str = "optave-v1";
/// Default `connectionTimeoutMs` and `requestTimeoutMs`: 30,000 ms.
pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
/// The longest timeout accepted, in ms: 2,147,483,647 (2^31 − 1), the longest
/// delay a browser timer honours.
pub const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;

/// How the token reaches the server (protocol.md section 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AuthTransport {
    /// `new WebSocket(url, ["optave-v1", token])`: the token never appears in a URL (default).
    #[default]
    Subprotocol,
    /// `url?Authorization=<token>`: discouraged, warns once.
    Query,
}

/// How the facade passes a number JSON cannot carry (`NaN`, `Infinity`,
/// `-Infinity`, which `JSON.stringify` would turn into `null`, i.e. "absent"):
/// as its name in a string, so a number option refuses it by name.
pub const NON_FINITE: [&str; 3] = ["NaN", "Infinity", "-Infinity"];

/// The longest JSON text of options accepted (constructor options or a
/// request's `{ timeoutMs }`), in UTF-16 code units: 65,536. Checked on the
/// JavaScript string's length before the text is copied into wasm.
pub const MAX_OPTIONS_UNITS: usize = 65_536;

/// Refuses options whose JSON text has `units` UTF-16 code units when that is
/// over [`MAX_OPTIONS_UNITS`], without looking at the text.
///
/// Errors: VALIDATION / `code` (`INVALID_OPTION` for the constructor's,
/// `INVALID_ARGUMENT` for a request's).
pub fn refuse_long_options(units: usize, code: ErrorCode, now_ms: f64) -> Result<(), OptaveError> {
    if units <= MAX_OPTIONS_UNITS {
        return Ok(());
    }
    Err(OptaveError::validation(
        code,
        Text::new("options are ")
            .n(units as u64)
            .s(" characters of JSON; at most 65536 are accepted"),
        now_ms,
    ))
}

/// The longest string argument accepted from the page where a name or an id
/// is expected (an event or action name, a correlationId, a session id), in
/// UTF-16 code units: 1,024. Checked on the JavaScript string's length before
/// it is copied into wasm.
pub const MAX_ARGUMENT_UNITS: usize = 1_024;

/// Checks a name or id argument: `units` is its length when it is a string,
/// `None` when it is not one.
///
/// Errors: VALIDATION / `INVALID_ARGUMENT`, naming `what`.
pub fn check_argument(what: &str, units: Option<usize>, now_ms: f64) -> Result<(), OptaveError> {
    let why = match units {
        None => " must be a string",
        Some(n) if n > MAX_ARGUMENT_UNITS => " is over 1024 characters long",
        Some(_) => return Ok(()),
    };
    Err(OptaveError::validation(
        ErrorCode::InvalidArgument,
        Text::new(what).s(why),
        now_ms,
    ))
}

/// Every key `new OptaveClient(options)` accepts.
pub const OPTION_KEYS: [&str; 12] = [
    "websocketUrl",
    "tokenProvider",
    "authTransport",
    "authRequired",
    "organizationId",
    "tenantId",
    "connectionTimeoutMs",
    "requestTimeoutMs",
    "strictValidation",
    "maxInboundFrameBytes",
    "logger",
    "clientSecret",
];

/// Validated client configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// The validated WebSocket URL.
    pub websocket_url: String,
    /// Token transport.
    pub auth_transport: AuthTransport,
    /// Whether a token is required.
    pub auth_required: bool,
    /// Client-level organization id.
    pub organization_id: Option<String>,
    /// Client-level tenant id.
    pub tenant_id: Option<String>,
    /// ms.
    pub connection_timeout_ms: f64,
    /// ms.
    pub request_timeout_ms: f64,
    /// `strictValidation`.
    pub strict: bool,
    /// `maxInboundFrameBytes`: inbound text frames larger than this many
    /// bytes of UTF-8 are dropped unread (WEBSOCKET /
    /// `INBOUND_FRAME_TOO_LARGE`). Default 1,048,576.
    pub max_inbound_frame_bytes: u32,
}

fn invalid(message: impl Into<String>, now_ms: f64) -> OptaveError {
    OptaveError::validation(ErrorCode::InvalidOption, message, now_ms)
}

/// An option's value by kind, for the checks.
#[derive(Clone, Copy)]
enum Want {
    Str,
    Bool,
    Num,
    Transport,
    Any,
}

const WANT: [(&str, Want); 10] = [
    ("websocketUrl", Want::Str),
    ("authTransport", Want::Transport),
    ("authRequired", Want::Bool),
    ("organizationId", Want::Str),
    ("tenantId", Want::Str),
    ("connectionTimeoutMs", Want::Num),
    ("requestTimeoutMs", Want::Num),
    ("strictValidation", Want::Bool),
    ("maxInboundFrameBytes", Want::Num),
    ("clientSecret", Want::Any),
];

impl ClientConfig {
    /// Parses and validates the data options given as JSON text;
    /// `parse_url` is a WHATWG URL parser (the browser's `URL` in the facade)
    /// through which `websocketUrl` is judged.
    ///
    /// Errors: VALIDATION / `INVALID_OPTION` (not an object, an unknown key, a
    /// wrong type, a timeout outside 1 to 2,147,483,647 ms, naming the option),
    /// `UNSUPPORTED_IN_BROWSER` (a `clientSecret`), `INVALID_WEBSOCKET_URL`
    /// (see [`check_websocket_url`]).
    pub fn from_json(
        options_json: &str,
        parse_url: &dyn Fn(&str) -> Option<UrlParts>,
        now_ms: f64,
    ) -> Result<Self, OptaveError> {
        let mut doc = Doc::default();
        let root_is_object =
            doc.parse(options_json).is_ok() && doc.node(0).is_some_and(|n| n.kind == Kind::Obj);
        if !root_is_object {
            return Err(invalid("options must be an object", now_ms)
                .suggest("new OptaveClient({ websocketUrl: 'wss://...' })"));
        }
        let text = options_json;
        let mut unknown: Vec<String> = Vec::new();
        let mut values: [Option<Node>; WANT.len()] = [None; WANT.len()];
        for child in doc.children(0) {
            let Some(node) = doc.node(child) else {
                continue;
            };
            let key = json::key(text, node);
            if !OPTION_KEYS.contains(&&*key) {
                unknown.push(key.into_owned());
                continue;
            }
            let Some(at) = WANT.iter().position(|(name, _)| *name == key) else {
                continue;
            };
            if node.kind != Kind::Null {
                if let Some(slot) = values.get_mut(at) {
                    *slot = Some(*node);
                }
            }
        }
        if !unknown.is_empty() {
            let names: Vec<&str> = unknown.iter().map(String::as_str).collect();
            return Err(
                invalid(Text::new("unknown option(s): ").list(&names), now_ms)
                    .with_details(Detail::Map(vec![
                        (
                            "unknown",
                            Detail::List(unknown.iter().map(|k| Detail::str(k.clone())).collect()),
                        ),
                        ("allowed", Detail::strs(&OPTION_KEYS)),
                    ]))
                    .suggest("Check the spelling against OptaveClientOptions"),
            );
        }
        if values
            .first()
            .is_none_or(|n| n.is_none_or(|n| n.kind != Kind::Str))
        {
            check_websocket_url("", None, now_ms)?;
        }
        for ((name, want), node) in WANT.iter().zip(&values) {
            let Some(node) = node else { continue };
            let expected = match (want, node.kind) {
                (Want::Str, Kind::Str)
                | (Want::Bool, Kind::Bool)
                | (Want::Num, Kind::Num)
                | (Want::Any, _) => None,
                (Want::Transport, Kind::Str) => {
                    let v = json::string(text, node);
                    (v != "subprotocol" && v != "query")
                        .then_some("one of \"subprotocol\", \"query\"")
                }
                (Want::Str | Want::Transport, _) => Some("a string"),
                (Want::Bool, _) => Some("a boolean"),
                (Want::Num, _) => Some("a finite number"),
            };
            if let Some(expected) = expected {
                let got = match node.kind {
                    Kind::Str => {
                        let value = json::string(text, node);
                        match NON_FINITE
                            .iter()
                            .find(|n| matches!(want, Want::Num) && **n == value)
                        {
                            Some(name) => Cow::Borrowed(*name),
                            None => Cow::Owned(Text::new("").q(&value).done()),
                        }
                    }
                    kind => Cow::Borrowed(kind.name()),
                };
                return Err(invalid(
                    Text::new("option ")
                        .s(name)
                        .s(": expected ")
                        .s(expected)
                        .s(", got ")
                        .s(&got),
                    now_ms,
                ));
            }
        }
        let [url, transport, auth_required, org, tenant, conn_ms, req_ms, strict, max_frame, secret] =
            values;
        let string = |n: Option<Node>| n.map(|n| String::from(json::string(text, &n)));
        let flag = |n: Option<Node>| n.map(|n| json::raw(text, &n) == "true");
        if secret.is_some() {
            return Err(OptaveError::validation(
                ErrorCode::UnsupportedInBrowser,
                "clientSecret must never be used in a browser",
                now_ms,
            )
            .suggest("Exchange the client secret for a token on your server")
            .suggest("Give the browser a tokenProvider that fetches a short-lived ticket from your server"));
        }
        let websocket_url = string(url).unwrap_or_default();
        check_websocket_url(&websocket_url, parse_url(&websocket_url).as_ref(), now_ms)?;
        let timeout =
            |name: &str, node: Option<Node>| match node.map(|n| number(json::raw(text, &n))) {
                None => Ok(DEFAULT_TIMEOUT_MS),
                Some(Some(ms)) if ms > 0.0 && ms <= MAX_TIMEOUT_MS => Ok(ms),
                Some(_) => Err(invalid(
                    Text::new(name).s(" must be a number of ms from 1 to 2147483647"),
                    now_ms,
                )),
            };
        let max_inbound_frame_bytes =
            match max_frame.map(|n| number(json::raw(text, &n))) {
                None => crate::inbound::DEFAULT_MAX_INBOUND_FRAME_BYTES,
                Some(Some(n))
                    if n >= f64::from(crate::inbound::MIN_INBOUND_FRAME_BYTES)
                        && n <= f64::from(crate::inbound::MAX_INBOUND_FRAME_BYTES)
                        && n == f64::from(n as u32) =>
                {
                    n as u32
                }
                Some(_) => return Err(invalid(
                    "maxInboundFrameBytes must be a whole number of bytes from 1024 to 268435456",
                    now_ms,
                )),
            };
        Ok(Self {
            max_inbound_frame_bytes,
            websocket_url,
            auth_transport: match transport.map(|n| json::string(text, &n) == "query") {
                Some(true) => AuthTransport::Query,
                _ => AuthTransport::Subprotocol,
            },
            auth_required: flag(auth_required).unwrap_or(true),
            organization_id: string(org).filter(|s| !s.is_empty()),
            tenant_id: string(tenant).filter(|s| !s.is_empty()),
            connection_timeout_ms: timeout("connectionTimeoutMs", conn_ms)?,
            request_timeout_ms: timeout("requestTimeoutMs", req_ms)?,
            strict: flag(strict).unwrap_or(false),
        })
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

/// Checks a WebSocket URL as `parsed` by a WHATWG URL parser (`None` when
/// the parser refused it): `ws` or `wss`, a host, no user name or password,
/// no fragment, no white space or control character in the text; `ws://`
/// only to `localhost`, `127.0.0.0/8` or `[::1]` ([`crate::url`]). The host
/// judged is the parser's, so `ws://evil.example\\@127.0.0.1/`, which a
/// browser reads as a path on `evil.example`, is refused, and `ws://127.1/`,
/// which it reads as `127.0.0.1`, is accepted.
///
/// Errors: VALIDATION / `INVALID_WEBSOCKET_URL`.
pub fn check_websocket_url(
    url: &str,
    parsed: Option<&UrlParts>,
    now_ms: f64,
) -> Result<(), OptaveError> {
    let bad = |why: &str| {
        OptaveError::validation(
            ErrorCode::InvalidWebsocketUrl,
            Text::new("websocketUrl ").q(url).s(" ").s(why),
            now_ms,
        )
        .with_details(Detail::Map(vec![(
            "websocketUrl",
            Detail::str(String::from(url)),
        )]))
        .suggest("Use wss://ws-{tenant}.oco.optave.{tld}")
    };
    if url.is_empty() {
        return Err(bad("is missing"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("must not contain white space or control characters"));
    }
    let parsed = parsed.ok_or_else(|| bad("is not an absolute URL"))?;
    let secure = match parsed.scheme.as_str() {
        "wss:" => true,
        "ws:" => false,
        _ => return Err(bad("has a scheme other than wss (or ws to localhost)")),
    };
    if parsed.has_credentials {
        return Err(bad("must not carry a user name or password"));
    }
    if parsed.has_fragment {
        return Err(bad("must not contain a fragment"));
    }
    if parsed.host.is_empty() {
        return Err(bad("has no host"));
    }
    if !secure && !crate::url::is_loopback(&parsed.host) {
        return Err(bad("uses ws:// to a non-loopback host; use wss://")
            .suggest("ws:// is allowed only for localhost, 127.0.0.1 and [::1]"));
    }
    Ok(())
}

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
