// Liveness end to end, in Chromium driven through the DevTools protocol
// against a local OCO server of its own (so its test faults touch no other
// suite's sockets): a page frozen (its `freeze` event, then its script halted
// in the debugger, see `freeze` below) while its path
// went silent (POST /api/test/silence: the server neither reads nor writes
// the socket, its TCP connection kept open) does not trust its socket when
// it resumes; and sends made while the network is emulated offline
// (Network.emulateNetworkConditions) are answered once it is back online.
//
//   make test-e2e          (node --test tests/e2e/*.mjs)
//
// Environment: CHROMIUM (default /usr/bin/chromium).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freezePage, launchChromium, thawPage } from '../lib/chromium.mjs';
import { startServer } from '../lib/local-server.mjs';

const STALE_MS = 1500;
/** staleAfterMs of the page frozen with a request on the wire: far longer than the test, so only the wake rule can find the socket stale. */
const FROZEN_STALE_MS = 20_000;
const WAIT_MS = 20_000;

let server;
let browser;

before(async () => {
  server = await startServer(['--no-auth'], { maxLifetimeSecs: 300 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page of the server with a connected client (`window.client`, its events in `window.log`) and a CDP session. */
async function livePage(staleAfterMs = STALE_MS) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(`${server.url}/healthz`);
  const wsUrl = server.url.replace(/^http/, 'ws') + '/ws';
  await page.evaluate(async ({ wsUrl, staleAfterMs }) => {
    const { OptaveClient } = await import('/pkg/optave_client.js');
    const client = await OptaveClient.create({
      websocketUrl: wsUrl, authRequired: false, staleAfterMs, requestTimeoutMs: 20000,
      reconnect: { minDelayMs: 50, maxDelayMs: 400 },
    });
    const log = { states: [], reasons: [], closes: [], completed: [] };
    client.on('stateChange', (e) => { log.states.push(e.current); if (e.reason) log.reasons.push(e.reason.code); });
    client.on('close', (e) => log.closes.push(e.code));
    client.on('superpower.response', (e) => { if (e.state === 'completed') log.completed.push(e.correlationId); });
    window.params = (tags) => ({ request: { connections: { threadId: 'live-1' }, context: { organizationId: 'org-1' },
      reference: { tags }, scope: { conversations: [{ messages: [{ content: 'Where is my parcel?' }] }] } } });
    window.client = client;
    window.log = log;
    await client.connect();
  }, { wsUrl, staleAfterMs });
  const cdp = await page.context().newCDPSession(page);
  return { page, cdp, problems };
}

async function silence(ms) {
  const r = await fetch(`${server.url}/api/test/silence?ms=${ms}`, { method: 'POST' });
  assert.equal(r.status, 200);
  return r.json();
}

const logOf = (page) => page.evaluate(() => window.log);

/**
 * Freezes the page as a browser freezes a background tab: the `freeze`
 * event, then no task at all (`freezePage`; the page is given an interval,
 * cleared at `resume`, so that the pause takes effect at once).
 */
async function freeze(page, cdp) {
  await page.evaluate(() => {
    document.dispatchEvent(new Event('freeze'));
    window.ticking = setInterval(() => {}, 25);
  });
  assert.ok(await freezePage(cdp), 'the page ran no task within 5 s of the pause');
}

/** Lets the frozen page run again, with its `resume` event; returns the page's clock at the event. */
async function resume(page, cdp) {
  await thawPage(cdp);
  return page.evaluate(() => {
    const at = Date.now();
    clearInterval(window.ticking);
    document.dispatchEvent(new Event('resume'));
    return at;
  });
}

describe('liveness in Chromium', () => {
  test('frozen with a request on the wire while the path went silent: on resume it reconnects at once and the request is answered once', async () => {
    const { page, cdp, problems } = await livePage(FROZEN_STALE_MS);
    const sentAt = await page.evaluate(() => {
      window.pending = window.client.summarizeAsync(window.params(['fault:delay=1000']));
      window.pendingId = null;
      window.pending.then((f) => { window.pendingId = f.correlationId; });
      window.client.on('stateChange', (e) => { if (e.reason?.code === 'CONNECTION_STALE') window.staleAt ??= Date.now(); });
      return Date.now();
    });
    await freeze(page, cdp);
    const silenced = await silence(30_000);
    assert.ok(silenced.silenced >= 1, JSON.stringify(silenced));
    await new Promise((r) => setTimeout(r, 1500)); // frozen past the server's answer
    const resumedAt = await resume(page, cdp);
    await page.waitForFunction(() => window.pendingId !== null, null, { timeout: WAIT_MS });
    const id = await page.evaluate(() => window.pendingId);
    await page.waitForFunction((id) => window.log.completed.includes(id), id, { timeout: WAIT_MS });
    const log = await logOf(page);
    assert.equal(log.completed.filter((c) => c === id).length, 1, JSON.stringify(log));
    assert.deepEqual(log.reasons, ['CONNECTION_STALE'], JSON.stringify(log));
    assert.deepEqual(log.closes, [4000]);
    assert.deepEqual(log.states.slice(-3), ['disconnected', 'connecting', 'connected']);
    // Found stale by the wake rule at the resume, not by the stale clock.
    const staleAt = await page.evaluate(() => window.staleAt);
    assert.ok(staleAt >= resumedAt && staleAt < sentAt + FROZEN_STALE_MS, JSON.stringify({ sentAt, resumedAt, staleAt }));
    assert.deepEqual(problems, []);
    await page.evaluate(() => window.client.free());
    await page.close();
  });

  test('frozen idle while the path went silent: after resume the next send is answered', async () => {
    const { page, cdp, problems } = await livePage();
    await freeze(page, cdp);
    assert.ok((await silence(30_000)).silenced >= 1);
    await resume(page, cdp);
    const frame = await page.evaluate(() => window.client.translateAsync(window.params([])));
    assert.equal(frame.actionType, 'translation');
    await page.waitForFunction((id) => window.log.completed.includes(id), frame.correlationId, { timeout: WAIT_MS });
    const log = await logOf(page);
    assert.equal(log.completed.filter((c) => c === frame.correlationId).length, 1);
    assert.deepEqual(log.reasons, ['CONNECTION_STALE'], 'found stale, then reconnected');
    assert.deepEqual(problems, []);
    await page.evaluate(() => window.client.free());
    await page.close();
  });

  test('sends made while emulated offline are answered once back online', async () => {
    const { page, cdp, problems } = await livePage();
    await cdp.send('Network.enable');
    const offline = { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
    await cdp.send('Network.emulateNetworkConditions', offline);
    await page.waitForFunction(() => !navigator.onLine, null, { timeout: WAIT_MS });
    const ids = await page.evaluate(() => [
      window.client.send('summarize', window.params([])),
      window.client.send('translate', window.params([])),
    ]);
    await cdp.send('Network.emulateNetworkConditions', { ...offline, offline: false });
    await page.waitForFunction(
      (want) => want.every((id) => window.log.completed.includes(id)),
      ids,
      { timeout: WAIT_MS },
    );
    const log = await logOf(page);
    for (const id of ids) assert.equal(log.completed.filter((c) => c === id).length, 1, id);
    assert.equal(log.states.at(-1), 'connected');
    assert.deepEqual(problems, []);
    await page.evaluate(() => window.client.free());
    await page.close();
  });
});
