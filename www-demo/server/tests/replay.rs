//! Idempotency replay and `fault:drop-before-answer`: a repeated
//! `headers.idempotencyKey` gets the recorded frames again (on whichever
//! socket it comes), and is analysed once.

mod common;

use common::*;
use serde_json::{json, Value};

fn request(id: &str, tags: &[&str]) -> String {
    envelope("summarize", id, full_request(john_doe_conversation(), tags))
}

async fn stats(server: &oco_local_server::ServerHandle) -> Value {
    test_stats(server.addr()).await
}

/// Reads the answer of one `summarize` request as raw texts.
async fn answer_texts(ws: &mut Ws) -> Vec<String> {
    vec![next_text(ws).await, next_text(ws).await]
}

async fn expect_abrupt_end(ws: &mut Ws) {
    match next_message(ws).await {
        None | Some(Err(_)) => {}
        Some(Ok(other)) => panic!("expected an abrupt end, got {other:?}"),
    }
}

#[tokio::test]
async fn a_repeated_key_gets_the_recorded_frames_on_any_socket() {
    bounded(async {
        let server = open_server().await;
        let text = request("r1", &[]);
        let mut first = connect_open(server.addr()).await;
        send(&mut first, text.clone()).await;
        let original = answer_texts(&mut first).await;
        let states: Vec<Value> = original
            .iter()
            .map(|t| serde_json::from_str::<Value>(t).unwrap()["payload"]["state"].clone())
            .collect();
        assert_eq!(states, [json!("started"), json!("completed")]);

        let mut second = connect_open(server.addr()).await;
        send(&mut second, text.clone()).await;
        assert_eq!(answer_texts(&mut second).await, original);
        send(&mut first, text).await;
        assert_eq!(answer_texts(&mut first).await, original);

        let stats = stats(&server).await;
        assert_eq!(stats["analysed"], json!({ "idem-r1": 1 }));
        assert_eq!(stats["replayed"], json!({ "idem-r1": 2 }));
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn requests_without_a_key_are_analysed_every_time() {
    bounded(async {
        let server = open_server().await;
        let mut envelope: Value = serde_json::from_str(&request("nokey", &[])).unwrap();
        envelope["headers"]
            .as_object_mut()
            .unwrap()
            .remove("idempotencyKey");
        let text = envelope.to_string();
        let mut ws = connect_open(server.addr()).await;
        for _ in 0..2 {
            send(&mut ws, text.clone()).await;
            assert_eq!(answer_texts(&mut ws).await.len(), 2);
        }
        let stats = stats(&server).await;
        assert_eq!(stats["analysed"], json!({}));
        assert_eq!(stats["replayed"], json!({}));
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn drop_before_answer_drops_once_then_answers_once() {
    bounded(async {
        let server = open_server().await;
        let text = request("once", &["fault:drop-before-answer"]);
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, text.clone()).await;
        expect_abrupt_end(&mut ws).await;
        assert_eq!(stats(&server).await["analysed"], json!({}));

        let mut again = connect_open(server.addr()).await;
        send(&mut again, text.clone()).await;
        let answer = answer_texts(&mut again).await;
        let last: Value = serde_json::from_str(&answer[1]).unwrap();
        assert_eq!(last["headers"]["correlationId"], "once");
        assert_eq!(last["payload"]["state"], "completed");

        let mut third = connect_open(server.addr()).await;
        send(&mut third, text).await;
        assert_eq!(answer_texts(&mut third).await, answer);
        let stats = stats(&server).await;
        assert_eq!(stats["analysed"], json!({ "idem-once": 1 }));
        assert_eq!(stats["replayed"], json!({ "idem-once": 1 }));
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_request_cut_off_by_a_drop_is_not_analysed() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        send(&mut ws, request("late", &["fault:delay=300"])).await;
        wait_open_sockets(server.addr(), 1).await;
        let (status, _, body) = http(server.addr(), "POST", "/api/test/drop", &[], "").await;
        assert_eq!(status, 200);
        assert_eq!(
            serde_json::from_slice::<Value>(&body).unwrap()["dropped"],
            1
        );
        expect_abrupt_end(&mut ws).await;
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        assert_eq!(stats(&server).await["analysed"], json!({}));
        // The resent request is analysed once.
        let mut again = connect_open(server.addr()).await;
        send(&mut again, request("late", &["fault:delay=300"])).await;
        assert_eq!(answer_texts(&mut again).await.len(), 2);
        assert_eq!(stats(&server).await["analysed"], json!({ "idem-late": 1 }));
        server.shutdown().await.unwrap();
    })
    .await;
}
