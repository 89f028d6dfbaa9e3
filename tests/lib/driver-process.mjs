// What the WebDriver launchers of the node suites share (tests/lib/firefox.mjs,
// tests/lib/webkit.mjs): a free port of 127.0.0.1 for the driver, and waiting
// for the driver to answer `GET /status` as ready.

import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port of 127.0.0.1 that is free now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Waits (20 s at most) for the driver `name` at `url` to report ready;
 * throws with its `output()` if it exits first or never does.
 */
export async function waitReady(name, url, child, output) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (code ${child.exitCode}): ${output()}`);
    try {
      const res = await fetch(`${url}/status`);
      if (res.ok && (await res.json()).value?.ready) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not answer ${url}/status within 20 s: ${output()}`);
}

/**
 * Starts the WebDriver binary `bin` (shown as `name`) under `timeout`
 * (`lifetimeSecs`, so it stops by itself) with `args(port)` on a free port
 * of 127.0.0.1 and `env`, and waits until it is ready. `home` is the fresh
 * directory it runs in, deleted by `stopDriver()`. Returns `{ url,
 * stopDriver, log }`; on failure the driver is stopped and the error thrown.
 */
export async function startDriver({ name, bin, args, env, home, lifetimeSecs }) {
  const port = await freePort();
  let log = '';
  const child = spawn('timeout', ['--kill-after=5', String(lifetimeSecs), bin, ...args(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    log = (log + chunk.toString()).slice(-4_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stopDriver = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitReady(name, url, child, () => log);
  } catch (err) {
    await stopDriver();
    throw err;
  }
  return { url, stopDriver, log: () => log };
}
