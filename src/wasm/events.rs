//! The page's event listeners: registration, unsubscription and delivery.
//!
//! Listeners live in a JS `Map` (event name → array of functions) so the
//! unsubscribe function handed to the page is plain JavaScript: it holds no
//! Rust closure, leaks nothing, and stays safe to call after `free()`.
//! A listener that throws is reported through the logger; delivery goes on.

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
}")]
extern "C" {
    fn unsubscriber(map: &Map, once: &Set, name: &str, listener: &Function) -> Function;
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

/// The listener registry.
#[derive(Debug)]
pub struct Emitter {
    listeners: Map,
    once: Set,
}

impl Default for Emitter {
    fn default() -> Self {
        Self {
            listeners: Map::new(),
            once: Set::new(&JsValue::UNDEFINED),
        }
    }
}

impl Emitter {
    /// Adds `listener` for `name`; returns the unsubscribe function.
    pub fn add(&self, name: &str, listener: &Function, once: bool) -> Function {
        let key = JsValue::from_str(name);
        let list = match self.listeners.get(&key).dyn_into::<Array>() {
            Ok(list) => list,
            Err(_) => {
                let list = Array::new();
                self.listeners.set(&key, &list);
                list
            }
        };
        list.push(listener);
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
        self.listeners
            .get(&JsValue::from_str(name))
            .dyn_into::<Array>()
            .is_ok_and(|list| list.length() > 0)
    }

    /// Removes every listener.
    pub fn clear(&self) {
        self.listeners.clear();
        self.once.clear();
    }

    /// A snapshot of `name`'s listeners; `once` listeners are removed from the
    /// registry as they are taken. Deliver after releasing any borrow.
    pub fn take_targets(&self, name: &str) -> Option<Array> {
        let list = self
            .listeners
            .get(&JsValue::from_str(name))
            .dyn_into::<Array>()
            .ok()
            .filter(|l| l.length() > 0)?;
        let snapshot = list.slice(0, list.length());
        if self.once.size() > 0 {
            let keep: Array = list.filter(&mut |f, _, _| !self.once.has(&f));
            for f in snapshot.iter() {
                self.once.delete(&f);
            }
            list.set_length(0);
            for f in keep.iter() {
                list.push(&f);
            }
        }
        Some(snapshot)
    }
}

/// Calls every function in `targets` with `arg`. A listener that throws is
/// reported through `logger` and the others still run.
pub fn deliver(targets: &Array, name: &str, arg: &JsValue, logger: &Logger) {
    for f in targets.iter() {
        let Some(f) = f.dyn_ref::<Function>() else {
            continue;
        };
        if let Err(thrown) = f.call1(&JsValue::UNDEFINED, arg) {
            logger.log(
                Level::Error,
                &format!("a '{name}' listener threw: {}", describe(&thrown)),
                Some(&thrown),
            );
        }
    }
}
