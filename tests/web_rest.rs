//! Browser tests: the REST transport against the
//! real local server's `POST /message/{action}`: the nine actions, tokens
//! refused then fresh, retries with the same `Idempotency-Key`, `Retry-After`,
//! timeouts and cancels that abort the `fetch` (the server sees the
//! connection close), a body that is not JSON, and `auto` against a server
//! that refuses every WebSocket upgrade as a proxy would, then lets them
//! through again.
#![cfg(target_arch = "wasm32")]

#[path = "../core/tests/fixtures/docs_params.rs"]
mod docs_params;
#[path = "web/faults.rs"]
mod faults;
#[path = "web/session.rs"]
mod session;
#[path = "web/support.rs"]
mod support;

use std::collections::HashSet;

use docs_params::{docs_sends, DOCS_REQUEST_ID};
use faults::*;
use js_sys::{Object, Promise, Reflect};
use optave_client::OptaveClient;
use serde_json::{json, Value};
use session::{assert_no_repeats, errors_with, until, EVENTS};
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The `--no-auth --no-websocket` server.
fn http_nows() -> &'static str {
    match option_env!("OCO_TEST_HTTP_NOWS") {
        Some(url) => url,
        None => panic!("OCO_TEST_HTTP_NOWS must name the --no-websocket local OCO server"),
    }
}

/// The fixed token the auth server accepts on `/message/*` (`--rest-token`).
fn rest_token() -> &'static str {
    match option_env!("OCO_TEST_REST_TOKEN") {
        Some(t) => t,
        None => panic!("OCO_TEST_REST_TOKEN must be the auth server's --rest-token"),
    }
}

/// A recorded client of `http` with `transport`, `restUrl` and `extra`;
/// `provider` becomes its `tokenProvider`.
fn rest_client(http: &str, extra: Value, provider: Option<JsValue>) -> (OptaveClient, Recorder) {
    let rec = Recorder::new();
    let opts = js(json!({
        "websocketUrl": ws_url(http),
        "restUrl": http,
        "transport": "rest",
        "requestTimeoutMs": 10000,
        "reconnect": { "minDelayMs": 50, "maxDelayMs": 400 },
    }));
    Object::assign(
        opts.unchecked_ref::<Object>(),
        js(extra).unchecked_ref::<Object>(),
    );
    if let Some(provider) = provider {
        Reflect::set(&opts, &"tokenProvider".into(), &provider).unwrap();
    }
    Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
    let client = OptaveClient::new(opts).expect("valid options");
    listen(&client, &rec, &EVENTS);
    (client, rec)
}

/// Params of `request(tags)` with this `idempotencyKey`.
fn keyed(tags: &[&str], key: &str) -> JsValue {
    let mut p = request(tags);
    p["headers"] = json!({ "idempotencyKey": key });
    params(p)
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", js_sys::Math::random().to_bits())
}

async fn stats(http: &str) -> Value {
    get_json(http, "/api/test/stats").await
}

fn send_keyed(client: &OptaveClient, action: &str, tags: &[&str], key: &str) -> Promise {
    client.send_async(JsValue::from(action), keyed(tags, key), JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
async fn all_nine_actions_over_rest_with_tickets() {
    let sockets = count_sockets();
    let (client, rec) = rest_client(
        http_auth(),
        json!({}),
        Some(ticket_provider(http_auth()).into()),
    );
    assert_eq!(client.transport(), "rest");
    JsFuture::from(client.connect(None))
        .await
        .expect("connect resolves at once");
    assert_eq!(client.state(), "connected");
    let actions = [
        ("interaction", "interaction"),
        ("reception", "reception"),
        ("elevate", "elevate"),
        ("adjust", "adjust"),
        ("summarize", "summarize"),
        ("translate", "translate"),
        ("recommend", "recommend"),
        ("insights", "insights"),
        ("customerInteraction", "customerinteraction"),
    ];
    for (method, wire) in actions {
        let ev = JsFuture::from(client.send_async(
            JsValue::from(method),
            params(request(&[])),
            JsValue::UNDEFINED,
        ))
        .await
        .unwrap_or_else(|e| panic!("{method} over REST: {e:?}"));
        let id = get_str(&ev, "correlationId").expect("the frame names its request");
        assert_eq!(get_str(&ev, "requestAction").as_deref(), Some(wire));
        assert_eq!(get_str(&ev, "state").as_deref(), Some("completed"));
        assert!(rec.count("superpower.response", Some(id)) >= 1);
    }
    // A request handle over REST: every superpower of the action settles.
    let handle = with_js_api(client);
    let req = call(
        &handle,
        "request",
        vec!["insights".into(), params(request(&[])), JsValue::UNDEFINED],
    );
    let settled = JsFuture::from(call(&req, "settled", vec![]).unchecked_into::<Promise>())
        .await
        .expect("the handle settles over REST");
    let results = get(&settled, "results");
    let kinds = Object::keys(results.unchecked_ref::<Object>());
    assert!(
        kinds.length() >= 2,
        "insights has several superpowers: {kinds:?}"
    );
    assert_eq!(sockets.count(), 0, "transport 'rest' opens no WebSocket");
    sockets.restore();
    assert_eq!(errors_with(&rec, "AUTHENTICATION_FAILED"), 0);
    assert_no_repeats(&rec);
    call(&handle, "free", vec![]);
}

#[wasm_bindgen_test]
async fn a_refused_token_gets_one_retry_with_a_fresh_one() {
    // 401: the provider's first token is not a ticket the server knows.
    let scripted = scripted_provider(
        vec![JsValue::from("not-a-ticket")],
        ticket_provider(http_auth()).into(),
    );
    let (client, rec) = rest_client(http_auth(), json!({}), Some(scripted.provider().into()));
    let key = unique("k401");
    let ev = JsFuture::from(send_keyed(&client, "summarize", &[], &key))
        .await
        .expect("the second call, with a fresh ticket, is answered");
    assert_eq!(get_str(&ev, "actionType").as_deref(), Some("summary"));
    assert_eq!(scripted.calls(), 2, "one fresh token after the 401");
    assert_eq!(stats(http_auth()).await["rest"]["seen"][&key], json!(2));

    // 403 (injected), then success with a fresh ticket.
    let key = unique("k403");
    let before = scripted.calls();
    JsFuture::from(send_keyed(
        &client,
        "summarize",
        &["fault:status=403*1"],
        &key,
    ))
    .await
    .expect("answered after the 403");
    assert_eq!(scripted.calls(), before + 2);
    let s = stats(http_auth()).await;
    assert_eq!(s["rest"]["seen"][&key], json!(2));
    assert_eq!(s["analysed"][&key], json!(1));

    // Refused twice: the error, once.
    let key = unique("k401x2");
    let err = rejection(send_keyed(
        &client,
        "summarize",
        &["fault:status=401*5"],
        &key,
    ))
    .await;
    assert_error(&err, "AUTHENTICATION", "AUTHENTICATION_FAILED");
    assert_eq!(get(&get(&err, "details"), "status").as_f64(), Some(401.0));
    assert_eq!(stats(http_auth()).await["rest"]["seen"][&key], json!(2));
    assert!(errors_with(&rec, "AUTHENTICATION_FAILED") >= 1);
    drop(client);
}

#[wasm_bindgen_test]
async fn an_explicit_token_is_not_retried_and_the_fixed_token_works() {
    let (client, _rec) = rest_client(http_auth(), json!({}), None);
    JsFuture::from(client.connect(Some("Bearer wrong".into())))
        .await
        .expect("connect resolves (no socket)");
    let key = unique("kexp");
    let err = rejection(send_keyed(&client, "translate", &[], &key)).await;
    assert_error(&err, "AUTHENTICATION", "AUTHENTICATION_FAILED");
    assert_eq!(stats(http_auth()).await["rest"]["seen"][&key], json!(1));
    client.close();
    JsFuture::from(client.connect(Some(rest_token().into())))
        .await
        .unwrap();
    let ev = JsFuture::from(send_keyed(&client, "translate", &[], &unique("kfix")))
        .await
        .expect("the --rest-token is accepted");
    assert_eq!(get_str(&ev, "requestAction").as_deref(), Some("translate"));
    drop(client);
}

#[wasm_bindgen_test]
async fn server_errors_are_retried_with_the_same_idempotency_key() {
    let (client, rec) = rest_client(http_noauth(), json!({ "authRequired": false }), None);
    let key = unique("k503");
    let ev = JsFuture::from(send_keyed(
        &client,
        "insights",
        &["fault:status=503*2"],
        &key,
    ))
    .await
    .expect("answered on the third call");
    assert!(get_str(&ev, "correlationId").is_some());
    let s = stats(http_noauth()).await;
    assert_eq!(
        s["rest"]["seen"][&key],
        json!(3),
        "three calls, one key: {s}"
    );
    assert_eq!(s["analysed"][&key], json!(1), "the analysis ran once: {s}");
    assert_eq!(errors_with(&rec, "REMOTE_ERROR"), 0);

    // 400 and 422: refused, with the server's body.
    let err = rejection(send_keyed(
        &client,
        "insights",
        &["fault:status=400*1"],
        &unique("k400"),
    ))
    .await;
    assert_error(&err, "VALIDATION", "PAYLOAD_SCHEMA_MISMATCH");
    assert_eq!(get(&get(&err, "details"), "status").as_f64(), Some(400.0));
    assert!(get_str(&get(&err, "details"), "body")
        .unwrap_or_default()
        .contains("FAULT_INJECTED"));
    let err = rejection(send_keyed(
        &client,
        "insights",
        &["fault:status=422*1"],
        &unique("k422"),
    ))
    .await;
    assert_error(&err, "ORCHESTRATOR", "REMOTE_ERROR");
    assert_eq!(get(&get(&err, "details"), "status").as_f64(), Some(422.0));
    drop(client);
}

#[wasm_bindgen_test]
async fn too_many_requests_waits_for_retry_after() {
    let (client, _rec) = rest_client(http_noauth(), json!({ "authRequired": false }), None);
    let key = unique("k429");
    let start = js_sys::Date::now();
    JsFuture::from(send_keyed(
        &client,
        "summarize",
        &["fault:status=429*1", "fault:retry-after=1"],
        &key,
    ))
    .await
    .expect("answered after Retry-After");
    let waited = js_sys::Date::now() - start;
    // The backoff alone would be under reconnect.minDelayMs (50 ms).
    assert!(waited >= 950.0, "Retry-After: 1 was honoured ({waited} ms)");
    assert_eq!(stats(http_noauth()).await["rest"]["seen"][&key], json!(2));
    drop(client);
}

/// `Retry-After` as an HTTP date is honoured; a malformed one (`-1`, which
/// a lenient date parser reads as a year) is no `Retry-After`: the backoff
/// applies, and a server that keeps refusing gets no storm of calls.
#[wasm_bindgen_test]
async fn retry_after_dates_are_honoured_and_malformed_ones_ignored() {
    let (client, _rec) = rest_client(http_noauth(), json!({ "authRequired": false }), None);
    let key = unique("kdate");
    let date = js_sys::Date::new(&JsValue::from_f64(js_sys::Date::now() + 2_000.0))
        .to_utc_string()
        .as_string()
        .unwrap_or_default();
    assert!(date.ends_with(" GMT"), "{date}");
    let start = js_sys::Date::now();
    JsFuture::from(send_keyed(
        &client,
        "summarize",
        &["fault:status=503*1", &format!("fault:retry-after={date}")],
        &key,
    ))
    .await
    .expect("answered after the date");
    let waited = js_sys::Date::now() - start;
    assert!(waited >= 900.0, "the date was honoured ({waited} ms)");
    assert_eq!(stats(http_noauth()).await["rest"]["seen"][&key], json!(2));
    drop(client);

    let (client, _rec) = rest_client(
        http_noauth(),
        json!({ "authRequired": false, "requestTimeoutMs": 1500 }),
        None,
    );
    let key = unique("kneg");
    let err = rejection(send_keyed(
        &client,
        "summarize",
        &["fault:status=503*100000", "fault:retry-after=-1"],
        &key,
    ))
    .await;
    assert_error(&err, "WEBSOCKET", "REQUEST_TIMEOUT");
    let calls = stats(http_noauth()).await["rest"]["seen"][&key]
        .as_u64()
        .unwrap_or(0);
    assert!(
        (2..40).contains(&calls),
        "the backoff paced the calls over 1.5 s: {calls}"
    );
    drop(client);
}

/// Waits until the server counted one more abandoned REST call than `before`.
async fn abandoned_after(before: u64) -> u64 {
    let start = js_sys::Date::now();
    loop {
        let now = stats(http_noauth()).await["rest"]["abandoned"]
            .as_u64()
            .unwrap_or(0);
        if now > before {
            return now;
        }
        assert!(
            js_sys::Date::now() - start < 2_500.0,
            "the server did not see the connection close"
        );
        sleep(50).await;
    }
}

#[wasm_bindgen_test]
async fn timeout_and_cancel_abort_the_fetch() {
    let (client, _rec) = rest_client(http_noauth(), json!({ "authRequired": false }), None);
    let before = stats(http_noauth()).await["rest"]["abandoned"]
        .as_u64()
        .unwrap_or(0);
    let slow = client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:delay=5000"])),
        js(json!({ "timeoutMs": 300 })),
    );
    let err = rejection(slow).await;
    assert_error(&err, "WEBSOCKET", "REQUEST_TIMEOUT");
    let before = abandoned_after(before).await;

    let key = unique("kcancel");
    let slow = send_keyed(&client, "summarize", &["fault:delay=5000"], &key);
    sleep(200).await;
    let s = stats(http_noauth()).await;
    assert_eq!(
        s["rest"]["seen"][&key],
        json!(1),
        "the call reached the server"
    );
    assert_eq!(client.cancel_pending_requests(), 1);
    let err = rejection(slow).await;
    assert_error(&err, "VALIDATION", "REQUEST_CANCELLED");
    abandoned_after(before).await;
    drop(client);
}

#[wasm_bindgen_test]
async fn a_body_that_is_not_json_is_invalid_json() {
    let (client, rec) = rest_client(http_noauth(), json!({ "authRequired": false }), None);
    let err = rejection(send_keyed(
        &client,
        "summarize",
        &["fault:not-json"],
        &unique("kjson"),
    ))
    .await;
    assert_error(&err, "WEBSOCKET", "INVALID_JSON");
    assert!(
        get_str(&err, "correlationId").is_some(),
        "names the request"
    );
    assert_eq!(errors_with(&rec, "INVALID_JSON"), 1);
    // The client carries on.
    JsFuture::from(send_keyed(&client, "summarize", &[], &unique("kok")))
        .await
        .expect("the next request is answered");
    drop(client);
}

/// A requestId or idempotency key that cannot be an HTTP header value is
/// refused over REST (VALIDATION `INVALID_ARGUMENT`, naming the field); no
/// call is made, the client carries on, and `free()` releases it.
#[wasm_bindgen_test]
async fn ids_that_cannot_be_http_headers_are_refused_and_the_client_carries_on() {
    let (client, rec) = rest_client(http_noauth(), json!({ "authRequired": false }), None);
    let key = unique("kreq");
    let mut p = request(&[]);
    p["request"]["requestId"] = json!("チケット-1");
    p["headers"] = json!({ "idempotencyKey": key });
    let err =
        rejection(client.send_async(JsValue::from("summarize"), params(p), JsValue::UNDEFINED))
            .await;
    assert_error(&err, "VALIDATION", "INVALID_ARGUMENT");
    let message = get_str(&err, "message").unwrap_or_default();
    assert!(message.contains("request.requestId"), "{message}");
    let err = rejection(send_keyed(&client, "summarize", &[], "line\nbreak")).await;
    assert_error(&err, "VALIDATION", "INVALID_ARGUMENT");
    let message = get_str(&err, "message").unwrap_or_default();
    assert!(message.starts_with("headers.idempotencyKey"), "{message}");
    assert_eq!(
        stats(http_noauth()).await["rest"]["seen"][&key],
        Value::Null,
        "no call was made"
    );
    JsFuture::from(send_keyed(&client, "summarize", &[], &unique("kok")))
        .await
        .expect("the next request is answered");
    assert_eq!(rec.count("superpower.error", None), 0);
    drop(client);
}

/// The `transport` of every `stateChange` so far.
fn transports(rec: &Recorder) -> Vec<String> {
    rec.all("stateChange")
        .iter()
        .filter_map(|e| get_str(&e, "transport"))
        .collect()
}

#[wasm_bindgen_test]
async fn auto_falls_back_to_rest_and_returns_to_the_websocket() {
    let http = http_nows();
    post(http, "/api/test/websocket?allow=false").await;
    // The server outlives one engine's run: count from here.
    let accepted_before = stats(http).await["acceptedSockets"].clone();
    let (client, rec) = rest_client(
        http,
        json!({ "authRequired": false, "transport": "auto" }),
        None,
    );
    assert_eq!(
        client.transport(),
        "websocket",
        "auto tries the WebSocket first"
    );
    let connecting = client.connect(None);
    // Made while connecting: queued, then sent over REST after the fallback.
    let queued = client.send_async(
        JsValue::from("summarize"),
        params(request(&[])),
        JsValue::UNDEFINED,
    );
    let err = rejection(connecting).await;
    assert_error(&err, "WEBSOCKET", "CONNECTION_ERROR");
    assert_eq!(get(&get(&err, "details"), "code").as_f64(), Some(1006.0));
    let ev = JsFuture::from(queued)
        .await
        .expect("the queued request went over REST");
    let mut ids: HashSet<String> = HashSet::new();
    ids.insert(get_str(&ev, "correlationId").unwrap());
    assert_eq!(client.transport(), "rest");
    assert!(
        transports(&rec).iter().any(|t| t == "rest"),
        "stateChange reports rest"
    );
    let mut rest_keys = Vec::new();
    for _ in 0..3 {
        let key = unique("kauto");
        let ev = JsFuture::from(send_keyed(&client, "translate", &[], &key))
            .await
            .expect("answered over REST while the WebSocket is refused");
        ids.insert(get_str(&ev, "correlationId").unwrap());
        rest_keys.push(key);
    }
    let s = stats(http).await;
    for key in &rest_keys {
        assert_eq!(s["rest"]["seen"][key], json!(1), "sent once: {s}");
    }
    assert_eq!(
        s["acceptedSockets"], accepted_before,
        "no WebSocket got through: {s}"
    );

    // The WebSocket is let through again: the client reconnects by itself.
    post(http, "/api/test/websocket?allow=true").await;
    until("connected over the WebSocket", 10_000.0, || {
        client.state() == "connected" && client.transport() == "websocket"
    })
    .await;
    assert_eq!(
        transports(&rec).last().map(String::as_str),
        Some("websocket")
    );
    let answered_before = stats(http).await["rest"]["answered"].as_u64().unwrap_or(0);
    let key = unique("kws");
    let ev = JsFuture::from(send_keyed(&client, "summarize", &[], &key))
        .await
        .expect("answered over the WebSocket");
    ids.insert(get_str(&ev, "correlationId").unwrap());
    let s = stats(http).await;
    assert_eq!(
        s["rest"]["answered"].as_u64(),
        Some(answered_before),
        "not over REST: {s}"
    );
    assert_eq!(s["analysed"][&key], json!(1));
    assert!(s["rest"]["seen"].get(&key).is_none());
    assert_eq!(ids.len(), 5, "five requests, five answers");
    assert_no_repeats(&rec);
    post(http, "/api/test/websocket?allow=false").await;
    drop(client);
}

/// The documentation's params for the nine actions, all with one
/// `request.requestId`, sent in a row as `...Async` over REST and over
/// `auto`'s fallback: none is refused, the first goes out under the
/// requestId and the others under fresh correlationIds, and each resolves
/// with a frame of its own request.
#[wasm_bindgen_test]
async fn requests_sharing_a_request_id_go_out_over_rest_and_auto() {
    for (http, transport) in [(http_noauth(), "rest"), (http_nows(), "auto")] {
        if transport == "auto" {
            post(http, "/api/test/websocket?allow=false").await;
        }
        let (client, rec) = rest_client(
            http,
            json!({ "authRequired": false, "transport": transport }),
            None,
        );
        let connected = JsFuture::from(client.connect(None)).await;
        assert_eq!(connected.is_ok(), transport == "rest", "{connected:?}");
        assert_eq!(client.transport(), "rest", "{transport}");
        let pending: Vec<Promise> = docs_sends()
            .into_iter()
            .map(|(action, p)| client.send_async(action.into(), params(p), JsValue::UNDEFINED))
            .collect();
        let mut ids = Vec::new();
        for promise in pending {
            let ev = JsFuture::from(promise)
                .await
                .unwrap_or_else(|e| panic!("{transport}: {e:?}"));
            ids.push(get_str(&ev, "correlationId").expect("correlationId"));
        }
        assert_eq!(ids[0], DOCS_REQUEST_ID, "{transport}");
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            9,
            "{transport}: {ids:?}"
        );
        assert_eq!(errors_with(&rec, "DUPLICATE_CORRELATION_ID"), 0);
        let warned = rec
            .logs()
            .iter()
            .filter(|l| get_str(l, "message").is_some_and(|m| m.contains("already in flight")))
            .count();
        assert_eq!(warned, 1, "{transport}: one warning");
        client.close();
    }
}
