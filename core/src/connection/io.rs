//! What goes into the session machine ([`Input`], in `input.rs`), what comes out
//! ([`Effect`]), and the states it reports ([`ConnectionState`],
//! [`ReadyState`]).

use alloc::rc::Rc;
use alloc::string::String;

use crate::error::OptaveError;

pub use super::input::Input;
use super::rest::{Fetch, Transport};

/// The connection state (`client.state`), named as realtime SDKs name them
/// (docs/api.md, "Connection states, reconnection and the offline queue").
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
    /// The request of [`Input::Submit`] was refused, or its send failed
    /// ([`Input::SendFailed`] of [`SendKind::Direct`]): the page's call
    /// fails with this error (its caller reports it).
    Refused(OptaveError),
    /// Emit `error` with this error, then reject the waiter, if any, with
    /// the same error object (a resend that failed, a frame that could not
    /// be read).
    Fail {
        /// The request's waiter, if it had one.
        waiter: Option<T>,
        /// Why.
        error: OptaveError,
    },
    /// Deliver the frame of [`Input::Frame`] to the page; `waiter` is the
    /// `...Async` promise it settles (the first frame) or the handle it
    /// goes to (every frame).
    Frame {
        /// The waiter it settles or feeds, if any.
        waiter: Option<T>,
    },
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
