//! Browser tests: a client's end of life through the package's JavaScript
//! layer (`js/api.js`): `free()` from inside a listener while a method of the
//! same client runs, members of a freed client, a second `free()`.
#![cfg(target_arch = "wasm32")]

#[path = "web/support.rs"]
mod support;

use js_sys::{Array, Function, Reflect};
use serde_json::json;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `target[name](...args)`, the thrown value as `Err`.
fn try_call(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(target, name).dyn_into().expect("a method");
    Reflect::apply(&f, target, &args.iter().collect::<Array>())
}

/// `target[name]`, the thrown value as `Err`.
fn try_get(target: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
}

fn assert_freed(thrown: JsValue, what: &str) {
    assert!(
        thrown.is_instance_of::<js_sys::Error>(),
        "{what}: {thrown:?}"
    );
    assert_eq!(
        get_str(&thrown, "name").as_deref(),
        Some("OptaveError"),
        "{what}"
    );
    assert_eq!(
        get_str(&thrown, "code").as_deref(),
        Some("CLIENT_FREED"),
        "{what}"
    );
    assert_eq!(
        get_str(&thrown, "category").as_deref(),
        Some("VALIDATION"),
        "{what}"
    );
}

#[wasm_bindgen_test]
fn free_in_a_listener_during_a_send_takes_effect_when_the_send_returns() {
    let (client, _rec) = recorded_client(http_noauth(), json!({ "authRequired": false }));
    let client = with_js_api(client);
    // An `error` listener that frees the client: `send` with an unknown action
    // reports INVALID_ACTION synchronously, from inside `send`.
    let free_it = Function::new_with_args(
        "err",
        "globalThis.__lifecycleSeen = err.code; globalThis.__lifecycleClient.free(); \
         globalThis.__lifecycleAlive = !!globalThis.__lifecycleClient.__wbg_ptr;",
    );
    let global = js_sys::global();
    Reflect::set(&global, &"__lifecycleClient".into(), &client).unwrap();
    try_call(&client, "on", &["error".into(), free_it.into()]).expect("on");
    let sent = try_call(&client, "send", &["interactoin".into(), js(json!({}))]);
    assert_eq!(sent.expect("send does not throw"), JsValue::UNDEFINED);
    assert_eq!(
        get_str(&global, "__lifecycleSeen").as_deref(),
        Some("INVALID_ACTION")
    );
    assert_eq!(
        get(&global, "__lifecycleAlive").as_bool(),
        Some(true),
        "the client is still usable inside the listener"
    );
    // Released once `send` returned.
    assert!(get(&client, "__wbg_ptr").as_f64().unwrap_or(0.0) == 0.0);
    assert_freed(try_call(&client, "close", &[]).unwrap_err(), "close()");
    Reflect::delete_property(&global, &"__lifecycleClient".into()).unwrap();
}

#[wasm_bindgen_test]
fn every_member_of_a_freed_client_throws_client_freed() {
    let (client, _rec) = recorded_client(http_noauth(), json!({ "authRequired": false }));
    let client = with_js_api(client);
    try_call(&client, "free", &[]).expect("free");
    for (name, args) in [
        ("connect", vec![]),
        ("close", vec![]),
        ("send", vec!["interaction".into(), js(json!({}))]),
        ("sendAsync", vec!["interaction".into(), js(json!({}))]),
        ("interaction", vec![js(json!({}))]),
        ("insightsAsync", vec![js(json!({}))]),
        ("on", vec!["open".into(), Function::new_no_args("").into()]),
        ("cancelPendingRequests", vec![]),
        ("openConnection", vec![]),
        ("getSessionId", vec![]),
    ] {
        assert_freed(try_call(&client, name, &args).unwrap_err(), name);
    }
    assert_freed(try_get(&client, "readyState").unwrap_err(), "readyState");
    assert_freed(try_get(&client, "sessionId").unwrap_err(), "sessionId");
    // A second free() does nothing.
    try_call(&client, "free", &[]).expect("a second free() is a no-op");
}

#[wasm_bindgen_test]
async fn a_huge_string_is_refused_before_it_is_read_and_the_client_keeps_working() {
    let (client, rec) = recorded_client(http_noauth(), json!({ "authRequired": false }));
    connect(&client).await;
    // 2,000,000 euro signs (6 MB of UTF-8), made in JavaScript so that only
    // the SDK could bring them into wasm memory; refused from their UTF-16
    // length alone.
    let huge = js(request(&["fault:silent"]));
    let message = get(
        &get(
            &get(&get(&get(&huge, "request"), "scope"), "conversations"),
            "0",
        ),
        "messages",
    );
    let message = get(&message, "0");
    let euro = js_sys::JsString::from("\u{20ac}").repeat(2_000_000);
    Reflect::set(&message, &"content".into(), &euro).unwrap();
    let before = wasm_memory_bytes();
    assert_eq!(client.send(JsValue::from("interaction"), huge), None);
    let errors = rec.all("error");
    assert_eq!(errors.length(), 1);
    let err = errors.get(0);
    assert_eq!(get_str(&err, "code").as_deref(), Some("PAYLOAD_TOO_LARGE"));
    assert!(
        wasm_memory_bytes() - before < 1_000_000.0,
        "the text was not copied into wasm memory"
    );
    // The instance is intact: a normal request still goes out and is answered.
    let id = client
        .send(JsValue::from("interaction"), params(request(&[])))
        .expect("sent after the refusal");
    wait_completed(&rec, "sentiment_analysis", &id).await;
    client.close();
}

/// The size of the wasm memory in bytes.
fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    get(&memory.buffer(), "byteLength").as_f64().unwrap_or(0.0)
}
