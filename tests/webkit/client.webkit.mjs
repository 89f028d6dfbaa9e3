// The package itself in WebKit (WebKitGTK's MiniBrowser through
// WebKitWebDriver): a page of the local OCO server imports the built package
// (/pkg/optave_client.js), starts it as its README says (`await init()`), and
// runs tests/consumers/run.js, the same check the consumer projects run in
// Chromium: connect with a ticket, send an insights request, read its
// superpower frames, settled(), close.
//
//   make test-webkit      (xvfb-run; scripts/test-webkit.sh)
//
// Environment: OCO_DEMO_URL (a running server; else one is started),
// WEBKITDRIVER, MINIBROWSER.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../lib/local-server.mjs';
import { RUN_JS, assertRunReport } from '../lib/run-report.mjs';
import { startWebKit } from '../lib/webkit.mjs';

const RUN_TIMEOUT_MS = 30_000;

describe('the package in WebKit', () => {
  let server = null;
  let base = '';
  let wk = null;

  before(async () => {
    base = (process.env.OCO_DEMO_URL ?? '').replace(/\/+$/, '');
    if (!base) {
      server = await startServer();
      base = server.url;
    }
    wk = await startWebKit();
  });

  after(async () => {
    await wk?.quit();
    await server?.stop();
  });

  test('connect -> insights -> every superpower completed -> settled -> close 1000', async () => {
    // A same-origin page of the server (not the demo, whose client would share the socket budget).
    await wk.driver.get(`${base}/healthz`);
    // run.js as a module: its export becomes a plain function of this script.
    const runJs = readFileSync(RUN_JS, 'utf8').replace(/^export async function run\(/m, 'async function run(');
    assert.ok(runJs.includes('async function run('), 'tests/consumers/run.js no longer exports run()');
    await wk.driver.manage().setTimeouts({ script: RUN_TIMEOUT_MS });
    const got = await wk.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      ${runJs}
      (async () => {
        const out = document.createElement('p');
        out.id = 'result';
        document.body.append(out);
        const { default: init, OptaveClient } = await import('/pkg/optave_client.js');
        await init();
        await run(OptaveClient);
        return window.__consumer;
      })().then(done, (err) => done({ ok: false, error: String(err && err.stack || err) }));
    `);
    assertRunReport('webkit', got);
  });

  test('a ticket the server does not know: close 4401, error AUTHENTICATION AUTHENTICATION_FAILED, state failed', async () => {
    await wk.driver.get(`${base}/healthz`);
    const got = await wk.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      (async () => {
        const { default: init, OptaveClient } = await import('/pkg/optave_client.js');
        await init();
        const client = new OptaveClient({ websocketUrl: 'ws://' + location.host + '/ws', reconnect: false });
        const errors = [];
        client.on('error', (e) => errors.push(e.category + ' ' + e.code));
        const closed = new Promise((resolve) => client.on('close', (ev) => resolve({ code: ev.code, wasClean: ev.wasClean })));
        let rejected = null;
        try {
          await client.connect('0'.repeat(64));
        } catch (e) {
          rejected = e.category + ' ' + e.code;
        }
        const close = await closed;
        const state = client.state;
        client.free();
        return { rejected, errors, close, state };
      })().then(done, (err) => done({ error: String(err && err.stack || err) }));
    `);
    assert.equal(got.error, undefined, got.error);
    // The server takes the socket, then refuses the ticket with 4401 (www-demo/server/README.md).
    assert.deepEqual(got, {
      rejected: null,
      errors: ['AUTHENTICATION AUTHENTICATION_FAILED'],
      close: { code: 4401, wasClean: true },
      state: 'failed',
    });
  });
});
