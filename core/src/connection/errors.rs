//! The errors the session reports, one constructor each.

use crate::error::{Detail, ErrorCode, OptaveError};
use crate::text::Text;

use super::io::ConnectionState;
use super::outbox::{Refusal, QUEUE_MAX_BYTES};

/// AUTHENTICATION / `AUTHENTICATION_FAILED`: close code 4401/4403/1008.
pub fn auth_refused(code: u16, reason: &str, now_ms: f64) -> OptaveError {
    OptaveError::authentication(
        ErrorCode::AuthenticationFailed,
        Text::new("the server refused the credentials (close code ")
            .n(u64::from(code))
            .s(": ")
            .q(reason)
            .s(")"),
        now_ms,
    )
    .suggest("Fetch a fresh token: tickets are short-lived and single-use")
}

/// WEBSOCKET / `CONNECTION_ERROR`: the socket closed before opening.
pub fn closed_before_open(code: u16, now_ms: f64) -> OptaveError {
    OptaveError::websocket(
        ErrorCode::ConnectionError,
        Text::new("the WebSocket closed before opening (code ")
            .n(u64::from(code))
            .s(")"),
        now_ms,
    )
    .suggest("Check websocketUrl and that the server is reachable")
    .suggest("Check that the token is valid and not already used")
}

/// WEBSOCKET / `CONNECTION_CLOSED`: an open connection closed without the
/// page asking.
pub fn closed_unexpectedly(code: u16, was_clean: bool, now_ms: f64) -> OptaveError {
    OptaveError::websocket(
        ErrorCode::ConnectionClosed,
        Text::new("the connection closed unexpectedly (code ")
            .n(u64::from(code))
            .s(if was_clean { "" } else { ", not clean" })
            .s(")"),
        now_ms,
    )
    .suggest("The client reconnects by itself unless reconnect is false; watch stateChange")
}

/// WEBSOCKET / `CONNECTION_CLOSED`: `close()` ended what was pending.
pub fn closed_by_page(message: &'static str, now_ms: f64) -> OptaveError {
    OptaveError::websocket(ErrorCode::ConnectionClosed, message, now_ms)
}

/// WEBSOCKET / `CONNECTION_CLOSED`: the connection closed with
/// `reconnect: false`; the request will not be sent again.
pub fn closed_pending(now_ms: f64) -> OptaveError {
    OptaveError::websocket(
        ErrorCode::ConnectionClosed,
        "the connection closed before a response arrived",
        now_ms,
    )
    .suggest("Leave reconnect on to have pending requests sent again after a reconnect")
}

/// WEBSOCKET / `CONNECTION_LOST`: the connection was lost and
/// `resendOnReconnect` is false.
pub fn connection_lost(now_ms: f64) -> OptaveError {
    OptaveError::websocket(
        ErrorCode::ConnectionLost,
        "the connection was lost before a response arrived (resendOnReconnect is false)",
        now_ms,
    )
    .suggest("Send the request again once stateChange reports connected")
}

/// WEBSOCKET / `CONNECTION_TIMEOUT`: the attempt did not open in time.
pub fn connect_timeout(timeout_ms: f64, now_ms: f64) -> OptaveError {
    OptaveError::websocket(
        ErrorCode::ConnectionTimeout,
        Text::new("the connection did not open within ")
            .n(timeout_ms as u64)
            .s(" ms"),
        now_ms,
    )
    .suggest("Check websocketUrl and the network, or raise connectionTimeoutMs")
}

/// AUTHENTICATION / `TOKEN_PROVIDER_FAILED`: `tokenProvider()` did not
/// settle within `connectionTimeoutMs`.
pub fn provider_timeout(timeout_ms: f64, now_ms: f64) -> OptaveError {
    OptaveError::authentication(
        ErrorCode::TokenProviderFailed,
        Text::new("tokenProvider did not answer within connectionTimeoutMs (")
            .n(timeout_ms as u64)
            .s(" ms)"),
        now_ms,
    )
    .suggest("Check the page's ticket endpoint; tokenProvider is called for every connection")
}

/// WEBSOCKET / `WEBSOCKET_ERROR`: the socket's `error` event while open.
pub fn socket_error(now_ms: f64) -> OptaveError {
    OptaveError::websocket(
        ErrorCode::WebsocketError,
        "the WebSocket reported an error",
        now_ms,
    )
}

/// WEBSOCKET / `CONNECTION_CLOSED`: the browser went offline, or the page
/// was hidden (`pagehide`), and the socket was closed.
pub fn interrupted(why: &'static str, now_ms: f64) -> OptaveError {
    OptaveError::websocket(ErrorCode::ConnectionClosed, why, now_ms)
}

/// VALIDATION / `INVALID_ARGUMENT`: a request whose correlationId or
/// idempotency key (`field`) cannot be an HTTP header value
/// ([`super::rest::header_value_ok`]) cannot go over REST.
pub fn not_a_header(
    field: &'static str,
    header: &'static str,
    correlation_id: &str,
    now_ms: f64,
) -> OptaveError {
    OptaveError::validation(
        ErrorCode::InvalidArgument,
        Text::new(field)
            .s(" cannot go over REST: as the ")
            .s(header)
            .s(" header it must be printable ASCII, not starting or ending with a space"),
        now_ms,
    )
    .with_details(Detail::Map(alloc::vec![("path", Detail::str(field))]))
    .for_request(correlation_id)
    .suggest("Leave it out for a generated UUID, or use printable ASCII")
}

/// WEBSOCKET / `WEBSOCKET_NOT_IN_OPEN_STATE`: a send the state refuses.
pub fn not_open(state: ConnectionState, correlation_id: &str, now_ms: f64) -> OptaveError {
    OptaveError::websocket(
        ErrorCode::WebsocketNotInOpenState,
        Text::new("cannot send: the client is ").s(state.as_str()),
        now_ms,
    )
    .for_request(correlation_id)
    .suggest("Call client.connect() first; sends made while connecting or reconnecting are queued")
}

/// The refusal of [`super::outbox::Outbox::submit`]: VALIDATION /
/// `DUPLICATE_CORRELATION_ID` or WEBSOCKET / `QUEUE_FULL`.
pub fn refused(refusal: Refusal, correlation_id: &str, now_ms: f64) -> OptaveError {
    match refusal {
        Refusal::Duplicate => OptaveError::validation(
            ErrorCode::DuplicateCorrelationId,
            Text::new("headers.correlationId ")
                .q(correlation_id)
                .s(" is already the correlationId of a request in flight"),
            now_ms,
        )
        .suggest("Leave headers.correlationId out (the SDK then uses request.requestId, or a fresh id when that is in flight), or give a new one"),
        Refusal::QueueCount { limit } => OptaveError::websocket(
            ErrorCode::QueueFull,
            Text::new("the offline queue already holds queueLimit (")
                .n(limit as u64)
                .s(") envelopes"),
            now_ms,
        )
        .suggest("Wait for stateChange to report connected, or raise queueLimit"),
        Refusal::QueueBytes { would_hold } => OptaveError::websocket(
            ErrorCode::QueueFull,
            Text::new("the offline queue would hold ")
                .n(would_hold as u64)
                .s(" bytes, over its ")
                .n(QUEUE_MAX_BYTES as u64)
                .s(" bytes"),
            now_ms,
        )
        .suggest("Wait for stateChange to report connected before sending more"),
    }
    .for_request(correlation_id)
}

/// WEBSOCKET / `REQUEST_TIMEOUT`: no response before the request's deadline.
pub fn request_timeout(correlation_id: &str, now_ms: f64) -> OptaveError {
    OptaveError::websocket(
        ErrorCode::RequestTimeout,
        Text::new("no response to request ")
            .s(correlation_id)
            .s(" before its timeout"),
        now_ms,
    )
    .for_request(correlation_id)
    .suggest("Raise timeoutMs (or requestTimeoutMs), or check the connection")
}

/// WEBSOCKET / `CONNECTION_STALE`: no frame for `staleAfterMs` with a
/// request unfinished (`woke: false`), or the page woke up (frozen, hidden
/// over `staleAfterMs`, back online) with requests on the wire (`woke:
/// true`); the SDK closed the connection (4000) and reconnects.
pub fn stale(woke: bool, now_ms: f64) -> OptaveError {
    let message = if woke {
        "the page woke up with requests on the wire: reconnecting"
    } else {
        "no frame for staleAfterMs with requests unfinished: reconnecting"
    };
    OptaveError::websocket(ErrorCode::ConnectionStale, message, now_ms)
        .suggest("Unfinished requests are resent; raise staleAfterMs for slow answers")
}

/// VALIDATION / `REQUEST_CANCELLED`: `cancelRequest()` or
/// `cancelPendingRequests()` (the correlationId set per request).
pub fn cancelled(now_ms: f64) -> OptaveError {
    OptaveError::validation(
        ErrorCode::RequestCancelled,
        "the request was cancelled",
        now_ms,
    )
}

/// WEBSOCKET / `CONNECTION_CLOSED`: `free()` with the request unsettled.
pub fn freed(now_ms: f64) -> OptaveError {
    OptaveError::websocket(ErrorCode::ConnectionClosed, "the client was freed", now_ms)
}
