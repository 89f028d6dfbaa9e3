//! One child server process: spawned with `--port` and
//! `--max-lifetime-secs`, ready once it printed its
//! `listening on http://127.0.0.1:<port>` line. Its stdout and stderr are
//! copied to the supervisor's stderr for as long as it runs.

use std::io;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

/// How long a child may take to print its listening line.
pub const READY_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a killed child may take to exit.
pub const EXIT_TIMEOUT: Duration = Duration::from_secs(5);
/// The text before the port in the server's listening line.
pub const LISTENING: &str = "listening on http://127.0.0.1:";
/// Most bytes of output searched for the listening line.
const SCAN_LIMIT: usize = 64 * 1024;

/// A running child server.
#[derive(Debug)]
pub struct ChildServer {
    /// The process (killed when dropped).
    pub process: Child,
    /// Its process id.
    pub pid: u32,
    /// The port it listens on.
    pub port: u16,
}

impl ChildServer {
    /// True while the process has not exited.
    pub fn is_running(&mut self) -> bool {
        matches!(self.process.try_wait(), Ok(None))
    }

    /// Kills the process (SIGKILL) and waits, bounded, for it to exit.
    pub async fn kill(mut self) {
        let _ = self.process.start_kill();
        if tokio::time::timeout(EXIT_TIMEOUT, self.process.wait())
            .await
            .is_err()
        {
            super::note(format_args!("server pid {} did not exit", self.pid));
        }
    }
}

/// The port in the first complete listening line of `output`.
pub fn find_port(output: &[u8]) -> Option<u16> {
    let needle = LISTENING.as_bytes();
    let at = output.windows(needle.len()).position(|w| w == needle)?;
    let rest = &output[at + needle.len()..];
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    // The digits must be followed by something, or the line may be cut short.
    if digits == 0 || digits == rest.len() {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

/// Copies a child's stdout to stderr and reports the port of its listening
/// line (once).
async fn watch_stdout(mut out: impl AsyncRead + Unpin, port: oneshot::Sender<u16>) {
    let mut port = Some(port);
    let mut seen: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4096];
    let mut stderr = tokio::io::stderr();
    loop {
        let n = match out.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let chunk = &buf[..n];
        let _ = stderr.write_all(chunk).await;
        let _ = stderr.flush().await;
        if port.is_some() {
            seen.extend_from_slice(chunk);
            if let Some(found) = find_port(&seen) {
                if let Some(tx) = port.take() {
                    let _ = tx.send(found);
                }
                seen = Vec::new();
            } else if seen.len() > SCAN_LIMIT {
                let keep = LISTENING.len() + 8;
                seen.drain(..seen.len() - keep);
            }
        }
    }
}

/// Copies a child's stderr to stderr.
async fn copy_stderr(mut err: impl AsyncRead + Unpin) {
    let mut stderr = tokio::io::stderr();
    let _ = tokio::io::copy(&mut err, &mut stderr).await;
}

/// Starts `bin --port <port> --max-lifetime-secs <lifetime_secs> <args...>`
/// and waits (at most [`READY_TIMEOUT`]) for its listening line.
pub async fn spawn(
    bin: &Path,
    port: u16,
    lifetime_secs: u64,
    args: &[String],
) -> io::Result<ChildServer> {
    let mut process = Command::new(bin)
        .arg("--port")
        .arg(port.to_string())
        .arg("--max-lifetime-secs")
        .arg(lifetime_secs.to_string())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot run {}: {e}", bin.display())))?;
    let pid = process
        .id()
        .ok_or_else(|| io::Error::other("the server exited at once"))?;
    let (port_tx, port_rx) = oneshot::channel();
    if let Some(out) = process.stdout.take() {
        tokio::spawn(watch_stdout(out, port_tx));
    }
    if let Some(err) = process.stderr.take() {
        tokio::spawn(copy_stderr(err));
    }
    let ready = tokio::time::timeout(READY_TIMEOUT, async {
        tokio::select! {
            port = port_rx => port.map_err(|_| "closed its stdout".to_owned()),
            status = process.wait() => Err(match status {
                Ok(status) => format!("exited ({status})"),
                Err(e) => format!("could not be waited for ({e})"),
            }),
        }
    })
    .await
    .unwrap_or_else(|_| {
        Err(format!(
            "printed no listening line within {READY_TIMEOUT:?}"
        ))
    });
    match ready {
        Ok(port) => Ok(ChildServer { process, pid, port }),
        Err(why) => {
            ChildServer { process, pid, port }.kill().await;
            Err(io::Error::other(format!(
                "server pid {pid} {why} before it was listening"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_port_of_a_complete_line() {
        let line = b"OCO local server listening on http://127.0.0.1:41234\n";
        assert_eq!(find_port(line), Some(41234));
        assert_eq!(
            find_port(b"listening on http://127.0.0.1:80\nmore"),
            Some(80)
        );
        assert_eq!(find_port(b"listening on http://127.0.0.1:412"), None);
        assert_eq!(find_port(b"listening on http://127.0.0.1:\n"), None);
        assert_eq!(find_port(b"listening on http://127.0.0.1:99999\n"), None);
        assert_eq!(find_port(b"nothing here\n"), None);
    }
}
