//! A silent path: `POST /api/test/silence?ms=N` and
//! `fault:silent-connection` make connections go silent in both directions
//! (nothing read, nothing written) with their TCP connections kept open,
//! then drop them; connections made later are served normally.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};

fn request(id: &str, tags: &[&str]) -> String {
    envelope("summarize", id, full_request(john_doe_conversation(), tags))
}

async fn post_json(addr: SocketAddr, path: &str) -> (u16, Value) {
    let (status, _, body) = http(addr, "POST", path, &[], "").await;
    (status, serde_json::from_slice(&body).expect("JSON answer"))
}

/// Nothing arrives on `ws` for a while (the connection stays open).
async fn quiet_for(ws: &mut Ws, ms: u64) {
    let got = tokio::time::timeout(Duration::from_millis(ms), next_message(ws)).await;
    assert!(got.is_err(), "a silent connection delivered {got:?}");
}

async fn expect_abrupt_end(ws: &mut Ws) {
    match next_message(ws).await {
        None | Some(Err(_)) => {}
        Some(Ok(other)) => panic!("expected an abrupt end, got {other:?}"),
    }
}

#[tokio::test]
async fn silence_quiets_every_open_socket_keeps_it_open_then_drops_it() {
    bounded(async {
        let server = open_server().await;
        let addr = server.addr();
        let mut a = connect_open(addr).await;
        wait_open_sockets(addr, 1).await;
        assert_eq!(
            post_json(addr, "/api/test/silence?ms=1500").await,
            (200, json!({ "silenced": 1, "silentForMs": 1500 }))
        );
        send(&mut a, request("unheard", &[])).await;
        quiet_for(&mut a, 500).await;
        // A connection made after the order is served normally, while the
        // silent one is still open.
        let mut b = connect_open(addr).await;
        send(&mut b, request("heard", &[])).await;
        let answer = read_answer(&mut b, 1).await;
        assert_eq!(answer[0]["headers"]["correlationId"], "heard");
        assert_eq!(test_stats(addr).await["openSockets"], 2);
        // The silence ends with the connection dropped, unanswered.
        expect_abrupt_end(&mut a).await;
        wait_open_sockets(addr, 1).await;
        assert_eq!(
            test_stats(addr).await["analysed"]["idem-unheard"],
            Value::Null
        );
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn silence_needs_a_window() {
    bounded(async {
        let server = open_server().await;
        let (status, _) = post_json(server.addr(), "/api/test/silence").await;
        assert_eq!(status, 400);
        let (status, body) = post_json(server.addr(), "/api/test/silence?ms=999999").await;
        assert_eq!((status, &body["silentForMs"]), (200, &json!(60_000)));
        assert_eq!(body["silenced"], 0);
        server.shutdown().await.unwrap();
    })
    .await;
}

/// The first sight of the key silences the sending connection; the same
/// request sent again (same idempotencyKey) on a new connection is answered.
#[tokio::test]
async fn silent_connection_fault_quiets_the_sender_once() {
    bounded(async {
        let server = open_server().await;
        let addr = server.addr();
        let text = request("hush", &["fault:silent-connection=1500"]);
        let mut a = connect_open(addr).await;
        send(&mut a, text.clone()).await;
        send(&mut a, request("after", &[])).await;
        quiet_for(&mut a, 500).await;
        let mut b = connect_open(addr).await;
        send(&mut b, text).await;
        let answer = read_answer(&mut b, 1).await;
        let last = answer.last().expect("frames");
        assert_eq!(last["headers"]["correlationId"], "hush");
        assert_eq!(last["payload"]["state"], "completed");
        expect_abrupt_end(&mut a).await;
        server.shutdown().await.unwrap();
    })
    .await;
}
