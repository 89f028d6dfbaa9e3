//! Browser tests: the resilient session's fault matrix (reconnection,
//! the offline queue, resend). Each row breaks the network for real against the supervised local
//! server (its process killed and started again, its sockets aborted, its
//! upgrades refused or left unanswered) and asserts what the page saw: the
//! state sequence, the errors and their codes, the frames delivered, and
//! which requests were sent and answered. Across all rows no request is lost
//! and no superpower event is delivered twice.
#![cfg(target_arch = "wasm32")]

#[path = "web/faults.rs"]
mod faults;
#[path = "web/session.rs"]
mod session;
#[path = "web/support.rs"]
mod support;

use faults::*;
use js_sys::{Promise, Reflect};
use optave_client::OptaveClient;
use serde_json::{json, Value};
use session::*;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn server_restart_keeps_pending_requests_and_sends_the_queue_in_order() {
    let (client, rec) = session_client(json!({}));
    connect(&client).await;
    let pending: Vec<Promise> = (0..3)
        .map(|_| send_async(&client, "interaction", &["fault:delay=1500"], None))
        .collect();
    sleep(150).await;
    let killed = post(restart_control(), "/restart?downMs=1000").await;
    assert!(killed["killed"].is_number(), "{killed}");
    until("disconnected", 5000.0, || client.state() != "connected").await;
    let queued: Vec<String> = (0..5)
        .map(|_| {
            client
                .send(JsValue::from("summarize"), params(request(&[])))
                .expect("a send during the outage is queued and returns its correlationId")
        })
        .collect();
    for p in pending {
        let ev = JsFuture::from(p).await.expect("resolves after the restart");
        assert!(get_str(&ev, "correlationId").is_some());
    }
    for id in &queued {
        wait_completed(&rec, "summary", id).await;
    }
    assert_eq!(
        sent_of(&rec, "queued"),
        queued,
        "queued sends go out in order"
    );
    assert_eq!(
        sent_of(&rec, "resent").len(),
        3,
        "the 3 pending requests were resent"
    );
    assert_subsequence(
        &states(&rec),
        &[
            "connecting",
            "connected",
            "disconnected",
            "connecting",
            "connected",
        ],
    );
    assert_eq!(client.state(), "connected");
    assert_no_repeats(&rec);
    client.close();
}

#[wasm_bindgen_test]
async fn a_request_the_server_dropped_unanswered_is_resent_and_answered_once() {
    install_probes();
    let (client, rec) = session_client(json!({}));
    connect(&client).await;
    let ev = JsFuture::from(send_async(
        &client,
        "summarize",
        &["fault:drop-before-answer"],
        None,
    ))
    .await
    .expect("resolves once resent");
    let id = get_str(&ev, "correlationId").expect("correlationId");
    let frames: Vec<String> = sent_frames()
        .into_iter()
        .filter(|f| f.contains(&id))
        .collect();
    assert_eq!(frames.len(), 2, "sent, then resent after the reconnect");
    assert_eq!(frames[0], frames[1], "the same envelope text both times");
    let envelope: Value = serde_json::from_str(&frames[0]).expect("JSON");
    let key = envelope["headers"]["idempotencyKey"]
        .as_str()
        .expect("idempotencyKey")
        .to_owned();
    wait_completed(&rec, "summary", &id).await;
    let stats = stats(http_restart()).await;
    assert_eq!(stats["analysed"][&key], json!(1), "analysed once: {stats}");
    assert_eq!(sent_of(&rec, "resent"), vec![id.clone()]);
    assert_no_repeats(&rec);
    client.close();
}

#[wasm_bindgen_test]
async fn a_silent_server_times_the_request_out_without_reconnecting() {
    let (client, rec) = session_client(json!({}));
    connect(&client).await;
    let before = states(&rec).len();
    let err = rejection(send_async(
        &client,
        "summarize",
        &["fault:silent"],
        Some(500),
    ))
    .await;
    assert_error(&err, "WEBSOCKET", "REQUEST_TIMEOUT");
    assert_eq!(
        states(&rec).len(),
        before,
        "no state change: {:?}",
        states(&rec)
    );
    assert_eq!(client.state(), "connected");
    client.close();
}

#[wasm_bindgen_test]
async fn a_handshake_that_never_completes_times_out_then_is_retried() {
    stall_for(http_restart(), 1200).await;
    let (client, rec) = session_client(json!({
        "connectionTimeoutMs": 300,
        "reconnect": { "minDelayMs": 50, "maxDelayMs": 200 },
    }));
    let err = rejection(client.connect(None)).await;
    assert_error(&err, "WEBSOCKET", "CONNECTION_TIMEOUT");
    until("connected", 6000.0, || client.state() == "connected").await;
    assert!(errors_with(&rec, "CONNECTION_TIMEOUT") >= 1);
    for change in entering(&rec, "disconnected") {
        let wait = get(&change, "retryInMs").as_f64().expect("retryInMs");
        assert!(
            (0.0..200.0).contains(&wait),
            "retryInMs {wait} outside [0, 200)"
        );
    }
    client.close();
}

#[wasm_bindgen_test]
async fn refused_for_three_seconds_backs_off_within_the_jitter_bounds() {
    let (client, rec) = session_client(json!({
        "reconnect": { "minDelayMs": 100, "maxDelayMs": 800 },
    }));
    connect(&client).await;
    refuse_for(http_restart(), 3000).await;
    let refusal_ends = js_sys::Date::now() + 3000.0;
    drop_sockets(http_restart()).await;
    until("disconnected", 3000.0, || client.state() != "connected").await;
    // Once the refusal ends, the next attempt starts within the backoff cap
    // (800 ms, and polling slack). It is timed at its start (`connecting`),
    // not at `connected`: how long the browser then takes to open the socket
    // is the engine's. Firefox holds a new WebSocket to a host whose last
    // ones failed for a delay of its own that grows with each failure (its
    // default network.websocket.delay-failed-reconnects), so there
    // `connected` came 0.4 to 1.7 s after the refusal ended, against 0.05 to
    // 0.6 s in Chromium.
    let start = js_sys::Date::now();
    let mut attempts = entering(&rec, "connecting").len();
    let mut attempt_started = start;
    loop {
        let now = js_sys::Date::now();
        let seen = entering(&rec, "connecting").len();
        if seen != attempts {
            attempts = seen;
            attempt_started = now;
        }
        if client.state() == "connected" {
            break;
        }
        assert!(
            now - start <= 10_000.0,
            "timed out after 10000 ms waiting for connected again"
        );
        sleep(10).await;
    }
    let late = attempt_started - refusal_ends;
    assert!(
        late <= 1000.0,
        "the attempt that connected started {late} ms after the refusal ended"
    );
    let waits: Vec<f64> = entering(&rec, "disconnected")
        .iter()
        .filter_map(|e| get(e, "retryInMs").as_f64())
        .collect();
    assert!(waits.len() >= 2, "several attempts were refused: {waits:?}");
    for (attempt, wait) in waits.iter().enumerate() {
        let cap = (100.0 * 2f64.powi(attempt as i32)).min(800.0);
        assert!(
            *wait >= 0.0 && *wait < cap,
            "attempt {attempt}: {wait} outside [0, {cap})"
        );
    }
    client.close();
}

#[wasm_bindgen_test]
async fn refused_past_the_state_ttl_is_suspended_then_recovers() {
    let (client, rec) = session_client(json!({
        "connectionStateTtlMs": 500,
        "reconnect": { "minDelayMs": 50, "maxDelayMs": 300 },
    }));
    connect(&client).await;
    refuse_for(http_restart(), 2000).await;
    drop_sockets(http_restart()).await;
    until("suspended", 5000.0, || client.state() == "suspended").await;
    let suspended = entering(&rec, "suspended");
    let first = suspended.first().expect("a suspended state change");
    assert_eq!(
        get(first, "retryInMs").as_f64(),
        Some(300.0),
        "one attempt every maxDelayMs"
    );
    until("connected again", 8000.0, || client.state() == "connected").await;
    assert_subsequence(
        &states(&rec),
        &["disconnected", "suspended", "connecting", "connected"],
    );
    client.close();
}

#[wasm_bindgen_test]
async fn a_token_provider_that_throws_hangs_or_returns_junk_is_reported_and_retried() {
    let rec = Recorder::new();
    let provider = scripted_provider(
        vec!["throw".into(), "hang".into(), "number".into()],
        ticket_provider(http_auth()).into(),
    );
    let opts = js(json!({
        "websocketUrl": ws_url(http_auth()),
        "connectionTimeoutMs": 400,
        "reconnect": { "minDelayMs": 20, "maxDelayMs": 100 },
    }));
    Reflect::set(&opts, &"tokenProvider".into(), &provider.provider()).unwrap();
    Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
    let client = OptaveClient::new(opts).expect("valid options");
    listen(&client, &rec, &EVENTS);
    let err = rejection(client.connect(None)).await;
    assert_error(&err, "AUTHENTICATION", "TOKEN_PROVIDER_FAILED");
    until("connected", 6000.0, || client.state() == "connected").await;
    assert_eq!(
        errors_with(&rec, "TOKEN_PROVIDER_FAILED"),
        3,
        "throw, hang, junk"
    );
    assert_eq!(provider.calls(), 4, "asked again for every attempt");
    client.close();
}

#[wasm_bindgen_test]
async fn a_token_refused_twice_fails_and_stops_trying() {
    let rec = Recorder::new();
    let provider = scripted_provider(vec![], "not-a-ticket".into());
    let opts = js(json!({
        "websocketUrl": ws_url(http_auth()),
        "reconnect": { "minDelayMs": 20, "maxDelayMs": 100 },
    }));
    Reflect::set(&opts, &"tokenProvider".into(), &provider.provider()).unwrap();
    Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
    let client = OptaveClient::new(opts).expect("valid options");
    listen(&client, &rec, &EVENTS);
    let _ = JsFuture::from(client.connect(None)).await;
    until("failed", 5000.0, || client.state() == "failed").await;
    assert_eq!(
        provider.calls(),
        2,
        "one more attempt with a fresh token, then no more"
    );
    assert_eq!(errors_with(&rec, "AUTHENTICATION_FAILED"), 2);
    let reason = get(entering(&rec, "failed").first().expect("failed"), "reason");
    assert_error(&reason, "AUTHENTICATION", "AUTHENTICATION_FAILED");
    sleep(400).await;
    assert_eq!(provider.calls(), 2, "failed does not retry on its own");
    client.close();
}

#[wasm_bindgen_test]
async fn offline_disconnects_at_once_and_online_reconnects_at_once() {
    let (client, rec) = session_client(json!({
        "reconnect": { "minDelayMs": 5000, "maxDelayMs": 5000 },
    }));
    connect(&client).await;
    let errors = rec.count("error", None);
    fire_global("offline");
    assert_eq!(client.state(), "disconnected", "at once, on the event");
    assert_interrupted_close(&rec, errors);
    fire_global("online");
    assert_eq!(
        client.state(),
        "connecting",
        "without waiting out the backoff"
    );
    until("connected", 3000.0, || client.state() == "connected").await;
    assert_subsequence(
        &states(&rec),
        &["connected", "disconnected", "connecting", "connected"],
    );
    assert_eq!(rec.count("open", None), 2, "open, close, open");
    client.close();
}

/// `connect()` while `close()` is still closing the socket: the first
/// connection's `close` comes once (`client closed`), before the second
/// `open`, and the released socket's own close event adds nothing.
#[wasm_bindgen_test]
async fn connect_while_closing_keeps_open_and_close_paired() {
    let (client, rec) = session_client(json!({}));
    connect(&client).await;
    client.close();
    assert_eq!(client.state(), "closing");
    let reconnect = client.connect(None);
    assert_eq!(rec.count("close", None), 1, "emitted as connect() lets go");
    assert_eq!(rec.count("open", None), 1, "before the second open");
    JsFuture::from(reconnect).await.expect("connect resolves");
    sleep(300).await;
    assert_eq!(rec.count("open", None), 2);
    assert_eq!(rec.count("close", None), 1, "once");
    let close = rec.all("close").get(0);
    assert_eq!(get_str(&close, "reason").as_deref(), Some("client closed"));
    assert_eq!(client.state(), "connected");
    client.close();
}

#[wasm_bindgen_test]
async fn close_during_the_backoff_wait_stops_every_attempt_and_clears_the_timer() {
    install_probes();
    let timers_before = live_timers(vec![]);
    let (client, _rec) = session_client(json!({
        "reconnect": { "minDelayMs": 400, "maxDelayMs": 400 },
    }));
    connect(&client).await;
    refuse_for(http_restart(), 1500).await;
    drop_sockets(http_restart()).await;
    until("disconnected", 3000.0, || client.state() == "disconnected").await;
    client.close();
    assert_eq!(client.state(), "closed");
    let sockets = opened_urls().len();
    assert_eq!(
        live_timers(vec![]),
        timers_before,
        "the backoff timer was cleared"
    );
    sleep(900).await;
    assert_eq!(opened_urls().len(), sockets, "no attempt after close()");
    assert_eq!(client.state(), "closed");
}
