//! Owned browser resources: a timer ([`Timeout`]) and an event listener
//! ([`Listener`]), each holding its closure and undoing its registration when
//! dropped (`clearTimeout`, `removeEventListener`). Nothing is `forget()`-ed.
//! The same RAII design as gloo's `Timeout` and `EventListener`, written
//! against `js_sys`/`web_sys` directly because gloo needs `std` (see
//! BENCHMARKS.md, "Size").

use alloc::boxed::Box;

use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// The longest delay `setTimeout` honours (2^31 − 1 ms); longer ones fire at once.
pub const MAX_DELAY_MS: f64 = 2_147_483_647.0;

/// A pending `setTimeout`, cleared when dropped.
#[derive(Debug)]
#[must_use = "dropping a Timeout clears it"]
pub struct Timeout {
    id: JsValue,
    _closure: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Calls `f` once after `ms` milliseconds (clamped to 0..=[`MAX_DELAY_MS`]).
    pub fn new(ms: f64, f: impl FnOnce() + 'static) -> Self {
        let mut f = Some(f);
        let closure: Closure<dyn FnMut()> = Closure::new(move || {
            if let Some(f) = f.take() {
                f();
            }
        });
        let ms = if ms.is_finite() {
            ms.clamp(0.0, MAX_DELAY_MS)
        } else {
            MAX_DELAY_MS
        };
        let id = set_timeout(closure.as_ref().unchecked_ref(), ms);
        Self {
            id,
            _closure: closure,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// An event listener, removed when dropped.
#[derive(Debug)]
#[must_use = "dropping a Listener removes it"]
pub struct Listener {
    target: EventTarget,
    name: &'static str,
    closure: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Adds `f` as the `name` listener of `target`.
    pub fn new(target: &EventTarget, name: &'static str, f: impl FnMut(Event) + 'static) -> Self {
        let closure: Closure<dyn FnMut(Event)> = Closure::wrap(Box::new(f));
        // addEventListener throws only for a non-callable listener.
        let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
        Self {
            target: target.clone(),
            name,
            closure,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.name, self.closure.as_ref().unchecked_ref());
    }
}
