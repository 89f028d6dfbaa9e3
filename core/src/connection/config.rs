//! The session's settings ([`SessionConfig`]), from the client options.

use alloc::string::String;

use super::outbox;
use super::retry::RetryPolicy;
use super::Transport;

/// The session's settings, from the client options.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionConfig {
    /// `connectionTimeoutMs`: one attempt's limit (token and handshake), ms.
    pub connection_timeout_ms: f64,
    /// `requestTimeoutMs`: how long a fire-and-forget request is tracked
    /// after it was sent, ms.
    pub request_timeout_ms: f64,
    /// `reconnect`: `None` for `reconnect: false`.
    pub reconnect: Option<RetryPolicy>,
    /// `queueLimit`: envelopes the offline queue holds (default 100).
    pub queue_limit: usize,
    /// `queueWhileDisconnected` (default true).
    pub queue_while_disconnected: bool,
    /// `resendOnReconnect` (default true).
    pub resend_on_reconnect: bool,
    /// A `tokenProvider` was given (a refused token gets one more attempt
    /// with a fresh one).
    pub has_token_provider: bool,
    /// The `transport` option.
    pub transport: Transport,
    /// `restUrl`, validated (required for `Rest` and `Auto`).
    pub rest_url: Option<String>,
    /// `staleAfterMs`: with a request unfinished on the socket, a connection
    /// from which no frame arrived for this long, in ms, is stale (default
    /// [`super::DEFAULT_STALE_AFTER_MS`]); `None` (`staleAfterMs: false`)
    /// turns stale detection and the wake rules off.
    pub stale_after_ms: Option<f64>,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            connection_timeout_ms: crate::options::DEFAULT_TIMEOUT_MS,
            request_timeout_ms: crate::options::DEFAULT_TIMEOUT_MS,
            reconnect: Some(RetryPolicy::default()),
            queue_limit: outbox::DEFAULT_QUEUE_LIMIT,
            queue_while_disconnected: true,
            resend_on_reconnect: true,
            has_token_provider: false,
            transport: Transport::WebSocket,
            rest_url: None,
            stale_after_ms: Some(super::DEFAULT_STALE_AFTER_MS),
        }
    }
}
