// Browser end-to-end test of the demo page (www-demo/) against the local OCO server.
//
//   make test-e2e                     (starts the server, sets OCO_DEMO_URL)
//   node --test tests/e2e/demo.e2e.mjs
//
// Environment:
//   OCO_DEMO_URL  URL of a running server (e.g. http://127.0.0.1:8787/). When unset the
//                 test starts target/debug/oco-local-server on a free port and stops it after.
//   CHROMIUM      Chromium binary (default /usr/bin/chromium).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../lib/chromium.mjs';
import {
  ACTION_ORDER,
  EXPECTED_TYPES,
  PAGE_CSP,
  assertCards,
  assertQueuedWhileDisconnected,
  assertSentimentScore,
  assertSettled,
  inCards,
  inFaultTag,
  inSendWhileDropped,
  inSettledBadge,
  sel,
} from '../lib/demo-page.mjs';
import { startServer } from '../lib/local-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOT = path.join(ROOT, 'target', 'e2e-demo.png');
const SCREENSHOT_ALL = path.join(ROOT, 'target', 'e2e-demo-all.png');
const CARD_TIMEOUT_MS = 20_000;

let server = null;
let baseUrl = '';
let browser = null;
let page = null;
const consoleErrors = [];
const pageErrors = [];

/** Waits until the header shows the session state `connected` (`client.state`). */
async function waitConnected() {
  await page.waitForFunction(
    (s) => document.querySelector(s)?.textContent.trim() === 'connected',
    sel.ready,
    { timeout: CARD_TIMEOUT_MS },
  );
}

/** Waits for a completed card of every superpower `action` yields for `id`, and none in error. */
async function expectCards(action, id) {
  await page.waitForSelector(sel.card(id, null, 'completed'), { timeout: CARD_TIMEOUT_MS });
  for (const type of EXPECTED_TYPES[action]) {
    await page.waitForSelector(sel.card(id, type, 'completed'), { timeout: CARD_TIMEOUT_MS }).catch((err) => {
      throw new Error(`${action}: no completed ${type} card for ${id} (${err.message})`);
    });
  }
  assertCards(action, id, await page.evaluate(inCards, id));
  await expectSettled(action, id, EXPECTED_TYPES[action].length, 0);
}

/**
 * Waits for the settled badge of the request `id` (its handle's `settled()`
 * resolved) and checks it counts `superpowers` superpowers and `errors`
 * errors, and that it came after every card finished.
 */
async function expectSettled(action, id, superpowers, errors) {
  await page.waitForSelector(sel.status(id, 'settled'), { timeout: CARD_TIMEOUT_MS }).catch(async (err) => {
    const shown = await page.$eval(sel.status(id), (e) => `${e.dataset.status}: ${e.textContent}`).catch(() => 'no badge');
    throw new Error(`${action}: the request ${id} never showed settled (badge ${shown}; ${err.message})`);
  });
  assertSettled(action, await page.evaluate(inSettledBadge, id), superpowers, errors);
}

/**
 * Records every value the header's state takes from now on (and every reason
 * code it shows): attribute mutations keep their old values, so even a state
 * that lasts a few ms is seen.
 */
async function recordStates() {
  await page.evaluate((s) => {
    const el = document.querySelector(s);
    window.__stateLog?.observer.disconnect();
    const log = { states: [el.dataset.state], reasons: [], records: [] };
    log.observer = new MutationObserver((records) => log.records.push(...records.map((r) => [r.attributeName, r.oldValue])));
    log.observer.observe(el, { attributes: true, attributeOldValue: true, attributeFilter: ['data-state', 'data-reason'] });
    window.__stateLog = log;
  }, sel.ready);
}

/** The states (in order, repeats merged) and reason codes the header showed since recordStates(). */
async function recordedStates() {
  return page.evaluate((s) => {
    const el = document.querySelector(s);
    const log = window.__stateLog;
    log.records.push(...log.observer.takeRecords().map((r) => [r.attributeName, r.oldValue]));
    const states = log.records.filter(([name]) => name === 'data-state').map(([, old]) => old);
    states.push(el.dataset.state);
    const reasons = log.records.filter(([name, old]) => name === 'data-reason' && old).map(([, old]) => old);
    if (el.dataset.reason) reasons.push(el.dataset.reason);
    return { states: states.filter((v, i) => i === 0 || v !== states[i - 1]), reasons: [...new Set(reasons)] };
  }, sel.ready);
}

/** Error codes the drop of a connection may report (the socket's error, then the close). */
const DROP_ERROR_CODES = new Set(['CONNECTION_CLOSED', 'WEBSOCKET_ERROR']);

async function unexpectedErrorsAfterDrop() {
  const codes = await page.$$eval(sel.errors, (els) => els.map((e) => e.dataset.code));
  return codes.filter((c) => !DROP_ERROR_CODES.has(c));
}

async function errorEntries() {
  return page.$$eval(sel.errors, (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
}

/** Clicks an action button and returns the correlationId the page shows for it. */
async function clickAction(name) {
  const seqBefore = await page.$eval(sel.lastId, (e) => e.dataset.seq ?? '0');
  await page.click(`[data-testid="action-${name}"]`);
  await page.waitForFunction(([s, before]) => (document.querySelector(s)?.dataset.seq ?? '0') !== before, [sel.lastId, seqBefore], {
    timeout: 5_000,
  });
  const id = (await page.$eval(sel.lastId, (e) => e.textContent)).trim();
  assert.match(id, /^[0-9a-f-]{16,}$/i, `action ${name} was not sent (page shows "${id}"); errors: ${JSON.stringify(await errorEntries())}`);
  return id;
}

describe('demo page', () => {
  before(async () => {
    if (process.env.OCO_DEMO_URL) {
      baseUrl = process.env.OCO_DEMO_URL;
    } else {
      server = await startServer();
      baseUrl = `${server.url}/`;
    }
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} @ ${msg.location()?.url ?? ''}`);
    });
    page.on('pageerror', (err) => pageErrors.push(String(err?.stack ?? err)));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('Insights on the flight conversation renders sentiment and performance cards', async () => {
    const response = await page.goto(baseUrl, { waitUntil: 'load' });
    // The whole run happens under the strict policy a host page may have:
    // WebAssembly is allowed ('wasm-unsafe-eval'), nothing else is relaxed.
    assert.equal(response.headers()['content-security-policy'], PAGE_CSP);
    await waitConnected();

    await page.selectOption(sel.conversation, 'flight');
    const messages = await page.$$eval('[data-testid="chat-message"]', (els) => els.map((e) => e.textContent));
    assert.equal(messages.length, 3);
    assert.ok(messages[0].includes('My flight was cancelled'), messages[0]);

    // Watch the request's badge from the moment its group appears: when it
    // first says settled, every card of the request must already be completed.
    await page.evaluate(() => {
      window.__settledAt = null;
      const results = document.querySelector('[data-testid="results"]');
      const look = () => {
        const badge = results.querySelector('[data-testid="request-status"][data-status="settled"]');
        if (!badge || window.__settledAt) return;
        const group = badge.closest('[data-testid="request-group"]');
        window.__settledAt = {
          id: group.dataset.correlationId,
          cards: [...group.querySelectorAll('[data-testid="superpower-card"]')].map((c) => [c.dataset.actionType, c.dataset.state]),
        };
      };
      window.__settledObserver?.disconnect();
      window.__settledObserver = new MutationObserver(look);
      window.__settledObserver.observe(results, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    });
    const id = await clickAction('insights');
    assert.ok(
      ['pending', 'settled'].includes(await page.$eval(sel.status(id), (e) => e.dataset.status)),
      'a new request is not pending',
    );
    const sentiment = await page.waitForSelector(sel.card(id, 'sentiment_analysis', 'completed'), { timeout: CARD_TIMEOUT_MS });
    assertSentimentScore((await sentiment.$eval('[data-testid="sentiment-score"]', (e) => e.textContent)).trim());

    const perf = await page.waitForSelector(sel.card(id, 'performance_criteria', 'completed'), { timeout: CARD_TIMEOUT_MS });
    const rows = await perf.$$('[data-testid="criterion-row"]');
    assert.ok(rows.length > 0, 'performance_criteria card shows no criterion');

    // The request settles after its two superpowers completed.
    await expectSettled('insights', id, 2, 0);
    const atSettle = await page.evaluate(() => {
      window.__settledObserver.disconnect();
      return window.__settledAt;
    });
    assert.equal(atSettle?.id, id);
    assert.deepEqual(
      atSettle.cards.sort(),
      [['performance_criteria', 'completed'], ['sentiment_analysis', 'completed']],
      'the settled badge showed before every superpower completed',
    );
    const settledLog = await page.$$eval(`[data-testid="log-entry"][data-direction="sys"][data-correlation-id="${id}"]`, (els) =>
      els.map((e) => e.querySelector('.log-label').textContent),
    );
    assert.ok(settledLog.includes('request settled'), `log lines for ${id}: ${settledLog}`);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual(await errorEntries(), []);
  });

  test('the header shows client.state: connected after load, with the buttons of that state', async () => {
    await waitConnected();
    const header = await page.$eval(sel.ready, (e) => ({ text: e.textContent.trim(), state: e.dataset.state, title: e.title }));
    assert.deepEqual(header, { text: 'connected', state: 'connected', title: '' });
    assert.equal(await page.evaluate(() => window.ocoDemo.client.state), 'connected');
    assert.equal(await page.evaluate(() => window.ocoDemo.client.readyState), 'open');
    assert.ok(await page.$eval('#status-dot', (e) => e.classList.contains('connected')), 'status dot is not green');
    assert.equal(await page.$eval('[data-testid="retry-countdown"]', (e) => e.hidden), true, 'a countdown shows while connected');
    assert.equal(await page.isDisabled('[data-testid="connect"]'), true, 'Connect is enabled while connected');
    assert.equal(await page.isDisabled('[data-testid="disconnect"]'), false, 'Disconnect is disabled while connected');
    assert.equal(await page.isDisabled('[data-testid="btn-drop"]'), false, 'Drop connection is disabled while connected');
    const disabledActions = await page.$$eval('button.action', (els) => els.filter((b) => b.disabled).map((b) => b.dataset.action));
    assert.deepEqual(disabledActions, [], 'action buttons are disabled while connected');
    // The state changes reach the envelope log too.
    const stateLines = await page.$$eval('[data-testid="log-entry"][data-direction="sys"] .log-label', (els) => els.map((e) => e.textContent));
    assert.ok(stateLines.includes('state connecting') && stateLines.includes('state connected'), `state lines: ${stateLines}`);
  });

  test('every action yields completed superpower cards for its correlationId', async () => {
    await waitConnected();
    const order = ACTION_ORDER;
    let previous = null;
    for (const [action, conversation] of order) {
      await page.selectOption(sel.conversation, conversation);
      const id = await clickAction(action);
      assert.notEqual(id, previous, `${action} reused the previous correlationId`);
      previous = id;

      await expectCards(action, id);
      assert.deepEqual(await errorEntries(), [], `${action}: the error area is not empty`);
    }

    // Renderers: spot-check a few result kinds.
    const recommendCard = page.locator('[data-testid="superpower-card"][data-action-type="recommend"][data-state="completed"]').first();
    assert.ok((await recommendCard.locator('[data-testid="offer"]').count()) > 0, 'recommend card lists no offer');
    const riskRows = page.locator('[data-testid="superpower-card"][data-action-type="risk_assessment"][data-state="completed"]').first().locator('[data-testid="risk-row"]');
    assert.equal(await riskRows.count(), 3, 'risk card should show three risks');

    const outgoing = await page.$$('[data-testid="log-entry"][data-direction="out"]');
    assert.ok(outgoing.length >= order.length + 1, 'envelope log misses outgoing requests');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: SCREENSHOT_ALL });
  });

  test('Drop connection: the header goes down and back to connected, then actions work', async () => {
    await waitConnected();
    await recordStates();
    const dropAnswer = page.waitForResponse((r) => r.url().endsWith('/api/test/drop') && r.request().method() === 'POST');
    await page.click('[data-testid="btn-drop"]');
    const answer = await dropAnswer;
    assert.equal(answer.status(), 200);
    const body = await answer.json();
    assert.ok(body.dropped >= 1, `the server dropped no socket: ${JSON.stringify(body)}`);

    await page.waitForFunction(
      (s) => {
        const log = window.__stateLog;
        const seen = log.records.filter(([name]) => name === 'data-state').map(([, old]) => old);
        return seen.some((v) => v === 'disconnected' || v === 'connecting') && document.querySelector(s)?.dataset.state === 'connected';
      },
      sel.ready,
      { timeout: CARD_TIMEOUT_MS },
    );
    const { states, reasons } = await recordedStates();
    assert.equal(states[0], 'connected', `states: ${states}`);
    assert.equal(states.at(-1), 'connected', `states: ${states}`);
    assert.ok(states.includes('disconnected'), `the header never showed disconnected: ${states}`);
    assert.ok(states.indexOf('connecting', states.indexOf('disconnected')) > 0, `no new attempt after the drop: ${states}`);
    assert.ok(reasons.includes('CONNECTION_CLOSED'), `the reason code never showed: ${reasons}`);
    assert.equal(await page.$eval(sel.ready, (e) => e.textContent.trim()), 'connected');
    assert.equal(await page.$eval(sel.ready, (e) => e.title), '', 'a reason is still shown while connected');

    // The drop is in the log; the countdown interval is gone once connected.
    const sysLines = await page.$$eval('[data-testid="log-entry"][data-direction="sys"]', (els) => els.map((e) => e.textContent));
    assert.ok(sysLines.some((t) => t.includes('connection dropped') && /aborted \d+ WebSocket/.test(t)), 'the drop is not logged');
    assert.equal(await page.evaluate(() => window.ocoDemo.state.retryTimer), null, 'the countdown interval still runs');
    assert.equal(await page.$eval('[data-testid="retry-countdown"]', (e) => e.hidden), true);
    assert.deepEqual(await unexpectedErrorsAfterDrop(), []);

    await page.selectOption(sel.conversation, 'flight');
    const id = await clickAction('insights');
    await expectCards('insights', id);
    const outbound = await page.$eval(`[data-testid="log-entry"][data-direction="out"][data-correlation-id="${id}"]`, (e) => e.dataset.delivery ?? '');
    assert.equal(outbound, '', 'a send while connected is marked');
    assert.deepEqual(await unexpectedErrorsAfterDrop(), []);
  });

  test('a send while disconnected is queued, counted down, and goes out after the reconnect', async () => {
    await waitConnected();
    await page.selectOption(sel.conversation, 'flight');
    const id = assertQueuedWhileDisconnected(await page.evaluate(inSendWhileDropped));

    const entry = (delivery) => `[data-testid="log-entry"][data-direction="out"][data-correlation-id="${id}"][data-delivery="${delivery}"]`;
    const queued = await page.waitForSelector(entry('queued'), { timeout: 5_000 });
    assert.equal((await queued.$eval('[data-testid="log-tag"]', (e) => e.textContent)).trim(), 'queued');
    const sent = await page.waitForSelector(entry('sent'), { timeout: CARD_TIMEOUT_MS });
    assert.equal((await sent.$eval('[data-testid="log-tag"]', (e) => e.textContent)).trim(), 'queued → sent');
    await waitConnected();
    await expectCards('summarize', id);
    assert.equal(await page.evaluate(() => window.ocoDemo.state.retryTimer), null, 'the countdown interval still runs');
    assert.deepEqual(await unexpectedErrorsAfterDrop(), []);
  });

  test("one superpower's error shows on its card while the others complete, and the request still settles", async () => {
    await waitConnected();
    await page.selectOption(sel.conversation, 'flight');
    // The local server's fault tag: sentiment_analysis answers with an error frame.
    await page.evaluate(inFaultTag, { conversation: 'flight', tag: 'fault:error=sentiment_analysis' });
    let id;
    try {
      id = await clickAction('insights');
    } finally {
      await page.evaluate(inFaultTag, { conversation: 'flight', tag: null });
    }
    const failed = await page.waitForSelector(sel.card(id, 'sentiment_analysis', 'error'), { timeout: CARD_TIMEOUT_MS });
    assert.ok((await failed.textContent()).includes('Error while fetching results'), 'the error card does not say what failed');
    assert.equal((await failed.$eval('[data-testid="card-error-code"]', (e) => e.textContent)).trim(), 'SUPERPOWER_FAILED');
    await page.waitForSelector(sel.card(id, 'performance_criteria', 'completed'), { timeout: CARD_TIMEOUT_MS });
    await expectSettled('insights', id, 2, 1);
    const codes = await page.$$eval(sel.errors, (els) => els.map((e) => e.dataset.code));
    assert.ok(codes.includes('SUPERPOWER_FAILED'), `the error area: ${codes}`);
    await page.click('[data-testid="clear-results"]');
    assert.equal(await page.$$eval(sel.errors, (els) => els.length), 0);
  });

  test('Cancel on a pending request rejects its handle: the group shows cancelled', async () => {
    await waitConnected();
    await page.selectOption(sel.conversation, 'flight');
    // The local server waits 5 s before answering this one.
    await page.evaluate(inFaultTag, { conversation: 'flight', tag: 'fault:delay=5000' });
    let id;
    try {
      id = await clickAction('summarize');
    } finally {
      await page.evaluate(inFaultTag, { conversation: 'flight', tag: null });
    }
    assert.equal(await page.$eval(sel.status(id), (e) => e.dataset.status), 'pending');
    await page.click(`[data-testid="request-group"][data-correlation-id="${id}"] [data-testid="request-cancel"]`);
    const badge = await page.waitForSelector(sel.status(id, 'cancelled'), { timeout: 5_000 });
    assert.equal((await badge.textContent()).trim(), 'cancelled');
    assert.ok((await badge.getAttribute('title')).startsWith('REQUEST_CANCELLED'), await badge.getAttribute('title'));
    assert.equal(
      await page.$eval(`[data-testid="request-group"][data-correlation-id="${id}"] [data-testid="request-cancel"]`, (e) => e.hidden),
      true,
      'Cancel is still offered once cancelled',
    );
    // A cancel is the user's choice, not an error; the late answer changes nothing.
    assert.deepEqual(await errorEntries(), []);
    await page.waitForTimeout(5_500);
    assert.equal(await page.$eval(sel.status(id), (e) => e.dataset.status), 'cancelled');
    assert.equal((await page.$$(sel.card(id, null, 'completed'))).length, 0, 'a cancelled request got a completed card');
    assert.deepEqual(await errorEntries(), []);
  });

  test('the transport selector: REST shows in the header, an action settles over REST, then back to the WebSocket', async () => {
    const shows = (t) => page.waitForFunction(
      (want) => document.querySelector('[data-testid="transport"]')?.dataset.transport === want,
      t,
      { timeout: CARD_TIMEOUT_MS },
    );
    await page.selectOption('[data-testid="transport-select"]', 'rest');
    await shows('rest');
    await waitConnected();
    assert.equal(await page.evaluate(() => window.ocoDemo.client.transport), 'rest');
    await page.selectOption(sel.conversation, 'flight');
    const id = await clickAction('summarize');
    await expectCards('summarize', id);
    assert.deepEqual(await errorEntries(), [], 'REST: the error area is not empty');
    await page.selectOption('[data-testid="transport-select"]', 'websocket');
    await shows('websocket');
    await waitConnected();
    assert.equal(await page.evaluate(() => window.ocoDemo.client.transport), 'websocket');
  });

  test('composer appends a message to the current conversation', async () => {
    await page.selectOption(sel.conversation, 'greeting');
    const before = await page.$$eval('[data-testid="chat-message"]', (els) => els.length);
    await page.fill('[data-testid="composer-text"]', '<b>not bold</b> I need to change my address');
    await page.selectOption('[data-testid="composer-role"]', 'customer');
    await page.click('[data-testid="composer-send"]');
    const texts = await page.$$eval('[data-testid="chat-message"]', (els) => els.map((e) => e.textContent));
    assert.equal(texts.length, before + 1);
    assert.ok(texts.at(-1).includes('<b>not bold</b>'), 'user text must be shown as text, not markup');
    assert.equal(await page.$$eval('.chat b', (els) => els.length), 0);
  });

  test('no console errors or page errors during the run', () => {
    assert.deepEqual(pageErrors, [], `page errors:\n${pageErrors.join('\n')}`);
    assert.deepEqual(consoleErrors, [], `console errors:\n${consoleErrors.join('\n')}`);
  });
});

test('the page never writes markup from data (no innerHTML & co in its modules)', () => {
  const dir = path.join(ROOT, 'www-demo');
  const modules = readdirSync(dir).filter((f) => f.endsWith('.js'));
  assert.ok(modules.includes('app.js') && modules.length >= 5, `the demo's modules: ${modules}`);
  for (const file of modules) {
    const src = readFileSync(path.join(dir, file), 'utf8');
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'createContextualFragment']) {
      assert.ok(!src.includes(sink), `${file} uses ${sink}`);
    }
  }
});
