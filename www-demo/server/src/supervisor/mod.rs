//! The library side of `oco-supervisor`: runs one `oco-local-server` child
//! on a fixed port and kills and starts it on request, so that browser tests
//! can really stop the server process and start it again on the same port.
//!
//! [`run`] starts the child (`--port 0` the first time, then always the port
//! it got), serves the control endpoints ([`control`]) on its own loopback
//! port, prints `listening on http://127.0.0.1:<server port>` and
//! `control on http://127.0.0.1:<control port>` on stdout, and exits after
//! its lifetime or on SIGTERM/SIGINT, killing the child first.

pub mod child;
pub mod control;

use std::io::{self, Write as _};
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::{watch, Mutex};
use tokio::time::Instant;

use self::child::ChildServer;

/// How long a start keeps retrying (e.g. while the port is still busy).
pub const START_RETRY: Duration = Duration::from_secs(5);
/// Pause between two start attempts.
const RETRY_PAUSE: Duration = Duration::from_millis(200);
/// How long the control server may take to stop.
const CONTROL_GRACE: Duration = Duration::from_secs(2);

/// Writes `oco-supervisor: <msg>` to stderr; a closed stderr is ignored.
pub fn note(msg: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "oco-supervisor: {msg}");
}

/// Supervisor settings (the CLI maps onto these).
#[derive(Debug, Clone)]
pub struct SupervisorConfig {
    /// The server binary.
    pub server_bin: PathBuf,
    /// Extra arguments for the server (not `--port`, `--host` or
    /// `--max-lifetime-secs`, which the supervisor sets).
    pub server_args: Vec<String>,
    /// The supervisor exits, killing the server, after this long.
    pub lifetime: Duration,
}

#[derive(Debug, Default)]
struct State {
    child: Option<ChildServer>,
    /// The server's port (0 before the first start).
    port: u16,
    starts: u64,
    /// Bumped by every kill and start, so that a delayed restart does not
    /// undo a later command.
    epoch: u64,
}

impl State {
    /// Forgets a child that exited by itself.
    fn reap(&mut self) {
        if self.child.as_mut().is_some_and(|c| !c.is_running()) {
            self.child = None;
        }
    }
}

/// `GET /status` of the supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Status {
    /// Whether the server process is running.
    pub running: bool,
    /// Its process id, while running.
    pub pid: Option<u32>,
    /// Its port.
    pub port: u16,
    /// How many times a server was started.
    pub starts: u64,
}

/// Owns the child server.
#[derive(Debug)]
pub struct Supervisor {
    config: SupervisorConfig,
    deadline: Instant,
    state: Mutex<State>,
}

impl Supervisor {
    /// A supervisor whose lifetime starts now; no child runs yet.
    pub fn new(config: SupervisorConfig) -> Arc<Self> {
        Arc::new(Supervisor {
            deadline: Instant::now() + config.lifetime,
            config,
            state: Mutex::new(State::default()),
        })
    }

    /// When the supervisor's lifetime ends.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    async fn start_locked(&self, state: &mut State) -> io::Result<(u32, u16)> {
        state.reap();
        state.epoch += 1;
        if let Some(child) = &state.child {
            return Ok((child.pid, child.port));
        }
        let give_up = Instant::now() + START_RETRY;
        loop {
            // The child outlives the supervisor by at most a second.
            let left = self.deadline.saturating_duration_since(Instant::now());
            let lifetime = left.as_secs().saturating_add(1);
            let bin = &self.config.server_bin;
            match child::spawn(bin, state.port, lifetime, &self.config.server_args).await {
                Ok(child) => {
                    let (pid, port) = (child.pid, child.port);
                    state.port = port;
                    state.starts += 1;
                    state.child = Some(child);
                    note(format_args!("server pid {pid} listening on port {port}"));
                    return Ok((pid, port));
                }
                Err(e) if Instant::now() + RETRY_PAUSE < give_up => {
                    note(format_args!("{e}; retrying"));
                    tokio::time::sleep(RETRY_PAUSE).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn kill_locked(state: &mut State) -> Option<u32> {
        state.reap();
        state.epoch += 1;
        let child = state.child.take()?;
        let pid = child.pid;
        child.kill().await;
        note(format_args!("server pid {pid} killed"));
        Some(pid)
    }

    /// Starts the server (on its port, once it has one) unless it runs;
    /// returns its pid and port once it is listening.
    pub async fn start(&self) -> io::Result<(u32, u16)> {
        let mut state = self.state.lock().await;
        self.start_locked(&mut state).await
    }

    /// Kills the server (SIGKILL) and waits for it to exit; returns its pid,
    /// or `None` when it was not running.
    pub async fn kill(&self) -> Option<u32> {
        let mut state = self.state.lock().await;
        Self::kill_locked(&mut state).await
    }

    /// Kills the server now and starts it again after `down` in the
    /// background (unless another kill or start comes first); returns the
    /// killed pid.
    pub async fn restart(self: &Arc<Self>, down: Duration) -> Option<u32> {
        let mut state = self.state.lock().await;
        let killed = Self::kill_locked(&mut state).await;
        let epoch = state.epoch;
        drop(state);
        let this = Arc::clone(self);
        tokio::spawn(async move {
            tokio::time::sleep(down).await;
            let mut state = this.state.lock().await;
            if state.epoch != epoch {
                return;
            }
            if let Err(e) = this.start_locked(&mut state).await {
                note(format_args!("restart failed: {e}"));
            }
        });
        killed
    }

    /// The server's state now.
    pub async fn status(&self) -> Status {
        let mut state = self.state.lock().await;
        state.reap();
        Status {
            running: state.child.is_some(),
            pid: state.child.as_ref().map(|c| c.pid),
            port: state.port,
            starts: state.starts,
        }
    }
}

/// Runs the supervisor until its lifetime ends, SIGTERM or Ctrl-C (see the
/// module docs). Fails when the first start or the control port fails.
pub async fn run(config: SupervisorConfig) -> io::Result<()> {
    let supervisor = Supervisor::new(config);
    let (_, port) = supervisor.start().await?;
    let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await {
        Ok(listener) => listener,
        Err(e) => {
            supervisor.kill().await;
            return Err(e);
        }
    };
    let control_addr = listener.local_addr()?;
    let mut out = io::stdout().lock();
    writeln!(out, "listening on http://127.0.0.1:{port}")?;
    writeln!(out, "control on http://{control_addr}")?;
    out.flush()?;
    drop(out);
    let (stop, mut stopped) = watch::channel(false);
    let app = control::routes(Arc::clone(&supervisor));
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await
    });
    tokio::select! {
        _ = tokio::signal::ctrl_c() => note(format_args!("Ctrl-C: stopping")),
        _ = crate::terminate() => note(format_args!("SIGTERM: stopping")),
        _ = tokio::time::sleep_until(supervisor.deadline()) => {
            note(format_args!("maximum lifetime reached: stopping"));
        }
    }
    supervisor.kill().await;
    let _ = stop.send(true);
    let _ = tokio::time::timeout(CONTROL_GRACE, server).await;
    Ok(())
}
