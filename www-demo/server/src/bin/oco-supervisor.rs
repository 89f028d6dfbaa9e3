//! `oco-supervisor`: command line only. Runs one `oco-local-server` as a
//! child process that HTTP control endpoints can kill and start again on the
//! same port (see [`oco_local_server::supervisor`]). Stdout carries the
//! `listening on ...` and `control on ...` lines; the server's own output and
//! diagnostics go to stderr.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use oco_local_server::supervisor::{note, run, SupervisorConfig};

/// Runs the local OCO server as a child that can be killed and restarted on
/// the same port, for tests of a client's reconnection (127.0.0.1 only).
#[derive(Debug, Parser)]
#[command(name = "oco-supervisor", version, about)]
struct Cli {
    /// Exit by itself (killing the server first) after this many seconds.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    max_lifetime_secs: u64,
    /// The server binary [default: oco-local-server next to this executable].
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Server arguments, after `--` (the supervisor sets --port and
    /// --max-lifetime-secs itself).
    #[arg(last = true)]
    server_args: Vec<String>,
}

/// Server flags the supervisor owns.
const RESERVED: [&str; 3] = ["--port", "--host", "--max-lifetime-secs"];

fn default_server_bin() -> Result<PathBuf, String> {
    let exe = std::env::current_exe()
        .map_err(|e| format!("cannot find this executable ({e}); pass --server-bin"))?;
    let name = format!("oco-local-server{}", std::env::consts::EXE_SUFFIX);
    Ok(exe.with_file_name(name))
}

fn config(cli: Cli) -> Result<SupervisorConfig, String> {
    if let Some(arg) = cli.server_args.iter().find(|a| {
        RESERVED
            .iter()
            .any(|r| a.as_str() == *r || a.starts_with(&format!("{r}=")))
    }) {
        return Err(format!("{arg} is set by the supervisor; leave it out"));
    }
    let server_bin = match cli.server_bin {
        Some(bin) => bin,
        None => default_server_bin()?,
    };
    Ok(SupervisorConfig {
        server_bin,
        server_args: cli.server_args,
        lifetime: Duration::from_secs(cli.max_lifetime_secs),
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match config(Cli::parse()) {
        Ok(config) => config,
        Err(msg) => {
            note(format_args!("{msg}"));
            return ExitCode::from(2);
        }
    };
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            note(format_args!("{e}"));
            ExitCode::FAILURE
        }
    }
}
