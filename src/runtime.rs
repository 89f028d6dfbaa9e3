//! The client's shared state ([`Shared`]: the session, the socket, the
//! listeners, the timer) and the way out of a page call: a request's params
//! made into an envelope ([`Shared::prepare`]) and handed to the session
//! ([`Shared::submit`]). The loop that feeds the core and carries out its
//! effects is src/effects.rs.
//!
//! Every closure handed to the browser holds a `Weak<Shared>`, so the page's
//! `OptaveClient` is the only owner and `free()` releases everything.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::{Function, JsString, JSON};
use optave_core::action::Action;
use optave_core::connection::{Input, Request, Session};
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::ids::IdGenerator;
use optave_core::legacy::Deprecation;
use optave_core::options::ClientConfig;
use optave_core::outbound::{refuse_oversized, Builder, EnvelopeConfig, Outbound};
use optave_core::text::Text;
use wasm_bindgen::JsValue;

use crate::browser::Timeout;
use crate::events::{Emitter, Event};
use crate::js_error::{describe, to_js_error};
use crate::logger::{Level, Logger};
use crate::random::CryptoRandom;
use crate::signals::Signals;
use crate::socket::{JsEnvelope, Socket};

pub use crate::effects::{feed, run};
pub use crate::waiter::{Handle, Settle, Waiter};

/// Mutable client state; borrowed briefly, never across a call into the page.
#[derive(Debug)]
pub struct State {
    pub config: ClientConfig,
    pub envelope: EnvelopeConfig,
    pub builder: Builder,
    /// The session machine: connection states, reconnection, the requests.
    pub session: Session<Waiter, JsEnvelope>,
    pub socket: Option<Socket>,
    pub ids: IdGenerator<CryptoRandom>,
    /// Deprecations already warned about ([`Deprecation::bit`]).
    pub warned: u8,
    /// Whether a request already went out under a generated correlationId
    /// because its `requestId` was in flight (warned once per client).
    pub warned_in_flight: bool,
    pub token_provider: Option<Function>,
    /// The pending `tokenProvider()` call, if any.
    pub token_wait: Option<crate::connect::TokenWait>,
    /// The token passed to `connect(token)`, reused for every attempt.
    pub explicit_token: Option<String>,
    pub connect_waiters: Vec<Settle>,
    /// The one timer, armed at the session's next wake-up (ms since epoch).
    pub timer: Option<(f64, Timeout)>,
    /// The window and document listeners (online, offline, visibility, page
    /// lifecycle), from `connect()` to `close()` or `free()`.
    pub signals: Option<Signals>,
    /// The REST calls under way (each aborts its `fetch` when dropped).
    pub fetches: Vec<crate::rest::RestCall>,
    /// A 2xx REST answer while the core decides on it.
    pub answer: Option<crate::rest::Answer>,
    /// A routed frame while the core decides on it ([`Input::Frame`]).
    pub frame: Option<crate::frames::Pending>,
    /// Cross-tab sharing (`crossTab`), when this client takes part.
    pub tabs: Option<crate::crosstab::Tabs>,
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

    /// Logs, once per client, [`Outbound::in_flight_warning`].
    fn warn_in_flight_once(&self, outbound: &Outbound) {
        let Some(message) = outbound.in_flight_warning() else {
            return;
        };
        if !core::mem::replace(&mut self.state.borrow_mut().warned_in_flight, true) {
            self.logger.log(Level::Warn, &message, None);
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
            let State {
                builder,
                envelope,
                ids,
                session,
                ..
            } = &mut *st;
            let outbox = session.outbox();
            builder.build_for(action, &json, envelope, ids, now, |id| outbox.contains(id))?
        };
        self.warn_once(&outbound.deprecations);
        self.warn_in_flight_once(&outbound);
        Ok(outbound)
    }

    /// Hands a built envelope to the session ([`Input::Submit`]): sent now
    /// when connected, queued while connecting or reconnecting, or a REST
    /// call. `waiter` is the `...Async` promise or the request handle (with
    /// `settle_ms`), due in `timeout_ms`. Returns the correlationId.
    ///
    /// Errors: WEBSOCKET `WEBSOCKET_NOT_IN_OPEN_STATE`, `QUEUE_FULL`,
    /// `SEND_FAILED`; VALIDATION `DUPLICATE_CORRELATION_ID`.
    pub fn submit(
        self: &Rc<Self>,
        outbound: Outbound,
        waiter: Option<Waiter>,
        settle_ms: Option<f64>,
        timeout_ms: f64,
    ) -> Result<String, OptaveError> {
        let id = outbound.correlation_id;
        let request = Request {
            correlation_id: id.clone(),
            text: outbound.text,
            rest: Some(outbound.rest),
            waiter,
            settle_ms,
            timeout_ms,
        };
        let done = feed(
            self,
            Input::Submit {
                request,
                now_ms: now_ms(),
            },
        );
        done.refused.map_or(Ok(id), Err)
    }

    /// `socket.send(text)`.
    ///
    /// Errors: WEBSOCKET / `SEND_FAILED`.
    pub(crate) fn transmit(
        self: &Rc<Self>,
        correlation_id: &str,
        text: &JsEnvelope,
    ) -> Result<(), OptaveError> {
        if crate::crosstab::send(self, correlation_id, text.text()) {
            return Ok(());
        }
        let st = self.state.borrow();
        let sent = match st.socket.as_ref() {
            Some(socket) => socket.send(text).map_err(|thrown| describe(&thrown)),
            None => Err(String::from("no socket")),
        };
        sent.map_err(|why| {
            OptaveError::websocket(
                ErrorCode::SendFailed,
                Text::new("WebSocket.send failed: ").s(&why),
                now_ms(),
            )
            .for_request(correlation_id)
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
