//! What goes into the session machine: [`Input`], through its one door
//! ([`super::Session::handle`]).

use alloc::string::String;

use crate::error::OptaveError;

#[allow(unused_imports)] // named by the docs
use super::io::Effect;
use super::io::SendKind;
use super::requests::Request;

/// What happened: the page's calls and requests, the socket's events and
/// frames, the browser's signals, the timer and the REST answers. Each
/// carries the time, in ms. `T` is what the facade keeps per `...Async`
/// request (see [`Effect`]). This is the only way into the session.
#[derive(Debug, Clone, PartialEq)]
pub enum Input<T> {
    /// The page called `connect(token?)`; `explicit_token` says whether a
    /// token was given (it is then reused for every attempt).
    Connect {
        /// Now, ms.
        now_ms: f64,
        /// A token was passed to `connect()`.
        explicit_token: bool,
    },
    /// The token for `attempt` is ready and the socket was created.
    SocketCreated {
        /// The attempt.
        attempt: u32,
    },
    /// Getting the token or creating the socket failed.
    AttemptFailed {
        /// The attempt.
        attempt: u32,
        /// Why.
        error: OptaveError,
        /// Now, ms.
        now_ms: f64,
    },
    /// The socket's `open` event.
    SocketOpen {
        /// The attempt.
        attempt: u32,
        /// Now, ms.
        now_ms: f64,
    },
    /// The socket's `error` event.
    SocketError {
        /// The attempt.
        attempt: u32,
        /// Now, ms.
        now_ms: f64,
    },
    /// The socket's `close` event.
    SocketClosed {
        /// The attempt.
        attempt: u32,
        /// Close code.
        code: u16,
        /// Close reason.
        reason: String,
        /// Whether the close handshake completed.
        was_clean: bool,
        /// Now, ms.
        now_ms: f64,
    },
    /// The page called `close()`.
    Close {
        /// Now, ms.
        now_ms: f64,
    },
    /// The timer armed at [`super::Session::next_wakeup`] fired.
    Tick {
        /// Now, ms.
        now_ms: f64,
    },
    /// `window` `offline`.
    Offline {
        /// Now, ms.
        now_ms: f64,
    },
    /// `window` `online`: reconnect now if the socket is not open; an open
    /// one with requests on it is treated as stale (the path may have
    /// changed).
    Online {
        /// Now, ms.
        now_ms: f64,
    },
    /// `visibilitychange` to visible, `pageshow` (from the back/forward
    /// cache or not), or `resume` (after `freeze`): reconnect now if the
    /// socket is not open; an open one is judged by the wake rule
    /// (`super::liveness`).
    Resume {
        /// Now, ms.
        now_ms: f64,
    },
    /// `visibilitychange` to hidden (`frozen: false`), or `freeze` (`frozen:
    /// true`): the page is away from now; the next `Resume` judges the open
    /// socket by how long it was away and whether it was frozen.
    Hidden {
        /// Now, ms.
        now_ms: f64,
        /// `freeze`: the page's tasks (and its socket's reads) stopped.
        frozen: bool,
    },
    /// `pagehide`: the socket is closed so the page stays eligible for the
    /// back/forward cache; `Resume` reconnects.
    PageHide {
        /// Now, ms.
        now_ms: f64,
    },
    /// Cross-tab sharing (docs/api.md, "One connection across tabs"): the
    /// tab that carries this session's connection changed or its connection
    /// came or went. `ready: false` (the leader tab's connection is not
    /// open, or leadership moved): the socket or link under way is closed and
    /// released, its requests kept for resending, and the session waits in
    /// `disconnected` with no retry of its own. `ready: true`: a session so
    /// waiting starts an attempt at once (through the new carrier).
    Carrier {
        /// Whether the carrier can take the connection now.
        ready: bool,
        /// Now, ms.
        now_ms: f64,
    },
    /// Cross-tab sharing, in the tab holding the socket: whether other tabs
    /// have requests unfinished on it, which the stale rule counts with
    /// this tab's own (`super::liveness`).
    Peers {
        /// Other tabs have requests unfinished.
        unfinished: bool,
        /// Now, ms.
        now_ms: f64,
    },
    /// The REST call [`Effect::Fetch`] `id` was answered.
    FetchResponse {
        /// The fetch's number.
        id: u32,
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header, in ms (seconds, or an HTTP date, read
        /// by the facade), when present.
        retry_after_ms: Option<f64>,
        /// For a status that is not 2xx: the start of the body (at most
        /// [`super::rest::MAX_ERROR_BODY_UNITS`] UTF-16 units); else empty.
        body: String,
        /// Now, ms.
        now_ms: f64,
    },
    /// The REST call `id` failed before an answer: `error` when no token
    /// could be had (it ends the request), `None` for a network error (the
    /// call is retried).
    FetchFailed {
        /// The fetch's number.
        id: u32,
        /// Why, when it is final.
        error: Option<OptaveError>,
        /// Now, ms.
        now_ms: f64,
    },
    /// The page made a request: sent now when `connected`
    /// ([`Effect::Transmit`], [`SendKind::Direct`]) or over REST
    /// ([`Effect::Fetch`]), queued while connecting or reconnecting (no
    /// effect), or refused ([`Effect::Refused`]: WEBSOCKET
    /// `WEBSOCKET_NOT_IN_OPEN_STATE`, `QUEUE_FULL`; VALIDATION
    /// `DUPLICATE_CORRELATION_ID`).
    Submit {
        /// The request.
        request: Request<T>,
        /// Now, ms.
        now_ms: f64,
    },
    /// An inbound frame was routed for delivery: [`Effect::Frame`] delivers
    /// it (and names the waiter it settles), or nothing for a repeat of a
    /// tracked request's `(actionType, state)`.
    Frame {
        /// The correlationId it names, if any.
        correlation_id: Option<String>,
        /// Its `actionType`, if any.
        action_type: Option<String>,
        /// Its `state`, if any.
        state: Option<String>,
        /// Now, ms.
        now_ms: f64,
    },
    /// `cancelRequest(id)`: an unsettled `...Async` request or handle stops
    /// ([`Effect::AbortFetch`] for its REST call, then [`Effect::Reject`]
    /// with VALIDATION `REQUEST_CANCELLED`); nothing for anything else.
    Cancel {
        /// The correlationId.
        correlation_id: String,
        /// Now, ms.
        now_ms: f64,
    },
    /// `cancelPendingRequests()`: every unsettled `...Async` request or
    /// handle stops (first every [`Effect::AbortFetch`], then every
    /// [`Effect::Reject`], `REQUEST_CANCELLED`), in the order they were made.
    CancelAll {
        /// Now, ms.
        now_ms: f64,
    },
    /// `free()`: every unsettled request rejects with WEBSOCKET
    /// `CONNECTION_CLOSED` ([`Effect::Reject`]), then the waiting `connect()`
    /// promises ([`Effect::SettleConnect`]).
    Free {
        /// Now, ms.
        now_ms: f64,
    },
    /// `WebSocket.send` threw for the request the error names (its
    /// correlationId): it stops being tracked. Sent at the page's call
    /// ([`SendKind::Direct`]): the call fails ([`Effect::Refused`]); else
    /// [`Effect::Fail`].
    SendFailed {
        /// Why (WEBSOCKET `SEND_FAILED`, its correlationId set).
        error: OptaveError,
        /// Why it was going out.
        kind: SendKind,
    },
    /// A frame could not be read (not JSON, too large): the request it names
    /// (the error's correlationId) stops being tracked; [`Effect::Fail`].
    Unreadable {
        /// Why, with the correlationId the frame named, if any.
        error: OptaveError,
    },
}
