//! Browser tests: liveness. The local server's connection goes silent in
//! both directions with its TCP connection kept open (`fault:silent-connection`),
//! as a sleeping laptop's or a dead NAT's path does; the client finds it
//! stale after `staleAfterMs`, closes it (4000), reconnects at once and
//! resends what was unfinished, and the page sees every superpower frame
//! once. And one `tokenProvider` call serves every asker at once.
#![cfg(target_arch = "wasm32")]

#[path = "web/faults.rs"]
mod faults;
#[path = "web/session.rs"]
mod session;
#[path = "web/support.rs"]
mod support;

use js_sys::{Function, Promise, Reflect};
use optave_client::OptaveClient;
use serde_json::json;
use session::{assert_no_repeats, assert_subsequence, sent_of, states, until, EVENTS};
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "
export function slowProvider(ms, token) {
  const p = () => { p.calls += 1; return new Promise((r) => setTimeout(() => r(token), ms)); };
  p.calls = 0;
  return p;
}
export async function settledOf(handle) {
  try { return { value: await handle.settled(), error: null }; } catch (error) { return { value: null, error }; }
}
")]
extern "C" {
    #[wasm_bindgen(js_name = slowProvider)]
    fn slow_provider(ms: u32, token: &str) -> Function;
    #[wasm_bindgen(js_name = settledOf)]
    fn settled_of(handle: &JsValue) -> Promise;
}

/// `staleAfterMs` of these tests.
const STALE_MS: u32 = 1500;

/// A client of the `--no-auth` server with a short `staleAfterMs`, quick
/// reconnection and every event recorded.
fn live_client() -> (OptaveClient, Recorder) {
    let rec = Recorder::new();
    let opts = js(json!({
        "websocketUrl": ws_url(http_noauth()),
        "authRequired": false,
        "requestTimeoutMs": 20000,
        "staleAfterMs": STALE_MS,
        "reconnect": { "minDelayMs": 50, "maxDelayMs": 400 },
    }));
    Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
    let client = OptaveClient::new(opts).expect("valid options");
    listen(&client, &rec, &EVENTS);
    (client, rec)
}

fn id_of(value: &JsValue) -> String {
    get_str(value, "correlationId").expect("a correlationId")
}

/// An `...Async` request, a fire-and-forget send and a request handle are
/// pending (their answers delayed) when a request silences the connection:
/// after `staleAfterMs` the client closes it with 4000, reports
/// `disconnected` (WEBSOCKET CONNECTION_STALE), reconnects at once and
/// resends all four; each is answered exactly once.
#[wasm_bindgen_test]
async fn a_silent_path_is_found_stale_and_every_pending_request_is_answered_once() {
    let (client, rec) = live_client();
    connect(&client).await;
    let api = with_js_api(client);
    let delayed = params(request(&["fault:delay=300"]));
    let pending: Promise = call(
        &api,
        "sendAsync",
        vec!["summarize".into(), delayed.clone(), JsValue::UNDEFINED],
    )
    .unchecked_into();
    let plain = call(&api, "send", vec!["translate".into(), delayed.clone()])
        .as_string()
        .expect("send returns the correlationId");
    let handle = call(
        &api,
        "request",
        vec!["summarize".into(), delayed, js(json!({ "settleMs": 100 }))],
    );
    let hushed = call(
        &api,
        "send",
        vec![
            "summarize".into(),
            params(request(&["fault:silent-connection=20000"])),
        ],
    )
    .as_string()
    .expect("send returns the correlationId");

    let answer = JsFuture::from(pending)
        .await
        .expect("the ...Async request is answered after the recovery");
    let async_id = id_of(&answer);
    let settled = JsFuture::from(settled_of(&handle)).await.expect("settles");
    assert!(get(&settled, "error").is_null(), "{settled:?}");
    let handle_id = id_of(&handle);
    wait_completed(&rec, "translation", &plain).await;
    wait_completed(&rec, "summary", &hushed).await;

    // Each request: one `completed` on the page, however many were sent.
    for id in [&async_id, &plain, &handle_id, &hushed] {
        let completed = rec
            .all("superpower.response")
            .iter()
            .filter(|e| get_str(e, "correlationId").as_deref() == Some(id.as_str()))
            .filter(|e| get_str(e, "state").as_deref() == Some("completed"))
            .count();
        assert_eq!(completed, 1, "{id}");
    }
    assert_no_repeats(&rec);
    let mut resent = sent_of(&rec, "resent");
    resent.sort();
    let mut want = vec![async_id, plain, handle_id, hushed];
    want.sort();
    assert_eq!(resent, want, "the four unfinished requests were resent");

    // connected → disconnected (stale) → connecting → connected.
    let seq = states(&rec);
    assert_subsequence(
        &seq,
        &[
            "connecting",
            "connected",
            "disconnected",
            "connecting",
            "connected",
        ],
    );
    let stale: Vec<JsValue> = rec
        .all("stateChange")
        .iter()
        .filter(|e| get_str(e, "current").as_deref() == Some("disconnected"))
        .collect();
    assert_eq!(stale.len(), 1, "{seq:?}");
    let reason = get(&stale[0], "reason");
    assert_error(&reason, "WEBSOCKET", "CONNECTION_STALE");
    assert_eq!(
        get(&stale[0], "retryInMs").as_f64(),
        Some(0.0),
        "no backoff"
    );
    let closes = rec.all("close");
    assert_eq!(closes.length(), 1);
    assert_eq!(get(&closes.get(0), "code").as_f64(), Some(4000.0));
    assert_eq!(get_str(&api, "state").as_deref(), Some("connected"));
    call(&api, "close", vec![]);
}

/// With requests answered and nothing on the wire the connection is never
/// stale, whatever the silence: no reconnect after two `staleAfterMs`.
#[wasm_bindgen_test]
async fn an_idle_connection_is_not_stale() {
    let (client, rec) = live_client();
    connect(&client).await;
    let answer = JsFuture::from(client.send_async(
        "summarize".into(),
        params(request(&[])),
        JsValue::UNDEFINED,
    ))
    .await
    .expect("answered");
    wait_completed(&rec, "summary", &id_of(&answer)).await;
    // Idle for two staleAfterMs: still the same connection.
    sleep(STALE_MS * 2).await;
    assert_eq!(client.state(), "connected");
    assert_eq!(rec.all("close").length(), 0);
    assert!(!states(&rec).iter().any(|s| s == "disconnected"));
    client.close();
}

/// A slow `tokenProvider` (2 s) and three REST requests made at once: one
/// provider call, whose token serves all three.
#[wasm_bindgen_test]
async fn three_token_askers_at_once_make_one_provider_call() {
    let provider = slow_provider(2000, rest_token());
    let rec = Recorder::new();
    let opts = js(json!({
        "websocketUrl": ws_url(http_auth()),
        "restUrl": http_auth(),
        "transport": "rest",
        "requestTimeoutMs": 10000,
    }));
    Reflect::set(&opts, &"tokenProvider".into(), &provider).unwrap();
    Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
    let client = OptaveClient::new(opts).expect("valid options");
    JsFuture::from(client.connect(None))
        .await
        .expect("connect resolves at once over REST");
    let promises: Vec<Promise> = ["summarize", "translate", "summarize"]
        .iter()
        .map(|a| client.send_async((*a).into(), params(request(&[])), JsValue::UNDEFINED))
        .collect();
    for p in promises {
        let ev = JsFuture::from(p)
            .await
            .expect("answered with the shared token");
        assert_eq!(get_str(&ev, "state").as_deref(), Some("completed"));
    }
    let calls = get(&provider, "calls").as_f64();
    assert_eq!(calls, Some(1.0), "one tokenProvider call for three askers");
    until("closed", 1000.0, || {
        client.close();
        client.state() == "closed"
    })
    .await;
}

/// The fixed token the auth server accepts on `/message/*` (`--rest-token`).
fn rest_token() -> &'static str {
    match option_env!("OCO_TEST_REST_TOKEN") {
        Some(t) => t,
        None => panic!("OCO_TEST_REST_TOKEN must be the auth server's --rest-token"),
    }
}
