//! `oco-supervisor`: starts the server as a child, prints both addresses,
//! kills and starts it again on the same port, and on SIGTERM stops the
//! child before exiting.

#![cfg(unix)]

mod common;

use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, ChildStdout, Command};

const SUPERVISOR: &str = env!("CARGO_BIN_EXE_oco-supervisor");
const SERVER: &str = env!("CARGO_BIN_EXE_oco-local-server");

/// A running supervisor, its stdout lines and (collected) stderr.
struct Supervised {
    process: Child,
    server: SocketAddr,
    control: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Supervised {
    fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Sends SIGTERM (by pid) and waits for a successful exit.
    async fn terminate(mut self) {
        let pid = self.process.id().expect("supervisor pid");
        let term = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(term.success());
        let exit = tokio::time::timeout(FRAME_LIMIT, self.process.wait())
            .await
            .expect("the supervisor exits")
            .expect("exit status");
        assert!(exit.success(), "{exit}; log:\n{}", self.log());
    }

    async fn control(&self, method: &str, path: &str) -> Value {
        let (status, headers, body) = http(self.control, method, path, &[], "").await;
        assert_eq!(status, 200, "{method} {path}; log:\n{}", self.log());
        assert_eq!(header(&headers, "cache-control"), Some("no-store"));
        serde_json::from_slice(&body).expect("JSON answer")
    }
}

fn supervisor_command(server_args: &[&str]) -> Command {
    let missing = std::env::temp_dir().join("oco-supervisor-test-no-such-dir");
    let missing = missing.to_string_lossy().into_owned();
    let mut command = Command::new(SUPERVISOR);
    command
        .args(["--max-lifetime-secs", "60", "--server-bin", SERVER, "--"])
        .args(["--no-auth", "--root", &missing, "--pkg", &missing])
        .args(server_args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

async fn line_with(
    lines: &mut tokio::io::Lines<BufReader<ChildStdout>>,
    prefix: &str,
) -> SocketAddr {
    let line = tokio::time::timeout(FRAME_LIMIT, lines.next_line())
        .await
        .expect("a line in time")
        .expect("readable stdout")
        .expect("a line before EOF");
    let rest = line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("expected {prefix:?}, got {line:?}"));
    rest.parse().expect("an address")
}

async fn start_supervisor() -> Supervised {
    let mut process = supervisor_command(&[]).spawn().expect("supervisor runs");
    let log = Arc::new(Mutex::new(String::new()));
    if let Some(mut err) = process.stderr.take() {
        let log = Arc::clone(&log);
        tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = err.read(&mut buf).await {
                if let Ok(mut log) = log.lock() {
                    if log.len() < 1 << 20 {
                        log.push_str(&String::from_utf8_lossy(&buf[..n]));
                    }
                }
            }
        });
    }
    let stdout = process.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let server = line_with(&mut lines, "listening on http://").await;
    let control = line_with(&mut lines, "control on http://").await;
    assert!(server.ip().is_loopback() && control.ip().is_loopback());
    Supervised {
        process,
        server,
        control,
        log,
    }
}

async fn serves(addr: SocketAddr) -> bool {
    let Ok(Ok(mut stream)) =
        tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(addr)).await
    else {
        return false;
    };
    use tokio::io::AsyncWriteExt;
    let req = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(req.as_bytes()).await.is_err() {
        return false;
    }
    let mut raw = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut raw)).await;
    matches!(read, Ok(Ok(_))) && raw.starts_with(b"HTTP/1.1 200") && raw.ends_with(b"ok")
}

async fn wait_serving(addr: SocketAddr, up: bool) {
    for _ in 0..100 {
        if serves(addr).await == up {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{addr} never became {}", if up { "up" } else { "down" });
}

#[tokio::test]
async fn kills_and_restarts_the_server_on_the_same_port() {
    bounded(async {
        let sup = start_supervisor().await;
        let port = sup.server.port();
        assert!(serves(sup.server).await, "log:\n{}", sup.log());
        let status = sup.control("GET", "/status").await;
        assert_eq!(
            (
                status["running"].clone(),
                status["port"].clone(),
                status["starts"].clone()
            ),
            (json!(true), json!(port), json!(1))
        );
        let first_pid = status["pid"].as_u64().expect("a pid");

        // Kill: the socket ends abruptly and the port is closed.
        let mut ws = connect_open(sup.server).await;
        let killed = sup.control("POST", "/kill").await;
        assert_eq!(killed, json!({ "killed": first_pid }));
        assert!(matches!(next_message(&mut ws).await, None | Some(Err(_))));
        assert!(!serves(sup.server).await);
        let status = sup.control("GET", "/status").await;
        assert_eq!(
            (status["running"].clone(), status["pid"].clone()),
            (json!(false), Value::Null)
        );
        assert_eq!(
            sup.control("POST", "/kill").await,
            json!({ "killed": null })
        );

        // Start: same port, new process.
        let started = sup.control("POST", "/start").await;
        assert_eq!(started["port"], port);
        let second_pid = started["pid"].as_u64().expect("a pid");
        assert_ne!(second_pid, first_pid);
        assert!(serves(sup.server).await);
        // Starting a running server changes nothing.
        assert_eq!(sup.control("POST", "/start").await, started);

        // Restart: killed at once, back after the pause.
        let restarted = sup.control("POST", "/restart?downMs=300").await;
        assert_eq!(restarted, json!({ "killed": second_pid }));
        assert!(!serves(sup.server).await);
        wait_serving(sup.server, true).await;
        let status = sup.control("GET", "/status").await;
        assert_eq!(
            (
                status["running"].clone(),
                status["port"].clone(),
                status["starts"].clone()
            ),
            (json!(true), json!(port), json!(3))
        );
        let mut ws = connect_open(sup.server).await;
        let text = envelope(
            "summarize",
            "back",
            full_request(john_doe_conversation(), &[]),
        );
        send(&mut ws, text).await;
        assert_eq!(read_answer(&mut ws, 1).await.len(), 2);

        // SIGTERM: the supervisor stops its server, then exits.
        let (server, control) = (sup.server, sup.control);
        sup.terminate().await;
        assert!(!serves(server).await);
        assert!(!serves(control).await);
    })
    .await;
}

#[tokio::test]
async fn refuses_flags_it_sets_itself_and_bad_restarts() {
    bounded(async {
        for flag in ["--port", "--max-lifetime-secs=5", "--host"] {
            let status = supervisor_command(&[flag, "1"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .await
                .expect("supervisor runs");
            assert_eq!(status.code(), Some(2), "{flag}");
        }
        let sup = start_supervisor().await;
        let (status, _, body) = http(sup.control, "POST", "/restart?downMs=soon", &[], "").await;
        assert_eq!(status, 400);
        assert!(serde_json::from_slice::<Value>(&body).unwrap()["error"].is_string());
        let foreign = [("Origin", "http://example.com")];
        let (status, _, _) = http(sup.control, "POST", "/kill", &foreign, "").await;
        assert_eq!(status, 403);
        assert!(serves(sup.server).await);
        let server = sup.server;
        sup.terminate().await;
        assert!(!serves(server).await);
    })
    .await;
}
