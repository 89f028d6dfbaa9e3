//! The page's `logger` option (`{ debug, info, warn, error }`, each optional),
//! falling back to `console`. A logger that throws is ignored, never fatal.

use alloc::string::String;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/bindings.js")]
extern "C" {
    #[wasm_bindgen(js_name = logTo)]
    fn log_to(target: &JsValue, level: &str, text: &str, extra: &JsValue);
}

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
    target: JsValue,
}

impl Logger {
    /// `target` is the `logger` option, or `undefined` (then `console`). A
    /// logger without a level's method stays silent for it.
    pub fn new(target: JsValue) -> Self {
        let target = if target.is_object() {
            target
        } else {
            JsValue::UNDEFINED
        };
        Self { target }
    }

    /// Logs `message` (prefixed `[optave-client]`) with an optional extra value.
    pub fn log(&self, level: Level, message: &str, extra: Option<&JsValue>) {
        let name = match level {
            Level::Warn => "warn",
            Level::Error => "error",
        };
        let mut line = String::from("[optave-client] ");
        line.push_str(message);
        log_to(
            &self.target,
            name,
            &line,
            extra.unwrap_or(&JsValue::UNDEFINED),
        );
    }
}
