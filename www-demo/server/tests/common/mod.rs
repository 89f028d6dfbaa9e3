//! Shared helpers of the integration tests: start a server on port 0 with a
//! temporary static root, speak plain HTTP over a TcpStream, open WebSocket
//! clients (tokio-tungstenite), build seed-like request envelopes, and read
//! frames with time bounds.

#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use oco_local_server::{start, Config, ServerHandle};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

/// A client socket.
pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Upper bound of one test.
pub const TEST_LIMIT: Duration = Duration::from_secs(30);
/// Upper bound of waiting for one frame.
pub const FRAME_LIMIT: Duration = Duration::from_secs(10);

/// Runs a test body with a time limit.
pub async fn bounded<F: Future<Output = ()>>(body: F) {
    tokio::time::timeout(TEST_LIMIT, body)
        .await
        .expect("test exceeded its time limit");
}

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty temporary directory.
pub fn temp_dir(label: &str) -> PathBuf {
    let n = NEXT_DIR.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "oco-local-server-test-{}-{label}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// A test configuration: port 0, root and pkg folders that do not exist
/// (every static path is a 404; see [`static_config`] for real folders).
pub fn test_config() -> Config {
    let missing = std::env::temp_dir().join("oco-local-server-test-no-such-dir");
    Config {
        port: 0,
        root: missing.join("root"),
        pkg: missing.join("pkg"),
        ..Config::default()
    }
}

/// A test configuration with fresh, empty root and pkg folders (the caller
/// removes them).
pub fn static_config() -> Config {
    Config {
        root: temp_dir("root"),
        pkg: temp_dir("pkg"),
        ..test_config()
    }
}

/// Starts a server with `tweak` applied to [`test_config`].
pub async fn server_with(tweak: impl FnOnce(&mut Config)) -> ServerHandle {
    let mut config = test_config();
    tweak(&mut config);
    start(config).await.expect("server starts")
}

/// Starts a server that needs no ticket.
pub async fn open_server() -> ServerHandle {
    server_with(|c| c.auth = false).await
}

/// A plain HTTP/1.1 exchange: (status, headers lower-cased, body).
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(req.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body)
}

/// The value of a header in an [`http`] answer.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Fetches a ticket from `POST /api/ws-ticket`.
pub async fn ticket(addr: SocketAddr) -> String {
    let (status, _, body) = http(addr, "POST", "/api/ws-ticket", &[], "").await;
    assert_eq!(status, 200);
    let v: Value = serde_json::from_slice(&body).expect("ticket JSON");
    v["ticket"].as_str().expect("ticket string").to_owned()
}

/// Opens a WebSocket at `path` offering `protocols`; returns the socket and
/// the protocol the server selected.
pub async fn connect(addr: SocketAddr, path: &str, protocols: &[&str]) -> (Ws, Option<String>) {
    let mut request = format!("ws://{addr}{path}")
        .into_client_request()
        .expect("request");
    if !protocols.is_empty() {
        let value = HeaderValue::from_str(&protocols.join(", ")).expect("header value");
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", value);
    }
    let (ws, response) = connect_async(request).await.expect("websocket connects");
    let selected = response
        .headers()
        .get("Sec-WebSocket-Protocol")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (ws, selected)
}

/// Opens `/ws` on a server without auth.
pub async fn connect_open(addr: SocketAddr) -> Ws {
    connect(addr, "/ws", &["optave-v1"]).await.0
}

/// The next message, within [`FRAME_LIMIT`]; `None` when the stream ended.
pub async fn next_message(
    ws: &mut Ws,
) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
    tokio::time::timeout(FRAME_LIMIT, ws.next())
        .await
        .expect("no frame within the limit")
}

/// The next text frame as a string (panics on anything else).
pub async fn next_text(ws: &mut Ws) -> String {
    loop {
        match next_message(ws).await {
            Some(Ok(Message::Text(t))) => return t.as_str().to_owned(),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

/// The next text frame, parsed.
pub async fn next_json(ws: &mut Ws) -> Value {
    let text = next_text(ws).await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("frame is not JSON ({e}): {text}"))
}

/// Reads until a close frame; returns (code, reason).
pub async fn expect_close(ws: &mut Ws) -> (u16, String) {
    loop {
        match next_message(ws).await {
            Some(Ok(Message::Close(Some(frame)))) => {
                return (u16::from(frame.code), frame.reason.as_str().to_owned())
            }
            Some(Ok(Message::Close(None))) => panic!("close frame without a code"),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

/// Sends a text frame.
pub async fn send(ws: &mut Ws, text: impl Into<String>) {
    ws.send(Message::text(text.into())).await.expect("send");
}

/// A request envelope for `action` with the given `payload.request`.
pub fn envelope(action: &str, correlation_id: &str, request: Value) -> String {
    json!({
        "action": "message",
        "headers": {
            "correlationId": correlation_id,
            "action": action,
            "schemaRef": "optave.message.v3",
            "sdkVersion": "0.1.0",
            "identifier": "message",
            "traceId": format!("trace-{correlation_id}"),
            "idempotencyKey": format!("idem-{correlation_id}"),
            "issuedAt": "2025-09-05T16:30:00.000Z",
        },
        "payload": {
            "session": {
                "sessionId": "a1b2c3d4-e5f6-7890-abcd-123456789012",
                "channel": { "language": "en-US" },
                "interface": { "type": "chat" }
            },
            "request": request,
        },
    })
    .to_string()
}

fn conversation(customer: &str, agent: &str, messages: &[(bool, &str, &str)]) -> Value {
    let msgs: Vec<Value> = messages
        .iter()
        .map(|(from_customer, text, ts)| {
            json!({
                "content": text,
                "participantId": if *from_customer { "2c4f8a9b-1d3e-5f70-8293-456789012def" }
                                 else { "5b8c9d0e-2f4a-6b1c-9d8e-123456789abc" },
                "timestamp": ts,
            })
        })
        .collect();
    json!({
        "conversationId": "",
        "participants": [
            { "participantId": "2c4f8a9b-1d3e-5f70-8293-456789012def", "displayName": customer, "role": "user" },
            { "participantId": "5b8c9d0e-2f4a-6b1c-9d8e-123456789abc", "displayName": agent, "role": "operator" }
        ],
        "messages": msgs,
        "metadata": {}
    })
}

/// Seed 000/001/002: John Doe asks Sarah Smith for help.
pub fn john_doe_conversation() -> Value {
    conversation(
        "John Doe",
        "Sarah Smith",
        &[
            (true, "Hi, can you help me?", "2024-01-15T10:30:00.000Z"),
            (
                false,
                "Hello! I'd be happy to assist you today. What can I help you with?",
                "2024-01-15T10:30:15.000Z",
            ),
        ],
    )
}

/// Seed 003: Alice Hawthorne's cancelled flight, with Tom Callahan.
pub fn alice_flight_conversation() -> Value {
    conversation(
        "Alice Hawthorne",
        "Tom Callahan",
        &[
            (true, "My flight was cancelled and I need to rebook", "2024-01-15T10:30:00.000Z"),
            (
                false,
                "I understand this is frustrating. Let me help you with rebooking your flight. Could you please provide your booking reference?",
                "2024-01-15T10:30:30.000Z",
            ),
            (true, "Sure, it is XYZ789", "2024-01-15T10:31:00.000Z"),
        ],
    )
}

/// Seed 004: Alice looks for a December holiday.
pub fn holiday_conversation() -> Value {
    conversation(
        "Alice Hawthorne",
        "Tom Callahan",
        &[
            (true, "I am looking for holiday destinations in December", "2024-01-15T10:30:00.000Z"),
            (
                false,
                "I would be happy to help you find the perfect holiday destination. Do you have any specific preferences?",
                "2024-01-15T10:30:30.000Z",
            ),
            (
                true,
                "I enjoy warm weather and beaches, but also interested in local culture",
                "2024-01-15T10:31:00.000Z",
            ),
        ],
    )
}

/// Two offers: a beach holiday and an unrelated one.
pub fn offers() -> Value {
    json!([
        { "id": "offer-ski", "title": "Office printer ink subscription", "category": "supplies" },
        { "id": "offer-beach", "title": "Warm beach holiday in Cancun",
          "description": "Seven nights by the beaches of the Caribbean in December", "price": 1299 }
    ])
}

/// A `payload.request` that satisfies every action's required fields.
pub fn full_request(conversation: Value, tags: &[&str]) -> Value {
    json!({
        "requestId": "a1b2c3d4-e5f6-7890-1234-56789ab2345",
        "attributes": {
            "variant": "A",
            "content": "I can't change that booking. We'll email you the details.",
            "instruction": "Make it more formal"
        },
        "connections": {
            "journeyId": "",
            "parentId": "parent-1",
            "threadId": "9e8d7c6b-5a49-3827-1605-948372615abc"
        },
        "context": { "organizationId": "f7e8d9c0-b1a2-3456-7890-123456789abc" },
        "reference": { "ids": [ { "name": "ticket_id", "value": "T12345" } ], "labels": [], "tags": tags },
        "resources": { "codes": [], "links": [], "offers": offers() },
        "settings": { "overrideOutputLanguage": "en-US" },
        "scope": {
            "conversations": [ conversation ],
            "interactions": [ {
                "content": "Support ticket T12345 has been created for user John Doe",
                "id": "1", "name": "ticket_created", "role": "system",
                "timestamp": "2024-01-15T10:29:45.000Z"
            } ]
        }
    })
}

/// Reads the frames of one request: `count` started then `count` final frames.
pub async fn read_answer(ws: &mut Ws, count: usize) -> Vec<Value> {
    let mut frames = Vec::new();
    for _ in 0..count * 2 {
        frames.push(next_json(ws).await);
    }
    frames
}

/// `GET /api/test/stats`, parsed.
pub async fn test_stats(addr: SocketAddr) -> Value {
    let (status, _, body) = http(addr, "GET", "/api/test/stats", &[], "").await;
    assert_eq!(status, 200);
    serde_json::from_slice(&body).expect("stats JSON")
}

/// Waits (bounded) until the server counts `n` open sockets: a socket is
/// registered once its upgrade completed on the server side.
pub async fn wait_open_sockets(addr: SocketAddr, n: u64) {
    for _ in 0..200 {
        if test_stats(addr).await["openSockets"] == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the server never counted {n} open sockets");
}
