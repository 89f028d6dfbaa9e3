//! The exported JavaScript class `OptaveClient`.
//!
//! Each method turns its arguments into core inputs and hands the rest to
//! `runtime`; no protocol logic lives here. The nine named senders
//! (`interaction(params)`...), their `...Async` forms and the official
//! client's aliases (`openConnection`, `closeConnection`, `setSessionId`,
//! `getSessionId`) are defined on this class's prototype by the package's
//! thin JavaScript layer (`js/api.js`), over [`OptaveClient::send`] and
//! [`OptaveClient::send_async`]: one export each instead of twenty-two keeps
//! the glue small (see BENCHMARKS.md, "Size").

use alloc::rc::Rc;
use alloc::string::String;

use js_sys::{Function, Promise};
use optave_core::connection::Input;
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::legacy::Deprecation;
use optave_core::text::Text;
use optave_core::{SCHEMA_REF, SDK_VERSION, SPEC_VERSION};
use wasm_bindgen::prelude::*;

use crate::connect::bounded_token;
use crate::events::{Event, EVENTS};
use crate::js_error::to_js_error;
use crate::options::string_argument;
use crate::random::CryptoRandom;
use crate::requests::action_argument;
use crate::runtime::{feed, now_ms, Handle, Settle, Shared, Waiter};
use crate::signals::Signals;

/// A client of the Optave OCO message API over one browser WebSocket.
///
/// ```ts
/// import { OptaveClient } from 'optave-client';
/// const client = await OptaveClient.create({ websocketUrl: 'wss://ws-incubator.oco.optave.tech',
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
    pub(crate) shared: Rc<Shared>,
}

#[wasm_bindgen]
impl OptaveClient {
    /// Creates a client. Nothing connects until `connect()`. Needs the wasm
    /// loaded (`await init()`); `await OptaveClient.create(options)` loads it.
    ///
    /// `options`: see `OptaveClientOptions`. Throws an `OptaveError` (category
    /// VALIDATION) for `NOT_INITIALIZED` (wasm not loaded; js/entry.js),
    /// `INVALID_WEBSOCKET_URL` (missing, not ws/wss, `ws://` to a non-loopback
    /// host), `UNSUPPORTED_IN_BROWSER` (a `clientSecret`), `INVALID_OPTION`
    /// (unknown key, wrong type, timeout not > 0, `tokenProvider` not a
    /// function, `logger` not an object).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "OptaveClientOptions")] options: JsValue,
    ) -> Result<OptaveClient, JsValue> {
        crate::options::create(&options).map_err(|e| to_js_error(&e))
    }

    /// Opens the WebSocket. `token` (optional) is used for this connection;
    /// otherwise `tokenProvider()` is asked, for every connection. Alias:
    /// `openConnection(token?)`.
    ///
    /// Resolves on `open` (at once when already open). Rejects with an
    /// `OptaveError`: AUTHENTICATION `MISSING_TOKEN`, `INVALID_TOKEN` (not
    /// usable as a subprotocol, or over 16,384 characters),
    /// `TOKEN_PROVIDER_FAILED`, `AUTHENTICATION_FAILED` (close code 4401/4403/1008);
    /// WEBSOCKET `CONNECTION_TIMEOUT` (after `connectionTimeoutMs`, the socket is
    /// closed), `CONNECTION_ERROR`, `CONNECTION_CLOSED` (close() before open);
    /// VALIDATION `INVALID_ARGUMENT` (a token that is not a string).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn connect(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] token: Option<JsValue>,
    ) -> Promise {
        let (promise, settle) = Settle::promise();
        let now = now_ms();
        let token = match token.filter(|t| !t.is_undefined()) {
            None => None,
            Some(t) => match t.dyn_ref::<js_sys::JsString>() {
                Some(s) => match bounded_token(s, now) {
                    Ok(token) => Some(token),
                    Err(err) => return Promise::reject(&to_js_error(&err)),
                },
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
        let explicit_token = token.is_some();
        let install = {
            let mut st = self.shared.state.borrow_mut();
            st.connect_waiters.extend(settle);
            st.explicit_token = token;
            st.signals.is_none()
        };
        if install {
            let signals = Signals::install(&self.shared);
            self.shared.state.borrow_mut().signals = Some(signals);
        }
        crate::crosstab::connect(&self.shared, explicit_token);
        feed(
            &self.shared,
            Input::Connect {
                now_ms: now,
                explicit_token,
            },
        );
        promise
    }

    /// Closes the connection (close code 1000). Pending `...Async` requests are
    /// rejected with WEBSOCKET `CONNECTION_CLOSED`; `close` is emitted when the
    /// socket has closed. Alias: `closeConnection()`.
    pub fn close(&self) {
        crate::crosstab::close(&self.shared);
        feed(&self.shared, Input::Close { now_ms: now_ms() });
        let signals = self.shared.state.borrow_mut().signals.take();
        drop(signals);
    }

    /// The WebSocket-style state, for parity with the official client:
    /// `'connecting' | 'open' | 'closing' | 'closed'` (`disconnected`,
    /// `suspended`, `failed` and `initialized` read as `'closed'`). See
    /// `state` for the session's own.
    #[wasm_bindgen(getter = readyState, unchecked_return_type = "ReadyState")]
    pub fn ready_state(&self) -> String {
        String::from(self.shared.state.borrow().session.ready_state().as_str())
    }

    /// The connection state: `'initialized'`, `'connecting'`, `'connected'`,
    /// `'disconnected'` (retrying after a backoff delay), `'suspended'`
    /// (down for `connectionStateTtlMs`; one attempt every
    /// `reconnect.maxDelayMs`), `'closing'`, `'closed'` (by `close()`) or
    /// `'failed'` (will not retry on its own). Each change is emitted as
    /// `stateChange`. Source: docs/api.md, "Connection states, reconnection
    /// and the offline queue".
    #[wasm_bindgen(getter, unchecked_return_type = "ConnectionState")]
    pub fn state(&self) -> String {
        String::from(self.shared.state.borrow().session.state().as_str())
    }

    /// The transport requests use now: `'websocket'`, or `'rest'` (with
    /// `transport: 'rest'`, or with `'auto'` while the WebSocket cannot be
    /// established). Each change is also reported on `stateChange`
    /// (`transport`). Source: docs/api.md, "Transports"; protocol.md section 1.
    #[wasm_bindgen(getter, unchecked_return_type = "TransportInUse")]
    pub fn transport(&self) -> String {
        String::from(self.shared.state.borrow().session.transport().as_str())
    }

    /// This client's part in sharing one connection across tabs (docs/api.md,
    /// "One connection across tabs"): `'leader'` (holds the shared socket),
    /// `'follower'` (sends through the leader tab) or `'solo'` (its own
    /// socket: no `crossTab` option, no Web Locks or BroadcastChannel, no
    /// `tokenProvider`, `connect(token)`, REST only, or not yet decided
    /// after `connect()`). Each change is emitted as `roleChange`.
    #[wasm_bindgen(getter = crossTabRole, unchecked_return_type = "CrossTabRole")]
    pub fn cross_tab_role(&self) -> String {
        String::from(crate::crosstab::role(&self.shared).as_str())
    }

    /// The session id: fills `session.sessionId` when a call leaves it empty and
    /// is sent as `OptaveTraceChatSessionId` on the next connection. Aliases:
    /// `getSessionId()`, `setSessionId(id)`. Setting `undefined`, `null` or
    /// `""` clears it; anything but a string of at most 1,024 characters
    /// throws VALIDATION `INVALID_ARGUMENT`.
    #[wasm_bindgen(getter = sessionId)]
    pub fn session_id(&self) -> Option<String> {
        self.shared.state.borrow().envelope.session_id.clone()
    }

    /// Sets the session id (`undefined`, `null` or `""` clears it). Throws
    /// VALIDATION `INVALID_ARGUMENT` for anything but a string of at most
    /// 1,024 characters.
    #[wasm_bindgen(setter = sessionId)]
    pub fn set_session_id(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | undefined")] id: JsValue,
    ) -> Result<(), JsValue> {
        let id = if id.is_undefined() || id.is_null() {
            None
        } else {
            Some(string_argument(&id, "sessionId", now_ms()).map_err(|e| to_js_error(&e))?)
        };
        self.shared.state.borrow_mut().envelope.session_id = id.filter(|s| !s.is_empty());
        Ok(())
    }

    /// Registers `listener` for `event`; returns a function that unsubscribes it.
    /// Typed by `OptaveEventMap`. Throws VALIDATION `INVALID_ARGUMENT` for an
    /// unknown event name or a listener that is not a function.
    #[wasm_bindgen(skip_typescript)]
    pub fn on(&self, event: JsValue, listener: JsValue) -> Result<Function, JsValue> {
        self.subscribe(&event, listener, false)
    }

    /// Like `on()`, but the listener is removed after its first call.
    #[wasm_bindgen(skip_typescript)]
    pub fn once(&self, event: JsValue, listener: JsValue) -> Result<Function, JsValue> {
        self.subscribe(&event, listener, true)
    }

    /// Removes `listener` from `event`.
    #[wasm_bindgen(skip_typescript)]
    pub fn off(&self, event: JsValue, listener: JsValue) {
        let Ok(event) = string_argument(&event, "the event name", now_ms()) else {
            return;
        };
        if let (Some(event), Ok(f)) = (Event::named(&event), listener.dyn_into::<Function>()) {
            self.shared.emitter.remove(event, &f);
        }
    }

    fn subscribe(
        &self,
        event: &JsValue,
        listener: JsValue,
        once: bool,
    ) -> Result<Function, JsValue> {
        let now = now_ms();
        let event = string_argument(event, "the event name", now).map_err(|e| to_js_error(&e))?;
        let event = event.as_str();
        let Some(named) = Event::named(event) else {
            let err = OptaveError::validation(
                ErrorCode::InvalidArgument,
                Text::new("unknown event ")
                    .q(event)
                    .s("; events are ")
                    .list(&EVENTS),
                now,
            );
            return Err(to_js_error(&err));
        };
        let Ok(listener) = listener.dyn_into::<Function>() else {
            let err = OptaveError::validation(
                ErrorCode::InvalidArgument,
                Text::new("the listener for ")
                    .q(event)
                    .s(" must be a function"),
                now,
            );
            return Err(to_js_error(&err));
        };
        if named == Event::Message {
            self.shared.warn_once(&[Deprecation::MessageEvent]);
        }
        Ok(self.shared.emitter.add(named, &listener, once))
    }

    /// Sends `params` as `action` (a method or wire name, e.g. `'insights'`):
    /// the one sender behind `interaction(params)` and the other named senders.
    ///
    /// `params` (`{ session?, request?, headers? }`) is merged onto the default
    /// payload (objects recursively, arrays whole). Returns the correlationId
    /// sent (a fresh UUID v7 when `request.requestId` is already in flight,
    /// protocol.md section 8), or `undefined` when refused; the refusal goes
    /// to `error`: VALIDATION `INVALID_ACTION` (unknown action),
    /// `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming every
    /// path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes),
    /// `DUPLICATE_CORRELATION_ID` (an explicit `headers.correlationId` already
    /// in flight); WEBSOCKET `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`.
    #[wasm_bindgen(skip_typescript)]
    pub fn send(&self, action: JsValue, params: JsValue) -> Option<String> {
        let sent = action_argument(&action).and_then(|action| {
            let out = self.shared.prepare(action, &params)?;
            self.shared.submit(out, None, None, 0.0)
        });
        match sent {
            Ok(id) => Some(id),
            Err(err) => {
                self.shared.emit_error(&err);
                None
            }
        }
    }

    /// Like `send()`, resolving with the first frame that carries the
    /// request's correlationId: the one sender behind `interactionAsync(params)`
    /// and the other `...Async` forms.
    ///
    /// Rejects with an `OptaveError`: the refusals of `send()`; VALIDATION
    /// `INVALID_ARGUMENT` (bad `options`), `DUPLICATE_CORRELATION_ID` (an
    /// explicit `headers.correlationId` already in flight),
    /// `REQUEST_CANCELLED`; ORCHESTRATOR (the server's error frame; `code` is its
    /// `error_code` or `REMOTE_ERROR`); WEBSOCKET `REQUEST_TIMEOUT` (after
    /// `options.timeoutMs`, default `requestTimeoutMs`), `CONNECTION_CLOSED`.
    #[wasm_bindgen(js_name = sendAsync, skip_typescript)]
    pub fn send_async(&self, action: JsValue, params: JsValue, options: JsValue) -> Promise {
        let (promise, settle) = Settle::promise();
        let Some(settle) = settle else { return promise };
        if let Err(err) = self.register_and_send(&action, &params, &options, settle.clone()) {
            self.shared.emit_error(&err);
            settle.reject_with(&to_js_error(&err));
        }
        promise
    }

    /// The sender behind `client.request(action, params, options)` (the
    /// request handles of `js/api.js`): `handle` receives every frame of the
    /// request and its settlement. Returns the correlationId, or `undefined`
    /// when refused (the refusal goes to `error` and fails the handle).
    #[wasm_bindgen(js_name = trackRequest, skip_typescript)]
    pub fn track_request(
        &self,
        action: JsValue,
        params: JsValue,
        options: JsValue,
        handle: JsValue,
    ) -> Option<String> {
        let handle: Handle = handle.unchecked_into();
        match self.track(&action, &params, &options, handle.clone()) {
            Ok(id) => Some(id),
            Err(err) => {
                let js = to_js_error(&err);
                self.shared.report_error(&err, &js);
                Waiter::Handle(handle).reject(&js);
                None
            }
        }
    }

    /// The error a freed client's methods throw: VALIDATION `CLIENT_FREED`.
    /// Used by the package's JavaScript layer (`js/api.js`).
    #[wasm_bindgen(js_name = clientFreedError, skip_typescript)]
    pub fn client_freed_error() -> JsValue {
        let err = OptaveError::validation(
            ErrorCode::ClientFreed,
            "the client was freed: free() releases everything it held",
            now_ms(),
        )
        .suggest("Create a new OptaveClient; do not call methods after free()");
        to_js_error(&err)
    }

    /// The SDK version, sent as `headers.sdkVersion` (also before `init()`).
    #[wasm_bindgen(getter = sdkVersion)]
    pub fn sdk_version() -> String {
        String::from(SDK_VERSION)
    }

    /// The OCO spec version implemented: `3.2.3` (also before `init()`).
    #[wasm_bindgen(getter = specVersion)]
    pub fn spec_version() -> String {
        String::from(SPEC_VERSION)
    }

    /// The request `schemaRef`: `optave.message.v3` (also before `init()`).
    #[wasm_bindgen(getter = schemaRef)]
    pub fn schema_ref() -> String {
        String::from(SCHEMA_REF)
    }
}

impl Drop for OptaveClient {
    /// `free()`: closes the socket, removes its listeners, clears the timers,
    /// rejects what is pending and forgets the page's listeners.
    fn drop(&mut self) {
        crate::crosstab::close(&self.shared);
        let now = now_ms();
        let (socket, timer, token_wait, signals, tabs, pending, fetches) = {
            let mut st = self.shared.state.borrow_mut();
            (
                st.socket.take(),
                st.timer.take(),
                st.token_wait.take(),
                st.signals.take(),
                st.tabs.take(),
                st.session
                    .handle(Input::Free { now_ms: now }, &mut CryptoRandom),
                core::mem::take(&mut st.fetches),
            )
        };
        drop((socket, timer, token_wait, signals, tabs, fetches));
        // Only rejections (requests, then `connect()` promises): no timer
        // is armed again.
        crate::runtime::run(&self.shared, pending);
        self.shared.emitter.clear();
    }
}
