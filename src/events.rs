//! The page's event listeners: registration, unsubscription and delivery, and
//! the JS objects the client emits.
//!
//! The registry is a small JavaScript object (event name → array of
//! functions), so the unsubscribe function handed to the page is plain
//! JavaScript: it holds no Rust closure, leaks nothing, and stays safe to call
//! after `free()`. Delivery is one call per event: a listener that throws is
//! collected and reported through the logger; delivery goes on.

use alloc::string::String;

use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use crate::js_error::describe;
use crate::logger::{Level, Logger};

#[wasm_bindgen(module = "/js/bindings.js")]
extern "C" {
    #[wasm_bindgen(js_name = newEmitter)]
    fn new_emitter(count: u32) -> JsValue;
    #[wasm_bindgen(js_name = addListener)]
    fn add_listener(e: &JsValue, event: u32, listener: &Function, once: bool) -> Function;
    #[wasm_bindgen(js_name = removeListener)]
    fn remove_listener(e: &JsValue, event: u32, listener: &Function);
    #[wasm_bindgen(js_name = hasListeners)]
    fn has_listeners(e: &JsValue, event: u32) -> bool;
    #[wasm_bindgen(js_name = clearListeners)]
    fn clear_listeners(e: &JsValue);
    fn deliver(e: &JsValue, event: u32, arg: &JsValue) -> Option<Array>;
    #[wasm_bindgen(js_name = responseEvent)]
    fn response_event_js(
        frame: &JsValue,
        enveloped: bool,
        correlation_id: Option<&str>,
        request_action: Option<&str>,
    ) -> JsValue;
    /// The `close` event object `{ code, reason, wasClean }` (`CloseInfo`).
    #[wasm_bindgen(js_name = closeInfo)]
    pub fn close_info(code: u16, reason: &str, was_clean: bool) -> JsValue;
}

/// The `superpower.response` event for a parsed frame: the (payload's)
/// `action`, `actionType`, `state`, `message`, plus `correlationId`, and for
/// enveloped frames `requestAction` and `headers` (see `SuperpowerEvent`).
pub fn response_event(
    frame: &JsValue,
    enveloped: bool,
    correlation_id: Option<&str>,
    request_action: Option<&str>,
) -> JsValue {
    response_event_js(frame, enveloped, correlation_id, request_action)
}

/// The events the client emits, in the order of [`EVENTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// `open`.
    Open,
    /// `close`.
    Close,
    /// `error`.
    Error,
    /// `message` (deprecated).
    Message,
    /// `superpower.response`.
    Response,
    /// `superpower.error`.
    SuperpowerError,
    /// `stateChange`.
    StateChange,
    /// `sent` (a queued or resent envelope went out).
    Sent,
    /// `roleChange` (`crossTabRole` changed).
    RoleChange,
}

impl Event {
    /// The event named `name`, if it is one of [`EVENTS`].
    pub fn named(name: &str) -> Option<Event> {
        const ALL: [Event; 9] = [
            Event::Open,
            Event::Close,
            Event::Error,
            Event::Message,
            Event::Response,
            Event::SuperpowerError,
            Event::StateChange,
            Event::Sent,
            Event::RoleChange,
        ];
        EVENTS
            .iter()
            .position(|e| *e == name)
            .and_then(|i| ALL.get(i).copied())
    }

    fn name(self) -> &'static str {
        EVENTS.get(self as usize).copied().unwrap_or_default()
    }
}

/// Event names the client emits (see `OptaveEventMap` in the .d.ts).
pub const EVENTS: [&str; 9] = [
    "open",
    "close",
    "error",
    "message",
    "superpower.response",
    "superpower.error",
    "stateChange",
    "sent",
    "roleChange",
];

/// The listener registry, kept for the client's life (emptied, never replaced).
#[derive(Debug)]
pub struct Emitter {
    registry: JsValue,
}

impl Default for Emitter {
    fn default() -> Self {
        Self {
            registry: new_emitter(EVENTS.len() as u32),
        }
    }
}

impl Emitter {
    /// Adds `listener` for `event`; returns the unsubscribe function.
    pub fn add(&self, event: Event, listener: &Function, once: bool) -> Function {
        add_listener(&self.registry, event as u32, listener, once)
    }

    /// Removes `listener` from `event` (the first registration of it).
    pub fn remove(&self, event: Event, listener: &Function) {
        remove_listener(&self.registry, event as u32, listener);
    }

    /// True when `event` has at least one listener.
    pub fn has(&self, event: Event) -> bool {
        has_listeners(&self.registry, event as u32)
    }

    /// Removes every listener.
    pub fn clear(&self) {
        clear_listeners(&self.registry);
    }

    /// Calls each listener of `event` with `arg` (a snapshot taken first;
    /// `once` listeners are removed as they are taken). A listener that throws
    /// is reported through `logger` and the others still run.
    pub fn emit(&self, event: Event, arg: &JsValue, logger: &Logger) {
        let Some(thrown) = deliver(&self.registry, event as u32, arg) else {
            return;
        };
        for thrown in thrown.iter() {
            let mut line = String::from("a '");
            line.push_str(event.name());
            line.push_str("' listener threw: ");
            line.push_str(&describe(&thrown));
            logger.log(Level::Error, &line, Some(&thrown));
        }
    }
}
