//! The connection state machine: inputs from the page and the socket in,
//! effects for the facade to carry out.
//!
//! States are an enum with one transition function, so a `Reconnecting` state
//! (backoff, attempts) can be added as a new variant and new inputs without
//! restructuring. Every attempt carries a number so a late token or socket
//! event from an abandoned attempt is ignored.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::error::{Detail, ErrorCode, OptaveError};
use crate::text::Text;

mod io;
pub mod queue;
pub mod retry;
pub use io::{Effect, Input, ReadyState};

/// Internal state.
#[derive(Debug, Clone, PartialEq)]
enum State {
    Closed,
    Connecting {
        attempt: u32,
        deadline_ms: f64,
        timeout_ms: f64,
        socket: bool,
    },
    Open {
        attempt: u32,
    },
    Closing {
        attempt: u32,
    },
}

/// The connection state machine.
#[derive(Debug, Clone)]
pub struct Connection {
    state: State,
    attempts: u32,
}

impl Default for Connection {
    fn default() -> Self {
        Self {
            state: State::Closed,
            attempts: 0,
        }
    }
}

/// Close code 1000, "normal closure" (RFC 6455 section 7.4.1): the one close
/// from the server, once open, that is not reported on `error`.
pub const NORMAL_CLOSURE: u16 = 1000;

/// Close codes by which a server refuses credentials.
fn is_auth_close(code: u16) -> bool {
    matches!(code, 1008 | 4001 | 4003 | 4401 | 4403)
}

impl Connection {
    /// The `readyState`.
    pub fn ready_state(&self) -> ReadyState {
        match self.state {
            State::Closed => ReadyState::Closed,
            State::Connecting { .. } => ReadyState::Connecting,
            State::Open { .. } => ReadyState::Open,
            State::Closing { .. } => ReadyState::Closing,
        }
    }

    /// The current attempt, when one is live.
    pub fn attempt(&self) -> Option<u32> {
        match self.state {
            State::Closed => None,
            State::Connecting { attempt, .. }
            | State::Open { attempt }
            | State::Closing { attempt } => Some(attempt),
        }
    }

    /// The connection deadline, while connecting.
    pub fn deadline(&self) -> Option<f64> {
        match self.state {
            State::Connecting { deadline_ms, .. } => Some(deadline_ms),
            _ => None,
        }
    }

    /// Feeds one input; returns the effects to carry out, in order.
    pub fn handle(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Connect { now_ms, timeout_ms } => self.on_connect(now_ms, timeout_ms),
            Input::SocketCreated { attempt } => {
                if let State::Connecting {
                    attempt: a, socket, ..
                } = &mut self.state
                {
                    if *a == attempt {
                        *socket = true;
                    }
                }
                Vec::new()
            }
            Input::AttemptFailed { attempt, error } => {
                if !self.is_connecting(attempt) {
                    return Vec::new();
                }
                self.state = State::Closed;
                vec![
                    Effect::ReleaseSocket,
                    Effect::SettleConnect(Err(error.clone())),
                    Effect::EmitError(error),
                ]
            }
            Input::SocketOpen { attempt } => {
                if !self.is_connecting(attempt) {
                    return Vec::new();
                }
                self.state = State::Open { attempt };
                vec![Effect::SettleConnect(Ok(())), Effect::EmitOpen]
            }
            Input::SocketError { attempt, now_ms } => match self.state {
                // While connecting, the close event that follows says more.
                State::Open { attempt: a } if a == attempt => {
                    vec![Effect::EmitError(OptaveError::websocket(
                        ErrorCode::WebsocketError,
                        "the WebSocket reported an error",
                        now_ms,
                    ))]
                }
                _ => Vec::new(),
            },
            Input::SocketClosed {
                attempt,
                code,
                reason,
                was_clean,
                now_ms,
            } => self.on_closed(attempt, code, reason, was_clean, now_ms),
            Input::Close { now_ms } => self.on_close_requested(now_ms),
            Input::Tick { now_ms } => self.on_tick(now_ms),
        }
    }

    /// True while `attempt` is the attempt under way and has no socket yet:
    /// only then may its token open a socket. A superseded attempt (closed,
    /// timed out, replaced by a newer one) never opens one, so a single-use
    /// ticket that arrives late is dropped rather than spent on a socket
    /// nobody owns.
    pub fn wants_socket(&self, attempt: u32) -> bool {
        matches!(self.state, State::Connecting { attempt: a, socket: false, .. } if a == attempt)
    }

    fn is_connecting(&self, attempt: u32) -> bool {
        matches!(self.state, State::Connecting { attempt: a, .. } if a == attempt)
    }

    fn on_connect(&mut self, now_ms: f64, timeout_ms: f64) -> Vec<Effect> {
        match self.state {
            State::Open { .. } => vec![Effect::SettleConnect(Ok(()))],
            State::Connecting { .. } => Vec::new(), // joins the attempt under way
            State::Closed | State::Closing { .. } => {
                let mut effects = Vec::new();
                if matches!(self.state, State::Closing { .. }) {
                    effects.push(Effect::ReleaseSocket);
                }
                self.attempts = self.attempts.wrapping_add(1);
                let deadline_ms = now_ms + timeout_ms;
                self.state = State::Connecting {
                    attempt: self.attempts,
                    deadline_ms,
                    timeout_ms,
                    socket: false,
                };
                effects.push(Effect::ArmTimer { at_ms: deadline_ms });
                effects.push(Effect::StartAttempt {
                    attempt: self.attempts,
                });
                effects
            }
        }
    }

    fn on_closed(
        &mut self,
        attempt: u32,
        code: u16,
        reason: String,
        was_clean: bool,
        now_ms: f64,
    ) -> Vec<Effect> {
        if self.attempt() != Some(attempt) {
            return Vec::new();
        }
        let was = core::mem::replace(&mut self.state, State::Closed);
        let mut effects = vec![Effect::ReleaseSocket];
        let auth = is_auth_close(code);
        let detail = Detail::Map(vec![
            ("code", Detail::Num(f64::from(code))),
            ("reason", Detail::str(reason.clone())),
            ("wasClean", Detail::Bool(was_clean)),
        ]);
        if let State::Connecting { .. } = was {
            let error = if auth {
                auth_refused(code, &reason, now_ms)
            } else {
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
            .with_details(detail);
            effects.push(Effect::SettleConnect(Err(error.clone())));
            effects.push(Effect::EmitError(error));
        } else if let State::Open { .. } = was {
            // A close the page did not ask for: the page hears of it on
            // `error` unless the server ended the session normally.
            if auth {
                effects.push(Effect::EmitError(
                    auth_refused(code, &reason, now_ms).with_details(detail),
                ));
            } else if !(code == NORMAL_CLOSURE && was_clean) {
                effects.push(Effect::EmitError(
                    OptaveError::websocket(
                        ErrorCode::ConnectionClosed,
                        Text::new("the connection closed unexpectedly (code ")
                            .n(u64::from(code))
                            .s(if was_clean { "" } else { ", not clean" })
                            .s(")"),
                        now_ms,
                    )
                    .with_details(detail)
                    .suggest("Reconnect with connect(); requests that were pending were rejected"),
                ));
            }
        }
        effects.push(Effect::RejectPending(
            OptaveError::websocket(
                ErrorCode::ConnectionClosed,
                Text::new("the connection closed (code ")
                    .n(u64::from(code))
                    .s(") before a response arrived"),
                now_ms,
            )
            .suggest("Reconnect with connect() and send the request again"),
        ));
        effects.push(Effect::EmitClose {
            code,
            reason,
            was_clean,
        });
        effects
    }

    fn on_close_requested(&mut self, now_ms: f64) -> Vec<Effect> {
        let closed_error =
            |message: &str| OptaveError::websocket(ErrorCode::ConnectionClosed, message, now_ms);
        match self.state {
            State::Closed | State::Closing { .. } => Vec::new(),
            State::Connecting {
                attempt, socket, ..
            } => {
                let error = closed_error("close() was called before the connection opened");
                let mut effects = vec![
                    Effect::SettleConnect(Err(error.clone())),
                    Effect::RejectPending(error),
                ];
                if socket {
                    self.state = State::Closing { attempt };
                    effects.push(Effect::CloseSocket {
                        code: 1000,
                        reason: "client closed",
                    });
                } else {
                    self.state = State::Closed;
                }
                effects
            }
            State::Open { attempt } => {
                self.state = State::Closing { attempt };
                vec![
                    Effect::RejectPending(closed_error(
                        "close() was called while the request was pending",
                    )),
                    Effect::CloseSocket {
                        code: 1000,
                        reason: "client closed",
                    },
                ]
            }
        }
    }

    fn on_tick(&mut self, now_ms: f64) -> Vec<Effect> {
        let State::Connecting {
            deadline_ms,
            timeout_ms,
            socket,
            ..
        } = self.state
        else {
            return Vec::new();
        };
        if now_ms < deadline_ms {
            return vec![Effect::ArmTimer { at_ms: deadline_ms }];
        }
        let error = OptaveError::websocket(
            ErrorCode::ConnectionTimeout,
            Text::new("the connection did not open within ")
                .n(timeout_ms as u64)
                .s(" ms"),
            now_ms,
        )
        .suggest("Check websocketUrl and the network, or raise connectionTimeoutMs");
        self.state = State::Closed;
        let mut effects = Vec::new();
        if socket {
            effects.push(Effect::CloseSocket {
                code: 1000,
                reason: "connection timeout",
            });
        }
        effects.push(Effect::ReleaseSocket);
        effects.push(Effect::SettleConnect(Err(error.clone())));
        effects.push(Effect::EmitError(error));
        effects
    }
}

fn auth_refused(code: u16, reason: &str, now_ms: f64) -> OptaveError {
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
