//! Browser tests: the nine actions, `...Async` settlement, faults injected by
//! the local OCO server, the envelope that goes on the wire, and the
//! package's JavaScript layer (named senders, aliases) over `send`/`sendAsync`.
#![cfg(target_arch = "wasm32")]

#[path = "web/superpowers.rs"]
mod superpowers;
#[path = "web/support.rs"]
mod support;

use js_sys::Promise;
use optave_client::OptaveClient;
use serde_json::{json, Value};
use superpowers::expected_table;
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn every_action_receives_its_superpowers() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    for (action, kinds) in expected_table() {
        let id = client
            .send(JsValue::from(action), params(request(&[])))
            .unwrap_or_else(|| panic!("{action} was refused"));
        for kind in kinds {
            let ev = wait_completed(&rec, kind, &id).await;
            assert_eq!(
                get_str(&ev, "requestAction").as_deref(),
                Some(wire_name(action)),
                "{action}/{kind}"
            );
        }
    }
    assert_eq!(rec.count("superpower.error", None), 0);
    assert_eq!(rec.count("error", None), 0);
    client.close();
}

#[wasm_bindgen_test]
async fn send_by_name_and_unknown_action() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let reply = JsFuture::from(client.send_async(
        JsValue::from("insights"),
        params(request(&[])),
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap();
    assert_eq!(
        get_str(&reply, "state").as_deref(),
        Some("started"),
        "resolves with the first correlated frame"
    );
    assert_eq!(
        client.send(JsValue::from("shout"), params(request(&[]))),
        None
    );
    let err = wait_for(&rec, "error", None, None, None).await;
    assert_error(&err, "VALIDATION", "INVALID_ACTION");
    client.close();
}

#[wasm_bindgen_test]
async fn async_rejects_on_server_error_frame() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    // The server answers with an error frame before anything else.
    let err = rejection(client.send_async(
        JsValue::from("insights"),
        params(request(&["fault:error-first"])),
        JsValue::UNDEFINED,
    ))
    .await;
    assert_error(&err, "ORCHESTRATOR", "SUPERPOWER_FAILED");
    let id = get_str(&err, "correlationId").expect("error carries the correlationId");
    let se = wait_for(&rec, "superpower.error", None, None, None).await;
    assert_error(&se, "ORCHESTRATOR", "SUPERPOWER_FAILED");
    assert_eq!(get_str(&se, "correlationId"), Some(id));
    assert!(
        rec.count("error", None) >= 1,
        "server errors also reach 'error'"
    );

    // Error states inside envelopes after a 'started' frame: the Async form has
    // already resolved with 'started'; the error frame still reaches the page.
    let first = JsFuture::from(client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:error"])),
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap();
    assert_eq!(get_str(&first, "state").as_deref(), Some("started"));
    let id = get_str(&first, "correlationId").unwrap();
    JsFuture::from(rec.wait_count_raw("superpower.error", 2, 5000))
        .await
        .unwrap();
    assert!(rec.count("superpower.response", Some(id)) >= 1);

    // Input refused before sending rejects too, with the same error model.
    let err = rejection(client.send_async(
        JsValue::from("interaction"),
        params(json!({ "request": { "reference": { "tags": [] } } })),
        JsValue::UNDEFINED,
    ))
    .await;
    assert_error(&err, "VALIDATION", "REQUIRED_FIELDS_MISSING");
    client.close();
}

#[wasm_bindgen_test]
async fn bare_frames_are_delivered_with_their_correlation_id() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let reply = JsFuture::from(client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:bare"])),
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap();
    let id = get_str(&reply, "correlationId").expect("bare frame correlationId");
    assert!(get(&reply, "headers").is_undefined());
    wait_completed(&rec, "summary", &id).await;
    client.close();
}

#[wasm_bindgen_test]
async fn async_times_out_and_cancels() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let opts = js(json!({ "timeoutMs": 200 }));
    let err = rejection(client.send_async(
        JsValue::from("insights"),
        params(request(&["fault:silent"])),
        opts,
    ))
    .await;
    assert_error(&err, "WEBSOCKET", "REQUEST_TIMEOUT");
    assert!(rec.count("error", None) >= 1);

    let p1 = client.send_async(
        JsValue::from("insights"),
        params(request(&["fault:silent"])),
        JsValue::UNDEFINED,
    );
    let sent = sent_frames();
    let last: Value = serde_json::from_str(sent.last().unwrap()).unwrap();
    let id = last["headers"]["correlationId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(client.cancel_request(JsValue::from(id.as_str())));
    assert!(
        !client.cancel_request(JsValue::from(id.as_str())),
        "already settled"
    );
    let err = rejection(p1).await;
    assert_error(&err, "VALIDATION", "REQUEST_CANCELLED");
    assert_eq!(get_str(&err, "correlationId").as_deref(), Some(id.as_str()));

    let p2 = client.send_async(
        JsValue::from("insights"),
        params(request(&["fault:silent"])),
        JsValue::UNDEFINED,
    );
    let p3 = client.send_async(
        JsValue::from("summarize"),
        params(request(&["fault:silent"])),
        JsValue::UNDEFINED,
    );
    assert_eq!(client.cancel_pending_requests(), 2);
    assert_error(&rejection(p2).await, "VALIDATION", "REQUEST_CANCELLED");
    assert_error(&rejection(p3).await, "VALIDATION", "REQUEST_CANCELLED");
    client.close();
}

#[wasm_bindgen_test]
async fn close_rejects_pending_requests() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let pending = client.send_async(
        JsValue::from("interaction"),
        params(request(&["fault:silent"])),
        JsValue::UNDEFINED,
    );
    client.close();
    assert_error(&rejection(pending).await, "WEBSOCKET", "CONNECTION_CLOSED");
    let ev = wait_for(&rec, "close", None, None, None).await;
    assert_eq!(get(&ev, "code").as_f64(), Some(1000.0));
    assert_eq!(get(&ev, "wasClean").as_bool(), Some(true));
}

#[wasm_bindgen_test]
async fn dropped_connection_without_reconnect_rejects_pending_requests() {
    let (client, rec) = recorded_client(http_auth(), json!({ "reconnect": false }));
    connect(&client).await;
    let pending = client.send_async(
        JsValue::from("interaction"),
        params(request(&["fault:drop"])),
        JsValue::UNDEFINED,
    );
    assert_error(&rejection(pending).await, "WEBSOCKET", "CONNECTION_CLOSED");
    let ev = wait_for(&rec, "close", None, None, None).await;
    assert_eq!(get(&ev, "wasClean").as_bool(), Some(false));
    assert_eq!(client.ready_state(), "closed");
    assert_eq!(client.state(), "failed", "reconnect: false never retries");
    // connect() starts again, with a fresh ticket from the provider.
    connect(&client).await;
    client.close();
}

#[wasm_bindgen_test]
async fn invalid_json_frame_is_reported_and_the_connection_stays_up() {
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let id = client
        .send(
            JsValue::from("summarize"),
            params(request(&["fault:malformed"])),
        )
        .unwrap();
    let err = wait_for(&rec, "error", None, None, None).await;
    assert_error(&err, "WEBSOCKET", "INVALID_JSON");
    wait_completed(&rec, "summary", &id).await;
    assert_eq!(client.ready_state(), "open");
    assert_eq!(rec.count("close", None), 0);
    client.close();
}

#[wasm_bindgen_test]
async fn refused_input_emits_error_and_sends_nothing() {
    install_probes();
    let (client, rec) = recorded_client(http_auth(), json!({}));
    assert_eq!(
        client.send(JsValue::from("interaction"), params(request(&[]))),
        None,
        "not open yet"
    );
    assert_error(
        &wait_for(&rec, "error", None, None, None).await,
        "WEBSOCKET",
        "WEBSOCKET_NOT_IN_OPEN_STATE",
    );
    connect(&client).await;
    let before = sent_frames().len();
    assert_eq!(
        client.send(
            JsValue::from("interaction"),
            params(json!({ "request": {} }))
        ),
        None
    );
    assert_eq!(
        client.send(
            JsValue::from("interaction"),
            params(json!({ "payload": {} }))
        ),
        None
    );
    let big = "x".repeat(140_000);
    let mut huge = request(&[]);
    huge["request"]["scope"]["conversations"][0]["messages"][0]["content"] = json!(big);
    assert_eq!(
        client.send(JsValue::from("interaction"), params(huge)),
        None
    );
    rec_wait_errors(&rec, 4).await;
    assert_eq!(
        sent_frames().len(),
        before,
        "nothing refused reached the socket"
    );
    client.close();
}

async fn rec_wait_errors(rec: &Recorder, n: u32) {
    JsFuture::from(rec.wait_count_raw("error", n, 5000))
        .await
        .unwrap();
}

#[wasm_bindgen_test]
async fn seed_002_envelope_has_every_header_rule_and_the_merged_defaults() {
    install_probes();
    let (client, rec) = recorded_client(http_auth(), json!({ "tenantId": "tenant-7" }));
    connect(&client).await;
    let seed: Value = serde_json::from_str(include_str!(
        "../core/tests/fixtures/seed002_interaction_params.json"
    ))
    .unwrap();
    let id = client
        .send(JsValue::from("interaction"), params(seed.clone()))
        .expect("sent");
    let text = sent_frames().pop().unwrap();
    let env: Value = serde_json::from_str(&text).unwrap();
    let h = &env["headers"];
    assert_eq!(env["action"], "message");
    assert_eq!(
        h["correlationId"], seed["request"]["requestId"],
        "requestId becomes the correlationId"
    );
    assert_eq!(h["correlationId"], json!(id));
    assert_eq!(h["action"], "interaction");
    assert_eq!(h["schemaRef"], "optave.message.v3");
    assert_eq!(h["sdkVersion"], json!(OptaveClient::sdk_version()));
    assert_eq!(h["identifier"], "message");
    assert_eq!(h["tenantId"], "tenant-7");
    assert_eq!(
        h["timestamp"], seed["headers"]["timestamp"],
        "timestamp is the caller's event time"
    );
    assert!(h.get("networkLatencyMs").is_none());
    let now = js_sys::Date::now();
    for key in ["traceId", "idempotencyKey"] {
        let v = h[key].as_str().unwrap();
        let hex: String = v.replace('-', "");
        assert_eq!(v.len(), 36);
        assert_eq!(&v[14..15], "7", "{key} is UUID version 7");
        assert!(
            matches!(&v[19..20], "8" | "9" | "a" | "b"),
            "{key} variant 10"
        );
        let ms = u64::from_str_radix(&hex[..12], 16).unwrap() as f64;
        assert!(
            (now - ms).abs() < 60_000.0,
            "{key} carries the current Unix ms"
        );
    }
    assert_ne!(h["traceId"], h["idempotencyKey"]);
    let issued = h["issuedAt"].as_str().unwrap();
    assert_eq!(issued.len(), 24, "ISO 8601 with ms: {issued}");
    assert!(issued.ends_with('Z'));
    let p = &env["payload"];
    assert_eq!(p["session"]["channel"]["medium"], "chat");
    assert_eq!(p["session"]["channel"]["metadata"], json!([]));
    assert_eq!(p["session"]["interface"]["name"], "my_support_app");
    assert_eq!(p["request"]["attributes"]["variant"], "A");
    assert_eq!(p["request"]["settings"]["maxResponseLength"], 2000);
    assert_eq!(p["request"]["settings"]["disableStream"], false);
    assert_eq!(p["request"]["scope"]["products"], json!([{ "id": "" }]));
    assert_eq!(p["request"]["scope"]["tickets"], json!([]));
    assert_eq!(
        p["request"]["resources"]["codes"][0]["value"], "ORD-12345",
        "scope.resources moved to request.resources"
    );
    assert_eq!(
        p["request"]["resources"]["links"][0]["expires_at"],
        "2025-08-06T00:00:00Z"
    );
    assert!(p["request"]["scope"].get("resources").is_none());
    assert_eq!(
        p["request"]["context"]["organizationId"],
        "f7e8d9c0-b1a2-3456-7890-123456789abc"
    );
    wait_completed(&rec, "sentiment_analysis", &id).await;
    client.close();
}

/// The wire action of a method name.
fn wire_name(action: &str) -> &str {
    if action == "customerInteraction" {
        "customerinteraction"
    } else {
        action
    }
}

/// The package's JavaScript layer (`js/api.js`): each named sender and its
/// `...Async` form sends its own action through `send` / `sendAsync`, options
/// reach `sendAsync`, and the official client's aliases reach `connect`,
/// `close` and `sessionId`.
#[wasm_bindgen_test]
async fn js_layer_named_senders_and_aliases() {
    install_probes();
    let (client, rec) = recorded_client(http_auth(), json!({}));
    let client = with_js_api(client);
    let promise = |v: JsValue| v.dyn_into::<Promise>().expect("a promise");
    JsFuture::from(promise(call(&client, "openConnection", vec![])))
        .await
        .expect("openConnection resolves");
    assert_eq!(get_str(&client, "readyState").as_deref(), Some("open"));

    call(&client, "setSessionId", vec!["session-js".into()]);
    assert_eq!(
        call(&client, "getSessionId", vec![]).as_string().as_deref(),
        Some("session-js")
    );
    assert_eq!(get_str(&client, "sessionId").as_deref(), Some("session-js"));

    for (action, kinds) in expected_table() {
        let id = call(&client, action, vec![params(request(&[]))])
            .as_string()
            .unwrap_or_else(|| panic!("{action} was refused"));
        let env: Value = serde_json::from_str(&sent_frames().pop().unwrap()).unwrap();
        assert_eq!(env["headers"]["correlationId"], json!(id), "{action}");
        assert_eq!(env["headers"]["action"], wire_name(action), "{action}");
        assert_eq!(
            env["payload"]["session"]["sessionId"], "session-js",
            "{action}: setSessionId fills session.sessionId"
        );
        let done = wait_completed(&rec, kinds[0], &id).await;
        assert_eq!(
            get_str(&done, "requestAction").as_deref(),
            Some(wire_name(action))
        );

        let reply = JsFuture::from(promise(call(
            &client,
            &format!("{action}Async"),
            vec![params(request(&[])), JsValue::UNDEFINED],
        )))
        .await
        .unwrap_or_else(|e| panic!("{action}Async rejected: {e:?}"));
        assert_eq!(
            get_str(&reply, "requestAction").as_deref(),
            Some(wire_name(action)),
            "{action}Async"
        );
    }

    let err = rejection(promise(call(
        &client,
        "insightsAsync",
        vec![
            params(request(&["fault:silent"])),
            js(json!({ "timeoutMs": 200 })),
        ],
    )))
    .await;
    assert_error(&err, "WEBSOCKET", "REQUEST_TIMEOUT");

    call(&client, "closeConnection", vec![]);
    let ev = wait_for(&rec, "close", None, None, None).await;
    assert_eq!(get(&ev, "code").as_f64(), Some(1000.0));
    assert_eq!(get_str(&client, "readyState").as_deref(), Some("closed"));
    assert_eq!(rec.count("superpower.error", None), 0);
    call(&client, "free", vec![]);
}

/// A browser timer fires at once for a delay above 2^31 - 1 ms, so such a
/// timeout is refused rather than expiring immediately.
#[wasm_bindgen_test]
async fn timeouts_above_the_browser_timer_limit_are_refused() {
    install_probes();
    for (name, value) in [
        ("connectionTimeoutMs", json!(3e9)),
        ("connectionTimeoutMs", json!(2_147_483_648u64)),
        ("connectionTimeoutMs", json!(1e308)),
        ("requestTimeoutMs", json!(3e9)),
        ("requestTimeoutMs", json!(1e308)),
    ] {
        let options = js(json!({ "websocketUrl": ws_url(http_auth()), name: value }));
        match OptaveClient::new(options) {
            Ok(_) => panic!("{name}: {value} was accepted"),
            Err(err) => assert_error(&err, "VALIDATION", "INVALID_OPTION"),
        }
    }
    assert!(OptaveClient::new(js(json!({
        "websocketUrl": ws_url(http_auth()),
        "connectionTimeoutMs": 2_147_483_647u64,
        "requestTimeoutMs": 2_147_483_647u64,
    })))
    .is_ok());

    let (client, rec) = recorded_client(
        http_auth(),
        json!({ "connectionTimeoutMs": 2_147_483_647u64 }),
    );
    connect(&client).await;
    let before = sent_frames().len();
    for value in [json!(3e9), json!(2_147_483_648u64), json!(1e308)] {
        let err = rejection(client.send_async(
            JsValue::from("interaction"),
            params(request(&[])),
            js(json!({ "timeoutMs": value })),
        ))
        .await;
        assert_error(&err, "VALIDATION", "INVALID_ARGUMENT");
    }
    assert_eq!(sent_frames().len(), before, "nothing refused was sent");
    // The longest timeout accepted does not expire at once.
    let reply = JsFuture::from(client.send_async(
        JsValue::from("summarize"),
        params(request(&[])),
        js(json!({ "timeoutMs": 2_147_483_647u64 })),
    ))
    .await
    .expect("answered before the timeout");
    assert_eq!(get_str(&reply, "actionType").as_deref(), Some("summary"));
    // The three refusals also went to `error`; nothing else did.
    let errors = rec.all("error");
    assert_eq!(errors.length(), 3, "one error per refused request");
    for err in errors.iter() {
        assert_error(&err, "VALIDATION", "INVALID_ARGUMENT");
    }
    client.close();
}

/// A fire-and-forget `send` whose `headers.correlationId` is that of a
/// pending `sendAsync` request is refused (the answers to it would settle the
/// other); one that only shares its `request.requestId` goes out under a
/// fresh correlationId.
#[wasm_bindgen_test]
async fn send_refuses_an_explicit_correlation_id_of_a_pending_request() {
    install_probes();
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let mut first = request(&["fault:silent"]);
    first["request"]["requestId"] = json!("dup-1");
    let pending = client.send_async(
        JsValue::from("interaction"),
        params(first),
        JsValue::UNDEFINED,
    );
    let sent: Value = serde_json::from_str(sent_frames().last().unwrap()).unwrap();
    assert_eq!(
        sent["headers"]["correlationId"], "dup-1",
        "the pending request"
    );
    let before = sent_frames().len();

    // The same id as `headers.correlationId` is refused...
    let mut via_header = request(&[]);
    via_header["headers"] = json!({ "correlationId": "dup-1" });
    assert_eq!(
        client.send(JsValue::from("summarize"), params(via_header)),
        None
    );
    rec_wait_errors(&rec, 1).await;
    let errors = rec.all("error");
    assert_eq!(errors.length(), 1, "one error for the refused send");
    let err = errors.get(0);
    assert_error(&err, "VALIDATION", "DUPLICATE_CORRELATION_ID");
    assert_eq!(get_str(&err, "correlationId").as_deref(), Some("dup-1"));
    assert!(get_str(&err, "message")
        .unwrap_or_default()
        .contains("headers.correlationId"));
    assert_eq!(sent_frames().len(), before, "nothing was sent for it");

    // ... the same id as `request.requestId` goes out under another one.
    let mut again = request(&[]);
    again["request"]["requestId"] = json!("dup-1");
    let other = client
        .send(JsValue::from("summarize"), params(again))
        .expect("sent");
    assert_ne!(other, "dup-1");
    let sent: Value = serde_json::from_str(sent_frames().last().unwrap()).unwrap();
    assert_eq!(sent["headers"]["correlationId"], json!(other));
    assert_eq!(sent["payload"]["request"]["requestId"], "dup-1");
    wait_completed(&rec, "summary", &other).await;

    // The pending request is untouched.
    assert!(client.cancel_request(JsValue::from("dup-1")));
    assert_error(&rejection(pending).await, "VALIDATION", "REQUEST_CANCELLED");
    // Once settled, the id is free again.
    let mut reuse = request(&[]);
    reuse["request"]["requestId"] = json!("dup-1");
    assert_eq!(
        client
            .send(JsValue::from("summarize"), params(reuse))
            .as_deref(),
        Some("dup-1")
    );
    wait_completed(&rec, "summary", "dup-1").await;
    assert_eq!(rec.count("error", None), 1);
    client.close();
}
