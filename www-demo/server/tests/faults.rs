//! Fault hooks (`request.reference.tags`): delay, silent, malformed, drop,
//! close, error, bare and burst.

mod common;

use std::time::{Duration, Instant};

use common::*;
use tokio_tungstenite::tungstenite::Message;

fn faulty(action: &str, id: &str, tags: &[&str]) -> String {
    envelope(action, id, full_request(john_doe_conversation(), tags))
}

#[tokio::test]
async fn delay_holds_every_frame() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        let t0 = Instant::now();
        send(&mut ws, faulty("summarize", "slow", &["fault:delay=400"])).await;
        let first = next_json(&mut ws).await;
        assert!(t0.elapsed() >= Duration::from_millis(400));
        assert_eq!(first["headers"]["correlationId"], "slow");
        assert_eq!(next_json(&mut ws).await["payload"]["state"], "completed");
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn delayed_request_does_not_block_others() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, faulty("summarize", "slow", &["fault:delay=1500"])).await;
        send(&mut ws, faulty("summarize", "fast", &[])).await;
        let first = next_json(&mut ws).await;
        assert_eq!(first["headers"]["correlationId"], "fast");
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn silent_sends_nothing() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, faulty("interaction", "mute", &["fault:silent"])).await;
        send(&mut ws, faulty("translate", "loud", &[])).await;
        for frame in read_answer(&mut ws, 1).await {
            assert_eq!(frame["headers"]["correlationId"], "loud");
        }
        let nothing = tokio::time::timeout(Duration::from_millis(300), next_message(&mut ws)).await;
        assert!(
            nothing.is_err(),
            "a silent request produced a frame: {nothing:?}"
        );
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn malformed_sends_a_broken_frame_first() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, faulty("summarize", "bad", &["fault:malformed"])).await;
        let raw = next_text(&mut ws).await;
        assert_eq!(raw, "{\"action\":\"superpower\", this is not json");
        assert!(serde_json::from_str::<serde_json::Value>(&raw).is_err());
        let frames = read_answer(&mut ws, 1).await;
        assert_eq!(frames[0]["payload"]["state"], "started");
        assert_eq!(frames[1]["payload"]["state"], "completed");
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn drop_cuts_the_connection_without_a_close_frame() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, faulty("interaction", "gone", &["fault:drop"])).await;
        match next_message(&mut ws).await {
            None | Some(Err(_)) => {}
            Some(Ok(other)) => panic!("expected an abrupt end, got {other:?}"),
        }
        // The server itself is fine.
        let mut again = connect_open(server.addr()).await;
        send(&mut again, faulty("summarize", "ok", &[])).await;
        assert_eq!(read_answer(&mut again, 1).await.len(), 2);
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn close_sends_the_requested_code() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, faulty("interaction", "bye", &["fault:close=4000"])).await;
        assert_eq!(expect_close(&mut ws).await, (4000, "fault injected".into()));
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, faulty("interaction", "bye", &["fault:close=1011"])).await;
        assert_eq!(expect_close(&mut ws).await.0, 1011);
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn error_answers_every_superpower_with_an_error_state() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, faulty("insights", "err", &["fault:error"])).await;
        let frames = read_answer(&mut ws, 2).await;
        let types: Vec<_> = frames
            .iter()
            .map(|f| f["payload"]["actionType"].clone())
            .collect();
        assert_eq!(
            types,
            [
                "performance_criteria",
                "sentiment_analysis",
                "performance_criteria",
                "sentiment_analysis"
            ]
        );
        for f in &frames[..2] {
            assert_eq!(f["payload"]["state"], "started");
        }
        for f in &frames[2..] {
            assert_eq!(f["headers"]["schemaRef"], "optave.response.v3");
            assert_eq!(f["headers"]["correlationId"], "err");
            assert_eq!(f["payload"]["state"], "error");
            let item = &f["payload"]["message"]["results"][0]["response"][0];
            assert_eq!(item["content"], "Error while fetching results");
            assert_eq!(item["error_code"], "SUPERPOWER_FAILED");
        }
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn bare_sends_unwrapped_payloads() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        send(
            &mut ws,
            faulty(
                "elevate",
                "naked",
                &["fault:bare", "not-a-fault", "fault:bogus=1"],
            ),
        )
        .await;
        let frames = read_answer(&mut ws, 2).await;
        for f in &frames {
            assert!(f.get("headers").is_none(), "{f}");
            assert_eq!(f["action"], "superpower");
            assert_eq!(f["correlationId"], "naked");
        }
        assert_eq!(frames[2]["actionType"], "escalation_need");
        assert_eq!(frames[3]["actionType"], "elevate_suggestion");
        assert_eq!(frames[3]["state"], "completed");
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn ping_is_answered_while_requests_run() {
    bounded(async {
        use futures_util::SinkExt;
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, faulty("summarize", "slow", &["fault:delay=300"])).await;
        ws.send(Message::Ping(vec![7u8].into())).await.unwrap();
        match next_message(&mut ws).await {
            Some(Ok(Message::Pong(p))) => assert_eq!(p.as_ref(), [7u8]),
            other => panic!("expected a pong, got {other:?}"),
        }
        assert_eq!(next_json(&mut ws).await["headers"]["correlationId"], "slow");
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn burst_repeats_one_completed_frame() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, faulty("interaction", "many", &["fault:burst=500"])).await;
        let first = next_text(&mut ws).await;
        let frame: serde_json::Value = serde_json::from_str(&first).unwrap();
        assert_eq!(frame["action"], "message");
        assert_eq!(frame["headers"]["correlationId"], "many");
        assert_eq!(frame["headers"]["schemaRef"], "optave.response.v3");
        assert_eq!(frame["payload"]["actionType"], "sentiment_analysis");
        assert_eq!(frame["payload"]["state"], "completed");
        let item = &frame["payload"]["message"]["results"][0]["response"][0];
        assert_eq!(item["sentiment"], "negative");
        assert_eq!(item["byParticipant"].as_array().map(Vec::len), Some(2));
        for _ in 1..500 {
            assert_eq!(
                next_text(&mut ws).await,
                first,
                "every burst frame is the same"
            );
        }
        // Nothing follows the burst; the socket still answers other requests.
        send(&mut ws, faulty("summarize", "after", &[])).await;
        for f in read_answer(&mut ws, 1).await {
            assert_eq!(f["headers"]["correlationId"], "after");
        }
        server.shutdown().await.unwrap();
    })
    .await;
}
