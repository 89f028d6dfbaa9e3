//! Turns a core [`OptaveError`] into an instance of the package's
//! `OptaveError` class (js/bindings.js; it extends `Error`) carrying
//! `category`, `code`, `details`, `suggestions`, `correlationId` and
//! `timestamp` (protocol.md section 6), so `err instanceof Error` holds for
//! the page. The object is built by one JavaScript call; `details` crosses as
//! the JSON text the core writes ([`Detail::write_json`]), or is the inbound
//! frame the page parsed ([`Detail::Frame`]).

use alloc::string::String;

use optave_core::error::{Detail, OptaveError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/bindings.js")]
extern "C" {
    #[wasm_bindgen(js_name = jsError)]
    #[allow(clippy::too_many_arguments)]
    fn js_error(
        category: &str,
        code: &str,
        message: &str,
        details: Option<&str>,
        frame: &JsValue,
        suggestions: &str,
        correlation_id: Option<&str>,
        timestamp: &str,
    ) -> JsValue;
    #[wasm_bindgen(js_name = describeThrown)]
    fn describe_thrown(value: &JsValue) -> String;
}

/// Builds the JS `Error` for `err`, its `name` `OptaveError`; `frame` is its
/// `details` when the core says [`Detail::Frame`].
pub fn to_js_error_with(err: &OptaveError, frame: &JsValue) -> JsValue {
    let details = match err.details {
        Detail::Frame => None,
        ref d => {
            let mut text = String::new();
            d.write_json(&mut text);
            Some(text)
        }
    };
    let mut suggestions = String::new();
    for (i, s) in err.suggestions.iter().enumerate() {
        if i > 0 {
            suggestions.push('\n');
        }
        suggestions.push_str(s);
    }
    js_error(
        err.category.as_str(),
        &err.code,
        &err.message,
        details.as_deref(),
        frame,
        &suggestions,
        err.correlation_id.as_deref(),
        &err.timestamp,
    )
}

/// Builds the JS `Error` for `err` (no frame).
pub fn to_js_error(err: &OptaveError) -> JsValue {
    to_js_error_with(err, &JsValue::NULL)
}

/// A short text for a thrown JS value: an `Error`'s `message`, a string as is,
/// anything else by its type only (never its contents, which may hold a token).
pub fn describe(value: &JsValue) -> String {
    describe_thrown(value)
}
