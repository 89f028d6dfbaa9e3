//! Socket events into the core, and inbound frames out to the page: the core
//! routes each frame ([`route`]); this delivers it (`superpower.response` or
//! `superpower.error` and `error`) and settles the request waiting on it.

use alloc::rc::Rc;

use optave_core::connection::Input;
use optave_core::error::OptaveError;
use optave_core::inbound::{self, remote_error, route, Inbound, Routed};
use wasm_bindgen::JsValue;

use crate::events::{response_event, Event};
use crate::js_error::{to_js_error, to_js_error_with};
use crate::runtime::{feed, now_ms, rearm, Shared, Waiter};
use crate::socket::{error_fields_ref, read_error_fields, Frame, SocketEvent};

pub fn on_socket_event(shared: &Rc<Shared>, attempt: u32, event: SocketEvent) {
    let now = now_ms();
    match event {
        SocketEvent::Open => feed(
            shared,
            Input::SocketOpen {
                attempt,
                now_ms: now,
            },
        ),
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
        // A frame restarts the stale clock; one of a socket the session let
        // go of is dropped (the core decides).
        SocketEvent::Frame(frame) => {
            let current = shared.state.borrow_mut().session.heard(attempt, now);
            if current {
                on_frame(shared, frame, now);
            }
        }
    }
}

/// Routes one inbound frame (the core decides, [`route`]) and delivers it.
pub fn on_frame(shared: &Rc<Shared>, mut frame: Frame, now: f64) {
    if frame.flags == Frame::NOT_TEXT {
        return shared.emit_error(&inbound::binary_frame(now));
    }
    if frame.flags == Frame::NOT_JSON || frame.flags == Frame::TOO_LARGE {
        let err = if frame.flags == Frame::NOT_JSON {
            inbound::invalid_json(frame.prefix(), now)
        } else {
            let max = shared.state.borrow().config.max_inbound_frame_bytes;
            let size = frame.value.as_f64().unwrap_or_default();
            inbound::frame_too_large(size, max, frame.prefix(), now)
        };
        return unreadable(shared, &err);
    }
    let strict = shared.state.borrow().config.strict;
    let mut body_is_top = false;
    let routed = loop {
        match route(&frame.routing(), strict, body_is_top, now) {
            Ok(Routed::Reread) if !body_is_top => {
                frame.reread_top_body();
                body_is_top = true;
            }
            other => break other,
        }
    };
    match routed {
        Ok(Routed::Deliver(inbound)) => {
            let Some(settle) = first_time(shared, &inbound) else {
                return;
            };
            shared.emit(Event::Message, &frame.value);
            deliver(shared, &frame.value, inbound, settle);
        }
        Ok(Routed::Error(inbound)) => {
            let Some(settle) = first_time(shared, &inbound) else {
                return;
            };
            shared.emit(Event::Message, &frame.value);
            let fields = read_error_fields(&frame.value, body_is_top);
            let err = remote_error(&inbound, &error_fields_ref(&fields), now);
            deliver_error(shared, &frame.value, &inbound, &err, settle);
        }
        Ok(Routed::Reread) => {}
        Err(err) => shared.report_error(&err, &to_js_error_with(&err, &frame.value)),
    }
}

/// A frame that could not be read: reported on `error`, and the request it
/// names (the core salvages its correlationId) rejects with the same error.
pub fn unreadable(shared: &Rc<Shared>, err: &OptaveError) {
    let settle = take_request(shared, err.correlation_id.as_deref());
    let js = to_js_error(err);
    shared.report_error(err, &js);
    if let Some(settle) = settle {
        settle.reject(&js);
    }
}

fn take_request(shared: &Rc<Shared>, correlation_id: Option<&str>) -> Option<Waiter> {
    let settle = correlation_id.and_then(|id| shared.state.borrow_mut().session.forget(id));
    rearm(shared);
    settle
}

/// The session's decision on a frame: `None` for a repeat of a tracked
/// request's `(actionType, state)` (not delivered again), else the
/// `...Async` promise it settles, if any.
fn first_time(shared: &Rc<Shared>, inbound: &Inbound) -> Option<Option<Waiter>> {
    let Some(id) = inbound.correlation_id.as_deref() else {
        return Some(None);
    };
    let outcome = shared.state.borrow_mut().session.frame(
        id,
        inbound.action_type.as_deref().unwrap_or_default(),
        inbound.state.as_deref().unwrap_or_default(),
        now_ms(),
    );
    // The timer stays armed at the earliest deadline it knew (a Tick with
    // nothing due re-arms it); once nothing is tracked it is cleared now, and
    // a handle's frame may bring its settling forward.
    if outcome.stream || shared.state.borrow().session.outbox().is_empty() {
        rearm(shared);
    }
    outcome.deliver.then_some(outcome.waiter)
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
