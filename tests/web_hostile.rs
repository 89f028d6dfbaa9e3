//! Browser tests: a hostile server and a hostile page (frames that are
//! malformed, oversized or oddly typed; abnormal closes; non-finite,
//! oversized or non-string input). The local OCO server sends the hostile
//! frames for real (`fault:junk`, `fault:big`, `fault:close`, `fault:drop`),
//! so each frame crosses a real WebSocket into the real reader.
#![cfg(target_arch = "wasm32")]

#[path = "web/support.rs"]
mod support;

use js_sys::Reflect;
use optave_client::OptaveClient;
use serde_json::json;
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &JsValue::from_str(key), value).expect("an object");
}

/// The `error` events recorded so far whose code is `code`.
fn errors_with_code(rec: &Recorder, code: &str) -> Vec<JsValue> {
    rec.all("error")
        .iter()
        .filter(|e| get_str(e, "code").as_deref() == Some(code))
        .collect()
}

/// Waits until an `error` event with `code` has been recorded (at most ~5 s).
async fn error_with_code(rec: &Recorder, code: &str) -> JsValue {
    for _ in 0..100 {
        if let Some(e) = errors_with_code(rec, code).into_iter().next() {
            return e;
        }
        sleep(50).await;
    }
    panic!(
        "no error event with code {code}; errors: {:?}",
        rec.all("error")
    );
}

/// `{"correlationId": id}` alone neither resolves the request nor reaches
/// `superpower.response`: it is reported, naming the request, and the request
/// resolves with the first complete frame.
#[wasm_bindgen_test]
async fn a_frame_lacking_required_fields_settles_nothing() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let reply = JsFuture::from(client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:junk=cid-only"])),
        JsValue::UNDEFINED,
    ))
    .await
    .expect("resolved by a complete frame");
    for field in ["actionType", "state"] {
        assert!(get_str(&reply, field).is_some(), "{field} in {reply:?}");
    }
    assert!(get(&reply, "message").is_object());
    let id = get_str(&reply, "correlationId").expect("the request's id");
    let err = error_with_code(&rec, "INBOUND_ENVELOPE_SCHEMA_MISMATCH").await;
    assert_error(&err, "WEBSOCKET", "INBOUND_ENVELOPE_SCHEMA_MISMATCH");
    assert_eq!(get_str(&err, "correlationId").as_deref(), Some(id.as_str()));
    let message = get_str(&err, "message").unwrap();
    assert!(
        message.contains("actionType") && message.contains("message"),
        "{message}"
    );
    // The junk frame is the error's details, and never a response.
    assert_eq!(
        js_sys::Object::keys(get(&err, "details").unchecked_ref::<js_sys::Object>()).length(),
        1
    );
    for ev in rec.all("superpower.response").iter() {
        assert!(get_str(&ev, "actionType").is_some(), "{ev:?}");
    }
    assert_eq!(client.ready_state(), "open");
    client.close();
}

/// A correlationId that is a number is reported on `error`, not dropped.
#[wasm_bindgen_test]
async fn a_correlation_id_that_is_not_a_string_is_reported() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let reply = JsFuture::from(client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:junk=cid-number"])),
        JsValue::UNDEFINED,
    ))
    .await
    .expect("resolved by the server's real answer");
    assert_eq!(get_str(&reply, "actionType").as_deref(), Some("summary"));
    let err = error_with_code(&rec, "INBOUND_ENVELOPE_SCHEMA_MISMATCH").await;
    let message = get_str(&err, "message").unwrap();
    assert!(message.contains("correlationId"), "{message}");
    assert_eq!(
        get(&get(&get(&err, "details"), "headers"), "correlationId").as_f64(),
        Some(7.0)
    );
    client.close();
}

/// An error frame nested 50,000 objects deep rejects the request it answers.
#[wasm_bindgen_test]
async fn a_deeply_nested_error_frame_rejects_its_request() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let err = rejection(client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:junk=deep-error", "fault:delay=50"])),
        JsValue::UNDEFINED,
    ))
    .await;
    // The page's JSON.parse reads it (ORCHESTRATOR, the frame's own code);
    // an engine whose parser gives up on the depth reports INVALID_JSON with
    // the correlationId read from the frame's headers.
    let code = get_str(&err, "code").unwrap_or_default();
    match code.as_str() {
        "DEEP_FAILURE" => assert_error(&err, "ORCHESTRATOR", "DEEP_FAILURE"),
        _ => assert_error(&err, "WEBSOCKET", "INVALID_JSON"),
    }
    assert!(get_str(&err, "correlationId").is_some());
    assert_eq!(rec.all("error").length(), 1);
    assert_eq!(client.ready_state(), "open");
    client.close();
}

/// A frame that is not JSON but names a pending request rejects that request
/// at once (INVALID_JSON) instead of leaving it to time out.
#[wasm_bindgen_test]
async fn an_unparsable_frame_rejects_the_request_it_names() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let err = rejection(client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:junk=unparsable-error"])),
        js(json!({ "timeoutMs": 20_000 })),
    ))
    .await;
    assert_error(&err, "WEBSOCKET", "INVALID_JSON");
    let id = get_str(&err, "correlationId").expect("the request's correlationId");
    let frame = get_str(&get(&err, "details"), "frame").unwrap();
    assert!(frame.contains(&id) && frame.len() <= 200, "{frame}");
    let reported = error_with_code(&rec, "INVALID_JSON").await;
    assert_eq!(get_str(&reported, "correlationId"), Some(id));
    // The connection stays up and the next request is answered.
    let reply = JsFuture::from(client.send_async(
        JsValue::from("translate"),
        params(request(&[])),
        JsValue::UNDEFINED,
    ))
    .await
    .expect("answered");
    assert_eq!(
        get_str(&reply, "actionType").as_deref(),
        Some("translation")
    );
    client.close();
}

/// A frame over `maxInboundFrameBytes` is refused before it is parsed or
/// copied into wasm: its request is rejected with INBOUND_FRAME_TOO_LARGE,
/// wasm memory does not grow with it, and the connection stays up.
#[wasm_bindgen_test]
async fn an_oversized_frame_is_refused_unread() {
    let (client, rec) = recorded_client(http_auth(), json!({ "maxInboundFrameBytes": 4096 }));
    connect(&client).await;
    let err = rejection(client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:big=8192"])),
        JsValue::UNDEFINED,
    ))
    .await;
    assert_error(&err, "WEBSOCKET", "INBOUND_FRAME_TOO_LARGE");
    let message = get_str(&err, "message").unwrap();
    assert!(
        message.contains("8192") && message.contains("4096"),
        "{message}"
    );
    let frame = get_str(&get(&err, "details"), "frame").unwrap();
    assert!(frame.starts_with("{\"action\":\"message\""), "{frame}");
    // Under the limit, though large enough that its UTF-8 size is counted,
    // the frame is read: the server's error frame rejects with its own code.
    let err = rejection(client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:big=3000"])),
        JsValue::UNDEFINED,
    ))
    .await;
    assert_error(&err, "ORCHESTRATOR", "REMOTE_ERROR");
    assert_eq!(client.ready_state(), "open");
    client.close();

    // With the default limit (1 MiB), a 40 MB frame is refused without
    // growing wasm memory by anything like its size.
    let (client, _rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let memory = wasm_memory_bytes;
    let before = memory();
    let err = rejection(client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:big=40000000"])),
        JsValue::UNDEFINED,
    ))
    .await;
    assert_error(&err, "WEBSOCKET", "INBOUND_FRAME_TOO_LARGE");
    let grown = memory().saturating_sub(before);
    assert!(grown < 4 << 20, "wasm memory grew by {grown} bytes");
    assert_eq!(
        rec.all("superpower.error").length(),
        1,
        "only the 3000-byte frame"
    );
    client.close();
}

/// A close the page did not ask for (1011, 4000, a dropped TCP connection:
/// 1006) is reported on `error` with its code; a normal closure is not.
#[wasm_bindgen_test]
async fn abnormal_closes_are_reported_on_error() {
    for (tag, code) in [
        ("fault:close=1011", 1011.0),
        ("fault:close=4000", 4000.0),
        ("fault:drop", 1006.0),
    ] {
        let (client, rec) = recorded_client(http_auth(), json!({}));
        connect(&client).await;
        client
            .send(JsValue::from("summarize"), params(request(&[tag])))
            .expect("sent");
        let closed = wait_for(&rec, "close", None, None, None).await;
        assert_eq!(get(&closed, "code").as_f64(), Some(code), "{tag}");
        let errors = errors_with_code(&rec, "CONNECTION_CLOSED");
        assert_eq!(errors.len(), 1, "{tag}: {:?}", rec.all("error"));
        assert_error(&errors[0], "WEBSOCKET", "CONNECTION_CLOSED");
        assert_eq!(
            get(&get(&errors[0], "details"), "code").as_f64(),
            Some(code)
        );
        assert!(get_str(&errors[0], "message")
            .unwrap()
            .contains(&format!("{code}")));
    }
    // The page's own close() is not an error.
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    client.close();
    wait_for(&rec, "close", None, None, None).await;
    assert_eq!(rec.all("error").length(), 0);
    // Nor is the server's normal closure (1000).
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    client
        .send(
            JsValue::from("summarize"),
            params(request(&["fault:close=1000"])),
        )
        .expect("sent");
    let closed = wait_for(&rec, "close", None, None, None).await;
    assert_eq!(get(&closed, "code").as_f64(), Some(1000.0));
    assert_eq!(rec.all("error").length(), 0);
}

/// NaN and ±Infinity, which `JSON.stringify` turns into `null` ("not given"),
/// are refused by name, in the constructor and per request.
#[wasm_bindgen_test]
async fn non_finite_numbers_are_refused() {
    for option in [
        "connectionTimeoutMs",
        "requestTimeoutMs",
        "maxInboundFrameBytes",
    ] {
        for (value, name) in [
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            let options = js(json!({ "websocketUrl": ws_url(http_auth()) }));
            set(&options, option, &JsValue::from_f64(value));
            match OptaveClient::new(options) {
                Ok(_) => panic!("{option}: {name} was accepted"),
                Err(err) => {
                    assert_error(&err, "VALIDATION", "INVALID_OPTION");
                    let message = get_str(&err, "message").unwrap();
                    assert!(
                        message.contains(option) && message.ends_with(name),
                        "{message}"
                    );
                }
            }
        }
    }
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    for value in [f64::NAN, f64::INFINITY] {
        let options = js(json!({}));
        set(&options, "timeoutMs", &JsValue::from_f64(value));
        let err =
            rejection(client.send_async(JsValue::from("summarize"), params(request(&[])), options))
                .await;
        assert_error(&err, "VALIDATION", "INVALID_ARGUMENT");
    }
    assert_eq!(errors_with_code(&rec, "INVALID_ARGUMENT").len(), 2);
    client.close();
}

/// A token far longer than any ticket is refused by its length, before it is
/// copied, and the message does not contain it.
#[wasm_bindgen_test]
async fn an_overlong_token_is_refused_by_length() {
    let (client, _rec) = recorded_client(http_auth(), json!({}));
    let token = "t".repeat(100_000);
    let err = rejection(client.connect(Some(JsValue::from_str(&token)))).await;
    assert_error(&err, "AUTHENTICATION", "INVALID_TOKEN");
    let message = get_str(&err, "message").unwrap();
    assert!(
        message.contains("100000") && !message.contains("tttt"),
        "{message}"
    );
    assert_eq!(client.ready_state(), "closed");
}

/// A truncated emoji (a lone surrogate) in user text is sent through
/// unchanged, as the `\ud800` escape `JSON.stringify` writes, and answered;
/// it is never refused with a parser message.
#[wasm_bindgen_test]
async fn a_lone_surrogate_is_sent_through_unchanged() {
    install_probes();
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let mut params_text = serde_json::to_string(&request(&[])).unwrap();
    params_text = params_text.replace("My flight was cancelled", "My flight was cancelled \\ud83d");
    let params = js_sys::JSON::parse(&params_text).expect("JSON");
    let reply =
        JsFuture::from(client.send_async(JsValue::from("summarize"), params, JsValue::UNDEFINED))
            .await
            .expect("answered");
    assert_eq!(get_str(&reply, "actionType").as_deref(), Some("summary"));
    let sent = sent_frames();
    let last = sent.last().expect("a frame was sent");
    assert!(last.contains("cancelled \\ud83d and"), "{last}");
    assert_eq!(rec.all("error").length(), 0);
    client.close();
}

/// The size of wasm memory, in bytes.
fn wasm_memory_bytes() -> u32 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
}

/// Names and ids the page passes (event and action names, a correlationId,
/// the session id) are refused when they are not strings or are over 1,024
/// characters, before anything is copied into wasm: a 20 MB name neither
/// grows wasm memory nor reaches an error message.
#[wasm_bindgen_test]
async fn oversized_and_non_string_arguments_are_refused_uncopied() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let huge = JsValue::from_str(&"n".repeat(20_000_000));
    let before = wasm_memory_bytes();
    let noop: JsValue = js_sys::Function::new_no_args("").into();
    for (result, what) in [
        (
            client.on(huge.clone(), noop.clone()).map(|_| ()),
            "the event name",
        ),
        (
            client.once(JsValue::from(7), noop.clone()).map(|_| ()),
            "the event name",
        ),
    ] {
        let err = result.expect_err(what);
        assert_error(&err, "VALIDATION", "INVALID_ARGUMENT");
        assert!(get_str(&err, "message").unwrap().starts_with(what));
    }
    client.off(huge.clone(), noop);
    assert_eq!(client.send(huge.clone(), params(request(&[]))), None);
    assert_eq!(client.send(JsValue::NULL, params(request(&[]))), None);
    let err =
        rejection(client.send_async(huge.clone(), params(request(&[])), JsValue::UNDEFINED)).await;
    assert_error(&err, "VALIDATION", "INVALID_ARGUMENT");
    assert!(!client.cancel_request(huge.clone()));
    assert!(!client.cancel_request(JsValue::from(3)));
    let api = with_js_api(client);
    let set = js_sys::Function::new_with_args("c, v", "c.sessionId = v");
    let thrown = set.call2(&JsValue::NULL, &api, &huge).expect_err("refused");
    assert_error(&thrown, "VALIDATION", "INVALID_ARGUMENT");
    set.call2(&JsValue::NULL, &api, &JsValue::from_str("s-1"))
        .expect("a session id");
    assert_eq!(get_str(&api, "sessionId").as_deref(), Some("s-1"));
    let grown = wasm_memory_bytes().saturating_sub(before);
    assert!(grown < 4 << 20, "wasm memory grew by {grown} bytes");
    let errors = rec.all("error");
    assert_eq!(errors.length(), 3, "send ×2 and sendAsync report on error");
    for err in errors.iter() {
        assert_error(&err, "VALIDATION", "INVALID_ARGUMENT");
        assert!(get_str(&err, "message").unwrap().len() < 100);
    }
    call(&api, "close", vec![]);
}
