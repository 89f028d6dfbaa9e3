//! Browser tests: request handles against the
//! local server: `client.request(action, params, options)` gives every frame
//! of one request as an async iterator and `settled()` once all of its
//! superpowers are in; the handle survives a real drop and its resend.
#![cfg(target_arch = "wasm32")]

#[path = "web/faults.rs"]
mod faults;
#[path = "web/session.rs"]
mod session;
#[path = "web/superpowers.rs"]
mod superpowers;
#[path = "web/support.rs"]
mod support;

use std::collections::{HashMap, HashSet};

use faults::*;
use js_sys::{Array, Object, Promise};
use serde_json::{json, Value};
use session::*;
use superpowers::{expected, expected_table};
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/web/harness.js")]
extern "C" {
    #[wasm_bindgen(js_name = readAll)]
    fn read_all_raw(handle: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = readSome)]
    fn read_some_raw(handle: &JsValue, n: u32) -> Promise;
    #[wasm_bindgen(js_name = settledOf)]
    fn settled_of_raw(handle: &JsValue) -> Promise;
}

async fn await_js(promise: Promise) -> JsValue {
    JsFuture::from(promise)
        .await
        .expect("the harness never rejects")
}

/// `{ frames, error }` of reading the whole handle.
async fn read_all(handle: &JsValue) -> (Vec<JsValue>, JsValue) {
    let out = await_js(read_all_raw(handle)).await;
    (
        get(&out, "frames").unchecked_into::<Array>().to_vec(),
        get(&out, "error"),
    )
}

/// `{ value, error }` of `settled()`.
async fn settled(handle: &JsValue) -> (JsValue, JsValue) {
    let out = await_js(settled_of_raw(handle)).await;
    (get(&out, "value"), get(&out, "error"))
}

fn request_handle(api: &JsValue, action: &str, tags: &[&str], options: Value) -> JsValue {
    call(
        api,
        "request",
        vec![action.into(), params(request(tags)), js(options)],
    )
}

fn kinds_and_states(frames: &[JsValue]) -> Vec<(String, String)> {
    frames
        .iter()
        .map(|f| {
            (
                get_str(f, "actionType").unwrap_or_default(),
                get_str(f, "state").unwrap_or_default(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn each_action_handle_settles_with_the_superpowers_the_server_sends() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let api = with_js_api(client);
    for (action, powers) in expected_table() {
        let handle = request_handle(&api, action, &[], json!({ "settleMs": 50 }));
        let id = get_str(&handle, "correlationId").expect("correlationId");
        let (done, error) = settled(&handle).await;
        assert!(error.is_null(), "{action}: {error:?}");
        assert_eq!(
            get_str(&done, "correlationId").as_deref(),
            Some(id.as_str())
        );
        let results = get(&done, "results");
        let keys: HashSet<String> = Object::keys(results.unchecked_ref::<Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        let want: HashSet<String> = powers.iter().map(|p| p.to_string()).collect();
        assert_eq!(keys, want, "{action}: results keyed by actionType");
        for p in &powers {
            assert_eq!(
                get_str(&get(&results, p), "state").as_deref(),
                Some("completed"),
                "{action} {p}"
            );
        }
        assert_eq!(
            get(&done, "errors").unchecked_into::<Array>().length(),
            0,
            "{action}"
        );
        // Parity: the global events fired for every frame of the request.
        assert_eq!(
            rec.count("superpower.response", Some(id.clone())) as usize,
            powers.len() * 2,
            "{action}"
        );
    }
    call(&api, "close", vec![]);
}

#[wasm_bindgen_test]
async fn an_iterator_sees_started_before_completed_for_every_type_and_late_readers_catch_up() {
    let (client, _rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let api = with_js_api(client);
    let handle = request_handle(&api, "interaction", &[], json!({ "settleMs": 200 }));
    let first = JsFuture::from(read_some_raw(&handle, 1))
        .await
        .expect("reads");
    assert_eq!(
        first.unchecked_into::<Array>().length(),
        1,
        "breaking out ends only that loop"
    );
    let (frames, error) = read_all(&handle).await;
    assert!(error.is_null(), "{error:?}");
    let seen = kinds_and_states(&frames);
    for p in &expected("interaction") {
        let started = seen
            .iter()
            .position(|(t, s)| t == p && s == "started")
            .expect("started");
        let completed = seen
            .iter()
            .position(|(t, s)| t == p && s == "completed")
            .expect("completed");
        assert!(started < completed, "{p}: {seen:?}");
    }
    assert_eq!(seen.len(), 10, "every frame once: {seen:?}");
    let (late, _) = read_all(&handle).await;
    assert_eq!(
        kinds_and_states(&late),
        seen,
        "a late reader gets the frames already received"
    );
    call(&api, "close", vec![]);
}

#[wasm_bindgen_test]
async fn an_error_for_one_superpower_lands_in_errors_while_the_rest_complete() {
    let (client, _rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let api = with_js_api(client);
    let handle = request_handle(
        &api,
        "interaction",
        &["fault:error=risk_assessment"],
        json!({ "settleMs": 50 }),
    );
    let (done, error) = settled(&handle).await;
    assert!(
        error.is_null(),
        "an error frame does not reject settled(): {error:?}"
    );
    let errors = get(&done, "errors").unchecked_into::<Array>().to_vec();
    assert_eq!(errors.len(), 1);
    assert_error(&errors[0], "ORCHESTRATOR", "SUPERPOWER_FAILED");
    let results = get(&done, "results");
    assert!(get(&results, "risk_assessment").is_undefined());
    for p in [
        "sentiment_analysis",
        "escalation_need",
        "language_identification",
        "search_requirements",
    ] {
        assert_eq!(
            get_str(&get(&results, p), "state").as_deref(),
            Some("completed"),
            "{p}"
        );
    }
    call(&api, "close", vec![]);
}

#[wasm_bindgen_test]
async fn a_silent_server_times_the_handle_out() {
    let (client, _rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let api = with_js_api(client);
    let handle = request_handle(
        &api,
        "summarize",
        &["fault:silent"],
        json!({ "timeoutMs": 400 }),
    );
    let (frames, error) = read_all(&handle).await;
    assert!(frames.is_empty());
    assert_error(&error, "WEBSOCKET", "REQUEST_TIMEOUT");
    let (_, error) = settled(&handle).await;
    assert_error(&error, "WEBSOCKET", "REQUEST_TIMEOUT");
    call(&api, "close", vec![]);
}

#[wasm_bindgen_test]
async fn cancel_and_close_end_the_loop() {
    let (client, _rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let api = with_js_api(client);
    let handle = request_handle(&api, "summarize", &["fault:delay=2000"], json!({}));
    let reading = read_all_raw(&handle);
    sleep(50).await;
    assert_eq!(call(&handle, "cancel", vec![]).as_bool(), Some(true));
    let out = await_js(reading).await;
    assert_error(&get(&out, "error"), "VALIDATION", "REQUEST_CANCELLED");
    assert_error(&settled(&handle).await.1, "VALIDATION", "REQUEST_CANCELLED");
    assert_eq!(
        call(&handle, "cancel", vec![]).as_bool(),
        Some(false),
        "already ended"
    );
    let other = request_handle(&api, "summarize", &["fault:delay=2000"], json!({}));
    let reading = read_all_raw(&other);
    sleep(50).await;
    call(&api, "close", vec![]);
    assert_error(
        &get(&await_js(reading).await, "error"),
        "WEBSOCKET",
        "CONNECTION_CLOSED",
    );
    assert_error(&settled(&other).await.1, "WEBSOCKET", "CONNECTION_CLOSED");
}

/// Readers get superpower events only: an error envelope that names no
/// `actionType` (its payload only `{ error }`) is not yielded; its
/// `OptaveError` is in `settled()`'s `errors`, and the answer that follows
/// settles the handle.
#[wasm_bindgen_test]
async fn an_error_envelope_without_an_action_type_is_an_error_not_a_frame() {
    let (client, _rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let api = with_js_api(client);
    let handle = request_handle(&api, "summarize", &["fault:junk=bare-error"], json!({}));
    let (frames, error) = read_all(&handle).await;
    assert!(error.is_undefined() || error.is_null(), "{error:?}");
    assert!(!frames.is_empty());
    for f in &frames {
        assert!(
            get_str(f, "actionType").is_some(),
            "a frame with no actionType: {f:?}"
        );
    }
    let (value, error) = settled(&handle).await;
    assert!(error.is_undefined() || error.is_null(), "{error:?}");
    let errors: Array = get(&value, "errors").unchecked_into();
    assert!(
        errors
            .iter()
            .any(|e| get_str(&e, "code").as_deref() == Some("BARE_FAILURE")),
        "{:?}",
        errors.to_vec()
    );
}

/// `return()` on an iterator ends the `next()` it left waiting at once, as
/// done, rather than when the request ends.
#[wasm_bindgen_test]
async fn return_ends_a_waiting_next_at_once() {
    let (client, _rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let api = with_js_api(client);
    let handle = request_handle(&api, "summarize", &["fault:delay=3000"], json!({}));
    let probe = js_sys::Function::new_with_args(
        "h",
        "const it = h[Symbol.asyncIterator](); const p = it.next(); \
         return it.return().then(() => Promise.race([p.then((r) => (r.done ? 'done' : 'value')), \
         new Promise((r) => setTimeout(() => r('still waiting'), 1000))]));",
    );
    let outcome = await_js(
        probe
            .call1(&JsValue::UNDEFINED, &handle)
            .unwrap()
            .unchecked_into(),
    )
    .await;
    assert_eq!(outcome.as_string().as_deref(), Some("done"));
    call(&handle, "cancel", vec![]);
}

#[wasm_bindgen_test]
async fn a_drop_in_the_middle_resends_and_settles_without_duplicate_frames() {
    let (client, rec) = session_client(json!({}));
    connect(&client).await;
    let api = with_js_api(client);
    let handle = request_handle(
        &api,
        "interaction",
        &["fault:drop-after-started"],
        json!({ "settleMs": 100 }),
    );
    let (done, error) = settled(&handle).await;
    assert!(error.is_null(), "{error:?}");
    let (frames, _) = read_all(&handle).await;
    let seen = kinds_and_states(&frames);
    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no frame twice: {seen:?}");
    assert_eq!(seen.len(), 10, "5 started, 5 completed: {seen:?}");
    let id = get_str(&done, "correlationId").expect("correlationId");
    assert_eq!(
        sent_of(&rec, "resent"),
        vec![id.clone()],
        "resent once after the drop"
    );
    assert!(
        entering(&rec, "disconnected").len() == 1,
        "{:?}",
        states(&rec)
    );
    let mut per_event: HashMap<(Option<String>, Option<String>), u32> = HashMap::new();
    for ev in rec.all("superpower.response").iter() {
        if get_str(&ev, "correlationId").as_deref() == Some(id.as_str()) {
            *per_event
                .entry((get_str(&ev, "actionType"), get_str(&ev, "state")))
                .or_default() += 1;
        }
    }
    assert!(
        per_event.values().all(|n| *n == 1),
        "global events once each: {per_event:?}"
    );
    call(&api, "close", vec![]);
}

#[wasm_bindgen_test]
async fn ten_thousand_settled_handles_leave_memory_flat() {
    let (client, _rec) = recorded_client(http_auth(), json!({ "requestTimeoutMs": 30000 }));
    connect(&client).await;
    let api = with_js_api(client);
    let memory = wasm_bindgen::memory();
    let mut warm = 0.0;
    for round in 0..100 {
        let handles: Vec<JsValue> = (0..100)
            .map(|_| request_handle(&api, "summarize", &[], json!({ "settleMs": 0 })))
            .collect();
        for h in &handles {
            let (_, error) = settled(h).await;
            assert!(error.is_null(), "{error:?}");
        }
        if round == 9 {
            warm = memory_bytes(&memory);
        }
    }
    let growth = memory_bytes(&memory) - warm;
    console_log!("10,000 settled handles: wasm memory growth {growth} bytes after the first 1,000");
    assert!(growth <= 64.0 * 1024.0, "wasm memory grew {growth} bytes");
    call(&api, "close", vec![]);
}

#[wasm_bindgen_test]
async fn a_refused_request_gives_a_failed_handle_and_reports_the_refusal() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let api = with_js_api(client);
    let handle = call(
        &api,
        "request",
        vec!["adjust".into(), params(json!({ "request": {} }))],
    );
    assert!(
        get(&handle, "correlationId").is_undefined(),
        "nothing was sent"
    );
    let (frames, error) = read_all(&handle).await;
    assert!(frames.is_empty());
    assert_error(&error, "VALIDATION", "REQUIRED_FIELDS_MISSING");
    assert_error(
        &settled(&handle).await.1,
        "VALIDATION",
        "REQUIRED_FIELDS_MISSING",
    );
    assert_eq!(
        rec.count("error", None),
        1,
        "the refusal also went to error"
    );
    assert_eq!(call(&handle, "cancel", vec![]).as_bool(), Some(false));
    call(&api, "close", vec![]);
}
