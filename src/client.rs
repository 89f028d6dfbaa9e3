//! The exported JavaScript class `OptaveClient`.
//!
//! Each method turns its arguments into core inputs and hands the rest to
//! `runtime`; no protocol logic lives here.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::events::{Emitter, EVENTS};
use super::js_error::to_js_error;
use super::logger::Logger;
use super::random::CryptoRandom;
use super::runtime::{arm_request_timer, feed, now_ms, reject_all, Settle, Shared, State};
use crate::core::action::Action;
use crate::core::connection::{Connection, Input};
use crate::core::envelope::{EnvelopeConfig, SCHEMA_REF, SDK_VERSION, SPEC_VERSION};
use crate::core::error::{ErrorCode, OptaveError};
use crate::core::ids::IdGenerator;
use crate::core::legacy::Deprecation;
use crate::core::model::RequestParams;
use crate::core::options::ClientConfig;
use crate::core::requests::RequestTable;

/// A client of the Optave OCO message API over one browser WebSocket.
///
/// ```ts
/// import init, { OptaveClient } from 'optave-client';
/// await init();
/// const client = new OptaveClient({ websocketUrl: 'wss://ws-incubator.oco.optave.tech',
///   tokenProvider: async () => (await (await fetch('/api/ws-ticket', { method: 'POST' })).json()).ticket,
///   organizationId: 'f7e8d9c0-...' });
/// client.on('superpower.response', (ev) => console.log(ev.actionType, ev.state, ev.message.results));
/// await client.connect();
/// const correlationId = client.interaction({ request: { connections: { threadId: 't-1' },
///   scope: { conversations: [...] } } });
/// ```
///
/// Source: protocol.md sections 1 to 7; seed 002 ("Sending Messages").
#[wasm_bindgen]
#[derive(Debug)]
pub struct OptaveClient {
    shared: Rc<Shared>,
}

#[wasm_bindgen]
impl OptaveClient {
    /// Creates a client. Nothing connects until `connect()`.
    ///
    /// `options`: see `OptaveClientOptions`. Throws an `OptaveError` (category
    /// VALIDATION) for `INVALID_WEBSOCKET_URL` (missing, not ws/wss, `ws://` to a
    /// non-loopback host), `UNSUPPORTED_IN_BROWSER` (a `clientSecret`),
    /// `INVALID_OPTION` (unknown key, wrong type, timeout not > 0, `tokenProvider`
    /// not a function, `logger` not an object).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "OptaveClientOptions")] options: JsValue,
    ) -> Result<OptaveClient, JsValue> {
        Self::create(&options).map_err(|e| to_js_error(&e))
    }

    fn create(options: &JsValue) -> Result<OptaveClient, OptaveError> {
        let now = now_ms();
        let invalid = |m: &str| OptaveError::validation(ErrorCode::InvalidOption, m, now);
        if !options.is_object() {
            return Err(
                invalid("options must be an object with at least websocketUrl")
                    .suggest("new OptaveClient({ websocketUrl: 'wss://...' })"),
            );
        }
        let json = js_sys::JSON::stringify(options)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| invalid("options could not be serialized"))?;
        let config = ClientConfig::from_json(&json, now)?;
        let field =
            |name: &str| Reflect::get(options, &JsValue::from_str(name)).unwrap_or_default();
        let provider = field("tokenProvider");
        let token_provider = match provider.dyn_into::<Function>() {
            Ok(f) => Some(f),
            Err(v) if v.is_undefined() || v.is_null() => None,
            Err(_) => {
                return Err(invalid(
                    "tokenProvider must be a function returning a token or a promise of one",
                ))
            }
        };
        let logger = field("logger");
        if !(logger.is_undefined() || logger.is_null() || logger.is_object()) {
            return Err(invalid(
                "logger must be an object with debug/info/warn/error functions",
            ));
        }
        let envelope = EnvelopeConfig {
            organization_id: config.organization_id.clone(),
            tenant_id: config.tenant_id.clone(),
            session_id: None,
            strict: config.strict,
        };
        let state = State {
            config,
            envelope,
            conn: Connection::default(),
            requests: RequestTable::default(),
            socket: None,
            ids: IdGenerator::new(CryptoRandom),
            warned: HashSet::new(),
            token_provider,
            explicit_token: None,
            connect_waiters: Vec::new(),
            conn_timer: None,
            request_timer: None,
        };
        Ok(OptaveClient {
            shared: Rc::new(Shared {
                state: RefCell::new(state),
                emitter: Emitter::default(),
                logger: Logger::new(logger),
            }),
        })
    }

    /// Opens the WebSocket. `token` (optional) is used for this connection;
    /// otherwise `tokenProvider()` is asked, for every connection.
    ///
    /// Resolves on `open` (at once when already open). Rejects with an
    /// `OptaveError`: AUTHENTICATION `MISSING_TOKEN`, `INVALID_TOKEN`,
    /// `TOKEN_PROVIDER_FAILED`, `AUTHENTICATION_FAILED` (close code 4401/4403/1008);
    /// WEBSOCKET `CONNECTION_TIMEOUT` (after `connectionTimeoutMs`, the socket is
    /// closed), `CONNECTION_ERROR`, `CONNECTION_CLOSED` (close() before open).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn connect(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] token: Option<JsValue>,
    ) -> Promise {
        let (promise, settle) = Settle::promise();
        let now = now_ms();
        let token = match token {
            None => None,
            Some(t) => match t.as_string() {
                Some(s) => Some(s),
                None => {
                    let err = OptaveError::validation(
                        ErrorCode::InvalidArgument,
                        "connect(token): token must be a string",
                        now,
                    );
                    return Promise::reject(&to_js_error(&err));
                }
            },
        };
        let timeout_ms = {
            let mut st = self.shared.state.borrow_mut();
            st.connect_waiters.extend(settle);
            if token.is_some() {
                st.explicit_token = token;
            }
            st.config.connection_timeout_ms
        };
        feed(
            &self.shared,
            Input::Connect {
                now_ms: now,
                timeout_ms,
            },
        );
        promise
    }

    /// Alias of `connect(token?)` (the official client's name).
    #[wasm_bindgen(js_name = openConnection, unchecked_return_type = "Promise<void>")]
    pub fn open_connection(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] token: Option<JsValue>,
    ) -> Promise {
        self.connect(token)
    }

    /// Closes the connection (close code 1000). Pending `...Async` requests are
    /// rejected with WEBSOCKET `CONNECTION_CLOSED`; `close` is emitted when the
    /// socket has closed.
    pub fn close(&self) {
        feed(&self.shared, Input::Close { now_ms: now_ms() });
    }

    /// Alias of `close()`.
    #[wasm_bindgen(js_name = closeConnection)]
    pub fn close_connection(&self) {
        self.close();
    }

    /// The connection state: `'connecting' | 'open' | 'closing' | 'closed'`.
    #[wasm_bindgen(getter = readyState, unchecked_return_type = "ReadyState")]
    pub fn ready_state(&self) -> String {
        self.shared
            .state
            .borrow()
            .conn
            .ready_state()
            .as_str()
            .to_owned()
    }

    /// The session id: fills `session.sessionId` when a call leaves it empty and
    /// is sent as `OptaveTraceChatSessionId` on the next connection.
    #[wasm_bindgen(getter = sessionId)]
    pub fn session_id(&self) -> Option<String> {
        self.shared.state.borrow().envelope.session_id.clone()
    }

    /// Sets the session id (`undefined` or `""` clears it).
    #[wasm_bindgen(setter = sessionId)]
    pub fn set_session_id_prop(&self, id: Option<String>) {
        self.shared.state.borrow_mut().envelope.session_id = id.filter(|s| !s.is_empty());
    }

    /// Sets the session id (same as the `sessionId` setter).
    #[wasm_bindgen(js_name = setSessionId)]
    pub fn set_session_id(&self, id: Option<String>) {
        self.set_session_id_prop(id);
    }

    /// Returns the session id (same as the `sessionId` getter).
    #[wasm_bindgen(js_name = getSessionId)]
    pub fn get_session_id(&self) -> Option<String> {
        self.session_id()
    }

    /// Registers `listener` for `event`; returns a function that unsubscribes it.
    /// Typed by `OptaveEventMap`. Throws VALIDATION `INVALID_ARGUMENT` for an
    /// unknown event name or a listener that is not a function.
    #[wasm_bindgen(skip_typescript)]
    pub fn on(&self, event: &str, listener: JsValue) -> Result<Function, JsValue> {
        self.subscribe(event, listener, false)
    }

    /// Like `on()`, but the listener is removed after its first call.
    #[wasm_bindgen(skip_typescript)]
    pub fn once(&self, event: &str, listener: JsValue) -> Result<Function, JsValue> {
        self.subscribe(event, listener, true)
    }

    /// Removes `listener` from `event`.
    #[wasm_bindgen(skip_typescript)]
    pub fn off(&self, event: &str, listener: JsValue) {
        if let Ok(f) = listener.dyn_into::<Function>() {
            self.shared.emitter.remove(event, &f);
        }
    }

    fn subscribe(&self, event: &str, listener: JsValue, once: bool) -> Result<Function, JsValue> {
        let now = now_ms();
        if !EVENTS.contains(&event) {
            let err = OptaveError::validation(
                ErrorCode::InvalidArgument,
                format!("unknown event {event:?}; events are {}", EVENTS.join(", ")),
                now,
            );
            return Err(to_js_error(&err));
        }
        let Ok(listener) = listener.dyn_into::<Function>() else {
            let err = OptaveError::validation(
                ErrorCode::InvalidArgument,
                format!("the listener for {event:?} must be a function"),
                now,
            );
            return Err(to_js_error(&err));
        };
        if event == "message" {
            self.shared.warn_once(&[Deprecation::MessageEvent]);
        }
        Ok(self.shared.emitter.add(event, &listener, once))
    }

    /// Sends `params` as `action` (a method or wire name, e.g. `'insights'`).
    /// Returns the correlationId, or `undefined` when refused: the reason goes
    /// to `error` (VALIDATION `INVALID_ACTION` for an unknown action, and the
    /// errors of `interaction()`).
    #[wasm_bindgen(unchecked_return_type = "string | undefined")]
    pub fn send(&self, action: &str, params: Ts<RequestParams>) -> Option<String> {
        match self.action_named(action) {
            Ok(action) => self.fire(action, &params.js_value()),
            Err(err) => {
                self.shared.emit_error(&err);
                None
            }
        }
    }

    /// Like `send()`, resolving with the first frame for the request (see `interactionAsync`).
    #[wasm_bindgen(js_name = sendAsync, unchecked_return_type = "Promise<SuperpowerEvent>")]
    pub fn send_async(
        &self,
        action: &str,
        params: Ts<RequestParams>,
        options: Option<Ts<crate::core::options::RequestOptions>>,
    ) -> Promise {
        match self.action_named(action) {
            Ok(action) => self.request(action, &params.js_value(), options.map(|o| o.js_value())),
            Err(err) => {
                self.shared.emit_error(&err);
                Promise::reject(&to_js_error(&err))
            }
        }
    }

    /// Cancels a pending `...Async` request: its promise rejects with VALIDATION
    /// `REQUEST_CANCELLED`. Returns whether it was pending.
    #[wasm_bindgen(js_name = cancelRequest)]
    pub fn cancel_request(&self, correlation_id: &str) -> bool {
        let settle = self.shared.state.borrow_mut().requests.take(correlation_id);
        let Some(settle) = settle else { return false };
        let err = cancelled(now_ms()).for_request(correlation_id);
        settle.reject_with(&to_js_error(&err));
        arm_request_timer(&self.shared);
        true
    }

    /// Cancels every pending `...Async` request (`REQUEST_CANCELLED`). Returns how many.
    #[wasm_bindgen(js_name = cancelPendingRequests)]
    pub fn cancel_pending_requests(&self) -> u32 {
        let count = self.shared.state.borrow().requests.len();
        reject_all(&self.shared, &cancelled(now_ms()));
        count as u32
    }

    /// The SDK version, sent as `headers.sdkVersion`.
    #[wasm_bindgen(getter = sdkVersion)]
    pub fn sdk_version() -> String {
        SDK_VERSION.to_owned()
    }

    /// The OCO spec version implemented: `3.2.3`.
    #[wasm_bindgen(getter = specVersion)]
    pub fn spec_version() -> String {
        SPEC_VERSION.to_owned()
    }

    /// The request `schemaRef`: `optave.message.v3`.
    #[wasm_bindgen(getter = schemaRef)]
    pub fn schema_ref() -> String {
        SCHEMA_REF.to_owned()
    }
}

impl OptaveClient {
    fn action_named(&self, name: &str) -> Result<Action, OptaveError> {
        Action::from_name(name).ok_or_else(|| {
            OptaveError::validation(
                ErrorCode::InvalidAction,
                format!("unknown action {name:?}"),
                now_ms(),
            )
            .suggest(format!(
                "Use one of {}",
                Action::ALL.map(Action::method_name).join(", ")
            ))
        })
    }

    /// Fire-and-forget: the correlationId, or `None` after emitting `error`.
    pub(super) fn fire(&self, action: Action, params: &JsValue) -> Option<String> {
        let sent = self
            .shared
            .prepare(action, params)
            .and_then(|out| self.shared.transmit(&out).map(|()| out.correlation_id));
        match sent {
            Ok(id) => Some(id),
            Err(err) => {
                self.shared.emit_error(&err);
                None
            }
        }
    }

    /// Promise form: resolves with the first correlated frame.
    pub(super) fn request(
        &self,
        action: Action,
        params: &JsValue,
        options: Option<JsValue>,
    ) -> Promise {
        let (promise, settle) = Settle::promise();
        let Some(settle) = settle else { return promise };
        match self.register_and_send(action, params, options, settle.clone()) {
            Ok(()) => {}
            Err(err) => {
                self.shared.emit_error(&err);
                settle.reject_with(&to_js_error(&err));
            }
        }
        promise
    }

    fn register_and_send(
        &self,
        action: Action,
        params: &JsValue,
        options: Option<JsValue>,
        settle: Settle,
    ) -> Result<(), OptaveError> {
        let now = now_ms();
        let default_timeout = self.shared.state.borrow().config.request_timeout_ms;
        let timeout = crate::core::options::request_timeout(
            options_json(options).as_deref(),
            default_timeout,
            now,
        )?;
        let out = self.shared.prepare(action, params)?;
        let id = out.correlation_id.clone();
        let registered =
            self.shared
                .state
                .borrow_mut()
                .requests
                .register(id.clone(), now + timeout, settle);
        if registered.is_err() {
            return Err(OptaveError::validation(
                ErrorCode::DuplicateCorrelationId,
                format!("a request with correlationId {id:?} is already pending"),
                now,
            )
            .for_request(id)
            .suggest(
                "Give each request its own requestId (or let the SDK generate the correlationId)",
            ));
        }
        if let Err(err) = self.shared.transmit(&out) {
            self.shared.state.borrow_mut().requests.take(&id);
            return Err(err);
        }
        arm_request_timer(&self.shared);
        Ok(())
    }
}

fn options_json(options: Option<JsValue>) -> Option<String> {
    let options = options.filter(|o| !o.is_undefined() && !o.is_null())?;
    js_sys::JSON::stringify(&options)
        .ok()
        .and_then(|s| s.as_string())
}

fn cancelled(now: f64) -> OptaveError {
    OptaveError::validation(
        ErrorCode::RequestCancelled,
        "the request was cancelled",
        now,
    )
}

impl Drop for OptaveClient {
    /// `free()`: closes the socket, removes its listeners, clears the timers,
    /// rejects what is pending and forgets the page's listeners.
    fn drop(&mut self) {
        let now = now_ms();
        let err = OptaveError::websocket(ErrorCode::ConnectionClosed, "the client was freed", now);
        let (socket, waiters, conn_timer) = {
            let mut st = self.shared.state.borrow_mut();
            (
                st.socket.take(),
                std::mem::take(&mut st.connect_waiters),
                st.conn_timer.take(),
            )
        };
        drop((socket, conn_timer));
        reject_all(&self.shared, &err);
        let js = to_js_error(&err);
        for w in waiters {
            w.reject_with(&js);
        }
        self.shared.emitter.clear();
    }
}
