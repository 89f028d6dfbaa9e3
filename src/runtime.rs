//! The client's shared state and the loop between browser and core: browser
//! events and page calls become core inputs; core effects become browser calls
//! and listener deliveries.
//!
//! Every closure handed to the browser holds a `Weak<Shared>`, so the page's
//! `OptaveClient` is the only owner and `free()` releases everything.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::events::{response_event, Emitter};
use super::js_error::{describe, to_js_error};
use super::logger::{Level, Logger};
use super::random::CryptoRandom;
use super::socket::{Frame, Socket, SocketEvent};
use crate::core::action::Action;
use crate::core::connection::{Connection, Effect, Input, ReadyState};
use crate::core::envelope::{build_from_json, EnvelopeConfig, Outbound};
use crate::core::error::{ErrorCode, OptaveError};
use crate::core::ids::IdGenerator;
use crate::core::inbound::{classify, route, Inbound};
use crate::core::legacy::Deprecation;
use crate::core::options::{connect_target, AuthTransport, ClientConfig};
use crate::core::requests::RequestTable;

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
    pub conn: Connection,
    pub requests: RequestTable<Settle>,
    pub socket: Option<Socket>,
    pub ids: IdGenerator<CryptoRandom>,
    pub warned: HashSet<Deprecation>,
    pub token_provider: Option<Function>,
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
    /// Delivers `arg` to the listeners of `name`.
    pub fn emit(&self, name: &str, arg: &JsValue) {
        self.emitter.emit(name, arg, &self.logger);
    }

    /// Reports `err` to the `error` listeners; logs it when there are none.
    pub fn emit_error(&self, err: &OptaveError) {
        self.report_error(err, &to_js_error(err));
    }

    /// Delivers `js` (the JS form of `err`) to `error`, or logs it when nobody listens.
    fn report_error(&self, err: &OptaveError, js: &JsValue) {
        if self.emitter.has("error") {
            self.emit("error", js);
        } else {
            self.logger.log(Level::Error, &err.to_string(), Some(js));
        }
    }

    /// Logs each deprecation the first time it occurs.
    pub fn warn_once(&self, deprecations: &[Deprecation]) {
        for d in deprecations {
            let first = self.state.borrow_mut().warned.insert(*d);
            if first {
                self.logger.log(Level::Warn, d.message(), None);
            }
        }
    }

    /// Builds the envelope for `action` from the page's params.
    pub fn prepare(&self, action: Action, params: &JsValue) -> Result<Outbound, OptaveError> {
        let now = now_ms();
        let json = stringify(params).map_err(|why| {
            OptaveError::validation(
                ErrorCode::PayloadSchemaMismatch,
                format!("params could not be serialized to JSON: {why}"),
                now,
            )
            .suggest(
                "Pass plain objects, arrays, strings, numbers and booleans (no cycles, no BigInt)",
            )
        })?;
        let outbound = {
            let mut st = self.state.borrow_mut();
            let st = &mut *st;
            build_from_json(action, &json, &st.envelope, &mut st.ids, now)?
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
                format!("cannot send: the connection is {}", state.as_str()),
                now,
            )
            .for_request(outbound.correlation_id.clone())
            .suggest("await client.connect() before sending"));
        };
        socket.send(&outbound.text).map_err(|thrown| {
            OptaveError::websocket(
                ErrorCode::SendFailed,
                format!("WebSocket.send failed: {}", describe(&thrown)),
                now,
            )
            .for_request(outbound.correlation_id.clone())
        })
    }
}

/// `JSON.stringify(value)`; `undefined` becomes `null`.
fn stringify(value: &JsValue) -> Result<String, String> {
    if value.is_undefined() {
        return Ok("null".to_owned());
    }
    let text = JSON::stringify(value).map_err(|thrown| describe(&thrown))?;
    Ok(text.as_string().unwrap_or_else(|| "null".to_owned()))
}

/// Feeds one input to the connection state machine and carries out the effects.
pub fn feed(shared: &Rc<Shared>, input: Input) {
    let effects = shared.state.borrow_mut().conn.handle(input);
    run(shared, effects);
}

fn run(shared: &Rc<Shared>, effects: Vec<Effect>) {
    for effect in effects {
        match effect {
            Effect::StartAttempt { attempt } => {
                wasm_bindgen_futures::spawn_local(attempt_task(Rc::downgrade(shared), attempt));
            }
            Effect::ArmTimer { at_ms } => arm_connection_timer(shared, at_ms),
            Effect::SettleConnect(result) => {
                let waiters = std::mem::take(&mut shared.state.borrow_mut().connect_waiters);
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
            Effect::EmitOpen => shared.emit("open", &JsValue::UNDEFINED),
            Effect::EmitClose {
                code,
                reason,
                was_clean,
            } => {
                let ev = Object::new();
                set(&ev, "code", &JsValue::from(code));
                set(&ev, "reason", &JsValue::from_str(&reason));
                set(&ev, "wasClean", &JsValue::from_bool(was_clean));
                shared.emit("close", &ev);
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
    let delay = (at_ms - now_ms()).clamp(0.0, u32::MAX as f64) as u32;
    let timer = Timeout::new(delay, move || {
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
        let delay = (at - now_ms()).clamp(0.0, u32::MAX as f64) as u32;
        Timeout::new(delay, move || {
            let Some(shared) = weak.upgrade() else { return };
            let now = now_ms();
            let expired = shared.state.borrow_mut().requests.expire(now);
            for (id, settle) in expired {
                let err = OptaveError::websocket(
                    ErrorCode::RequestTimeout,
                    format!("no response to request {id} before its timeout"),
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

/// Gets the token and opens the socket for `attempt`.
async fn attempt_task(weak: Weak<Shared>, attempt: u32) {
    let Some(shared) = weak.upgrade() else { return };
    let (explicit, provider) = {
        let mut st = shared.state.borrow_mut();
        (st.explicit_token.take(), st.token_provider.clone())
    };
    drop(shared);
    let token = match (explicit, provider) {
        (Some(token), _) => Ok(Some(token)),
        (None, Some(provider)) => call_provider(&provider).await,
        (None, None) => Ok(None),
    };
    let Some(shared) = weak.upgrade() else { return };
    let now = now_ms();
    let target = token.and_then(|token| {
        let st = shared.state.borrow();
        connect_target(
            &st.config,
            token.as_deref(),
            st.envelope.session_id.as_deref(),
            now,
        )
    });
    let target = match target {
        Ok(target) => target,
        Err(error) => return feed(&shared, Input::AttemptFailed { attempt, error }),
    };
    if shared.state.borrow().config.auth_transport == AuthTransport::Query {
        shared.warn_once(&[Deprecation::QueryAuthTransport]);
    }
    let sink_weak = Rc::downgrade(&shared);
    let sink: Rc<dyn Fn(SocketEvent)> = Rc::new(move |event| {
        if let Some(shared) = sink_weak.upgrade() {
            on_socket_event(&shared, attempt, event);
        }
    });
    match Socket::open(&target, sink) {
        Ok(socket) => {
            shared.state.borrow_mut().socket = Some(socket);
            feed(&shared, Input::SocketCreated { attempt });
        }
        Err(thrown) => {
            let error = OptaveError::websocket(
                ErrorCode::ConnectionError,
                format!("the WebSocket could not be created: {}", describe(&thrown)),
                now,
            );
            feed(&shared, Input::AttemptFailed { attempt, error });
        }
    }
}

/// Calls `tokenProvider()` and awaits it when it returns a promise.
async fn call_provider(provider: &Function) -> Result<Option<String>, OptaveError> {
    let failed = |why: String| {
        OptaveError::authentication(
            ErrorCode::TokenProviderFailed,
            format!("tokenProvider failed: {why}"),
            now_ms(),
        )
        .suggest("Check the page's ticket endpoint; tokenProvider is called for every connection")
    };
    let returned = provider
        .call0(&JsValue::UNDEFINED)
        .map_err(|thrown| failed(describe(&thrown)))?;
    let value = match returned.dyn_into::<Promise>() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .map_err(|thrown| failed(describe(&thrown)))?,
        Err(value) => value,
    };
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| failed("it returned something that is not a string".into()))
}

fn on_socket_event(shared: &Rc<Shared>, attempt: u32, event: SocketEvent) {
    let now = now_ms();
    match event {
        SocketEvent::Open => feed(shared, Input::SocketOpen { attempt }),
        SocketEvent::Error => feed(
            shared,
            Input::SocketError {
                attempt,
                now_ms: now,
            },
        ),
        SocketEvent::Close {
            code,
            reason,
            was_clean,
        } => feed(
            shared,
            Input::SocketClosed {
                attempt,
                code,
                reason,
                was_clean,
                now_ms: now,
            },
        ),
        SocketEvent::Frame(frame) => on_frame(shared, &frame, now),
    }
}

/// Routes one inbound frame and delivers it. The common frame is routed from
/// the fields the `message` listener read; error frames and odd shapes are
/// classified from the whole frame.
fn on_frame(shared: &Rc<Shared>, frame: &Frame, now: f64) {
    if frame.flags & Frame::NOT_TEXT != 0 {
        shared.emit_error(&OptaveError::websocket(
            ErrorCode::InboundEnvelopeSchemaMismatch,
            "binary frames are not part of the protocol; the frame was dropped",
            now,
        ));
        return;
    }
    let strict = shared.state.borrow().config.strict;
    let routed = if frame.flags & Frame::NOT_JSON != 0 {
        Ok(None)
    } else {
        route(&frame.routing(), strict, now)
    };
    let inbound = match routed {
        Ok(Some(inbound)) => inbound,
        Ok(None) => {
            let text = if frame.flags & Frame::NOT_JSON != 0 {
                frame.value.as_string()
            } else {
                JSON::stringify(&frame.value)
                    .ok()
                    .and_then(|t| t.as_string())
            };
            match classify(text.as_deref().unwrap_or(""), strict, now) {
                Ok(inbound) => inbound,
                Err(err) => return shared.emit_error(&err),
            }
        }
        Err(err) => return shared.emit_error(&err),
    };
    shared.emit("message", &frame.value);
    deliver_frame(shared, &frame.value, inbound);
}

/// Delivers a classified frame: `superpower.response` (or `superpower.error`
/// and `error`), and settles the request waiting on its correlationId.
fn deliver_frame(shared: &Rc<Shared>, frame: &JsValue, inbound: Inbound) {
    let settle = inbound
        .correlation_id
        .as_deref()
        .and_then(|id| shared.state.borrow_mut().requests.take(id));
    if settle.is_some() {
        arm_request_timer(shared);
    }
    match &inbound.error {
        Some(err) => {
            let js = to_js_error(err);
            shared.emit("superpower.error", &js);
            shared.report_error(err, &js);
            if let Some(settle) = settle {
                settle.reject_with(&js);
            }
        }
        None => {
            let event = response_event(
                frame,
                inbound.enveloped,
                inbound.correlation_id.as_deref(),
                inbound.request_action.as_deref(),
            );
            shared.emit("superpower.response", &event);
            if let Some(settle) = settle {
                settle.resolve_with(&event);
            }
        }
    }
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}
