//! The local server's fault controls for the session's fault matrix
//! (tests/web_session.rs): the supervised server (`OCO_TEST_HTTP_RESTART`,
//! its supervisor at `OCO_TEST_HTTP_RESTART_CONTROL`) whose process a test
//! may kill and start again, and its `/api/test/*` endpoints that break the
//! network for real.
#![allow(dead_code)]

use js_sys::{Function, Promise};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/tests/web/harness.js")]
extern "C" {
    #[wasm_bindgen(js_name = postJson)]
    fn post_json_raw(url: &str) -> Promise;
    #[wasm_bindgen(js_name = getJson)]
    fn get_json_raw(url: &str) -> Promise;
    #[wasm_bindgen(js_name = installGlobalProbes)]
    pub fn install_global_probes() -> JsValue;
    #[wasm_bindgen(js_name = globalListeners)]
    pub fn global_listeners() -> Vec<String>;
    #[wasm_bindgen(js_name = fireGlobal)]
    pub fn fire_global(name: &str);
    /// A tokenProvider playing a script (see harness.js `scriptedProvider`).
    pub type Scripted;
    #[wasm_bindgen(js_name = scriptedProvider)]
    pub fn scripted_provider(script: Vec<JsValue>, fallback: JsValue) -> Scripted;
    #[wasm_bindgen(method, getter)]
    pub fn provider(this: &Scripted) -> Function;
    #[wasm_bindgen(method, getter)]
    pub fn calls(this: &Scripted) -> u32;
    #[wasm_bindgen(js_name = memoryBytes)]
    pub fn memory_bytes(memory: &JsValue) -> f64;
}

/// The supervised `--no-auth` server (`http://127.0.0.1:<port>`).
pub fn http_restart() -> &'static str {
    match option_env!("OCO_TEST_HTTP_RESTART") {
        Some(url) => url,
        None => panic!("OCO_TEST_HTTP_RESTART must name the supervised local OCO server"),
    }
}

/// Its supervisor's control URL.
pub fn restart_control() -> &'static str {
    match option_env!("OCO_TEST_HTTP_RESTART_CONTROL") {
        Some(url) => url,
        None => panic!("OCO_TEST_HTTP_RESTART_CONTROL must name the supervisor's control URL"),
    }
}

async fn json_of(promise: Promise, what: &str) -> Value {
    let value = JsFuture::from(promise)
        .await
        .unwrap_or_else(|e| panic!("{what} failed: {e:?}"));
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// POSTs `path` (e.g. `/api/test/drop`) on `base`; the JSON answer.
pub async fn post(base: &str, path: &str) -> Value {
    let url = format!("{base}{path}");
    json_of(post_json_raw(&url), &url).await
}

/// GETs `path` on `base`; the JSON answer.
pub async fn get_json(base: &str, path: &str) -> Value {
    let url = format!("{base}{path}");
    json_of(get_json_raw(&url), &url).await
}

/// Aborts every open WebSocket of the server at `base` (no close frame).
pub async fn drop_sockets(base: &str) -> Value {
    post(base, "/api/test/drop").await
}

/// Refuses WebSocket upgrades on `base` for `ms`.
pub async fn refuse_for(base: &str, ms: u32) -> Value {
    post(base, &format!("/api/test/refuse?ms={ms}")).await
}

/// Leaves WebSocket handshakes on `base` unanswered for `ms`.
pub async fn stall_for(base: &str, ms: u32) -> Value {
    post(base, &format!("/api/test/stall?ms={ms}")).await
}

/// How often the server at `base` analysed and replayed each idempotencyKey.
pub async fn stats(base: &str) -> Value {
    get_json(base, "/api/test/stats").await
}
