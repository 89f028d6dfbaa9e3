//! Client options and the connection target (protocol.md sections 1 and 7).
//!
//! Validates what the page passes to `new OptaveClient(...)` and turns the
//! URL, token and session id into what `new WebSocket(url, protocols)` takes.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Deserialize;
use serde_json::{json, Value};
use tsify::Tsify;

use super::error::{ErrorCode, OptaveError};
use super::schema;

/// The subprotocol that announces a token in the second protocol entry.
pub const SUBPROTOCOL: &str = "optave-v1";
/// Default `connectionTimeoutMs` and `requestTimeoutMs`: 30,000 ms.
pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;

/// How the token reaches the server (protocol.md section 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum AuthTransport {
    /// `new WebSocket(url, ["optave-v1", token])`: the token never appears in a URL (default).
    #[default]
    Subprotocol,
    /// `url?Authorization=<token>`: discouraged, warns once.
    Query,
}

/// The plain-data constructor options (the facade adds `tokenProvider` and `logger`).
#[derive(Debug, Clone, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionOptions {
    /// `wss://ws-{tenant}.oco.optave.{tld}`; `ws://` only to a loopback host.
    pub websocket_url: String,
    /// `subprotocol` (default) or `query`.
    #[serde(default)]
    #[tsify(optional)]
    pub auth_transport: Option<AuthTransport>,
    /// Default true: `connect()` fails with MISSING_TOKEN when no token is available.
    #[serde(default)]
    #[tsify(optional)]
    pub auth_required: Option<bool>,
    /// Fills `request.context.organizationId` when a call leaves it empty.
    #[serde(default)]
    #[tsify(optional)]
    pub organization_id: Option<String>,
    /// Sent as `headers.tenantId` on every request.
    #[serde(default)]
    #[tsify(optional)]
    pub tenant_id: Option<String>,
    /// How long `connect()` may take, token included, in ms (default 30,000).
    #[serde(default)]
    #[tsify(optional)]
    pub connection_timeout_ms: Option<f64>,
    /// Default timeout of `...Async` requests in ms (default 30,000).
    #[serde(default)]
    #[tsify(optional)]
    pub request_timeout_ms: Option<f64>,
    /// Type-check every known outbound field and the inbound envelopes (default false).
    #[serde(default)]
    #[tsify(optional)]
    pub strict_validation: Option<bool>,
    /// Never allowed in a browser: refused with UNSUPPORTED_IN_BROWSER.
    #[serde(default)]
    #[tsify(optional, type = "never")]
    pub client_secret: Option<Value>,
}

/// Every key `new OptaveClient(options)` accepts.
pub const OPTION_KEYS: [&str; 11] = [
    "websocketUrl",
    "tokenProvider",
    "authTransport",
    "authRequired",
    "organizationId",
    "tenantId",
    "connectionTimeoutMs",
    "requestTimeoutMs",
    "strictValidation",
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
}

/// Refuses keys that are not options (typos would otherwise be ignored).
///
/// Errors: VALIDATION / `INVALID_OPTION` naming the keys.
pub fn check_option_keys(keys: &[String], now_ms: f64) -> Result<(), OptaveError> {
    let unknown: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|k| !OPTION_KEYS.contains(k))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(OptaveError::validation(
        ErrorCode::InvalidOption,
        format!("unknown option(s): {}", unknown.join(", ")),
        now_ms,
    )
    .with_details(json!({ "unknown": unknown, "allowed": OPTION_KEYS }))
    .suggest("Check the spelling against OptaveClientOptions"))
}

impl ClientConfig {
    /// Parses and validates the data options given as JSON text (what
    /// `JSON.stringify(options)` produced: functions are absent).
    ///
    /// Errors: VALIDATION / `INVALID_OPTION` (not an object, an unknown key, a
    /// wrong type, naming the option), and those of [`ClientConfig::from_options`].
    pub fn from_json(options_json: &str, now_ms: f64) -> Result<Self, OptaveError> {
        let invalid =
            |message: String| OptaveError::validation(ErrorCode::InvalidOption, message, now_ms);
        let value: Value = serde_json::from_str(options_json)
            .map_err(|e| invalid(format!("options are not serializable: {e}")))?;
        let Value::Object(map) = &value else {
            return Err(invalid("options must be an object".into())
                .suggest("new OptaveClient({ websocketUrl: 'wss://...' })"));
        };
        let keys: Vec<String> = map.keys().cloned().collect();
        check_option_keys(&keys, now_ms)?;
        if !matches!(map.get("websocketUrl"), Some(Value::String(_))) {
            check_websocket_url("", now_ms)?;
        }
        schema::check(&value, schema::OPTIONS, false)
            .map_err(|m| invalid(format!("option {}: {}", m.path, m.message)))?;
        // The walker above checked every type; read the fields directly
        // (a typed deserializer would add its code to the wasm for nothing).
        let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
        let number = |key: &str| map.get(key).and_then(Value::as_f64);
        let flag = |key: &str| map.get(key).and_then(Value::as_bool);
        let opts = ConnectionOptions {
            websocket_url: text("websocketUrl").unwrap_or_default(),
            auth_transport: match map.get("authTransport").and_then(Value::as_str) {
                Some("query") => Some(AuthTransport::Query),
                Some("subprotocol") => Some(AuthTransport::Subprotocol),
                _ => None,
            },
            auth_required: flag("authRequired"),
            organization_id: text("organizationId"),
            tenant_id: text("tenantId"),
            connection_timeout_ms: number("connectionTimeoutMs"),
            request_timeout_ms: number("requestTimeoutMs"),
            strict_validation: flag("strictValidation"),
            client_secret: map.get("clientSecret").filter(|v| !v.is_null()).cloned(),
        };
        Self::from_options(opts, now_ms)
    }

    /// Validates the options.
    ///
    /// Errors: VALIDATION / `UNSUPPORTED_IN_BROWSER` (a `clientSecret`),
    /// `INVALID_WEBSOCKET_URL` (missing, not ws/wss, `ws://` to a non-loopback
    /// host, malformed), `INVALID_OPTION` (a timeout that is not a finite
    /// number > 0).
    pub fn from_options(opts: ConnectionOptions, now_ms: f64) -> Result<Self, OptaveError> {
        if opts.client_secret.as_ref().is_some_and(|v| !v.is_null()) {
            return Err(OptaveError::validation(
                ErrorCode::UnsupportedInBrowser,
                "clientSecret must never be used in a browser",
                now_ms,
            )
            .suggest("Exchange the client secret for a token on your server")
            .suggest("Give the browser a tokenProvider that fetches a short-lived ticket from your server"));
        }
        let url = opts.websocket_url;
        check_websocket_url(&url, now_ms)?;
        let timeout = |name: &str, value: Option<f64>| match value {
            None => Ok(DEFAULT_TIMEOUT_MS),
            Some(ms) if ms.is_finite() && ms > 0.0 => Ok(ms),
            Some(_) => Err(OptaveError::validation(
                ErrorCode::InvalidOption,
                format!("{name} must be a finite number of ms > 0"),
                now_ms,
            )),
        };
        Ok(Self {
            websocket_url: url,
            auth_transport: opts.auth_transport.unwrap_or_default(),
            auth_required: opts.auth_required.unwrap_or(true),
            organization_id: opts.organization_id.filter(|s| !s.is_empty()),
            tenant_id: opts.tenant_id.filter(|s| !s.is_empty()),
            connection_timeout_ms: timeout("connectionTimeoutMs", opts.connection_timeout_ms)?,
            request_timeout_ms: timeout("requestTimeoutMs", opts.request_timeout_ms)?,
            strict: opts.strict_validation.unwrap_or(false),
        })
    }
}

/// Checks a WebSocket URL: `ws` or `wss`, a host, no fragment, no white space;
/// `ws://` only to `localhost`, `127.0.0.0/8` or `[::1]`.
///
/// Errors: VALIDATION / `INVALID_WEBSOCKET_URL`.
pub fn check_websocket_url(url: &str, now_ms: f64) -> Result<(), OptaveError> {
    let bad = |why: String| {
        OptaveError::validation(
            ErrorCode::InvalidWebsocketUrl,
            format!("websocketUrl {url:?} {why}"),
            now_ms,
        )
        .with_details(json!({ "websocketUrl": url }))
        .suggest("Use wss://ws-{tenant}.oco.optave.{tld}")
    };
    if url.is_empty() {
        return Err(bad("is missing".into()));
    }
    if url.chars().any(char::is_whitespace) || url.contains('#') {
        return Err(bad("must not contain white space or a fragment".into()));
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("is not an absolute URL".into()))?;
    let secure = match scheme.to_ascii_lowercase().as_str() {
        "wss" => true,
        "ws" => false,
        other => {
            return Err(bad(format!(
                "has scheme {other:?}; use wss (or ws to localhost)"
            )))
        }
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(bad("has no host".into()));
    }
    if !secure && !is_loopback(host) {
        return Err(bad("uses ws:// to a non-loopback host; use wss://".into())
            .suggest("ws:// is allowed only for localhost, 127.0.0.1 and [::1]"));
    }
    Ok(())
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || host.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// What `new WebSocket(url, protocols)` gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectTarget {
    /// The URL, with query parameters added.
    pub url: String,
    /// The subprotocols; empty for none.
    pub protocols: Vec<String>,
}

/// Builds the connection target from the configuration, the token (explicit
/// or from `tokenProvider`) and the session id.
///
/// A leading `Bearer ` is stripped from the token. With the subprotocol
/// transport the token must consist of RFC 7230 token characters.
///
/// Errors: AUTHENTICATION / `MISSING_TOKEN` (no token, `authRequired`),
/// AUTHENTICATION / `INVALID_TOKEN` (not usable as a subprotocol).
pub fn connect_target(
    config: &ClientConfig,
    token: Option<&str>,
    session_id: Option<&str>,
    now_ms: f64,
) -> Result<ConnectTarget, OptaveError> {
    let token = token
        .map(|t| t.trim_start())
        .map(|t| t.strip_prefix("Bearer ").unwrap_or(t).trim())
        .filter(|t| !t.is_empty());
    if token.is_none() && config.auth_required {
        return Err(OptaveError::authentication(
            ErrorCode::MissingToken,
            "no token: pass one to connect(token) or give the client a tokenProvider",
            now_ms,
        )
        .suggest("Set authRequired: false only for local servers without authentication"));
    }
    let mut query: Vec<(&str, &str)> = Vec::new();
    let mut protocols = Vec::new();
    if let Some(token) = token {
        match config.auth_transport {
            AuthTransport::Subprotocol => {
                if !token.chars().all(is_token_char) {
                    return Err(OptaveError::authentication(
                        ErrorCode::InvalidToken,
                        "the token has characters a WebSocket subprotocol cannot carry",
                        now_ms,
                    )
                    .suggest("Use a base64url or JWT token")
                    .suggest("Or set authTransport: 'query'"));
                }
                protocols = vec![SUBPROTOCOL.to_owned(), token.to_owned()];
            }
            AuthTransport::Query => query.push(("Authorization", token)),
        }
    }
    if let Some(id) = session_id.filter(|s| !s.is_empty()) {
        query.push(("OptaveTraceChatSessionId", id));
    }
    let mut url = config.websocket_url.clone();
    if !query.is_empty() {
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&encoded);
    }
    Ok(ConnectTarget { url, protocols })
}

/// RFC 7230 `tchar`.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Options of one `...Async` request.
#[derive(Debug, Clone, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestOptions {
    /// How long to wait for the first correlated frame, in ms (default: the
    /// client's `requestTimeoutMs`).
    #[serde(default)]
    #[tsify(optional)]
    pub timeout_ms: Option<f64>,
}

/// The timeout of one request: `options.timeoutMs` (JSON text of the options,
/// `None` when absent) or `default_ms`.
///
/// Errors: VALIDATION / `INVALID_ARGUMENT` for unknown keys or a timeout that
/// is not a finite number > 0.
pub fn request_timeout(
    options_json: Option<&str>,
    default_ms: f64,
    now_ms: f64,
) -> Result<f64, OptaveError> {
    let invalid = |m: String| OptaveError::validation(ErrorCode::InvalidArgument, m, now_ms);
    let Some(text) = options_json else {
        return Ok(default_ms);
    };
    let value: Value =
        serde_json::from_str(text).map_err(|e| invalid(format!("request options: {e}")))?;
    if !value.is_object() {
        return Err(invalid("request options must be an object".into()));
    }
    schema::check(&value, schema::REQUEST_OPTIONS, true)
        .map_err(|m| invalid(format!("request options: {}: {}", m.path, m.message)))?;
    match value.get("timeoutMs").and_then(Value::as_f64) {
        None => Ok(default_ms),
        Some(ms) if ms > 0.0 => Ok(ms),
        Some(_) => Err(invalid("timeoutMs must be a number of ms > 0".into())),
    }
}
