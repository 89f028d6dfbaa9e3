//! Authentication on `/ws`: tickets by subprotocol and by query, refusals with
//! close code 4401, `--no-auth`, and the ticket endpoint's CORS policy.

mod common;

use std::time::Duration;

use common::*;
use serde_json::Value;

/// A request that gets a full answer, to prove a socket is usable.
async fn assert_usable(ws: &mut Ws) {
    send(
        ws,
        envelope(
            "summarize",
            "probe",
            full_request(john_doe_conversation(), &[]),
        ),
    )
    .await;
    let frames = read_answer(ws, 1).await;
    assert_eq!(frames[0]["headers"]["correlationId"], "probe");
    assert_eq!(frames[1]["payload"]["state"], "completed");
}

#[tokio::test]
async fn ticket_endpoint_issues_token_shaped_tickets() {
    bounded(async {
        let server = server_with(|c| c.ticket_ttl = Duration::from_millis(1234)).await;
        let (status, headers, body) = http(server.addr(), "POST", "/api/ws-ticket", &[], "").await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "cache-control"), Some("no-store"));
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["expiresInMs"], 1234);
        let t = v["ticket"].as_str().unwrap();
        assert!(t.len() >= 43, "32 random bytes");
        assert!(t
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(ticket(server.addr()).await, t);
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn ticket_cors_allows_loopback_origins_only() {
    bounded(async {
        let server = server_with(|_| {}).await;
        let preflight = [
            ("Origin", "http://localhost:9876"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ];
        let (status, headers, _) =
            http(server.addr(), "OPTIONS", "/api/ws-ticket", &preflight, "").await;
        assert!(status < 300, "preflight status {status}");
        assert_eq!(
            header(&headers, "access-control-allow-origin"),
            Some("http://localhost:9876")
        );
        let (_, headers, _) = http(
            server.addr(),
            "POST",
            "/api/ws-ticket",
            &[("Origin", "http://127.0.0.1:4000")],
            "",
        )
        .await;
        assert_eq!(
            header(&headers, "access-control-allow-origin"),
            Some("http://127.0.0.1:4000")
        );
        let (_, headers, _) = http(
            server.addr(),
            "POST",
            "/api/ws-ticket",
            &[("Origin", "http://evil.example")],
            "",
        )
        .await;
        assert_eq!(header(&headers, "access-control-allow-origin"), None);
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn subprotocol_ticket_is_accepted_and_optave_v1_selected() {
    bounded(async {
        let server = server_with(|_| {}).await;
        let t = ticket(server.addr()).await;
        let (mut ws, selected) = connect(server.addr(), "/ws", &["optave-v1", &t]).await;
        assert_eq!(selected.as_deref(), Some("optave-v1"));
        assert_usable(&mut ws).await;
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn query_ticket_is_accepted_with_and_without_bearer() {
    bounded(async {
        let server = server_with(|_| {}).await;
        let t = ticket(server.addr()).await;
        let path = format!("/ws?Authorization={t}&OptaveTraceChatSessionId=session-1");
        let (mut ws, selected) = connect(server.addr(), &path, &[]).await;
        assert_eq!(selected, None);
        assert_usable(&mut ws).await;

        let t = ticket(server.addr()).await;
        let path = format!("/ws?Authorization=Bearer%20{t}");
        let (mut ws, _) = connect(server.addr(), &path, &["optave-v1"]).await;
        assert_usable(&mut ws).await;
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn missing_unknown_and_reused_tickets_get_4401() {
    bounded(async {
        let server = server_with(|_| {}).await;
        let addr = server.addr();

        let (mut ws, selected) = connect(addr, "/ws", &["optave-v1"]).await;
        assert_eq!(selected.as_deref(), Some("optave-v1"));
        assert_eq!(expect_close(&mut ws).await, (4401, "missing token".into()));

        let (mut ws, _) = connect(addr, "/ws", &["optave-v1", "not-a-ticket"]).await;
        assert_eq!(expect_close(&mut ws).await, (4401, "unknown token".into()));

        let (mut ws, _) = connect(addr, "/ws?Authorization=Bearer%20nope", &[]).await;
        assert_eq!(expect_close(&mut ws).await, (4401, "unknown token".into()));

        let t = ticket(addr).await;
        let (mut first, _) = connect(addr, "/ws", &["optave-v1", &t]).await;
        let (mut second, _) = connect(addr, "/ws", &["optave-v1", &t]).await;
        assert_eq!(
            expect_close(&mut second).await,
            (4401, "token already used".into())
        );
        let (mut third, _) = connect(addr, &format!("/ws?Authorization={t}"), &[]).await;
        assert_eq!(
            expect_close(&mut third).await,
            (4401, "token already used".into())
        );
        assert_usable(&mut first).await;
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn expired_tickets_get_4401() {
    bounded(async {
        let server = server_with(|c| c.ticket_ttl = Duration::from_millis(100)).await;
        let addr = server.addr();
        let t = ticket(addr).await;
        tokio::time::sleep(Duration::from_millis(250)).await;
        let _ = ticket(addr).await; // issuing purges only long-expired entries
        let (mut ws, _) = connect(addr, &format!("/ws?Authorization={t}"), &[]).await;
        assert_eq!(expect_close(&mut ws).await, (4401, "expired token".into()));
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn no_auth_accepts_without_a_token() {
    bounded(async {
        let server = open_server().await;
        let (mut ws, selected) = connect(server.addr(), "/ws", &["optave-v1"]).await;
        assert_eq!(selected.as_deref(), Some("optave-v1"));
        assert_usable(&mut ws).await;
        let (mut ws, _) = connect(server.addr(), "/ws", &[]).await;
        assert_usable(&mut ws).await;
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn shutdown_closes_open_sockets_with_1001() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        let stopping = tokio::spawn(server.shutdown());
        assert_eq!(expect_close(&mut ws).await.0, 1001);
        stopping.await.unwrap().unwrap();
    })
    .await;
}
