//! The test control endpoints: `POST /api/test/drop`, `/refuse`, `/stall`,
//! `GET /api/test/stats`, their CORS policy and origin guard.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Error as WsError;

async fn post_json(addr: SocketAddr, path: &str) -> (u16, Value) {
    let (status, headers, body) = http(addr, "POST", path, &[], "").await;
    assert_eq!(header(&headers, "cache-control"), Some("no-store"));
    (status, serde_json::from_slice(&body).expect("JSON answer"))
}

/// Tries to open `/ws` (no auth); the handshake error when it fails.
async fn try_connect(addr: SocketAddr) -> Result<Ws, WsError> {
    let mut request = format!("ws://{addr}/ws").into_client_request()?;
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("optave-v1"),
    );
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(ws, _)| ws)
}

async fn expect_abrupt_end(ws: &mut Ws) {
    match next_message(ws).await {
        None | Some(Err(_)) => {}
        Some(Ok(other)) => panic!("expected an abrupt end, got {other:?}"),
    }
}

#[tokio::test]
async fn drop_aborts_every_open_socket() {
    bounded(async {
        let server = open_server().await;
        let addr = server.addr();
        let mut a = connect_open(addr).await;
        let mut b = connect_open(addr).await;
        let (mut echo, _) = connect(addr, "/echo", &["optave-v1"]).await;
        wait_open_sockets(addr, 3).await;
        let stats = test_stats(addr).await;
        assert_eq!(
            (
                stats["openSockets"].clone(),
                stats["acceptedSockets"].clone()
            ),
            (json!(3), json!(3))
        );

        assert_eq!(
            post_json(addr, "/api/test/drop").await,
            (200, json!({ "dropped": 3 }))
        );
        expect_abrupt_end(&mut a).await;
        expect_abrupt_end(&mut b).await;
        expect_abrupt_end(&mut echo).await;
        let stats = test_stats(addr).await;
        assert_eq!(
            (
                stats["openSockets"].clone(),
                stats["acceptedSockets"].clone()
            ),
            (json!(0), json!(3))
        );
        assert_eq!(
            post_json(addr, "/api/test/drop").await.1,
            json!({ "dropped": 0 })
        );

        // New sockets work as before.
        let mut c = connect_open(addr).await;
        let text = envelope(
            "summarize",
            "after",
            full_request(john_doe_conversation(), &[]),
        );
        send(&mut c, text).await;
        assert_eq!(read_answer(&mut c, 1).await.len(), 2);
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn refuse_answers_upgrades_with_503_for_a_while() {
    bounded(async {
        let server = open_server().await;
        let addr = server.addr();
        let (status, body) = post_json(addr, "/api/test/refuse?ms=400").await;
        assert_eq!((status, body), (200, json!({ "refusingForMs": 400 })));
        match try_connect(addr).await {
            Err(WsError::Http(response)) => assert_eq!(response.status().as_u16(), 503),
            other => panic!("expected a 503 answer, got {other:?}"),
        }
        // Plain HTTP still works meanwhile.
        assert_eq!(http(addr, "GET", "/healthz", &[], "").await.0, 200);
        tokio::time::sleep(Duration::from_millis(500)).await;
        try_connect(addr).await.expect("upgrades work again");

        let capped = post_json(addr, "/api/test/refuse?ms=999999999").await.1;
        assert_eq!(capped, json!({ "refusingForMs": 600_000 }));
        assert!(try_connect(addr).await.is_err());
        assert_eq!(
            post_json(addr, "/api/test/refuse?ms=0").await.1,
            json!({ "refusingForMs": 0 })
        );
        try_connect(addr)
            .await
            .expect("a zero window ends the refusal");

        for bad in [
            "/api/test/refuse",
            "/api/test/refuse?ms=-1",
            "/api/test/stall?ms=x",
        ] {
            let (status, body) = post_json(addr, bad).await;
            assert_eq!(status, 400, "{bad}");
            assert!(body["error"].is_string());
        }
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn stall_holds_upgrades_unanswered_then_drops_them() {
    bounded(async {
        let server = open_server().await;
        let addr = server.addr();
        let (status, body) = post_json(addr, "/api/test/stall?ms=300").await;
        assert_eq!((status, body), (200, json!({ "stallingForMs": 300 })));
        let mut held = tokio::spawn(try_connect(addr));
        let waited = tokio::time::timeout(Duration::from_millis(700), &mut held).await;
        assert!(
            waited.is_err(),
            "a stalled upgrade was answered: {waited:?}"
        );
        // The window is over: new upgrades are served, the held one is not.
        try_connect(addr)
            .await
            .expect("upgrades work after the window");
        assert!(!held.is_finished());
        // Shutting down ends the hold: the connection goes without an answer.
        server.shutdown().await.unwrap();
        let outcome = tokio::time::timeout(FRAME_LIMIT, held)
            .await
            .expect("the held upgrade ends with the server")
            .expect("task");
        match outcome {
            Err(WsError::Http(response)) => panic!("got an answer: {}", response.status()),
            Err(_) => {}
            Ok(_) => panic!("a stalled upgrade was accepted"),
        }
    })
    .await;
}

#[tokio::test]
async fn stats_has_the_documented_shape() {
    bounded(async {
        let server = open_server().await;
        let stats = test_stats(server.addr()).await;
        assert_eq!(
            stats,
            json!({
                "analysed": {}, "replayed": {}, "openSockets": 0, "acceptedSockets": 0,
                "rest": { "seen": {}, "answered": 0, "abandoned": 0 },
                "websocketAllowed": true,
            })
        );
        let (status, _, _) = http(server.addr(), "POST", "/api/test/stats", &[], "").await;
        assert_eq!(status, 405);
        let (status, _, _) = http(server.addr(), "GET", "/api/test/drop", &[], "").await;
        assert_eq!(status, 405);
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn controls_allow_loopback_origins_and_refuse_foreign_ones() {
    bounded(async {
        let server = open_server().await;
        let addr = server.addr();
        let origin = "http://127.0.0.1:9";
        let preflight = [
            ("Origin", origin),
            ("Access-Control-Request-Method", "POST"),
        ];
        let (status, headers, _) = http(addr, "OPTIONS", "/api/test/drop", &preflight, "").await;
        assert!((200..300).contains(&status), "preflight status {status}");
        assert_eq!(
            header(&headers, "access-control-allow-origin"),
            Some(origin)
        );
        let (status, headers, _) =
            http(addr, "GET", "/api/test/stats", &[("Origin", origin)], "").await;
        assert_eq!(status, 200);
        assert_eq!(
            header(&headers, "access-control-allow-origin"),
            Some(origin)
        );

        let mut ws = connect_open(addr).await;
        wait_open_sockets(addr, 1).await;
        let foreign = [("Origin", "http://example.com")];
        for (method, path) in [
            ("POST", "/api/test/drop"),
            ("POST", "/api/test/refuse?ms=1000"),
            ("POST", "/api/test/stall?ms=1000"),
            ("GET", "/api/test/stats"),
        ] {
            let (status, headers, _) = http(addr, method, path, &foreign, "").await;
            assert_eq!(status, 403, "{method} {path}");
            assert_eq!(header(&headers, "access-control-allow-origin"), None);
        }
        // Nothing happened: the socket is open and upgrades are served.
        let text = envelope(
            "summarize",
            "still",
            full_request(john_doe_conversation(), &[]),
        );
        send(&mut ws, text).await;
        assert_eq!(read_answer(&mut ws, 1).await.len(), 2);
        try_connect(addr)
            .await
            .expect("no refusal or stall started");
        server.shutdown().await.unwrap();
    })
    .await;
}
