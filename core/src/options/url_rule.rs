//! The `websocketUrl` rule (protocol.md sections 1 and 7), judged on what a
//! WHATWG URL parser (the browser's own `URL`) made of the text.

use alloc::string::String;
use alloc::vec;

use crate::error::{Detail, ErrorCode, OptaveError};
use crate::text::Text;
use crate::url::UrlParts;

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
