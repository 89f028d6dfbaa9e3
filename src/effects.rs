//! The one loop between the core and the browser: [`feed`] hands one input
//! to the session machine, [`run`] carries out its effects in order (sockets,
//! sends, listener deliveries, promise settlements, cross-tab traffic) and
//! [`rearm`] arms the one timer for the session's next wakeup.

use alloc::rc::Rc;
use alloc::vec::Vec;

use optave_core::connection::{Effect, Input, SendKind, StateChange};
use optave_core::error::OptaveError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

use crate::browser::Timeout;
use crate::events::{close_info, Event};
use crate::js_error::to_js_error;
use crate::random::CryptoRandom;
use crate::runtime::{now_ms, Shared};
use crate::socket::JsEnvelope;
use crate::waiter::Waiter;

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
