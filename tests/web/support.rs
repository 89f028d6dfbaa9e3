//! Shared helpers of the browser tests: server URLs, clients, params, waits.
#![allow(dead_code)] // each test crate uses a different subset

use js_sys::{Function, Object, Promise, Reflect};
use optave_client::OptaveClient;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

// The package's JavaScript layer, imported as the package's entry imports it.
#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineApi)]
    fn define_api(class: &JsValue);
}

#[wasm_bindgen(module = "/tests/web/harness.js")]
extern "C" {
    #[derive(Clone)]
    pub type Recorder;
    #[wasm_bindgen(constructor)]
    pub fn new() -> Recorder;
    #[wasm_bindgen(method)]
    pub fn listener(this: &Recorder, name: &str) -> Function;
    #[wasm_bindgen(method)]
    pub fn thrower(this: &Recorder, name: &str) -> Function;
    #[wasm_bindgen(method)]
    pub fn logger(this: &Recorder) -> JsValue;
    #[wasm_bindgen(method)]
    pub fn count(this: &Recorder, name: &str, correlation_id: Option<String>) -> u32;
    #[wasm_bindgen(method, js_name = waitFor)]
    pub fn wait_for_raw(
        this: &Recorder,
        name: &str,
        action_type: Option<String>,
        state: Option<String>,
        correlation_id: Option<String>,
        timeout_ms: u32,
    ) -> Promise;
    #[wasm_bindgen(method, js_name = waitCount)]
    pub fn wait_count_raw(this: &Recorder, name: &str, n: u32, timeout_ms: u32) -> Promise;
    #[wasm_bindgen(method, getter)]
    pub fn logs(this: &Recorder) -> js_sys::Array;
    /// The recorded events of `name`, oldest first.
    #[wasm_bindgen(method)]
    pub fn all(this: &Recorder, name: &str) -> js_sys::Array;

    /// A `tokenProvider` the test settles by hand.
    pub type Deferred;
    #[wasm_bindgen(js_name = deferredProvider)]
    pub fn deferred_provider() -> Deferred;
    #[wasm_bindgen(method, getter)]
    pub fn provider(this: &Deferred) -> Function;
    #[wasm_bindgen(method, getter)]
    pub fn calls(this: &Deferred) -> u32;
    /// Fulfils every call made so far with `value`.
    #[wasm_bindgen(method)]
    pub fn resolve(this: &Deferred, value: &JsValue);

    /// Counts `new WebSocket(...)` calls until `restore()`.
    pub type SocketCounter;
    #[wasm_bindgen(js_name = countSockets)]
    pub fn count_sockets() -> SocketCounter;
    #[wasm_bindgen(method, getter)]
    pub fn count(this: &SocketCounter) -> u32;
    #[wasm_bindgen(method, getter)]
    pub fn urls(this: &SocketCounter) -> Vec<String>;
    #[wasm_bindgen(method)]
    pub fn restore(this: &SocketCounter);

    /// Makes `new WebSocket(...)` throw a SyntaxError quoting the URL until `restore()`.
    pub type SocketRefuser;
    #[wasm_bindgen(js_name = refuseSockets)]
    pub fn refuse_sockets() -> SocketRefuser;
    #[wasm_bindgen(method)]
    pub fn restore(this: &SocketRefuser);

    /// The message of what `new WebSocket(url)` throws, `None` when it does not.
    #[wasm_bindgen(js_name = websocketRefusal)]
    pub fn websocket_refusal(url: &str) -> Option<String>;
    /// Everything a page can read of a value as text.
    #[wasm_bindgen(js_name = allText)]
    pub fn all_text(value: &JsValue) -> String;

    #[wasm_bindgen(js_name = ticketProvider)]
    pub fn ticket_provider(http: &str) -> Function;
    /// A class-instance logger holding `padding` characters and a cycle.
    #[wasm_bindgen(js_name = bufferingLogger)]
    pub fn buffering_logger(padding: u32) -> JsValue;
    /// The lines a [`buffering_logger`] was given.
    #[wasm_bindgen(js_name = loggedLines)]
    pub fn logged_lines(logger: &JsValue) -> js_sys::Array;
    #[wasm_bindgen(js_name = fetchTicket)]
    pub fn fetch_ticket_raw(http: &str) -> Promise;
    #[wasm_bindgen(js_name = sleep)]
    pub fn sleep_raw(ms: u32) -> Promise;
    #[wasm_bindgen(js_name = installProbes)]
    pub fn install_probes() -> JsValue;
    #[wasm_bindgen(js_name = liveListeners)]
    pub fn live_listeners() -> i32;
    #[wasm_bindgen(js_name = liveTimers)]
    pub fn live_timers(excluding: Vec<JsValue>) -> i32;
    #[wasm_bindgen(js_name = sentFrames)]
    pub fn sent_frames() -> Vec<String>;
    #[wasm_bindgen(js_name = openedUrls)]
    pub fn opened_urls() -> Vec<String>;
    #[wasm_bindgen(catch)]
    fn invoke(target: &JsValue, name: &str, args: Vec<JsValue>) -> Result<JsValue, JsValue>;
}

/// The auth-enabled local server (`http://127.0.0.1:<port>`), set by `make test-wasm`.
pub fn http_auth() -> &'static str {
    match option_env!("OCO_TEST_HTTP") {
        Some(url) => url,
        None => panic!("OCO_TEST_HTTP must name the local OCO server (make test-wasm sets it)"),
    }
}

/// The `--no-auth` local server.
pub fn http_noauth() -> &'static str {
    match option_env!("OCO_TEST_HTTP_NOAUTH") {
        Some(url) => url,
        None => panic!("OCO_TEST_HTTP_NOAUTH must name the --no-auth local OCO server"),
    }
}

/// `ws://.../ws` for an `http://...` base.
pub fn ws_url(http: &str) -> String {
    format!("{}/ws", http.replacen("http://", "ws://", 1))
}

pub fn js(value: Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).expect("test JSON parses")
}

pub fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    get(obj, key).as_string()
}

/// Options for the auth server with a ticket provider, plus `extra` keys.
pub fn options(http: &str, extra: Value, rec: &Recorder) -> JsValue {
    let opts = js(json!({ "websocketUrl": ws_url(http), "requestTimeoutMs": 8000 }));
    let extra = js(extra);
    Object::assign(
        opts.unchecked_ref::<Object>(),
        extra.unchecked_ref::<Object>(),
    );
    Reflect::set(&opts, &"tokenProvider".into(), &ticket_provider(http)).unwrap();
    Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
    opts
}

/// A client on the auth server with every event recorded.
pub fn recorded_client(http: &str, extra: Value) -> (OptaveClient, Recorder) {
    let rec = Recorder::new();
    let client = OptaveClient::new(options(http, extra, &rec)).expect("valid options");
    for name in [
        "open",
        "close",
        "error",
        "superpower.response",
        "superpower.error",
    ] {
        client
            .on(JsValue::from(name), rec.listener(name).into())
            .expect("known event");
    }
    (client, rec)
}

pub async fn connect(client: &OptaveClient) {
    JsFuture::from(client.connect(None))
        .await
        .expect("connect resolves");
    assert_eq!(client.ready_state(), "open");
}

pub async fn sleep(ms: u32) {
    JsFuture::from(sleep_raw(ms)).await.unwrap();
}

pub async fn wait_for(
    rec: &Recorder,
    name: &str,
    action_type: Option<&str>,
    state: Option<&str>,
    id: Option<&str>,
) -> JsValue {
    JsFuture::from(rec.wait_for_raw(
        name,
        action_type.map(str::to_owned),
        state.map(str::to_owned),
        id.map(str::to_owned),
        10_000,
    ))
    .await
    .unwrap_or_else(|e| {
        panic!(
            "{}",
            e.dyn_into::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default()
        )
    })
}

/// Waits for the `completed` frame of `action_type` for request `id`.
pub async fn wait_completed(rec: &Recorder, action_type: &str, id: &str) -> JsValue {
    wait_for(
        rec,
        "superpower.response",
        Some(action_type),
        Some("completed"),
        Some(id),
    )
    .await
}

/// Request params (`{ session?, request?, headers? }`) as the page passes them.
pub fn params(value: Value) -> JsValue {
    js(value)
}

/// A conversation-bearing request for `threadId`, with optional fault tags.
pub fn request(tags: &[&str]) -> Value {
    json!({
        "request": {
            "connections": { "threadId": "thread-web-1", "parentId": "parent-1" },
            "context": { "organizationId": "org-web" },
            "attributes": { "content": "I want a refund now", "instruction": "make it more empathetic" },
            "reference": { "tags": tags },
            "resources": { "offers": [ { "id": "beach", "title": "Caribbean beach holiday" } ] },
            "scope": { "conversations": [ {
                "participants": [
                    { "participantId": "u", "displayName": "Alice Hawthorne", "role": "user" },
                    { "participantId": "o", "displayName": "Tom Callahan", "role": "operator" }
                ],
                "messages": [
                    { "content": "My flight was cancelled and I need to rebook", "participantId": "u", "timestamp": "2024-01-15T10:30:00.000Z" },
                    { "content": "I understand this is frustrating. Let me help you.", "participantId": "o", "timestamp": "2024-01-15T10:30:30.000Z" }
                ]
            } ] }
        }
    })
}

/// Awaits a promise expected to reject; returns the rejection.
pub async fn rejection(promise: Promise) -> JsValue {
    match JsFuture::from(promise).await {
        Ok(v) => panic!("expected a rejection, got {v:?}"),
        Err(e) => e,
    }
}

/// Asserts `err` is an `Error` with this category and code.
pub fn assert_error(err: &JsValue, category: &str, code: &str) {
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "not an Error: {err:?}"
    );
    assert_eq!(
        get_str(err, "category").as_deref(),
        Some(category),
        "{err:?}"
    );
    assert_eq!(get_str(err, "code").as_deref(), Some(code), "{err:?}");
    assert!(js_sys::Array::is_array(&get(err, "suggestions")));
    assert!(get_str(err, "timestamp").is_some());
}

/// `client` handed to JavaScript, with the package's JavaScript layer
/// (`js/api.js`: the named senders and the official client's aliases) defined
/// on its class as the package's entry (`js/entry.js`) does.
pub fn with_js_api(client: OptaveClient) -> JsValue {
    let client = JsValue::from(client);
    define_api(&Reflect::get(&client, &"constructor".into()).expect("the client has a class"));
    client
}

/// Calls `target[name](...args)`; panics when it throws.
pub fn call(target: &JsValue, name: &str, args: Vec<JsValue>) -> JsValue {
    invoke(target, name, args).unwrap_or_else(|e| panic!("{name}() threw {e:?}"))
}

/// Fetches a fresh single-use ticket from the auth server.
pub async fn fetch_ticket(http: &str) -> String {
    JsFuture::from(fetch_ticket_raw(http))
        .await
        .expect("ticket endpoint answers")
        .as_string()
        .expect("the ticket is a string")
}

/// Records `names` of `client` in `rec`.
pub fn listen(client: &OptaveClient, rec: &Recorder, names: &[&str]) {
    for name in names {
        client
            .on(JsValue::from(*name), rec.listener(name).into())
            .expect("known event");
    }
}
