//! `oco-local-server`: command line and startup only. Parses the flags into a
//! [`oco_local_server::Config`] and runs [`oco_local_server::serve`].
//! Diagnostics go to stderr (filter with `RUST_LOG`); stdout carries only the
//! `OCO local server listening on ...` line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use oco_local_server::{default_pkg, default_root, parse_host, serve, Config};

/// Local OCO message server (127.0.0.1 only): demo backend and SDK test fixture.
#[derive(Debug, Parser)]
#[command(name = "oco-local-server", version, about)]
struct Cli {
    /// Port to listen on (0 picks a free port).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Loopback address to listen on (127.0.0.1, ::1 or localhost).
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Static root served at / [default: the www-demo folder].
    #[arg(long)]
    root: Option<PathBuf>,
    /// Built wasm package served at /pkg/ [default: <workspace>/pkg].
    #[arg(long)]
    pkg: Option<PathBuf>,
    /// Accept WebSocket connections without a ticket.
    #[arg(long)]
    no_auth: bool,
    /// Answer every valid request with one `echo` frame (benchmarks).
    #[arg(long)]
    no_analysis: bool,
    /// Time to live of a WebSocket ticket, in milliseconds.
    #[arg(long, default_value_t = 30_000)]
    ticket_ttl_ms: u64,
    /// A fixed token POST /message/{action} accepts besides tickets (tests).
    #[arg(long)]
    rest_token: Option<String>,
    /// Refuse every WebSocket upgrade (HTTP 503), as a proxy that blocks
    /// WebSockets would; POST /api/test/websocket {"allow": true} lifts it.
    #[arg(long)]
    no_websocket: bool,
    /// Exit by itself after this many seconds (0 = run until Ctrl-C/SIGTERM).
    #[arg(long, default_value_t = 0)]
    max_lifetime_secs: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let host = match parse_host(&cli.host) {
        Ok(host) => host,
        Err(msg) => {
            eprintln!("oco-local-server: {msg}");
            return ExitCode::from(2);
        }
    };
    let config = Config {
        host,
        port: cli.port,
        root: cli.root.unwrap_or_else(default_root),
        pkg: cli.pkg.unwrap_or_else(default_pkg),
        auth: !cli.no_auth,
        analysis: !cli.no_analysis,
        ticket_ttl: Duration::from_millis(cli.ticket_ttl_ms),
        rest_token: cli.rest_token,
        websocket: !cli.no_websocket,
        max_lifetime: (cli.max_lifetime_secs > 0)
            .then(|| Duration::from_secs(cli.max_lifetime_secs)),
    };
    match serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oco-local-server: {e}");
            ExitCode::FAILURE
        }
    }
}
