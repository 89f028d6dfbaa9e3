//! The `websocketUrl` rule (protocol.md sections 1 and 7), judged on what a
//! WHATWG URL parser (the browser's own `URL`) made of the text.

use alloc::string::String;
use alloc::vec;

use crate::error::{Detail, ErrorCode, OptaveError};
use crate::text::Text;
use crate::url::UrlParts;

/// The endpoint a URL option names, and the schemes it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `websocketUrl`: `wss:`, or `ws:` to a loopback host.
    WebSocket,
    /// `restUrl`: `https:`, or `http:` to a loopback host.
    Rest,
}

impl Endpoint {
    fn option(self) -> &'static str {
        match self {
            Self::WebSocket => "websocketUrl",
            Self::Rest => "restUrl",
        }
    }

    /// (secure scheme, plain scheme), as a WHATWG parser spells them.
    fn schemes(self) -> (&'static str, &'static str) {
        match self {
            Self::WebSocket => ("wss:", "ws:"),
            Self::Rest => ("https:", "http:"),
        }
    }
}

/// Checks a WebSocket URL; see [`check_url`].
///
/// Errors: VALIDATION / `INVALID_WEBSOCKET_URL`.
pub fn check_websocket_url(
    url: &str,
    parsed: Option<&UrlParts>,
    now_ms: f64,
) -> Result<(), OptaveError> {
    check_url(Endpoint::WebSocket, url, parsed, now_ms)
}

/// Checks an endpoint URL as `parsed` by a WHATWG URL parser (`None` when
/// the parser refused it): the endpoint's secure scheme (`wss`, `https`),
/// or its plain one (`ws`, `http`) only to `localhost`, `127.0.0.0/8` or
/// `[::1]` ([`crate::url`]); a host, no user name or password, no fragment,
/// no white space or control character in the text. The host judged is the
/// parser's, so `ws://evil.example\\@127.0.0.1/`, which a browser reads as a
/// path on `evil.example`, is refused, and `ws://127.1/`, which it reads as
/// `127.0.0.1`, is accepted. One rule for `websocketUrl` and `restUrl`.
///
/// Errors: VALIDATION / `INVALID_WEBSOCKET_URL` (for both options; the
/// message and `details` name the option).
pub fn check_url(
    endpoint: Endpoint,
    url: &str,
    parsed: Option<&UrlParts>,
    now_ms: f64,
) -> Result<(), OptaveError> {
    let option = endpoint.option();
    let (secure_scheme, plain_scheme) = endpoint.schemes();
    let bad = |why: &str| {
        OptaveError::validation(
            ErrorCode::InvalidWebsocketUrl,
            Text::new(option).s(" ").q(url).s(" ").s(why),
            now_ms,
        )
        .with_details(Detail::Map(vec![(option, Detail::str(String::from(url)))]))
        .suggest(match endpoint {
            Endpoint::WebSocket => "Use wss://ws-{tenant}.oco.optave.{tld}",
            Endpoint::Rest => "Use https://{tenant}.oco.optave.{tld}",
        })
    };
    if url.is_empty() {
        return Err(bad("is missing"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("must not contain white space or control characters"));
    }
    let parsed = parsed.ok_or_else(|| bad("is not an absolute URL"))?;
    let scheme = parsed.scheme.as_str();
    let secure = scheme == secure_scheme;
    if !secure && scheme != plain_scheme {
        return Err(bad(match endpoint {
            Endpoint::WebSocket => "has a scheme other than wss (or ws to localhost)",
            Endpoint::Rest => "has a scheme other than https (or http to localhost)",
        }));
    }
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
        return Err(match endpoint {
            Endpoint::WebSocket => bad("uses ws:// to a non-loopback host; use wss://")
                .suggest("ws:// is allowed only for localhost, 127.0.0.1 and [::1]"),
            Endpoint::Rest => bad("uses http:// to a non-loopback host; use https://")
                .suggest("http:// is allowed only for localhost, 127.0.0.1 and [::1]"),
        });
    }
    Ok(())
}
