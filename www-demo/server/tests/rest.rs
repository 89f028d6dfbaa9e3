//! `POST /message/{action}`: bearer auth (tickets, `--rest-token`), the same
//! validation and analysis as the socket (the array of completed frames),
//! `Idempotency-Key` replay, the REST faults, CORS for loopback origins, and
//! `--no-websocket` with its runtime switch.

mod common;

use common::*;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Error as WsError;

fn payload(tags: &[&str]) -> String {
    json!({ "request": full_request(alice_flight_conversation(), tags) }).to_string()
}

async fn post_message(
    addr: std::net::SocketAddr,
    action: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Vec<(String, String)>, Value) {
    let path = format!("/message/{action}");
    let (status, h, body) = http(addr, "POST", &path, headers, body).await;
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, h, value)
}

fn state_of(frame: &Value) -> &str {
    frame["payload"]["state"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn answers_the_completed_frames_and_replays_by_idempotency_key() {
    bounded(async {
        let server = open_server().await;
        let headers = [
            ("Content-Type", "application/json"),
            ("Idempotency-Key", "key-1"),
            ("X-Correlation-Id", "cid-1"),
        ];
        let (status, _, frames) =
            post_message(server.addr(), "insights", &headers, &payload(&[])).await;
        assert_eq!(status, 200, "{frames}");
        let frames = frames.as_array().expect("an array of frames").clone();
        assert!(frames.len() >= 2, "insights has several superpowers");
        for f in &frames {
            assert_eq!(state_of(f), "completed");
            assert_eq!(f["headers"]["correlationId"], "cid-1");
            assert_eq!(f["headers"]["action"], "insights");
        }
        let (status, _, again) =
            post_message(server.addr(), "insights", &headers, &payload(&[])).await;
        assert_eq!(status, 200);
        assert_eq!(again.as_array().map(Vec::len), Some(frames.len()));
        let stats = test_stats(server.addr()).await;
        assert_eq!(stats["analysed"]["key-1"], 1, "{stats}");
        assert_eq!(stats["replayed"]["key-1"], 1, "{stats}");
        assert_eq!(stats["rest"]["seen"]["key-1"], 2, "{stats}");
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn bearer_tickets_and_the_fixed_token() {
    bounded(async {
        let server = server_with(|c| c.rest_token = Some("fixed".into())).await;
        let body = payload(&[]);
        let (status, _, frame) = post_message(server.addr(), "summarize", &[], &body).await;
        assert_eq!(status, 401);
        assert_eq!(frame["payload"]["state"], "error");
        let ticket = ticket(server.addr()).await;
        let bearer = format!("Bearer {ticket}");
        let auth = [("Authorization", bearer.as_str())];
        let (status, _, _) = post_message(server.addr(), "summarize", &auth, &body).await;
        assert_eq!(status, 200, "a ticket is accepted");
        let (status, _, _) = post_message(server.addr(), "summarize", &auth, &body).await;
        assert_eq!(status, 401, "once");
        let fixed = [("Authorization", "Bearer fixed")];
        for _ in 0..2 {
            let (status, _, _) = post_message(server.addr(), "summarize", &fixed, &body).await;
            assert_eq!(status, 200, "the --rest-token, every time");
        }
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn invalid_requests_and_faults() {
    bounded(async {
        let server = open_server().await;
        let addr = server.addr();
        let (status, _, _) = post_message(addr, "summarize", &[], "not json").await;
        assert_eq!(status, 400);
        let (status, _, _) = post_message(addr, "nosuch", &[], &payload(&[])).await;
        assert_eq!(status, 404);
        let missing = json!({ "request": { "connections": { "threadId": "t" } } }).to_string();
        let (status, _, frame) = post_message(addr, "summarize", &[], &missing).await;
        assert_eq!(status, 422, "{frame}");
        let key = [("Idempotency-Key", "k503")];
        let faulty = payload(&["fault:status=503*2", "fault:retry-after=3"]);
        for _ in 0..2 {
            let (status, h, _) = post_message(addr, "summarize", &key, &faulty).await;
            assert_eq!(status, 503);
            assert_eq!(header(&h, "retry-after"), Some("3"));
        }
        let (status, _, _) = post_message(addr, "summarize", &key, &faulty).await;
        assert_eq!(status, 200, "the third call is answered");
        let stats = test_stats(addr).await;
        assert_eq!(stats["rest"]["seen"]["k503"], 3);
        assert_eq!(stats["analysed"]["k503"], 1);
        let (status, _, body) = http(
            addr,
            "POST",
            "/message/summarize",
            &[],
            &payload(&["fault:not-json"]),
        )
        .await;
        assert_eq!(status, 200);
        assert!(serde_json::from_slice::<Value>(&body).is_err());
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn cors_for_loopback_origins_only() {
    bounded(async {
        let server = open_server().await;
        let addr = server.addr();
        let preflight = [
            ("Origin", "http://127.0.0.1:9999"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization,idempotency-key",
            ),
        ];
        let (status, h, _) = http(addr, "OPTIONS", "/message/summarize", &preflight, "").await;
        assert_eq!(status, 200);
        assert_eq!(
            header(&h, "access-control-allow-origin"),
            Some("http://127.0.0.1:9999")
        );
        let (_, h, _) = post_message(
            addr,
            "summarize",
            &[("Origin", "http://127.0.0.1:9999")],
            &payload(&[]),
        )
        .await;
        assert_eq!(
            header(&h, "access-control-expose-headers"),
            Some("retry-after")
        );
        let (status, _, _) = post_message(
            addr,
            "summarize",
            &[("Origin", "https://evil.example")],
            &payload(&[]),
        )
        .await;
        assert_eq!(status, 403);
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn no_websocket_refuses_upgrades_until_allowed() {
    bounded(async {
        let server = server_with(|c| {
            c.auth = false;
            c.websocket = false;
        })
        .await;
        let addr = server.addr();
        let request = format!("ws://{addr}/ws")
            .into_client_request()
            .expect("a request");
        match tokio_tungstenite::connect_async(request).await {
            Err(WsError::Http(response)) => assert_eq!(response.status(), 503),
            Err(e) => panic!("refused otherwise: {e}"),
            Ok(_) => panic!("the upgrade was accepted"),
        }
        let (status, _, body) = http(addr, "POST", "/api/test/websocket?allow=true", &[], "").await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let _ws = connect_open(addr).await;
        assert_eq!(test_stats(addr).await["websocketAllowed"], true);
        server.shutdown().await.unwrap();
    })
    .await;
}
