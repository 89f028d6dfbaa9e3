//! Socket events into the core, and inbound frames out to the page: the core
//! routes each frame ([`route`]); this delivers it (`superpower.response` or
//! `superpower.error` and `error`) and settles the request waiting on it.

use alloc::rc::Rc;

use optave_core::connection::Input;
use optave_core::error::OptaveError;
use optave_core::inbound::{self, remote_error, route, Inbound, Routed};
use wasm_bindgen::JsValue;

use crate::events::{response_event, Event};
use crate::js_error::to_js_error_with;
use crate::reader::{Frame, OwnedErrorFields, Parsed};
use crate::runtime::{feed, now_ms, Shared, Waiter};
use crate::socket::SocketEvent;

pub fn on_socket_event(shared: &Rc<Shared>, attempt: u32, event: SocketEvent) {
    let now = now_ms();
    let input = match event {
        SocketEvent::Open => Input::SocketOpen {
            attempt,
            now_ms: now,
        },
        SocketEvent::Error => Input::SocketError {
            attempt,
            now_ms: now,
        },
        SocketEvent::Close {
            code,
            reason,
            was_clean,
        } => Input::SocketClosed {
            attempt,
            code,
            reason,
            was_clean,
            now_ms: now,
        },
        // A frame restarts the stale clock; one of a socket the session let
        // go of is dropped (the core decides).
        SocketEvent::Frame(frame) => {
            let current = shared.state.borrow_mut().session.heard(attempt, now);
            if current {
                on_frame(shared, frame, now);
            }
            return;
        }
    };
    feed(shared, input);
}

/// One inbound frame: an unreadable one is reported ([`unreadable`]), a
/// parsed one routed and delivered ([`on_parsed`]).
pub fn on_frame(shared: &Rc<Shared>, frame: Frame, now: f64) {
    let err = match frame {
        Frame::Parsed(parsed) => return on_parsed(shared, parsed, now),
        Frame::Binary => return shared.emit_error(&inbound::binary_frame(now)),
        Frame::NotJson { prefix } => inbound::invalid_json(&prefix, now),
        Frame::TooLarge { size, prefix } => {
            let max = shared.state.borrow().config.max_inbound_frame_bytes;
            inbound::frame_too_large(size, max, &prefix, now)
        }
    };
    unreadable(shared, err);
}

/// Routes one parsed frame (the core decides, [`route`], from the fields read
/// once) and delivers it.
pub fn on_parsed(shared: &Rc<Shared>, frame: Parsed, now: f64) {
    let strict = shared.state.borrow().config.strict;
    let (inbound, error) = match route(&frame.routing(), strict, now) {
        Ok(Routed::Deliver(inbound)) => (inbound, None),
        Ok(Routed::Error(inbound)) => {
            let fields = OwnedErrorFields::read(&frame.value, inbound.enveloped);
            let err = remote_error(&inbound, &fields.fields(), now);
            (inbound, Some(err))
        }
        Err(err) => return shared.report_error(&err, &to_js_error_with(&err, &frame.value)),
    };
    // Sharing one connection, the leader sends another tab's frame there.
    if !crate::crosstab::deliver_here(shared, inbound.correlation_id.as_deref(), &frame.value) {
        return;
    }
    // The session decides ([`Input::Frame`]): a repeat of a tracked
    // request's `(actionType, state)` is not delivered again.
    let mut inbound = inbound;
    let input = Input::Frame {
        correlation_id: inbound.correlation_id.clone(),
        action_type: inbound.action_type.take(),
        state: inbound.state.take(),
        now_ms: now,
    };
    shared.state.borrow_mut().frame = Some(Pending {
        value: frame.value,
        inbound,
        error,
    });
    feed(shared, input);
    // A frame the session did not deliver is dropped.
    shared.state.borrow_mut().frame = None;
}

/// A routed frame while the session decides on it: the parsed frame, its
/// routing, and for an error frame the error it carries.
#[derive(Debug)]
pub struct Pending {
    value: JsValue,
    inbound: Inbound,
    error: Option<OptaveError>,
}

/// A frame that could not be read: reported on `error`, and the request it
/// names (the core salvages its correlationId) rejects with the same error
/// ([`Input::Unreadable`]).
pub fn unreadable(shared: &Rc<Shared>, error: OptaveError) {
    feed(shared, Input::Unreadable { error });
}

/// [`Effect::Frame`](optave_core::connection::Effect): the frame being read
/// goes to the page (`message`, then `superpower.response`, or
/// `superpower.error` and `error`) and to `waiter`.
pub fn deliver_pending(shared: &Rc<Shared>, waiter: Option<Waiter>) {
    let pending = shared.state.borrow_mut().frame.take();
    let Some(Pending {
        value,
        inbound,
        error,
    }) = pending
    else {
        return;
    };
    shared.emit(Event::Message, &value);
    match error {
        Some(err) => deliver_error(shared, &value, &inbound, &err, waiter),
        None => deliver(shared, &value, inbound, waiter),
    }
}

/// `superpower.response`, and the request waiting on its correlationId resolves.
fn deliver(shared: &Rc<Shared>, frame: &JsValue, inbound: Inbound, waiter: Option<Waiter>) {
    let event = response_event(
        frame,
        inbound.enveloped,
        inbound.correlation_id.as_deref(),
        inbound.request_action.as_deref(),
    );
    shared.emit(Event::Response, &event);
    if let Some(waiter) = waiter {
        waiter.frame(&event);
    }
}

/// `superpower.error` and `error`; the `...Async` request waiting on its
/// correlationId rejects, a request handle records the error and the frame.
fn deliver_error(
    shared: &Rc<Shared>,
    frame: &JsValue,
    inbound: &Inbound,
    err: &OptaveError,
    waiter: Option<Waiter>,
) {
    let js = to_js_error_with(err, frame);
    shared.emit(Event::SuperpowerError, &js);
    shared.report_error(err, &js);
    if let Some(waiter) = waiter {
        let event = match waiter {
            Waiter::Handle(_) => response_event(
                frame,
                inbound.enveloped,
                inbound.correlation_id.as_deref(),
                inbound.request_action.as_deref(),
            ),
            Waiter::Promise(_) => JsValue::UNDEFINED,
        };
        waiter.error_frame(&js, &event);
    }
}
