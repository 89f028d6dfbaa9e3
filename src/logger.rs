//! The page's `logger` option (`{ debug, info, warn, error }`, each optional),
//! falling back to `console`. A logger that throws is ignored, never fatal.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Log levels.
#[derive(Debug, Clone, Copy)]
pub enum Level {
    /// Warnings (deprecations, listener failures).
    Warn,
    /// Errors.
    Error,
}

/// Wraps the page's logger object.
#[derive(Debug, Clone)]
pub struct Logger {
    target: Option<JsValue>,
}

impl Logger {
    /// `target` is the `logger` option, or `undefined`.
    pub fn new(target: JsValue) -> Self {
        let target = (target.is_object()).then_some(target);
        Self { target }
    }

    /// Logs `message` (prefixed `[optave-client]`) with an optional extra value.
    pub fn log(&self, level: Level, message: &str, extra: Option<&JsValue>) {
        let name = match level {
            Level::Warn => "warn",
            Level::Error => "error",
        };
        let text = JsValue::from_str(&format!("[optave-client] {message}"));
        let extra = extra.cloned().unwrap_or(JsValue::UNDEFINED);
        if let Some(target) = &self.target {
            if let Ok(f) = Reflect::get(target, &JsValue::from_str(name)) {
                if let Some(f) = f.dyn_ref::<Function>() {
                    let _ = f.call2(target, &text, &extra);
                    return;
                }
            }
            // A logger without this level stays silent for it.
            return;
        }
        match level {
            Level::Warn => web_sys::console::warn_2(&text, &extra),
            Level::Error => web_sys::console::error_2(&text, &extra),
        }
    }
}
