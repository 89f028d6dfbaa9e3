//! Request handling on `/ws`: each action's superpower set with
//! started-before-completed frames, error frames for bad input (the socket
//! stays usable), and the `--no-analysis` echo mode.

mod common;

use common::*;
use serde_json::{json, Value};

/// Each action (wire name) and the superpowers the server answers it with,
/// in order: the table the browser and demo tests share too.
fn actions() -> Vec<(String, Vec<&'static str>)> {
    let table: Vec<(&'static str, Vec<&'static str>)> =
        serde_json::from_str(include_str!("../../../tests/superpowers.json"))
            .expect("tests/superpowers.json is a list of [action, [actionType]]");
    table
        .into_iter()
        .map(|(action, powers)| (action.to_ascii_lowercase(), powers))
        .collect()
}

fn error_item(frame: &Value) -> &Value {
    &frame["payload"]["message"]["results"][0]["response"][0]
}

#[tokio::test]
async fn every_action_gets_its_superpowers_started_then_completed() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        for (action, powers) in actions() {
            let id = format!("corr-{action}");
            send(
                &mut ws,
                envelope(&action, &id, full_request(alice_flight_conversation(), &[])),
            )
            .await;
            let frames = read_answer(&mut ws, powers.len()).await;
            for (i, frame) in frames.iter().enumerate() {
                let (state, power) = if i < powers.len() {
                    ("started", powers[i])
                } else {
                    ("completed", powers[i - powers.len()])
                };
                assert_eq!(frame["action"], "message", "{action}");
                assert_eq!(frame["headers"]["correlationId"], id.as_str());
                assert_eq!(frame["headers"]["action"], action.as_str());
                assert_eq!(frame["headers"]["schemaRef"], "optave.response.v3");
                assert_eq!(frame["headers"]["traceId"], format!("trace-{id}").as_str());
                assert!(frame["headers"]["issuedAt"].is_string());
                assert!(frame["headers"]["timestamp"].is_string());
                let payload = &frame["payload"];
                assert_eq!(payload["action"], "superpower");
                assert_eq!(payload["actionType"], power, "{action} frame {i}");
                assert_eq!(payload["state"], state, "{action} frame {i}");
                let results = payload["message"]["results"].as_array().unwrap();
                if state == "started" {
                    assert!(results.is_empty());
                } else {
                    assert!(!results[0]["response"].as_array().unwrap().is_empty());
                }
            }
        }
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn concurrent_requests_keep_their_own_order() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        for n in 0..3 {
            send(
                &mut ws,
                envelope(
                    "insights",
                    &format!("c{n}"),
                    full_request(john_doe_conversation(), &[]),
                ),
            )
            .await;
        }
        let mut seen: Vec<(String, String)> = Vec::new();
        for _ in 0..12 {
            let f = next_json(&mut ws).await;
            let id = f["headers"]["correlationId"].as_str().unwrap().to_owned();
            let state = f["payload"]["state"].as_str().unwrap().to_owned();
            if state == "started" {
                assert!(!seen.iter().any(|(i, s)| *i == id && s == "completed"));
            }
            seen.push((id, state));
        }
        server.shutdown().await.unwrap();
    })
    .await;
}

async fn expect_error(ws: &mut Ws, text: String, code: &str) -> Value {
    send(ws, text).await;
    let frame = next_json(ws).await;
    assert_eq!(frame["action"], "message");
    assert_eq!(frame["headers"]["schemaRef"], "optave.error.v3");
    assert!(frame["headers"]["issuedAt"].is_string());
    assert_eq!(frame["payload"]["action"], "superpower");
    assert_eq!(frame["payload"]["actionType"], "error");
    assert_eq!(frame["payload"]["state"], "error");
    assert_eq!(error_item(&frame)["error_code"], code, "{frame}");
    frame
}

async fn still_works(ws: &mut Ws) {
    send(
        ws,
        envelope(
            "translate",
            "after",
            full_request(john_doe_conversation(), &[]),
        ),
    )
    .await;
    let frames = read_answer(ws, 1).await;
    assert_eq!(frames[1]["headers"]["correlationId"], "after");
    assert_eq!(frames[1]["payload"]["state"], "completed");
}

#[tokio::test]
async fn bad_input_gets_error_frames_and_the_socket_survives() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        let good = || {
            serde_json::from_str::<Value>(&envelope(
                "interaction",
                "e1",
                full_request(john_doe_conversation(), &[]),
            ))
            .unwrap()
        };

        let f = expect_error(&mut ws, "{not json".into(), "INVALID_JSON").await;
        assert!(f["headers"].get("correlationId").is_none());
        still_works(&mut ws).await;

        expect_error(&mut ws, "[1,2]".into(), "INVALID_ENVELOPE").await;
        let mut v = good();
        v["action"] = json!("superpower");
        let f = expect_error(&mut ws, v.to_string(), "INVALID_ENVELOPE").await;
        assert_eq!(f["headers"]["correlationId"], "e1");
        let mut v = good();
        v["payload"] = json!("nope");
        expect_error(&mut ws, v.to_string(), "INVALID_ENVELOPE").await;

        let mut v = good();
        v["headers"]["action"] = json!("customerInteraction");
        let f = expect_error(&mut ws, v.to_string(), "INVALID_ACTION").await;
        assert_eq!(f["headers"]["correlationId"], "e1");
        let mut v = good();
        v["headers"]["action"] = json!("dance");
        expect_error(&mut ws, v.to_string(), "INVALID_ACTION").await;

        let mut v = good();
        v["headers"]["schemaRef"] = json!("optave.message.v2");
        expect_error(&mut ws, v.to_string(), "SCHEMA_MISMATCH").await;
        let mut v = good();
        v["headers"]["issuedAt"] = json!("last tuesday");
        let f = expect_error(&mut ws, v.to_string(), "INVALID_HEADERS").await;
        assert!(error_item(&f)["content"]
            .as_str()
            .unwrap()
            .contains("issuedAt"));
        let mut v = good();
        v["headers"]["correlationId"] = json!("");
        let f = expect_error(&mut ws, v.to_string(), "INVALID_HEADERS").await;
        assert!(f["headers"].get("correlationId").is_none());
        let mut v = good();
        v["headers"]["traceId"] = json!(7);
        expect_error(&mut ws, v.to_string(), "INVALID_HEADERS").await;
        still_works(&mut ws).await;
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn missing_required_fields_are_all_named() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        let f = expect_error(
            &mut ws,
            envelope("adjust", "m1", json!({ "scope": { "conversations": [] } })),
            "REQUIRED_FIELDS_MISSING",
        )
        .await;
        assert_eq!(f["headers"]["correlationId"], "m1");
        assert_eq!(f["headers"]["action"], "adjust");
        let content = error_item(&f)["content"].as_str().unwrap().to_owned();
        for path in [
            "request.connections.threadId",
            "request.context.organizationId",
            "request.scope.conversations",
            "request.attributes.content",
            "request.attributes.instruction",
            "request.connections.parentId",
        ] {
            assert!(content.contains(path), "{path} not named in {content}");
        }
        assert!(!content.contains("offers"));

        let mut req = full_request(holiday_conversation(), &[]);
        req["resources"]["offers"] = json!([]);
        let f = expect_error(
            &mut ws,
            envelope("recommend", "m2", req),
            "REQUIRED_FIELDS_MISSING",
        )
        .await;
        assert_eq!(
            error_item(&f)["fields"],
            json!(["request.resources.offers"])
        );

        let mut req = full_request(holiday_conversation(), &[]);
        req["connections"]["parentId"] = json!("");
        req["attributes"]["content"] = json!(null);
        let f = expect_error(
            &mut ws,
            envelope("elevate", "m3", req),
            "REQUIRED_FIELDS_MISSING",
        )
        .await;
        assert_eq!(
            error_item(&f)["fields"],
            json!(["request.attributes.content", "request.connections.parentId"])
        );
        still_works(&mut ws).await;
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn oversize_envelopes_are_refused() {
    bounded(async {
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        let mut req = full_request(john_doe_conversation(), &[]);
        req["scope"]["conversations"][0]["metadata"] = json!({ "blob": "x".repeat(140_000) });
        let f = expect_error(
            &mut ws,
            envelope("interaction", "big", req),
            "PAYLOAD_TOO_LARGE",
        )
        .await;
        assert_eq!(f["headers"]["correlationId"], "big");
        assert!(error_item(&f)["content"]
            .as_str()
            .unwrap()
            .contains("131072"));
        still_works(&mut ws).await;
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn binary_frames_get_an_error_frame() {
    bounded(async {
        use futures_util::SinkExt;
        use tokio_tungstenite::tungstenite::Message;
        let server = open_server().await;
        let mut ws = connect_open(server.addr()).await;
        ws.send(Message::binary(vec![1u8, 2, 3])).await.unwrap();
        let f = next_json(&mut ws).await;
        assert_eq!(error_item(&f)["error_code"], "INVALID_JSON");
        still_works(&mut ws).await;
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn no_analysis_answers_one_echo_frame() {
    bounded(async {
        let server = server_with(|c| {
            c.auth = false;
            c.analysis = false;
        })
        .await;
        let mut ws = connect_open(server.addr()).await;
        send(
            &mut ws,
            envelope(
                "interaction",
                "bench-1",
                full_request(john_doe_conversation(), &[]),
            ),
        )
        .await;
        let f = next_json(&mut ws).await;
        assert_eq!(f["headers"]["correlationId"], "bench-1");
        assert_eq!(f["payload"]["actionType"], "echo");
        assert_eq!(f["payload"]["state"], "completed");
        send(
            &mut ws,
            envelope(
                "interaction",
                "bench-2",
                full_request(john_doe_conversation(), &[]),
            ),
        )
        .await;
        assert_eq!(
            next_json(&mut ws).await["headers"]["correlationId"],
            "bench-2"
        );
        expect_error(&mut ws, "nope".into(), "INVALID_JSON").await;
        server.shutdown().await.unwrap();
    })
    .await;
}
