//! What goes into the connection state machine ([`Input`]) and what comes out
//! ([`Effect`]), and the `readyState` it reports.

use alloc::string::String;

use crate::error::OptaveError;

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

/// What happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The page called `connect()`.
    Connect {
        /// Now, ms.
        now_ms: f64,
        /// `connectionTimeoutMs`.
        timeout_ms: f64,
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
    },
    /// The socket's `open` event.
    SocketOpen {
        /// The attempt.
        attempt: u32,
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
    /// A timer fired.
    Tick {
        /// Now, ms.
        now_ms: f64,
    },
}

/// What the facade must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Get a token and create the socket for this attempt.
    StartAttempt {
        /// The attempt number to pass back in later inputs.
        attempt: u32,
    },
    /// Arm a timer to deliver `Tick` at this time (ms).
    ArmTimer {
        /// When.
        at_ms: f64,
    },
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
    /// Call `socket.close(code, reason)`.
    CloseSocket {
        /// Close code.
        code: u16,
        /// Close reason.
        reason: &'static str,
    },
    /// Remove the socket's listeners and drop it.
    ReleaseSocket,
    /// Reject every pending request with this error.
    RejectPending(OptaveError),
}
