//! Browser tests: clients that share one connection (`crossTab`), against
//! the local server. Clients of one page elect their leader with the
//! browser's Web Locks and talk over its BroadcastChannel exactly as the
//! clients of several tabs do (a channel delivers to every other channel
//! object of its name, in this page or another), so the sharing runs here
//! in Chromium and Firefox; tests/e2e/cross-tab*.e2e.mjs run it across real
//! tabs and windows (docs/api.md, "One connection across tabs").
#![cfg(target_arch = "wasm32")]

#[path = "web/faults.rs"]
mod faults;
#[path = "web/session.rs"]
mod session;
#[path = "web/support.rs"]
mod support;

use js_sys::Promise;
use optave_client::OptaveClient;
use serde_json::json;
use session::*;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "
export function postOn(name, message) { const c = new BroadcastChannel(name); c.postMessage(message); c.close(); }
")]
extern "C" {
    #[wasm_bindgen(js_name = postOn)]
    fn post_on(name: &str, message: &JsValue);
}

/// A key no other test uses.
fn fresh_key(what: &str) -> String {
    format!("{what}-{}", js_sys::Math::random())
}

/// A client of the auth server sharing by `key`, with its events recorded.
fn tab(key: &str) -> (OptaveClient, Recorder) {
    let (client, rec) = recorded_client(
        http_auth(),
        json!({ "crossTab": { "key": key }, "requestTimeoutMs": 20000 }),
    );
    listen(&client, &rec, &["roleChange", "stateChange", "sent"]);
    (client, rec)
}

/// Connects every client; waits until one leads and the others follow, all
/// `connected`.
async fn connect_all(clients: &[&OptaveClient]) {
    let pending: Vec<Promise> = clients.iter().map(|c| c.connect(None)).collect();
    for p in pending {
        JsFuture::from(p).await.expect("connect resolves");
    }
    until(
        "one leader, the others following, all connected",
        10_000.0,
        || {
            let roles: Vec<String> = clients.iter().map(|c| c.cross_tab_role()).collect();
            roles.iter().filter(|r| *r == "leader").count() == 1
                && roles.iter().filter(|r| *r == "follower").count() == clients.len() - 1
                && clients.iter().all(|c| c.state() == "connected")
        },
    )
    .await;
}

/// The correlationId of a resolved `...Async` request.
async fn answered(p: Promise) -> String {
    let frame = JsFuture::from(p).await.expect("the request is answered");
    get_str(&frame, "correlationId").expect("a correlationId")
}

/// How many `superpower.response` events of `rec` name `id`.
fn frames_for(rec: &Recorder, id: &str) -> u32 {
    rec.count("superpower.response", Some(id.into()))
}

#[wasm_bindgen_test]
async fn clients_with_one_key_share_one_socket_and_each_gets_only_its_own_frames() {
    let sockets = count_sockets();
    let key = fresh_key("share");
    let tabs: Vec<_> = (0..3).map(|_| tab(&key)).collect();
    let clients: Vec<&OptaveClient> = tabs.iter().map(|(c, _)| c).collect();
    connect_all(&clients).await;
    assert_eq!(sockets.count(), 1, "one socket for three clients");

    // An `...Async` request from each: each answered, its frames only there.
    let pending: Vec<Promise> = clients
        .iter()
        .map(|c| send_async(c, "interaction", &[], None))
        .collect();
    let mut ids = Vec::new();
    for p in pending {
        ids.push(answered(p).await);
    }
    for ((_, rec), id) in tabs.iter().zip(&ids) {
        wait_completed(rec, "sentiment_analysis", id).await;
    }
    sleep(300).await;
    for (i, (_, rec)) in tabs.iter().enumerate() {
        for (j, id) in ids.iter().enumerate() {
            let n = frames_for(rec, id);
            if i == j {
                assert!(n >= 2, "client {i} saw {n} frames of its own request");
            } else {
                assert_eq!(n, 0, "client {i} saw frames of client {j}'s request");
            }
        }
        assert_no_repeats(rec);
        assert_eq!(errors_with(rec, "SEND_FAILED"), 0);
    }

    // Another identity: a socket of its own.
    let (other, _other_rec) = tab(&fresh_key("other"));
    connect(&other).await;
    assert_eq!(other.cross_tab_role(), "leader");
    assert_eq!(sockets.count(), 2, "a second key, a second socket");
    sockets.restore();
    drop(other);
    drop(tabs);
}

#[wasm_bindgen_test]
async fn the_leader_freed_with_requests_on_the_wire_hands_over_to_one_new_socket() {
    let sockets = count_sockets();
    let key = fresh_key("handover");
    let mut tabs: Vec<_> = (0..3).map(|_| tab(&key)).collect();
    {
        let clients: Vec<&OptaveClient> = tabs.iter().map(|(c, _)| c).collect();
        connect_all(&clients).await;
    }
    let leader = tabs
        .iter()
        .position(|(c, _)| c.cross_tab_role() == "leader")
        .expect("a leader");
    let (old, _) = tabs.remove(leader);
    // The followers' requests are slow: on the wire when the leader goes.
    let pending: Vec<Promise> = tabs
        .iter()
        .map(|(c, _)| send_async(c, "summarize", &["fault:delay=600"], None))
        .collect();
    sleep(100).await;
    drop(old); // free()
    let mut ids = Vec::new();
    for p in pending {
        ids.push(answered(p).await);
    }
    assert_eq!(sockets.count(), 2, "one new socket, not one per client");
    let roles: Vec<String> = tabs.iter().map(|(c, _)| c.cross_tab_role()).collect();
    assert_eq!(
        roles.iter().filter(|r| *r == "leader").count(),
        1,
        "{roles:?}"
    );
    for ((_, rec), id) in tabs.iter().zip(&ids) {
        wait_completed(rec, "summary", id).await;
        assert_no_repeats(rec);
    }
    let new_leader = tabs
        .iter()
        .find(|(c, _)| c.cross_tab_role() == "leader")
        .map(|(_, rec)| rec)
        .expect("a new leader");
    let changes: Vec<String> = new_leader
        .all("roleChange")
        .iter()
        .filter_map(|e| get_str(&e, "current"))
        .collect();
    assert_eq!(changes, ["follower", "leader"], "reported on roleChange");
    sockets.restore();
}

#[wasm_bindgen_test]
async fn a_follower_mirrors_the_leaders_connection_state() {
    let key = fresh_key("mirror");
    let (a, ra) = tab(&key);
    let (b, rb) = tab(&key);
    connect_all(&[&a, &b]).await;
    let (leader, follower, follower_rec) = if a.cross_tab_role() == "leader" {
        (&a, &b, &rb)
    } else {
        (&b, &a, &ra)
    };
    leader.close();
    // The follower takes over: through `disconnected`, never `connected`
    // while no socket is open.
    until(
        "the follower leads and is connected again",
        10_000.0,
        || follower.cross_tab_role() == "leader" && follower.state() == "connected",
    )
    .await;
    assert_subsequence(
        &states(follower_rec),
        &[
            "connecting",
            "connected",
            "disconnected",
            "connecting",
            "connected",
        ],
    );
    assert_eq!(
        leader.cross_tab_role(),
        "solo",
        "closed: out of the sharing"
    );
}

#[wasm_bindgen_test]
fn a_cross_tab_key_that_is_not_a_non_empty_string_is_refused() {
    for bad in [json!({ "key": "" }), json!({ "key": 5 }), json!({})] {
        let rec = Recorder::new();
        let err = OptaveClient::new(options(http_auth(), json!({ "crossTab": bad }), &rec))
            .expect_err("refused");
        assert_error(&err, "VALIDATION", "INVALID_OPTION");
        let message = get_str(&err, "message").unwrap_or_default();
        assert!(message.contains("crossTab.key"), "{message}");
    }
}

#[wasm_bindgen_test]
async fn a_client_connected_with_its_own_token_keeps_its_own_socket() {
    let sockets = count_sockets();
    let key = fresh_key("solo");
    let (a, _ra) = tab(&key);
    connect(&a).await;
    assert_eq!(a.cross_tab_role(), "leader");
    let (b, _rb) = tab(&key);
    let token = fetch_ticket(http_auth()).await;
    JsFuture::from(b.connect(Some(JsValue::from(token))))
        .await
        .expect("connect(token) resolves");
    assert_eq!(
        b.cross_tab_role(),
        "solo",
        "a tab with its own token cannot lead"
    );
    assert_eq!(sockets.count(), 2);
    sockets.restore();
}

/// A follower that calls `connect(token)` while sharing leaves properly:
/// `roleChange` to `solo`, then its own socket, on which its requests are
/// answered (none fails with `SEND_FAILED` on the link it left). A leader
/// that does so resigns: the follower takes over.
#[wasm_bindgen_test]
async fn connect_with_a_token_while_sharing_leaves_the_sharing() {
    let sockets = count_sockets();
    let key = fresh_key("leave");
    let (a, _ra) = tab(&key);
    let (b, rb) = tab(&key);
    connect_all(&[&a, &b]).await;
    let (leader, follower, follower_rec) = if a.cross_tab_role() == "leader" {
        (&a, &b, &rb)
    } else {
        (&b, &a, &_ra)
    };
    let token = fetch_ticket(http_auth()).await;
    JsFuture::from(follower.connect(Some(JsValue::from(token))))
        .await
        .expect("connect(token) resolves");
    assert_eq!(follower.cross_tab_role(), "solo");
    let changes = follower_rec.all("roleChange");
    assert_eq!(
        get_str(&changes.get(changes.length() - 1), "current").as_deref(),
        Some("solo"),
        "roleChange to solo"
    );
    until("the follower on its own socket", 10_000.0, || {
        follower.state() == "connected" && sockets.count() == 2
    })
    .await;
    let id = answered(send_async(follower, "interaction", &[], None)).await;
    wait_completed(follower_rec, "sentiment_analysis", &id).await;
    assert_eq!(errors_with(follower_rec, "SEND_FAILED"), 0);

    // The leader does the same: it resigns and keeps its socket alone.
    let (c, rc) = tab(&key);
    connect(&c).await;
    until("c follows the leader", 10_000.0, || {
        c.cross_tab_role() == "follower"
    })
    .await;
    let token = fetch_ticket(http_auth()).await;
    JsFuture::from(leader.connect(Some(JsValue::from(token))))
        .await
        .expect("connect(token) resolves");
    assert_eq!(leader.cross_tab_role(), "solo");
    until("c takes over", 10_000.0, || {
        c.cross_tab_role() == "leader" && c.state() == "connected"
    })
    .await;
    let id = answered(send_async(&c, "interaction", &[], None)).await;
    wait_completed(&rc, "sentiment_analysis", &id).await;
    sockets.restore();
}

#[wasm_bindgen_test]
async fn foreign_messages_on_the_channel_are_ignored_and_logged_once() {
    let key = fresh_key("foreign");
    let (a, ra) = tab(&key);
    let (b, rb) = tab(&key);
    connect_all(&[&a, &b]).await;
    let name = format!(
        "optave-client:[{},\"\",\"\",{}]",
        json!(ws_url(http_auth())),
        json!(key)
    );
    for junk in [
        JsValue::from_str("hello"),
        js(json!({ "sdk": "optave-client", "t": "beat", "epoch": -1, "tab": 5 })),
        js(json!({ "sdk": "optave-client", "t": "frame", "epoch": 1, "tab": "x", "text": 7 })),
        js(
            json!({ "h": "{\"sdk\":\"optave-client\",\"t\":\"beat\",\"epoch\":-1,\"tab\":\"x\",\"connected\":true}" }),
        ),
        js(json!({ "h": "not json", "text": "x" })),
        JsValue::NULL,
    ] {
        post_on(&name, &junk);
    }
    sleep(200).await;
    for rec in [&ra, &rb] {
        let warnings = rec
            .logs()
            .iter()
            .filter(|l| get_str(l, "level").as_deref() == Some("warn"))
            .filter_map(|l| get_str(&l, "message"))
            .filter(|m| m.contains("crossTab"))
            .count();
        assert_eq!(warnings, 1, "logged once per client");
    }
    // Both still work.
    for c in [&a, &b] {
        let id = answered(send_async(c, "interaction", &[], None)).await;
        assert!(!id.is_empty());
    }
    assert!(a.state() == "connected" && b.state() == "connected");
}
