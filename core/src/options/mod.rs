//! Client options and the connection target (protocol.md sections 1 and 7).
//!
//! Validates what the page passes to `new OptaveClient(...)` (as the JSON text
//! `JSON.stringify(options)` made; functions are absent from it) and turns
//! the URL, token and session id into what `new WebSocket(url, protocols)` takes.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::connection::retry::RetryPolicy;
use crate::connection::{SessionConfig, Transport};
use crate::error::{Detail, ErrorCode, OptaveError};
use crate::json::{self, Doc, Kind, Node};
use crate::text::Text;
use crate::url::UrlParts;

mod bounds;
mod cross_tab;
mod session;
mod target;
mod timeouts;
mod transport;
mod url_rule;
pub use bounds::{
    check_argument, refuse_long_options, refuse_long_token, MAX_ARGUMENT_UNITS, MAX_OPTIONS_UNITS,
    MAX_TOKEN_UNITS,
};
pub use session::MAX_QUEUE_LIMIT;
pub use target::{bearer_token, connect_target, ConnectTarget};
pub use timeouts::{
    handle_options, number, request_timeout, HandleOptions, DEFAULT_SETTLE_MS, DEFAULT_TIMEOUT_MS,
    MAX_TIMEOUT_MS, NON_FINITE,
};
pub use url_rule::{check_url, check_websocket_url, Endpoint};

/// The subprotocol that announces a token in the second protocol entry.
pub const SUBPROTOCOL: &str = "optave-v1";
/// How the token reaches the server (protocol.md section 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AuthTransport {
    /// `new WebSocket(url, ["optave-v1", token])`: the token never appears in a URL (default).
    #[default]
    Subprotocol,
    /// `url?Authorization=<token>`: discouraged, warns once.
    Query,
}

/// Every key `new OptaveClient(options)` accepts.
pub const OPTION_KEYS: [&str; 21] = [
    "websocketUrl",
    "restUrl",
    "transport",
    "tokenProvider",
    "authTransport",
    "authRequired",
    "organizationId",
    "tenantId",
    "connectionTimeoutMs",
    "requestTimeoutMs",
    "strictValidation",
    "maxInboundFrameBytes",
    "reconnect",
    "connectionStateTtlMs",
    "queueLimit",
    "queueWhileDisconnected",
    "resendOnReconnect",
    "staleAfterMs",
    "crossTab",
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
    /// `reconnect` and `connectionStateTtlMs`; `None` for `reconnect: false`.
    pub reconnect: Option<RetryPolicy>,
    /// `queueLimit` (default 100).
    pub queue_limit: usize,
    /// `queueWhileDisconnected` (default true).
    pub queue_while_disconnected: bool,
    /// `resendOnReconnect` (default true).
    pub resend_on_reconnect: bool,
    /// `restUrl`, validated like `websocketUrl` (`https:`, `http:` to
    /// loopback only); `None` by default.
    pub rest_url: Option<String>,
    /// `transport`: `WebSocket` by default, `Auto` when `restUrl` is set.
    pub transport: Transport,
    /// `staleAfterMs`, ms (default 15,000); `None` for `staleAfterMs: false`.
    pub stale_after_ms: Option<f64>,
    /// `crossTab.key`: share one connection with the other tabs of this
    /// origin that give the same key, URL, tenant and organization
    /// ([`crate::crosstab`]); `None` without the option.
    pub cross_tab_key: Option<String>,
}

impl ClientConfig {
    /// The session machine's settings; `has_token_provider` says whether
    /// the page gave a `tokenProvider`.
    pub fn session(&self, has_token_provider: bool) -> SessionConfig {
        SessionConfig {
            connection_timeout_ms: self.connection_timeout_ms,
            request_timeout_ms: self.request_timeout_ms,
            reconnect: self.reconnect,
            queue_limit: self.queue_limit,
            queue_while_disconnected: self.queue_while_disconnected,
            resend_on_reconnect: self.resend_on_reconnect,
            has_token_provider,
            transport: self.transport,
            rest_url: self.rest_url.clone(),
            stale_after_ms: self.stale_after_ms,
        }
    }
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

const WANT: [(&str, Want); 17] = [
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
    ("connectionStateTtlMs", Want::Num),
    ("queueLimit", Want::Num),
    ("queueWhileDisconnected", Want::Bool),
    ("resendOnReconnect", Want::Bool),
    ("restUrl", Want::Str),
    ("transport", Want::Str),
    ("staleAfterMs", Want::Any),
];

impl ClientConfig {
    /// Parses and validates the data options given as JSON text;
    /// `parse_url` is a WHATWG URL parser (the browser's `URL` in the facade)
    /// through which `websocketUrl` is judged.
    ///
    /// Errors: VALIDATION / `INVALID_OPTION` (not an object, an unknown key, a
    /// wrong type, a timeout outside 1 to 2,147,483,647 ms, naming the option;
    /// `staleAfterMs` that is neither such a number nor a boolean),
    /// `UNSUPPORTED_IN_BROWSER` (a `clientSecret`), `INVALID_WEBSOCKET_URL`
    /// (see [`check_websocket_url`]; `restUrl` too, [`check_url`]),
    /// `INVALID_OPTION` for a `transport` other than `websocket`, `rest`,
    /// `auto`, or `rest`/`auto` without `restUrl`.
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
        let mut reconnect_at = None;
        let mut cross_tab_at = None;
        for child in doc.children(0) {
            let Some(node) = doc.node(child) else {
                continue;
            };
            let key = json::key(text, node);
            if !OPTION_KEYS.contains(&&*key) {
                unknown.push(key.into_owned());
                continue;
            }
            if key == "reconnect" {
                reconnect_at = Some(child);
            }
            if key == "crossTab" {
                cross_tab_at = Some(child);
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
        let [url, transport, auth_required, org, tenant, conn_ms, req_ms, strict, max_frame, secret, ttl_ms, queue_limit, queue_while, resend, rest_url, mode, stale] =
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
        let rest_url = string(rest_url);
        if let Some(rest_url) = &rest_url {
            check_url(
                Endpoint::Rest,
                rest_url,
                parse_url(rest_url).as_ref(),
                now_ms,
            )?;
        }
        let transport_mode = transport::mode(string(mode).as_deref(), rest_url.is_some(), now_ms)?;
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
        let ttl_ms = match ttl_ms {
            None => RetryPolicy::default().state_ttl_ms,
            some => timeout("connectionStateTtlMs", some)?,
        };
        // A boolean: `false` turns liveness off, `true` is the default;
        // anything else must be a number of ms (a string or an object is
        // refused by the number reading).
        let stale_after_ms = match stale.map(|n| (n.kind, json::raw(text, &n))) {
            None | Some((Kind::Bool, "true")) => Some(crate::connection::DEFAULT_STALE_AFTER_MS),
            Some((Kind::Bool, _)) => None,
            Some(_) => Some(timeout("staleAfterMs", stale)?),
        };
        Ok(Self {
            cross_tab_key: cross_tab::key(&doc, text, cross_tab_at, now_ms)?,
            stale_after_ms,
            reconnect: session::reconnect(&doc, text, reconnect_at, ttl_ms, now_ms)?,
            queue_limit: session::queue_limit(queue_limit.map(|n| json::raw(text, &n)), now_ms)?,
            queue_while_disconnected: flag(queue_while).unwrap_or(true),
            resend_on_reconnect: flag(resend).unwrap_or(true),
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
            rest_url,
            transport: transport_mode,
        })
    }
}
