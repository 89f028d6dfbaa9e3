//! The plain HTTP side: static files from the root, the wasm package with
//! `application/wasm`, no access to `/server`, `/healthz`, the raw `/echo`
//! socket, and foreign origins refused on the sockets.

mod common;

use common::*;

#[tokio::test]
async fn serves_root_and_pkg_files() {
    bounded(async {
        let mut config = static_config();
        config.auth = false;
        std::fs::write(config.root.join("index.html"), "<h1>demo</h1>").unwrap();
        std::fs::write(config.root.join("app.js"), "console.log(1)").unwrap();
        std::fs::create_dir_all(config.root.join("server/src")).unwrap();
        std::fs::write(config.root.join("server/src/main.rs"), "secret").unwrap();
        std::fs::write(config.pkg.join("optave_client_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(config.pkg.join("optave_client.js"), "export {}").unwrap();
        let root = config.root.clone();
        let pkg = config.pkg.clone();
        let server = oco_local_server::start(config).await.unwrap();
        let addr = server.addr();

        let (status, headers, body) = http(addr, "GET", "/", &[], "").await;
        assert_eq!(status, 200);
        assert!(header(&headers, "content-type")
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(body, b"<h1>demo</h1>");
        // The demo is served with a strict CSP that allows WebAssembly only.
        assert_eq!(
            header(&headers, "content-security-policy"),
            Some(oco_local_server::PAGE_CSP)
        );
        assert!(oco_local_server::PAGE_CSP.contains("script-src 'self' 'wasm-unsafe-eval';"));
        let (status, _, body) = http(addr, "GET", "/index.html", &[], "").await;
        assert_eq!(
            (status, body.as_slice()),
            (200, b"<h1>demo</h1>".as_slice())
        );
        let (status, headers, _) = http(addr, "GET", "/app.js", &[], "").await;
        assert_eq!(status, 200);
        assert!(header(&headers, "content-type")
            .unwrap()
            .contains("javascript"));

        let (status, headers, body) =
            http(addr, "GET", "/pkg/optave_client_bg.wasm", &[], "").await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-type"), Some("application/wasm"));
        assert_eq!(body, b"\0asm\x01\0\0\0");
        let (status, _, _) = http(addr, "GET", "/pkg/optave_client.js", &[], "").await;
        assert_eq!(status, 200);

        for path in [
            "/server/src/main.rs",
            "/server/",
            "/%73erver/src/main.rs",
            "//server/src/main.rs",
            "/./server/src/main.rs",
        ] {
            let (status, _, body) = http(addr, "GET", path, &[], "").await;
            assert_eq!(status, 404, "{path}");
            assert!(!String::from_utf8_lossy(&body).contains("secret"));
        }
        let (status, _, _) = http(addr, "GET", "/nope.html", &[], "").await;
        assert_eq!(status, 404);
        let (status, _, _) = http(addr, "GET", "/pkg/../index.html", &[], "").await;
        assert_ne!(status, 500);

        server.shutdown().await.unwrap();
        let _ = std::fs::remove_dir_all(root);
        let _ = std::fs::remove_dir_all(pkg);
    })
    .await;
}

#[tokio::test]
async fn healthz_says_ok() {
    bounded(async {
        let server = server_with(|_| {}).await;
        let (status, _, body) = http(server.addr(), "GET", "/healthz", &[], "").await;
        assert_eq!((status, body.as_slice()), (200, b"ok".as_slice()));
        server.shutdown().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn echo_returns_frames_unchanged_without_auth() {
    bounded(async {
        let server = server_with(|_| {}).await;
        let (mut ws, _) = connect(server.addr(), "/echo", &[]).await;
        for text in ["hello", "{\"not\": \"validated\"}", ""] {
            send(&mut ws, text).await;
            assert_eq!(next_text(&mut ws).await, text);
        }
        server.shutdown().await.unwrap();
    })
    .await;
}

/// Sends a WebSocket upgrade request and returns the status code.
async fn upgrade_status(addr: std::net::SocketAddr, path: &str, origin: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Origin: {origin}\r\n\r\n"
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut buf = [0u8; 12];
    stream.read_exact(&mut buf).await.unwrap();
    let line = String::from_utf8_lossy(&buf).to_string();
    line[9..12].parse().unwrap()
}

#[tokio::test]
async fn sockets_refuse_foreign_origins() {
    bounded(async {
        let server = open_server().await;
        for path in ["/ws", "/echo"] {
            assert_eq!(
                upgrade_status(server.addr(), path, "http://evil.example").await,
                403
            );
            assert_eq!(
                upgrade_status(server.addr(), path, "http://localhost:5173").await,
                101
            );
            assert_eq!(
                upgrade_status(server.addr(), path, "http://127.0.0.1:8000").await,
                101
            );
        }
        server.shutdown().await.unwrap();
    })
    .await;
}
