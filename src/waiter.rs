//! What the session keeps per request that has a waiter: an `...Async`
//! promise's settle functions, or a request handle (`js/api.js`).

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

/// The two functions that settle a promise.
#[derive(Debug, Clone)]
pub struct Settle {
    resolve: Function,
    reject: Function,
}

impl Settle {
    /// A new promise and its settle functions.
    pub fn promise() -> (Promise, Option<Settle>) {
        let mut settle = None;
        let promise = Promise::new(&mut |resolve, reject| {
            settle = Some(Settle { resolve, reject });
        });
        (promise, settle)
    }

    /// Resolves the promise with `value`.
    pub fn resolve_with(&self, value: &JsValue) {
        let _ = self.resolve.call1(&JsValue::UNDEFINED, value);
    }

    /// Rejects the promise with `value`.
    pub fn reject_with(&self, value: &JsValue) {
        let _ = self.reject.call1(&JsValue::UNDEFINED, value);
    }
}

#[wasm_bindgen]
extern "C" {
    /// A request handle (`RequestHandle` of `js/api.js`): the facade hands it
    /// every frame of its request, then its settlement or failure.
    #[derive(Debug, Clone)]
    pub type Handle;
    #[wasm_bindgen(method, catch, js_name = _frame)]
    fn frame(this: &Handle, event: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = _error)]
    fn error(this: &Handle, error: &JsValue, event: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = _settle)]
    fn settle(this: &Handle) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = _fail)]
    fn fail(this: &Handle, error: &JsValue) -> Result<(), JsValue>;
}

/// What the session keeps per `...Async` request or request handle.
#[derive(Debug, Clone)]
pub enum Waiter {
    /// An `...Async` promise: the first frame settles it.
    Promise(Settle),
    /// A request handle: every frame, then `settled()` (docs/api.md, "API").
    Handle(Handle),
}

impl Waiter {
    /// A frame of the request (`event`, the `superpower.response` object).
    pub fn frame(&self, event: &JsValue) {
        match self {
            Self::Promise(s) => s.resolve_with(event),
            Self::Handle(h) => drop(h.frame(event)),
        }
    }

    /// An error frame of the request: `error` (the `OptaveError`), `event`
    /// (the frame as a `superpower.response` object).
    pub fn error_frame(&self, error: &JsValue, event: &JsValue) {
        match self {
            Self::Promise(s) => s.reject_with(error),
            Self::Handle(h) => drop(h.error(error, event)),
        }
    }

    /// The request ended without an answer (timeout, cancel, close, lost).
    pub fn reject(&self, error: &JsValue) {
        match self {
            Self::Promise(s) => s.reject_with(error),
            Self::Handle(h) => drop(h.fail(error)),
        }
    }

    /// A handle's request settled.
    pub fn settled(&self) {
        if let Self::Handle(h) = self {
            drop(h.settle());
        }
    }
}
