// Starts target/debug/oco-local-server for a node test: on a free port of
// 127.0.0.1, bounded by --max-lifetime-secs (it stops by itself even if the
// test process dies), stopped by stop().
//
//   const server = await startServer(['--root', dist]);  // extra server flags
//   server.url    // "http://127.0.0.1:<port>" (no trailing slash)
//   await server.stop();

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_BIN = path.join(ROOT, 'target', 'debug', process.platform === 'win32' ? 'oco-local-server.exe' : 'oco-local-server');
const START_TIMEOUT_MS = 30_000;

export function startServer(args = [], { maxLifetimeSecs = 300 } = {}) {
  if (!existsSync(SERVER_BIN)) {
    return Promise.reject(new Error(`${SERVER_BIN} is missing: build it with \`make server\``));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(SERVER_BIN, ['--port', '0', '--max-lifetime-secs', String(maxLifetimeSecs), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let settled = false;
    const finish = (err, url) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve({ url, stop, output: () => output });
    };
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    };
    const timer = setTimeout(() => {
      finish(new Error(`the server printed no "listening" line within ${START_TIMEOUT_MS / 1000} s; output:\n${output}`));
      child.kill('SIGKILL');
    }, START_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      output += chunk.toString();
      const m = output.match(/OCO local server listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) finish(null, m[1]);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk.toString();
    });
    child.on('error', (err) => finish(err));
    child.on('exit', (code, signal) => finish(new Error(`the server exited early (code ${code}, signal ${signal}); output:\n${output}`)));
  });
}
