//! Browser tests: the resilient session's page-facing rules:
//! the page lifecycle, the offline queue's limits,
//! `resendOnReconnect: false` and `queueWhileDisconnected: false`, against the
//! local servers with their real faults.
#![cfg(target_arch = "wasm32")]

#[path = "web/faults.rs"]
mod faults;
#[path = "web/session.rs"]
mod session;
#[path = "web/support.rs"]
mod support;

use faults::*;
use js_sys::Reflect;
use optave_client::OptaveClient;
use serde_json::json;
use session::*;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn pagehide_closes_the_socket_and_pageshow_reconnects() {
    install_probes();
    let (client, rec) = session_client(json!({}));
    connect(&client).await;
    let sockets = opened_urls().len();
    let errors = rec.count("error", None);
    fire_global("pagehide");
    assert_eq!(client.state(), "disconnected");
    assert_interrupted_close(&rec, errors);
    let hidden = entering(&rec, "disconnected");
    let change = hidden.last().expect("a stateChange to disconnected");
    assert!(
        get(change, "retryInMs").is_undefined(),
        "no attempt is scheduled while hidden"
    );
    assert_eq!(
        get_str(&get(change, "reason"), "message").as_deref(),
        Some("the page was hidden (pagehide)")
    );
    sleep(700).await;
    assert_eq!(
        opened_urls().len(),
        sockets,
        "no attempt while the page is hidden"
    );
    fire_global("pageshow");
    assert_eq!(client.state(), "connecting", "pageshow reconnects at once");
    until("connected", 3000.0, || client.state() == "connected").await;
    client.close();
}

#[wasm_bindgen_test]
async fn the_offline_queue_is_bounded_and_refuses_without_dropping() {
    let deferred = deferred_provider();
    let rec = Recorder::new();
    let opts = js(json!({ "websocketUrl": ws_url(http_auth()), "queueLimit": 2 }));
    Reflect::set(&opts, &"tokenProvider".into(), &deferred.provider()).unwrap();
    Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
    let client = OptaveClient::new(opts).expect("valid options");
    listen(&client, &rec, &EVENTS);
    let refused = client.send(JsValue::from("summarize"), params(request(&[])));
    assert_eq!(refused, None, "initialized refuses");
    assert_eq!(errors_with(&rec, "WEBSOCKET_NOT_IN_OPEN_STATE"), 1);
    let connecting = client.connect(None);
    let a = client
        .send(JsValue::from("summarize"), params(request(&[])))
        .expect("queued");
    let b = client
        .send(JsValue::from("summarize"), params(request(&[])))
        .expect("queued");
    let over = client.send(JsValue::from("summarize"), params(request(&[])));
    assert_eq!(over, None, "the third is over queueLimit");
    assert_eq!(errors_with(&rec, "QUEUE_FULL"), 1);
    deferred.resolve(&JsValue::from_str(&fetch_ticket(http_auth()).await));
    JsFuture::from(connecting).await.expect("connects");
    wait_completed(&rec, "summary", &a).await;
    wait_completed(&rec, "summary", &b).await;
    assert_eq!(
        sent_of(&rec, "queued"),
        vec![a, b],
        "both queued sends went out, in order"
    );
    client.close();
}

#[wasm_bindgen_test]
async fn resend_on_reconnect_false_rejects_requests_on_the_wire_with_connection_lost() {
    let (client, rec) = session_client(json!({ "resendOnReconnect": false }));
    connect(&client).await;
    let pending = send_async(&client, "summarize", &["fault:delay=2000"], None);
    sleep(100).await;
    drop_sockets(http_restart()).await;
    assert_error(&rejection(pending).await, "WEBSOCKET", "CONNECTION_LOST");
    until("connected again", 5000.0, || client.state() == "connected").await;
    assert!(sent_of(&rec, "resent").is_empty(), "nothing resent");
    client.close();
}

#[wasm_bindgen_test]
async fn queue_while_disconnected_false_refuses_sends_while_reconnecting() {
    let (client, rec) = session_client(json!({
        "queueWhileDisconnected": false,
        "reconnect": { "minDelayMs": 300, "maxDelayMs": 300 },
    }));
    connect(&client).await;
    refuse_for(http_restart(), 600).await;
    drop_sockets(http_restart()).await;
    until("disconnected", 3000.0, || client.state() == "disconnected").await;
    assert_eq!(
        client.send(JsValue::from("summarize"), params(request(&[]))),
        None
    );
    assert_eq!(errors_with(&rec, "WEBSOCKET_NOT_IN_OPEN_STATE"), 1);
    until("connected again", 5000.0, || client.state() == "connected").await;
    client.close();
}
