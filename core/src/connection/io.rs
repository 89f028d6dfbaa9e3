//! What goes into the session machine ([`Input`]), what comes out
//! ([`Effect`]), and the states it reports ([`ConnectionState`],
//! [`ReadyState`]).

use alloc::rc::Rc;
use alloc::string::String;

use crate::error::OptaveError;

use super::rest::{Fetch, Transport};

/// The connection state (`client.state`), named as realtime SDKs name them
/// (the resilient-session issue, "Connection states").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    /// Created; `connect()` not called yet.
    Initialized,
    /// Getting a token or waiting for the socket to open.
    Connecting,
    /// Open: requests go out at once.
    Connected,
    /// The connection was lost; the next attempt is scheduled (backoff).
    Disconnected,
    /// Down for `connectionStateTtlMs`; one attempt every `maxDelayMs`.
    Suspended,
    /// `close()` was called; waiting for the close handshake.
    Closing,
    /// Closed by `close()`.
    Closed,
    /// Will not retry on its own (refused credentials, `maxAttempts` spent,
    /// or `reconnect: false`); `connect()` starts again.
    Failed,
}

impl ConnectionState {
    /// `"initialized"`, `"connecting"`, `"connected"`, `"disconnected"`,
    /// `"suspended"`, `"closing"`, `"closed"` or `"failed"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initialized => "initialized",
            Self::Connecting => "connecting",
            Self::Connected => "connected",
            Self::Disconnected => "disconnected",
            Self::Suspended => "suspended",
            Self::Closing => "closing",
            Self::Closed => "closed",
            Self::Failed => "failed",
        }
    }

    /// The WebSocket-style `readyState` of this state, kept for parity with
    /// the official client.
    pub fn ready_state(self) -> ReadyState {
        match self {
            Self::Connecting => ReadyState::Connecting,
            Self::Connected => ReadyState::Open,
            Self::Closing => ReadyState::Closing,
            _ => ReadyState::Closed,
        }
    }
}

/// The WebSocket `readyState`, as the page sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadyState {
    /// Getting a token or waiting for the socket to open.
    Connecting,
    /// Open: requests can be sent.
    Open,
    /// `close()` was called; waiting for the close handshake.
    Closing,
    /// Not connected.
    Closed,
}

impl ReadyState {
    /// `"connecting"`, `"open"`, `"closing"` or `"closed"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Open => "open",
            Self::Closing => "closing",
            Self::Closed => "closed",
        }
    }
}

/// What happened: the page's calls, the socket's events, the browser's
/// signals and the timer. Each carries the time, in ms.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
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
}

/// Why an envelope goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendKind {
    /// Sent when the page asked, the connection being open.
    Direct,
    /// Built while the connection was down; sent once it was up again.
    Queued,
    /// Sent on a connection that was lost before the request completed; sent
    /// again, the same text, after the reconnect.
    Resent,
}

impl SendKind {
    /// `"direct"`, `"queued"` or `"resent"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Queued => "queued",
            Self::Resent => "resent",
        }
    }
}

/// A `stateChange` event.
#[derive(Debug, Clone, PartialEq)]
pub struct StateChange {
    /// The state left.
    pub previous: ConnectionState,
    /// The state entered.
    pub current: ConnectionState,
    /// What caused it, when an error did.
    pub reason: Option<OptaveError>,
    /// When the next attempt is due, in ms from now (`disconnected`,
    /// `suspended`).
    pub retry_in_ms: Option<f64>,
    /// The transport requests use now (`WebSocket` or `Rest`).
    pub transport: Transport,
}

/// What the facade must do, in order. `T` is what the facade keeps per
/// `...Async` request (its promise's settle functions).
#[derive(Debug, Clone, PartialEq)]
pub enum Effect<T, S = Rc<str>> {
    /// Get a token (the explicit one, else `tokenProvider()`) and create the
    /// socket for this attempt.
    StartAttempt {
        /// The attempt number to pass back in later inputs.
        attempt: u32,
    },
    /// Emit `stateChange`.
    State(StateChange),
    /// Settle every waiting `connect()` promise.
    SettleConnect(Result<(), OptaveError>),
    /// Emit `open`.
    EmitOpen,
    /// Emit `close`.
    EmitClose {
        /// Close code.
        code: u16,
        /// Close reason.
        reason: String,
        /// Whether the close handshake completed.
        was_clean: bool,
    },
    /// Emit `error`.
    EmitError(OptaveError),
    /// `socket.send(text)`.
    Transmit {
        /// The envelope's correlationId.
        correlation_id: String,
        /// The envelope text.
        text: S,
        /// Why it goes out now.
        kind: SendKind,
    },
    /// Call `socket.close(code, reason)`.
    CloseSocket {
        /// Close code.
        code: u16,
        /// Close reason.
        reason: &'static str,
    },
    /// Remove the socket's listeners and drop it.
    ReleaseSocket,
    /// Reject one `...Async` request or handle with this error (its
    /// correlationId set).
    Reject(T, OptaveError),
    /// A request handle settled: its request is complete and no frame came
    /// for its `settleMs` (the correlationId).
    Settled(T, String),
    /// Make this REST call: get a token (the explicit one, else
    /// `tokenProvider()`; none when `authRequired` is false), then `fetch`
    /// it with an `AbortController`; report [`Input::FetchResponse`] or
    /// [`Input::FetchFailed`].
    Fetch(Fetch),
    /// Abort the REST call `id` (timeout, cancel, close).
    AbortFetch {
        /// The fetch's number.
        id: u32,
    },
    /// The REST call just reported answered with 2xx: deliver the frames of
    /// its body (one frame, an array of frames or a response envelope) as
    /// inbound frames of this request (its correlationId and action where a
    /// frame names none).
    Deliver {
        /// The request's correlationId.
        correlation_id: String,
    },
}
