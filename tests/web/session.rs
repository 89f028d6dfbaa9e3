//! Helpers of the session's browser tests (tests/web_session*.rs): a client
//! of the supervised server with every event recorded, and what the tests
//! read off the recorder.
#![allow(dead_code)]

use std::collections::HashSet;

use js_sys::{Object, Promise, Reflect};
use optave_client::OptaveClient;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};

use crate::faults::http_restart;
use crate::support::*;

pub const EVENTS: [&str; 7] = [
    "open",
    "close",
    "error",
    "superpower.response",
    "superpower.error",
    "stateChange",
    "sent",
];

/// A client of the supervised `--no-auth` server with quick reconnection and
/// every event recorded; `extra` overrides the options.
pub fn session_client(extra: Value) -> (OptaveClient, Recorder) {
    let rec = Recorder::new();
    let opts = js(json!({
        "websocketUrl": ws_url(http_restart()),
        "authRequired": false,
        "requestTimeoutMs": 20000,
        "reconnect": { "minDelayMs": 50, "maxDelayMs": 400 },
    }));
    Object::assign(
        opts.unchecked_ref::<Object>(),
        js(extra).unchecked_ref::<Object>(),
    );
    Reflect::set(&opts, &"logger".into(), &rec.logger()).unwrap();
    let client = OptaveClient::new(opts).expect("valid options");
    listen(&client, &rec, &EVENTS);
    (client, rec)
}

/// The `current` of every `stateChange` so far.
pub fn states(rec: &Recorder) -> Vec<String> {
    rec.all("stateChange")
        .iter()
        .filter_map(|e| get_str(&e, "current"))
        .collect()
}

/// The `stateChange` events entering `state`.
pub fn entering(rec: &Recorder, state: &str) -> Vec<JsValue> {
    rec.all("stateChange")
        .iter()
        .filter(|e| get_str(e, "current").as_deref() == Some(state))
        .collect()
}

/// Polls `done` every 10 ms; panics after `timeout_ms`.
pub async fn until(what: &str, timeout_ms: f64, mut done: impl FnMut() -> bool) {
    let start = js_sys::Date::now();
    while !done() {
        if js_sys::Date::now() - start > timeout_ms {
            panic!("timed out after {timeout_ms} ms waiting for {what}");
        }
        sleep(10).await;
    }
}

/// Asserts `needle` occurs in `seq` in this order (not necessarily adjacent).
pub fn assert_subsequence(seq: &[String], needle: &[&str]) {
    let mut it = seq.iter();
    for want in needle {
        assert!(
            it.any(|s| s == want),
            "state sequence {seq:?} lacks {needle:?} in order"
        );
    }
}

/// No `(correlationId, actionType, state)` reached the page twice.
pub fn assert_no_repeats(rec: &Recorder) {
    let mut seen = HashSet::new();
    for ev in rec.all("superpower.response").iter() {
        let key = (
            get_str(&ev, "correlationId"),
            get_str(&ev, "actionType"),
            get_str(&ev, "state"),
        );
        assert!(seen.insert(key.clone()), "delivered twice: {key:?}");
    }
}

/// The error events recorded with `code`.
pub fn errors_with(rec: &Recorder, code: &str) -> usize {
    rec.all("error")
        .iter()
        .filter(|e| get_str(e, "code").as_deref() == Some(code))
        .count()
}

pub fn send_async(
    client: &OptaveClient,
    action: &str,
    tags: &[&str],
    timeout_ms: Option<u32>,
) -> Promise {
    let options = timeout_ms.map_or(JsValue::UNDEFINED, |ms| js(json!({ "timeoutMs": ms })));
    client.send_async(JsValue::from(action), params(request(tags)), options)
}

/// The correlationIds of the `sent` events of `kind`, in order.
pub fn sent_of(rec: &Recorder, kind: &str) -> Vec<String> {
    rec.all("sent")
        .iter()
        .filter(|e| get_str(e, "kind").as_deref() == Some(kind))
        .filter_map(|e| get_str(&e, "correlationId"))
        .collect()
}

/// The one `close` event an interruption (`offline`, `pagehide`) of the open
/// connection gives: the code and reason the SDK closed the socket with, no
/// `error` with it, and a second `open` only after that `close`.
pub fn assert_interrupted_close(rec: &Recorder, errors_before: u32) {
    assert_eq!(rec.count("close", None), 1, "one close event");
    let close = rec.all("close").get(0);
    assert_eq!(get(&close, "code").as_f64(), Some(1000.0), "{close:?}");
    assert_eq!(
        get_str(&close, "reason").as_deref(),
        Some("connection interrupted")
    );
    assert_eq!(get(&close, "wasClean").as_bool(), Some(true));
    assert_eq!(rec.count("error", None), errors_before, "no error event");
}
