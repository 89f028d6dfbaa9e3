//! What `new WebSocket(url, protocols)` gets (protocol.md section 1): the
//! token as the `optave-v1` subprotocol pair or the `Authorization` query
//! parameter, and the session id as `OptaveTraceChatSessionId`.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::{AuthTransport, ClientConfig, SUBPROTOCOL};
use crate::error::{ErrorCode, OptaveError};

/// What `new WebSocket(url, protocols)` gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectTarget {
    /// The URL, with query parameters added.
    pub url: String,
    /// The subprotocols; empty for none.
    pub protocols: Vec<String>,
}

/// The token as given, a leading `Bearer ` stripped; `None` when there is
/// none.
///
/// Errors: AUTHENTICATION / `MISSING_TOKEN` (none, and `authRequired`).
fn given_token<'a>(
    config: &ClientConfig,
    token: Option<&'a str>,
    now_ms: f64,
) -> Result<Option<&'a str>, OptaveError> {
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
    Ok(token)
}

/// The token of a REST call, for `Authorization: Bearer <token>`
/// (protocol.md section 1): a leading `Bearer ` stripped, `None` when there
/// is none and `authRequired` is false.
///
/// Errors: AUTHENTICATION / `MISSING_TOKEN` (no token, `authRequired`),
/// `INVALID_TOKEN` (characters an HTTP header value cannot carry).
pub fn bearer_token(
    config: &ClientConfig,
    token: Option<&str>,
    now_ms: f64,
) -> Result<Option<String>, OptaveError> {
    match given_token(config, token, now_ms)? {
        Some(t) if !t.chars().all(|c| c.is_ascii_graphic()) => Err(OptaveError::authentication(
            ErrorCode::InvalidToken,
            "the token has characters an HTTP Authorization header cannot carry",
            now_ms,
        )),
        t => Ok(t.map(String::from)),
    }
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
    let token = given_token(config, token, now_ms)?;
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
                protocols = vec![String::from(SUBPROTOCOL), String::from(token)];
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
        url.push(if crate::text::has_byte(&url, b'?') {
            '&'
        } else {
            '?'
        });
        url.push_str(&encoded);
    }
    Ok(ConnectTarget { url, protocols })
}

/// RFC 7230 `tchar`.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_ascii() && b"!#$%&'*+-.^_`|~".contains(&(c as u8)))
}
