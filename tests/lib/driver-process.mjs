// What the WebDriver launchers of the node suites share (tests/lib/firefox.mjs,
// tests/lib/webkit.mjs): a free port of 127.0.0.1 for the driver, and waiting
// for the driver to answer `GET /status` as ready.

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
