//! Turns a core [`OptaveError`] into a real JavaScript `Error` carrying
//! `category`, `code`, `details`, `suggestions`, `correlationId` and `timestamp`
//! (protocol.md section 6), so `err instanceof Error` holds for the page.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::error::OptaveError;

/// Builds the JS `Error` for `err`. Its `name` is `OptaveError`.
pub fn to_js_error(err: &OptaveError) -> JsValue {
    let js = js_sys::Error::new(&err.message);
    js.set_name("OptaveError");
    let obj: &Object = js.unchecked_ref();
    set(obj, "category", &JsValue::from_str(err.category.as_str()));
    set(obj, "code", &JsValue::from_str(&err.code));
    // Details are JSON already: one JSON text crosses, and `JSON.parse` builds
    // the object (cheaper in code size than walking the value from wasm).
    let details = serde_json::to_string(&err.details)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .filter(|v| !v.is_undefined())
        .unwrap_or(JsValue::NULL);
    set(obj, "details", &details);
    let suggestions: Array = err
        .suggestions
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect();
    set(obj, "suggestions", &suggestions);
    if let Some(id) = &err.correlation_id {
        set(obj, "correlationId", &JsValue::from_str(id));
    }
    set(obj, "timestamp", &JsValue::from_str(&err.timestamp));
    js.into()
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a data property on a fresh Error cannot fail; ignore the Result.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// A short text for an unknown thrown JS value (for messages).
pub fn describe(value: &JsValue) -> String {
    if let Some(err) = value.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}
