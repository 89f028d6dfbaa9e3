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

use js_sys::{Function, JsString, JSON};
use optave_core::action::Action;
use optave_core::connection::{Effect, Input, Request, SendKind, Session, StateChange};
use optave_core::error::{ErrorCode, OptaveError};
use optave_core::ids::IdGenerator;
use optave_core::legacy::Deprecation;
use optave_core::options::ClientConfig;
use optave_core::outbound::{refuse_oversized, Builder, EnvelopeConfig, Outbound};
use optave_core::text::Text;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

use crate::browser::Timeout;
use crate::events::{close_info, Emitter, Event};
use crate::js_error::{describe, to_js_error};
use crate::logger::{Level, Logger};
use crate::random::CryptoRandom;
use crate::signals::Signals;
use crate::socket::{JsEnvelope, Socket};

#[wasm_bindgen(module = "/js/bindings.js")]
extern "C" {
    /// The `stateChange` event object (`StateChangeEvent`).
    #[wasm_bindgen(js_name = stateInfo)]
    fn state_info(
        previous: &str,
        current: &str,
        reason: JsValue,
        retry_in_ms: Option<f64>,
        transport: &str,
    ) -> JsValue;
    /// The `sent` event object (`SentEvent`).
    #[wasm_bindgen(js_name = sentInfo)]
    fn sent_info(correlation_id: &str, kind: &str) -> JsValue;
}

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
    fn transmit(
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

/// What the effects of one input did, for the page call that fed it.
#[derive(Debug, Default)]
pub struct Done {
    /// [`Effect::Refused`]: the request submitted was refused, or its send
    /// failed.
    pub refused: Option<OptaveError>,
    /// How many waiters [`Effect::Reject`] rejected (cancellations).
    pub rejected: u32,
}

/// Feeds one input to the session machine, carries out the effects and
/// re-arms the timer: the one way into the core and the one place the timer
/// is armed.
pub fn feed(shared: &Rc<Shared>, input: Input<Waiter>) -> Done {
    let effects = shared
        .state
        .borrow_mut()
        .session
        .handle(input, &mut CryptoRandom);
    let done = run(shared, effects);
    rearm(shared);
    done
}

/// Carries out the session's effects, in order.
pub fn run(shared: &Rc<Shared>, effects: Vec<Effect<Waiter, JsEnvelope>>) -> Done {
    let mut done = Done::default();
    for effect in effects {
        match effect {
            Effect::StartAttempt { attempt } => crate::connect::start_attempt(shared, attempt),
            Effect::State(change) => emit_state(shared, change),
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
            Effect::Transmit {
                correlation_id,
                text,
                kind,
            } => {
                if let Some(refused) = send(shared, &correlation_id, &text, kind) {
                    done.refused = Some(refused);
                }
            }
            Effect::CloseSocket { code, reason } => {
                if let Some(socket) = shared.state.borrow().socket.as_ref() {
                    socket.close(code, reason);
                }
            }
            Effect::ReleaseSocket => {
                let socket = shared.state.borrow_mut().socket.take();
                drop(socket);
                crate::crosstab::released(shared);
            }
            Effect::Reject(waiter, err) => {
                waiter.reject(&to_js_error(&err));
                done.rejected += 1;
            }
            Effect::Settled(waiter, _) => waiter.settled(),
            Effect::Fetch(fetch) => crate::rest::start(shared, fetch),
            Effect::AbortFetch { id } => crate::rest::abort(shared, id),
            Effect::Deliver { correlation_id } => crate::rest::deliver(shared, &correlation_id),
            Effect::Refused(err) => done.refused = Some(err),
            Effect::Fail { waiter, error } => {
                let js = to_js_error(&error);
                shared.report_error(&error, &js);
                if let Some(waiter) = waiter {
                    waiter.reject(&js);
                }
            }
            Effect::Frame { waiter } => crate::frames::deliver_pending(shared, waiter),
        }
    }
    done
}

/// An envelope goes out; after a reconnect (queued or lost), `sent` tells
/// the page. A send that throws is [`Input::SendFailed`]; returns what
/// that refused (the page's own send).
fn send(
    shared: &Rc<Shared>,
    correlation_id: &str,
    text: &JsEnvelope,
    kind: SendKind,
) -> Option<OptaveError> {
    match shared.transmit(correlation_id, text) {
        Ok(()) => {
            if kind != SendKind::Direct && shared.emitter.has(Event::Sent) {
                shared.emit(Event::Sent, &sent_info(correlation_id, kind.as_str()));
            }
            None
        }
        Err(error) => feed(shared, Input::SendFailed { error, kind }).refused,
    }
}

fn emit_state(shared: &Rc<Shared>, change: StateChange) {
    crate::crosstab::state_changed(shared, change.current);
    let reason = change
        .reason
        .as_ref()
        .map_or(JsValue::UNDEFINED, to_js_error);
    let info = state_info(
        change.previous.as_str(),
        change.current.as_str(),
        reason,
        change.retry_in_ms,
        change.transport.as_str(),
    );
    shared.emit(Event::StateChange, &info);
}

/// Arms the one timer at the session's next wake-up (or clears it). A
/// wake-up already due (a hidden tab's throttled timer, a stale socket found
/// at send time) is re-armed to fire at once rather than left to the
/// throttled one.
pub fn rearm(shared: &Rc<Shared>) {
    let next = shared.state.borrow().session.next_wakeup();
    let armed = shared.state.borrow().timer.as_ref().map(|(at, _)| *at);
    if next == armed && next.is_none_or(|at| at > now_ms()) {
        return;
    }
    let timer = next.map(|at| {
        let weak = Rc::downgrade(shared);
        let timeout = Timeout::new(at - now_ms(), move || {
            if let Some(shared) = weak.upgrade() {
                let fired = shared.state.borrow_mut().timer.take();
                feed(&shared, Input::Tick { now_ms: now_ms() });
                drop(fired);
            }
        });
        (at, timeout)
    });
    let old = core::mem::replace(&mut shared.state.borrow_mut().timer, timer);
    drop(old);
}
