//! Browser tests: a client's end of life through the package's JavaScript
//! layer (`js/api.js`): `free()` from inside a listener while a method of the
//! same client runs, members of a freed client, a second `free()`, a member
//! used without its client, request options JSON cannot carry.
#![cfg(target_arch = "wasm32")]

#[path = "web/support.rs"]
mod support;

use js_sys::{Array, Function, Object, Reflect};
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

/// `thrown` is an `OptaveError` VALIDATION `code`.
fn assert_validation(thrown: &JsValue, code: &str, what: &str) {
    assert!(
        thrown.is_instance_of::<js_sys::Error>(),
        "{what}: {thrown:?}"
    );
    assert_eq!(
        get_str(thrown, "name").as_deref(),
        Some("OptaveError"),
        "{what}"
    );
    assert_eq!(
        get_str(thrown, "category").as_deref(),
        Some("VALIDATION"),
        "{what}"
    );
    assert_eq!(get_str(thrown, "code").as_deref(), Some(code), "{what}");
}

/// A member used without its client (`const { interaction } = client`)
/// throws an `OptaveError` that says so, not the glue's `TypeError`; the
/// client is unharmed.
#[wasm_bindgen_test]
fn a_detached_member_throws_an_optave_error() {
    let (client, _rec) = recorded_client(http_noauth(), json!({ "authRequired": false }));
    let client = with_js_api(client);
    for name in ["interaction", "sendAsync", "on", "free"] {
        let f: Function = get(&client, name).dyn_into().expect("a method");
        let thrown = f.call1(&JsValue::UNDEFINED, &js(json!({}))).unwrap_err();
        assert_validation(&thrown, "INVALID_ARGUMENT", name);
        let message = get_str(&thrown, "message").unwrap_or_default();
        assert!(message.contains(name), "{message}");
    }
    let proto = Reflect::get_prototype_of(&client).expect("a prototype");
    let getter = Reflect::get_own_property_descriptor(proto.as_ref(), &"state".into())
        .ok()
        .map(|d| get(&d, "get"))
        .and_then(|g| g.dyn_into::<Function>().ok())
        .expect("the state getter");
    let thrown = getter.call0(&JsValue::from(Object::new())).unwrap_err();
    assert_validation(&thrown, "INVALID_ARGUMENT", "state");
    assert_eq!(
        try_get(&client, "state")
            .ok()
            .and_then(|s| s.as_string())
            .as_deref(),
        Some("initialized")
    );
}

/// Request options JSON cannot carry (a cycle, a BigInt, a getter that
/// throws) are refused with VALIDATION `INVALID_ARGUMENT`, never taken for
/// "no options": by `...Async` (its promise rejects) and by `request()`
/// (nothing throws; `settled()` rejects).
#[wasm_bindgen_test]
async fn request_options_that_cannot_be_serialized_are_refused() {
    let (client, _rec) = recorded_client(http_noauth(), json!({ "authRequired": false }));
    let client = with_js_api(client);
    let cyclic = js(json!({ "timeoutMs": 100 }));
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let big = js(json!({}));
    Reflect::set(
        &big,
        &"timeoutMs".into(),
        &js_sys::BigInt::from(100u32).into(),
    )
    .unwrap();
    let throwing: JsValue = js_sys::Function::new_no_args(
        "return { get settleMs() { throw new Error('getter'); }, timeoutMs: 100 };",
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap();
    for (what, options) in [
        ("a cycle", cyclic),
        ("a BigInt", big),
        ("a throwing getter", throwing),
    ] {
        let promise: js_sys::Promise = try_call(
            &client,
            "summarizeAsync",
            &[params(request(&[])), options.clone()],
        )
        .unwrap_or_else(|e| panic!("{what}: summarizeAsync threw {e:?}"))
        .dyn_into()
        .expect("a promise");
        let thrown = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .unwrap_err();
        assert_validation(&thrown, "INVALID_ARGUMENT", what);
        let handle = try_call(
            &client,
            "request",
            &["summarize".into(), params(request(&[])), options],
        )
        .unwrap_or_else(|e| panic!("{what}: request() threw {e:?}"));
        assert!(get(&handle, "correlationId").is_undefined(), "{what}");
        let settled: js_sys::Promise = try_call(&handle, "settled", &[])
            .unwrap()
            .dyn_into()
            .unwrap();
        let thrown = wasm_bindgen_futures::JsFuture::from(settled)
            .await
            .unwrap_err();
        assert_validation(&thrown, "INVALID_ARGUMENT", what);
    }
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
