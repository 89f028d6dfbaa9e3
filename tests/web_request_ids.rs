//! Browser tests: requests that share a `request.requestId`, as every
//! documentation page's params do, against the local server. None is
//! refused; the first goes out under correlationId = requestId, the others
//! under fresh ones, each answered with its own frames, once, across a drop
//! (protocol.md section 8).
#![cfg(target_arch = "wasm32")]

#[path = "../core/tests/fixtures/docs_params.rs"]
mod docs_params;
#[path = "web/faults.rs"]
mod faults;
#[path = "web/session.rs"]
mod session;
#[path = "web/superpowers.rs"]
mod superpowers;
#[path = "web/support.rs"]
mod support;

use std::collections::HashSet;

use docs_params::{docs_sends, DOCS_REQUEST_ID};
use faults::*;
use js_sys::Promise;
use serde_json::{json, Value};
use session::*;
use superpowers::expected;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The logger's warnings that a requestId was in flight.
fn in_flight_warnings(rec: &Recorder) -> Vec<String> {
    rec.logs()
        .iter()
        .filter(|l| get_str(l, "level").as_deref() == Some("warn"))
        .filter_map(|l| get_str(&l, "message"))
        .filter(|m| m.contains("already in flight"))
        .collect()
}

/// The correlationId and `payload.request.requestId` of an envelope text.
fn ids_of(text: &str) -> (String, String) {
    let env: Value = serde_json::from_str(text).expect("the envelope is JSON");
    (
        env["headers"]["correlationId"]
            .as_str()
            .unwrap_or_default()
            .into(),
        env["payload"]["request"]["requestId"]
            .as_str()
            .unwrap_or_default()
            .into(),
    )
}

/// Waits for every superpower of `action` to complete for request `id`.
async fn all_completed(rec: &Recorder, action: &str, id: &str) {
    for superpower in expected(action) {
        wait_completed(rec, superpower, id).await;
    }
}

fn assert_nine_distinct(ids: &[String]) {
    assert_eq!(ids.len(), 9);
    assert_eq!(
        ids[0], DOCS_REQUEST_ID,
        "the first keeps correlationId = requestId"
    );
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 9, "{ids:?}");
}

#[wasm_bindgen_test]
async fn the_documentation_params_for_nine_actions_in_a_row_all_go_out_and_are_answered() {
    install_probes();
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let before = sent_frames().len();
    let mut ids = Vec::new();
    for (action, p) in docs_sends() {
        let id = client
            .send(JsValue::from(action), params(p))
            .unwrap_or_else(|| panic!("{action} was refused: {:?}", rec.all("error").to_vec()));
        ids.push(id);
    }
    assert_nine_distinct(&ids);
    let frames = sent_frames();
    let on_wire: Vec<(String, String)> = frames
        .get(before..)
        .unwrap_or_default()
        .iter()
        .map(|t| ids_of(t))
        .collect();
    assert_eq!(on_wire.len(), 9, "nine envelopes on the wire");
    for ((correlation_id, request_id), id) in on_wire.iter().zip(&ids) {
        assert_eq!(correlation_id, id, "send() returns the correlationId used");
        assert_eq!(request_id, DOCS_REQUEST_ID, "the payload is as given");
    }
    for ((action, _), id) in docs_sends().iter().zip(&ids) {
        all_completed(&rec, action, id).await;
    }
    assert_eq!(
        rec.count("error", None),
        0,
        "{:?}",
        rec.all("error").to_vec()
    );
    let warnings = in_flight_warnings(&rec);
    assert_eq!(warnings.len(), 1, "one warning per client: {warnings:?}");
    assert!(warnings[0].contains(DOCS_REQUEST_ID), "{}", warnings[0]);
    assert!(
        warnings[0].contains(&ids[1]),
        "names the correlationId used: {}",
        warnings[0]
    );
    assert_no_repeats(&rec);
    client.close();
}

#[wasm_bindgen_test]
async fn async_requests_and_handles_sharing_a_request_id_each_get_their_own_frames() {
    install_probes();
    let (client, rec) = recorded_client(http_auth(), json!({}));
    connect(&client).await;
    let api = with_js_api(client);
    let before = sent_frames().len();
    let sends = docs_sends();
    let pending: Vec<Promise> = sends
        .iter()
        .map(|(action, p)| {
            call(
                &api,
                "sendAsync",
                vec![(*action).into(), params(p.clone()), JsValue::UNDEFINED],
            )
            .into()
        })
        .collect();
    let handle = call(
        &api,
        "request",
        vec![
            "summarize".into(),
            params(sends[5].1.clone()),
            js(json!({ "settleMs": 50 })),
        ],
    );
    let frames = sent_frames();
    let ids: Vec<String> = frames
        .get(before..)
        .unwrap_or_default()
        .iter()
        .map(|t| ids_of(t).0)
        .collect();
    assert_eq!(
        ids.len(),
        10,
        "nine ...Async requests and one handle on the wire"
    );
    assert_nine_distinct(&ids[..9]);
    let handle_id = get_str(&handle, "correlationId").expect("the handle names its correlationId");
    assert_eq!(handle_id, ids[9]);
    assert!(!ids[..9].contains(&handle_id));

    for (promise, id) in pending.into_iter().zip(&ids) {
        let first = JsFuture::from(promise)
            .await
            .expect("each ...Async resolves");
        assert_eq!(
            get_str(&first, "correlationId").as_ref(),
            Some(id),
            "its own frame"
        );
    }
    let settled = JsFuture::from(js_sys::Promise::from(call(&handle, "settled", vec![])))
        .await
        .expect("the handle settles");
    assert_eq!(
        get_str(&settled, "correlationId").as_deref(),
        Some(handle_id.as_str())
    );
    for ((action, _), id) in sends.iter().zip(&ids) {
        all_completed(&rec, action, id).await;
    }
    assert_eq!(
        rec.count("error", None),
        0,
        "{:?}",
        rec.all("error").to_vec()
    );
    assert_eq!(in_flight_warnings(&rec).len(), 1);
    call(&api, "close", vec![]);
}

#[wasm_bindgen_test]
async fn a_drop_among_requests_sharing_a_request_id_answers_each_once() {
    let (client, rec) = session_client(json!({}));
    connect(&client).await;
    let mut ids = Vec::new();
    let sends = docs_sends();
    let held = |p: &Value| {
        let mut p = p.clone();
        p["request"]["reference"]["tags"] = json!(["fault:delay=1500"]);
        params(p)
    };
    for (action, p) in &sends[..4] {
        ids.push(client.send(JsValue::from(*action), held(p)).expect("sent"));
    }
    sleep(150).await;
    let dropped = drop_sockets(http_restart()).await;
    assert!(dropped.is_object(), "{dropped}");
    until("disconnected", 5000.0, || client.state() != "connected").await;
    for (action, p) in &sends[4..] {
        ids.push(
            client
                .send(JsValue::from(*action), params(p.clone()))
                .expect("queued"),
        );
    }
    assert_nine_distinct(&ids);
    for ((action, _), id) in sends.iter().zip(&ids) {
        all_completed(&rec, action, id).await;
    }
    assert_eq!(
        sent_of(&rec, "resent"),
        ids[..4].to_vec(),
        "the four on the wire were resent"
    );
    assert_eq!(
        sent_of(&rec, "queued"),
        ids[4..].to_vec(),
        "the rest went out after the reconnect"
    );
    assert_eq!(errors_with(&rec, "DUPLICATE_CORRELATION_ID"), 0);
    assert_no_repeats(&rec);
    client.close();
}
