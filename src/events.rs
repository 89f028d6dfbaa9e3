//! The page's event listeners: registration, unsubscription and delivery.
//!
//! Listeners live in a JS `Map` (event name → array of functions) so the
//! unsubscribe function handed to the page is plain JavaScript: it holds no
//! Rust closure, leaks nothing, and stays safe to call after `free()`.
//! A listener that throws is reported through the logger; delivery goes on.
//! Delivery and the `superpower.response` event object are built by small
//! JavaScript functions: one call per delivery instead of one per property.

use js_sys::{Array, Function, Map, Set};
use wasm_bindgen::prelude::*;

use super::js_error::describe;
use super::logger::{Level, Logger};

#[wasm_bindgen(inline_js = "
export function unsubscriber(map, once, name, fn) {
  return () => {
    const list = map.get(name);
    if (list) { const i = list.indexOf(fn); if (i >= 0) list.splice(i, 1); }
    once.delete(fn);
  };
}
export function deliverTo(list, once, arg) {
  if (list.length === 0) return undefined;
  const targets = list.length === 1 ? [list[0]] : list.slice();
  if (once.size > 0) {
    const keep = list.filter((f) => !once.has(f));
    for (const f of targets) once.delete(f);
    list.length = 0;
    for (const f of keep) list.push(f);
  }
  let thrown;
  for (const f of targets) {
    if (typeof f !== 'function') continue;
    try { f(arg); } catch (e) { (thrown ??= []).push(e); }
  }
  return thrown;
}
export function responseEvent(frame, enveloped, correlationId, requestAction) {
  const b = enveloped ? frame.payload : frame;
  const ev = { action: b.action, actionType: b.actionType, state: b.state, message: b.message };
  if (correlationId !== undefined) ev.correlationId = correlationId;
  if (enveloped) {
    if (requestAction !== undefined) ev.requestAction = requestAction;
    ev.headers = frame.headers;
  }
  return ev;
}")]
extern "C" {
    fn unsubscriber(map: &Map, once: &Set, name: &str, listener: &Function) -> Function;
    #[wasm_bindgen(js_name = deliverTo)]
    fn deliver_to(list: &Array, once: &Set, arg: &JsValue) -> Option<Array>;
    #[wasm_bindgen(js_name = responseEvent)]
    fn response_event_js(
        frame: &JsValue,
        enveloped: bool,
        correlation_id: Option<&str>,
        request_action: Option<&str>,
    ) -> JsValue;
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

/// Event names the client emits (see `OptaveEventMap` in the .d.ts).
pub const EVENTS: [&str; 6] = [
    "open",
    "close",
    "error",
    "message",
    "superpower.response",
    "superpower.error",
];

/// The listener registry: one array per name in [`EVENTS`], created up front
/// and kept for the client's life (emptied, never replaced).
#[derive(Debug)]
pub struct Emitter {
    listeners: Map,
    lists: [Array; EVENTS.len()],
    once: Set,
}

impl Default for Emitter {
    fn default() -> Self {
        let listeners = Map::new();
        let lists = EVENTS.map(|name| {
            let list = Array::new();
            listeners.set(&JsValue::from_str(name), &list);
            list
        });
        Self {
            listeners,
            lists,
            once: Set::new(&JsValue::UNDEFINED),
        }
    }
}

impl Emitter {
    fn list(&self, name: &str) -> Option<&Array> {
        EVENTS
            .iter()
            .position(|e| *e == name)
            .and_then(|i| self.lists.get(i))
    }

    /// Adds `listener` for `name` (one of [`EVENTS`]; other names are
    /// ignored); returns the unsubscribe function.
    pub fn add(&self, name: &str, listener: &Function, once: bool) -> Function {
        if let Some(list) = self.list(name) {
            list.push(listener);
        }
        if once {
            self.once.add(listener);
        }
        unsubscriber(&self.listeners, &self.once, name, listener)
    }

    /// Removes `listener` from `name` (the first registration of it).
    pub fn remove(&self, name: &str, listener: &Function) {
        unsubscriber(&self.listeners, &self.once, name, listener)
            .call0(&JsValue::UNDEFINED)
            .ok();
    }

    /// True when `name` has at least one listener.
    pub fn has(&self, name: &str) -> bool {
        self.list(name).is_some_and(|list| list.length() > 0)
    }

    /// Removes every listener.
    pub fn clear(&self) {
        for list in &self.lists {
            list.set_length(0);
        }
        self.once.clear();
    }

    /// Calls each listener of `name` with `arg` (a snapshot taken first;
    /// `once` listeners are removed as they are taken). A listener that throws
    /// is reported through `logger` and the others still run.
    pub fn emit(&self, name: &str, arg: &JsValue, logger: &Logger) {
        let Some(list) = self.list(name) else { return };
        let Some(thrown) = deliver_to(list, &self.once, arg) else {
            return;
        };
        for thrown in thrown.iter() {
            logger.log(
                Level::Error,
                &format!("a '{name}' listener threw: {}", describe(&thrown)),
                Some(&thrown),
            );
        }
    }
}
