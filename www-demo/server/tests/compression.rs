//! Compression of the HTTP answers: the package's wasm and JS (and the static
//! root's files) come brotli- or gzip-encoded when the request accepts it, as
//! production hosting serves them, and unencoded otherwise; the WebSocket
//! upgrade, the REST endpoint and the test controls keep working through the
//! compression layer.

mod common;

use std::io::Read as _;
use std::net::SocketAddr;

use common::*;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

/// A wasm-like body: a header, then repetitive bytes (compressible, far
/// above the 32-byte threshold of the compression predicate).
fn wasm_body() -> Vec<u8> {
    let mut body = b"\0asm\x01\0\0\0".to_vec();
    for i in 0..4096u32 {
        body.extend_from_slice(&(i % 97).to_le_bytes());
    }
    body
}

fn js_body() -> String {
    "export function f(x) { return x + 1; }\n".repeat(200)
}

/// Removes HTTP/1.1 chunked framing (a compressed body has no known length).
fn dechunk(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = raw;
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16).expect("chunk size");
        rest = &rest[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// The body as sent on the wire, without transfer framing.
fn wire_body(headers: &[(String, String)], raw: Vec<u8>) -> Vec<u8> {
    if header(headers, "transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        dechunk(&raw)
    } else {
        raw
    }
}

/// Decodes a body per its `Content-Encoding`.
fn decode(headers: &[(String, String)], raw: Vec<u8>) -> Vec<u8> {
    let body = wire_body(headers, raw);
    let mut out = Vec::new();
    match header(headers, "content-encoding") {
        None => return body,
        Some("br") => {
            brotli::Decompressor::new(&body[..], 4096)
                .read_to_end(&mut out)
                .expect("brotli body");
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut out)
                .expect("gzip body");
        }
        Some(other) => panic!("unexpected content-encoding {other}"),
    }
    out
}

async fn get(
    addr: SocketAddr,
    path: &str,
    accept: Option<&str>,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept-Encoding", a)).into_iter().collect();
    http(addr, "GET", path, &headers, "").await
}

#[tokio::test]
async fn wasm_and_js_are_compressed_when_accepted() {
    bounded(async {
        let config = static_config();
        let wasm = wasm_body();
        let js = js_body();
        std::fs::write(config.pkg.join("optave_client_bg.wasm"), &wasm).unwrap();
        std::fs::write(config.pkg.join("optave_client.js"), &js).unwrap();
        std::fs::write(config.root.join("page.js"), &js).unwrap();
        let (root, pkg) = (config.root.clone(), config.pkg.clone());
        let server = oco_local_server::start(config).await.unwrap();
        let addr = server.addr();

        let cases: [(&str, &[u8], &str); 3] = [
            ("/pkg/optave_client_bg.wasm", &wasm, "application/wasm"),
            ("/pkg/optave_client.js", js.as_bytes(), "javascript"),
            ("/page.js", js.as_bytes(), "javascript"),
        ];
        for (path, original, content_type) in cases {
            for (accept, encoding) in [
                (Some("br"), Some("br")),
                (Some("gzip"), Some("gzip")),
                // What browsers send: brotli wins.
                (Some("gzip, deflate, br, zstd"), Some("br")),
                (Some("identity"), None),
                (None, None),
            ] {
                let (status, headers, raw) = get(addr, path, accept).await;
                let what = format!("{path} with Accept-Encoding {accept:?}");
                assert_eq!(status, 200, "{what}");
                assert!(
                    header(&headers, "content-type").is_some_and(|t| t.contains(content_type)),
                    "{what}: {headers:?}"
                );
                assert_eq!(header(&headers, "content-encoding"), encoding, "{what}");
                let wire = wire_body(&headers, raw.clone());
                if encoding.is_some() {
                    assert!(
                        wire.len() < original.len() / 2,
                        "{what}: {} bytes on the wire for {}",
                        wire.len(),
                        original.len()
                    );
                    assert!(
                        header(&headers, "vary")
                            .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")),
                        "{what}: {headers:?}"
                    );
                } else {
                    assert_eq!(
                        header(&headers, "content-length"),
                        Some(original.len().to_string().as_str()),
                        "{what}"
                    );
                }
                assert_eq!(decode(&headers, raw), original, "{what}");
            }
        }
        // A missing file is unaffected.
        let (status, _, _) = get(addr, "/pkg/missing.wasm", Some("br")).await;
        assert_eq!(status, 404);

        server.shutdown().await.unwrap();
        let _ = std::fs::remove_dir_all(root);
        let _ = std::fs::remove_dir_all(pkg);
    })
    .await;
}

#[tokio::test]
async fn precompressed_files_are_sent_as_they_are() {
    bounded(async {
        let config = static_config();
        let wasm = wasm_body();
        std::fs::write(config.pkg.join("optave_client_bg.wasm"), &wasm).unwrap();
        // brotli 11 of the same bytes, as a build step or a CDN would keep it.
        let mut precompressed = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut precompressed, 4096, 11, 22);
            std::io::Write::write_all(&mut w, &wasm).unwrap();
        }
        std::fs::write(config.pkg.join("optave_client_bg.wasm.br"), &precompressed).unwrap();
        let (root, pkg) = (config.root.clone(), config.pkg.clone());
        let server = oco_local_server::start(config).await.unwrap();
        let addr = server.addr();

        let (status, headers, raw) = get(
            addr,
            "/pkg/optave_client_bg.wasm",
            Some("gzip, deflate, br, zstd"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-encoding"), Some("br"));
        assert_eq!(header(&headers, "content-type"), Some("application/wasm"));
        assert_eq!(
            wire_body(&headers, raw.clone()),
            precompressed,
            "the .br file as is"
        );
        assert_eq!(decode(&headers, raw), wasm);
        // No .gz file: gzip on the fly.
        let (status, headers, raw) = get(addr, "/pkg/optave_client_bg.wasm", Some("gzip")).await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-encoding"), Some("gzip"));
        assert_eq!(decode(&headers, raw), wasm);
        let (status, headers, raw) = get(addr, "/pkg/optave_client_bg.wasm", None).await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-encoding"), None);
        assert_eq!(raw, wasm);

        server.shutdown().await.unwrap();
        let _ = std::fs::remove_dir_all(root);
        let _ = std::fs::remove_dir_all(pkg);
    })
    .await;
}

#[tokio::test]
async fn websocket_upgrade_works_through_the_compression_layer() {
    bounded(async {
        let server = open_server().await;
        let mut request = format!("ws://{}/ws", server.addr())
            .into_client_request()
            .expect("request");
        let headers = request.headers_mut();
        headers.insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("optave-v1"),
        );
        headers.insert(
            "Accept-Encoding",
            HeaderValue::from_static("gzip, deflate, br, zstd"),
        );
        let (mut ws, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("websocket connects");
        assert_eq!(response.status(), 101);
        assert!(response.headers().get("content-encoding").is_none());
        let request = full_request(john_doe_conversation(), &[]);
        send(&mut ws, envelope("interaction", "cid-compression", request)).await;
        // Frames until the first completed one (the analysis sends a
        // `started` frame first).
        let mut completed = None;
        for _ in 0..20 {
            let frame = next_json(&mut ws).await;
            assert_eq!(frame["headers"]["correlationId"], "cid-compression");
            if frame["payload"]["state"] == "completed" {
                completed = Some(frame);
                break;
            }
        }
        assert!(completed.is_some(), "no completed frame");
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn rest_and_test_endpoints_work_compressed() {
    bounded(async {
        let server = open_server().await;
        let addr = server.addr();
        let body = json!({ "request": full_request(alice_flight_conversation(), &[]) }).to_string();
        let (status, headers, raw) = http(
            addr,
            "POST",
            "/message/summarize",
            &[
                ("Content-Type", "application/json"),
                ("Accept-Encoding", "gzip, br"),
                ("Idempotency-Key", "compressed-1"),
            ],
            &body,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-encoding"), Some("br"));
        let frames: Value = serde_json::from_slice(&decode(&headers, raw)).expect("frames JSON");
        let frames = frames.as_array().expect("an array of frames");
        assert!(!frames.is_empty());
        assert_eq!(frames[0]["payload"]["state"], "completed");

        let (status, headers, raw) = get(addr, "/api/test/stats", Some("gzip")).await;
        assert_eq!(status, 200);
        let stats: Value = serde_json::from_slice(&decode(&headers, raw)).expect("stats JSON");
        assert_eq!(stats["analysed"]["compressed-1"], 1, "{stats}");

        let (status, headers, raw) = http(
            addr,
            "POST",
            "/api/test/drop",
            &[("Accept-Encoding", "br")],
            "",
        )
        .await;
        assert!(status < 300, "drop: {status}");
        let _ = decode(&headers, raw);

        let (status, headers, raw) = get(addr, "/api/ws-ticket", Some("br")).await;
        assert_eq!(status, 405, "tickets are POST only");
        let _ = decode(&headers, raw);
        let (status, headers, raw) = http(
            addr,
            "POST",
            "/api/ws-ticket",
            &[("Accept-Encoding", "br")],
            "",
        )
        .await;
        assert_eq!(status, 200);
        let ticket: Value = serde_json::from_slice(&decode(&headers, raw)).expect("ticket JSON");
        assert!(ticket["ticket"].is_string());

        // Too small to compress: as before.
        let (status, headers, body) = get(addr, "/healthz", Some("br")).await;
        assert_eq!((status, body.as_slice()), (200, b"ok".as_slice()));
        assert_eq!(header(&headers, "content-encoding"), None);
        server.shutdown().await.unwrap();
    })
    .await;
}
