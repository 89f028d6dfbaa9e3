//! Local OCO message server: the demo's backend and the SDK's test fixture.
//!
//! This file owns the configuration, the router assembly and the server
//! lifecycle: [`start`] binds (port 0 picks a free port) and returns a
//! [`ServerHandle`] with the bound address, for tests; [`serve`] is what the
//! binary runs (print the address line, wait for Ctrl-C, SIGTERM or the
//! lifetime limit, shut down gracefully).
//!
//! Routes: `/` static files from the demo root (never `/server/...`), `/pkg/*`
//! the built wasm package, `POST /api/ws-ticket`, `GET /ws`,
//! `POST /message/{action}` (the REST endpoint, [`rest`]), `GET /echo`,
//! `GET /healthz`, and the test controls `/api/test/*` ([`test_routes`]).
//! Every HTTP answer is compressed (brotli or gzip) when the request accepts
//! it ([`compression`]).
//!
//! The [`supervisor`] module is the library side of the `oco-supervisor`
//! binary, which runs this server as a child process it can kill and start
//! again on the same port.

#![warn(missing_docs)]

pub mod analysis;
pub mod auth;
pub mod conn;
pub mod control;
pub mod envelope;
pub mod faults;
pub mod frames;
pub mod http;
pub mod replay;
pub mod requests;
pub mod rest;
pub mod supervisor;
pub mod test_routes;
pub mod timestamp;
pub mod ws;

use std::io::{self, Write as _};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::{middleware, Router};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeader;

use crate::auth::TicketStore;
use crate::conn::{Cut, CutListener};
use crate::control::TestControl;

/// How long a shutdown waits for open HTTP connections before giving up.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Server settings (the CLI maps onto these).
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind; must be a loopback address.
    pub host: IpAddr,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Static root served at `/` (the demo page).
    pub root: PathBuf,
    /// The built wasm package served at `/pkg/`.
    pub pkg: PathBuf,
    /// Require a one-time ticket on `/ws`.
    pub auth: bool,
    /// Run the analysis; when off, every valid request gets one `echo` frame.
    pub analysis: bool,
    /// Time to live of a ticket.
    pub ticket_ttl: Duration,
    /// Exit by itself after this long (only used by [`serve`]).
    pub max_lifetime: Option<Duration>,
    /// A fixed token `POST /message/{action}` accepts besides tickets (tests).
    pub rest_token: Option<String>,
    /// Accept WebSocket upgrades (`--no-websocket` refuses them all, as a
    /// proxy would; `POST /api/test/websocket` switches at runtime).
    pub websocket: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8787,
            root: default_root(),
            pkg: default_pkg(),
            auth: true,
            analysis: true,
            ticket_ttl: Duration::from_millis(30_000),
            max_lifetime: None,
            rest_token: None,
            websocket: true,
        }
    }
}

/// The `www-demo` folder (the parent of this crate, fixed at compile time).
pub fn default_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `<workspace root>/pkg` (fixed at compile time).
pub fn default_pkg() -> PathBuf {
    default_root()
        .parent()
        .map_or_else(|| default_root().join("pkg"), |root| root.join("pkg"))
}

/// Parses `--host`: `localhost` or an IP address, which must be loopback.
pub fn parse_host(host: &str) -> Result<IpAddr, String> {
    let ip = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        host.parse::<IpAddr>()
            .map_err(|_| format!("--host {host:?} is not an IP address"))?
    };
    if ip.is_loopback() {
        Ok(ip)
    } else {
        Err(format!(
            "--host {host} is not a loopback address: this server listens on 127.0.0.1 only"
        ))
    }
}

/// Shared state of the handlers.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The settings.
    pub config: Arc<Config>,
    /// One-time tickets.
    pub tickets: Arc<TicketStore>,
    /// Test control: idempotency record, open sockets, refuse/stall windows.
    pub test: Arc<TestControl>,
    /// Flips to `true` when the server shuts down (open sockets then close
    /// with 1001).
    pub shutdown: watch::Receiver<bool>,
}

/// The Content-Security-Policy of the static pages (the demo): the strict
/// policy a chat widget's host page may have, plus `'wasm-unsafe-eval'`,
/// which compiling the SDK's WebAssembly needs.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
connect-src 'self' ws://127.0.0.1:*";

/// Builds the router.
pub fn router(state: AppState) -> Router {
    // A `.br` or `.gz` file next to the requested one (e.g. compressed once
    // at the highest level, as a CDN serves a versioned package) is sent as
    // is when accepted; otherwise [`compression`] compresses on the fly.
    let root = SetResponseHeader::if_not_present(
        ServeDir::new(&state.config.root)
            .precompressed_br()
            .precompressed_gzip(),
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    let pkg = ServeDir::new(&state.config.pkg)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .route("/healthz", get(http::healthz))
        .route(
            "/api/ws-ticket",
            post(http::issue_ticket).layer(http::ticket_cors()),
        )
        .route("/ws", get(ws::ws_handler))
        .route("/message/{action}", post(rest::message).layer(rest::cors()))
        .route("/echo", get(ws::echo_handler))
        .merge(test_routes::routes())
        .nest_service("/pkg", pkg)
        .fallback_service(root)
        .layer(middleware::from_fn(http::guard_sources))
        .layer(compression())
        .with_state(state)
}

/// Compression of every HTTP answer, as production hosting does: brotli or
/// gzip, whichever the request's `Accept-Encoding` prefers (brotli on a
/// tie), identity without one. tower-http's default predicate: bodies of
/// 32 bytes and more, not images, gRPC or event streams, so the package's
/// `application/wasm` and `text/javascript` are compressed. The default
/// levels are the on-the-fly ones (brotli quality 4, as nginx; gzip level
/// 6): compressing the wasm at brotli 11 on every request would take longer
/// than sending the difference on a slow network. A WebSocket upgrade (101,
/// empty body) and responses that already carry a `Content-Encoding` pass
/// unchanged.
pub fn compression() -> CompressionLayer {
    CompressionLayer::new().br(true).gzip(true)
}

/// A running server (from [`start`]).
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: JoinHandle<io::Result<()>>,
}

impl ServerHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, closes open sockets (1001) and waits a bounded time
    /// for the HTTP server to finish.
    pub async fn shutdown(self) -> io::Result<()> {
        let _ = self.stop.send(true);
        match tokio::time::timeout(SHUTDOWN_GRACE, self.task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(io::Error::other(join)),
            Err(_) => Ok(()),
        }
    }
}

/// Binds and starts serving in the background.
pub async fn start(config: Config) -> io::Result<ServerHandle> {
    if !config.host.is_loopback() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a loopback address", config.host),
        ));
    }
    let listener = TcpListener::bind((config.host, config.port)).await?;
    let addr = listener.local_addr()?;
    let (stop, shutdown) = watch::channel(false);
    let state = AppState {
        tickets: Arc::new(TicketStore::new(config.ticket_ttl)),
        test: Arc::new(TestControl::new(config.websocket)),
        config: Arc::new(config),
        shutdown: shutdown.clone(),
    };
    let app = router(state).into_make_service_with_connect_info::<Cut>();
    let listener = CutListener::new(listener);
    let mut signal = shutdown;
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = signal.wait_for(|stop| *stop).await;
            })
            .await
    });
    Ok(ServerHandle { addr, stop, task })
}

/// Runs the server until Ctrl-C, SIGTERM or `max_lifetime`. Prints exactly
/// one line to stdout once bound:
/// `OCO local server listening on http://127.0.0.1:<port>`.
pub async fn serve(config: Config) -> io::Result<()> {
    let lifetime = config.max_lifetime;
    let handle = start(config).await?;
    let mut out = io::stdout().lock();
    writeln!(out, "OCO local server listening on {}", handle.url())?;
    out.flush()?;
    drop(out);
    let lifetime_over = async {
        match lifetime {
            Some(d) => tokio::time::sleep(d).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C: shutting down"),
        _ = terminate() => tracing::info!("SIGTERM: shutting down"),
        _ = lifetime_over => tracing::info!("maximum lifetime reached: shutting down"),
    }
    handle.shutdown().await
}

#[cfg(unix)]
async fn terminate() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut s) => {
            s.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn terminate() {
    std::future::pending().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_must_be_loopback() {
        assert!(parse_host("127.0.0.1").is_ok());
        assert!(parse_host("localhost").is_ok());
        assert!(parse_host("::1").is_ok());
        assert!(parse_host("0.0.0.0").is_err());
        assert!(parse_host("192.168.1.2").is_err());
        assert!(parse_host("example.com").is_err());
    }

    #[test]
    fn default_paths() {
        assert!(default_root().ends_with("www-demo"));
        assert!(default_pkg().ends_with("pkg"));
    }
}
