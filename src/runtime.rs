//! The client's shared state and the loop between browser and core: browser
//! events and page calls become core inputs; core effects become browser calls
//! and listener deliveries.
//!
//! Every closure handed to the browser holds a `Weak<Shared>`, so the page's
//! `OptaveClient` is the only owner and `free()` releases everything.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::{Function, JsString, Promise, JSON};
use optave_core::action::Action;
use optave_core::connection::{Connection, Effect, Input, ReadyState};
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::ids::IdGenerator;
use optave_core::legacy::Deprecation;
use optave_core::options::ClientConfig;
use optave_core::outbound::{refuse_oversized, Builder, EnvelopeConfig, Outbound};
use optave_core::requests::RequestTable;
use optave_core::text::Text;
use wasm_bindgen::JsValue;

use crate::browser::Timeout;
use crate::events::{close_info, Emitter, Event};
use crate::js_error::{describe, to_js_error};
use crate::logger::{Level, Logger};
use crate::random::CryptoRandom;
use crate::socket::Socket;

/// The two functions that settle a promise.
#[derive(Debug, Clone)]
pub struct Settle {
    resolve: Function,
    reject: Function,
}

impl Settle {
    /// A new promise and its settle functions.
    pub fn promise() -> (Promise, Option<Settle>) {
        let mut settle = None;
        let promise = Promise::new(&mut |resolve, reject| {
            settle = Some(Settle { resolve, reject });
        });
        (promise, settle)
    }

    /// Resolves the promise with `value`.
    pub fn resolve_with(&self, value: &JsValue) {
        let _ = self.resolve.call1(&JsValue::UNDEFINED, value);
    }

    /// Rejects the promise with `value`.
    pub fn reject_with(&self, value: &JsValue) {
        let _ = self.reject.call1(&JsValue::UNDEFINED, value);
    }
}

/// Mutable client state; borrowed briefly, never across a call into the page.
#[derive(Debug)]
pub struct State {
    pub config: ClientConfig,
    pub envelope: EnvelopeConfig,
    pub builder: Builder,
    pub conn: Connection,
    pub requests: RequestTable<Settle>,
    pub socket: Option<Socket>,
    pub ids: IdGenerator<CryptoRandom>,
    /// Deprecations already warned about ([`Deprecation::bit`]).
    pub warned: u8,
    pub token_provider: Option<Function>,
    /// The pending `tokenProvider()` call, if any.
    pub token_wait: Option<crate::connect::TokenWait>,
    pub explicit_token: Option<String>,
    pub connect_waiters: Vec<Settle>,
    pub conn_timer: Option<Timeout>,
    pub request_timer: Option<Timeout>,
}

/// Everything a client owns.
#[derive(Debug)]
pub struct Shared {
    pub state: RefCell<State>,
    pub emitter: Emitter,
    pub logger: Logger,
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Shared {
    /// Delivers `arg` to the listeners of `event`.
    pub fn emit(&self, event: Event, arg: &JsValue) {
        self.emitter.emit(event, arg, &self.logger);
    }

    /// Reports `err` to the `error` listeners; logs it when there are none.
    pub fn emit_error(&self, err: &OptaveError) {
        self.report_error(err, &to_js_error(err));
    }

    /// Delivers `js` (the JS form of `err`) to `error`, or logs it when nobody listens.
    pub fn report_error(&self, err: &OptaveError, js: &JsValue) {
        if self.emitter.has(Event::Error) {
            self.emit(Event::Error, js);
        } else {
            self.logger.log(Level::Error, &err.summary(), Some(js));
        }
    }

    /// Logs each deprecation the first time it occurs.
    pub fn warn_once(&self, deprecations: &[Deprecation]) {
        for d in deprecations {
            let first = {
                let mut st = self.state.borrow_mut();
                let first = st.warned & d.bit() == 0;
                st.warned |= d.bit();
                first
            };
            if first {
                self.logger.log(Level::Warn, d.message(), None);
            }
        }
    }

    /// Builds the envelope for `action` from the page's params.
    ///
    /// Errors: VALIDATION `PAYLOAD_SCHEMA_MISMATCH` (params `JSON.stringify`
    /// cannot serialize: cycles, BigInt), and those of the core's builder.
    pub fn prepare(&self, action: Action, params: &JsValue) -> Result<Outbound, OptaveError> {
        let now = now_ms();
        let text = stringify(params).map_err(|why| {
            OptaveError::validation(
                ErrorCode::PayloadSchemaMismatch,
                Text::new("params could not be serialized to JSON: ").s(&why),
                now,
            )
            .suggest(
                "Pass plain objects, arrays, strings, numbers and booleans (no cycles, no BigInt)",
            )
        })?;
        // Certainly too large: refused before the text is copied into wasm.
        refuse_oversized(text.length() as usize, now)?;
        let json = String::from(text);
        let outbound = {
            let mut st = self.state.borrow_mut();
            let st = &mut *st;
            st.builder
                .build(action, &json, &st.envelope, &mut st.ids, now)?
        };
        self.warn_once(&outbound.deprecations);
        Ok(outbound)
    }

    /// Sends a built envelope.
    ///
    /// Errors: WEBSOCKET / `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`.
    pub fn transmit(&self, outbound: &Outbound) -> Result<(), OptaveError> {
        let st = self.state.borrow();
        let now = now_ms();
        let state = st.conn.ready_state();
        let socket = st.socket.as_ref().filter(|_| state == ReadyState::Open);
        let Some(socket) = socket else {
            return Err(OptaveError::websocket(
                ErrorCode::WebsocketNotInOpenState,
                Text::new("cannot send: the connection is ").s(state.as_str()),
                now,
            )
            .for_request(outbound.correlation_id.clone())
            .suggest("await client.connect() before sending"));
        };
        socket.send(&outbound.text).map_err(|thrown| {
            OptaveError::websocket(
                ErrorCode::SendFailed,
                Text::new("WebSocket.send failed: ").s(&describe(&thrown)),
                now,
            )
            .for_request(outbound.correlation_id.clone())
        })
    }
}

/// `JSON.stringify(value)` as a JS string (not yet copied into wasm);
/// `undefined` becomes `null`.
fn stringify(value: &JsValue) -> Result<JsString, String> {
    if value.is_undefined() {
        return Ok(JsString::from("null"));
    }
    let text = JSON::stringify(value).map_err(|thrown| describe(&thrown))?;
    // `stringify` gives `undefined` (not a string) for a function or a symbol.
    Ok(if text.is_string() {
        text
    } else {
        JsString::from("null")
    })
}

/// Feeds one input to the connection state machine and carries out the effects.
pub fn feed(shared: &Rc<Shared>, input: Input) {
    let effects = shared.state.borrow_mut().conn.handle(input);
    run(shared, effects);
}

fn run(shared: &Rc<Shared>, effects: Vec<Effect>) {
    for effect in effects {
        match effect {
            Effect::StartAttempt { attempt } => crate::connect::start_attempt(shared, attempt),
            Effect::ArmTimer { at_ms } => arm_connection_timer(shared, at_ms),
            Effect::SettleConnect(result) => {
                let waiters = core::mem::take(&mut shared.state.borrow_mut().connect_waiters);
                let value = match &result {
                    Ok(()) => JsValue::UNDEFINED,
                    Err(err) => to_js_error(err),
                };
                for w in waiters {
                    if result.is_ok() {
                        w.resolve_with(&value);
                    } else {
                        w.reject_with(&value);
                    }
                }
            }
            Effect::EmitOpen => shared.emit(Event::Open, &JsValue::UNDEFINED),
            Effect::EmitClose {
                code,
                reason,
                was_clean,
            } => {
                shared.emit(Event::Close, &close_info(code, &reason, was_clean));
            }
            Effect::EmitError(err) => shared.emit_error(&err),
            Effect::CloseSocket { code, reason } => {
                if let Some(socket) = shared.state.borrow().socket.as_ref() {
                    socket.close(code, reason);
                }
            }
            Effect::ReleaseSocket => {
                let socket = shared.state.borrow_mut().socket.take();
                let timer = shared.state.borrow_mut().conn_timer.take();
                drop((socket, timer));
            }
            Effect::RejectPending(err) => reject_all(shared, &err),
        }
    }
}

/// Rejects every pending request with `err` (each with its correlationId).
pub fn reject_all(shared: &Shared, err: &OptaveError) {
    let pending = {
        let mut st = shared.state.borrow_mut();
        st.request_timer = None;
        st.requests.drain()
    };
    for (id, settle) in pending {
        settle.reject_with(&to_js_error(&err.clone().for_request(id)));
    }
}

fn arm_connection_timer(shared: &Rc<Shared>, at_ms: f64) {
    let weak = Rc::downgrade(shared);
    let timer = Timeout::new(at_ms - now_ms(), move || {
        if let Some(shared) = weak.upgrade() {
            shared.state.borrow_mut().conn_timer = None;
            feed(&shared, Input::Tick { now_ms: now_ms() });
        }
    });
    shared.state.borrow_mut().conn_timer = Some(timer);
}

/// Re-arms the single request timer for the earliest pending deadline.
pub fn arm_request_timer(shared: &Rc<Shared>) {
    let next = shared.state.borrow().requests.next_deadline();
    let timer = next.map(|at| {
        let weak = Rc::downgrade(shared);
        Timeout::new(at - now_ms(), move || {
            let Some(shared) = weak.upgrade() else { return };
            let now = now_ms();
            let expired = shared.state.borrow_mut().requests.expire(now);
            for (id, settle) in expired {
                let err = OptaveError::websocket(
                    ErrorCode::RequestTimeout,
                    Text::new("no response to request ")
                        .s(&id)
                        .s(" before its timeout"),
                    now,
                )
                .for_request(id)
                .suggest("Raise timeoutMs (or requestTimeoutMs), or check the connection");
                settle.reject_with(&to_js_error(&err));
                shared.emit_error(&err);
            }
            arm_request_timer(&shared);
        })
    });
    shared.state.borrow_mut().request_timer = timer;
}
