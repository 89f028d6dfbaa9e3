// The demo page (www-demo/) in WebKit (WebKitGTK's MiniBrowser through
// WebKitWebDriver) against the local OCO server: what tests/e2e/demo.e2e.mjs
// checks in Chromium, with the same expectations (tests/lib/demo-page.mjs):
// connect, every action's superpower cards, the settled badge, a dropped
// connection coming back, Disconnect and Connect.
//
//   make test-webkit      (xvfb-run; scripts/test-webkit.sh)
//
// Environment: OCO_DEMO_URL (a running server; else one is started),
// WEBKITDRIVER, MINIBROWSER.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { By } from 'selenium-webdriver';
import { startServer } from '../lib/local-server.mjs';
import { startWebKit } from '../lib/webkit.mjs';
import {
  ACTION_ORDER,
  EXPECTED_TYPES,
  PAGE_CSP,
  assertCards,
  assertQueuedWhileDisconnected,
  assertSentimentScore,
  assertSettled,
  inCards,
  inErrorEntries,
  inFaultTag,
  inOutboundTag,
  inSendWhileDropped,
  inHeader,
  inLastId,
  inSettledBadge,
  sel,
} from '../lib/demo-page.mjs';

const TIMEOUT_MS = 20_000;

describe('demo page in WebKit', () => {
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
    console.log(`WebKitGTK ${wk.browserVersion}, server ${base}`);
  });

  after(async () => {
    await wk?.quit();
    await server?.stop();
  });

  const waitConnected = () =>
    wk.waitFor(() => {
      const el = document.querySelector('[data-testid="ready-state"]');
      return el?.dataset.state === 'connected' && window.ocoDemo?.client?.state === 'connected';
    }, null, { timeoutMs: TIMEOUT_MS, message: 'the header never showed connected' });

  const selectConversation = async (name) => {
    await wk.click(`${sel.conversation} option[value="${name}"]`);
    const value = await wk.driver.findElement(By.css(sel.conversation)).getAttribute('value');
    assert.equal(value, name, 'the conversation was not selected');
  };

  /** Clicks an action button and returns the correlationId the page shows for it. */
  const clickAction = async (name) => {
    const before = await wk.evaluate(inLastId);
    await wk.click(sel.action(name));
    const after = await wk.waitFor(
      (seq) => {
        const el = document.querySelector('[data-testid="last-correlation-id"]');
        return (el.dataset.seq ?? '0') !== seq && el.textContent.trim();
      },
      before.seq,
      { timeoutMs: 5_000, message: `${name}: no new correlationId` },
    );
    assert.match(after, /^[0-9a-f-]{16,}$/i, `action ${name} was not sent (page shows "${after}"); errors: ${JSON.stringify(await wk.evaluate(inErrorEntries))}`);
    return after;
  };

  /** Waits until the badge of request `id` leaves pending/queued. */
  const waitFinished = (action, id) =>
    wk.waitFor((cid) => {
      const badge = document.querySelector(`[data-testid="request-group"][data-correlation-id="${cid}"] [data-testid="request-status"]`);
      return badge && badge.dataset.status !== 'pending' && badge.dataset.status !== 'queued';
    }, id, { timeoutMs: TIMEOUT_MS, message: `${action}: the request ${id} never finished` });

  /** Sends `action` with a local-server fault tag on the flight conversation. */
  const clickWithFault = async (action, tag) => {
    await selectConversation('flight');
    await wk.evaluate(inFaultTag, { conversation: 'flight', tag });
    try {
      return await clickAction(action);
    } finally {
      await wk.evaluate(inFaultTag, { conversation: 'flight', tag: null });
    }
  };

  /** Waits until request `id` of `action` is settled, then checks its cards and badge. */
  const expectSettledCards = async (action, id) => {
    await waitFinished(action, id);
    const cards = await wk.evaluate(inCards, id);
    assertCards(action, id, cards);
    assertSettled(action, await wk.evaluate(inSettledBadge, id), EXPECTED_TYPES[action].length, 0);
    return cards;
  };

  test('the page loads under the strict CSP and connects: header, client.state and readyState', async () => {
    await wk.driver.get(`${base}/`);
    // WebKitWebDriver has no console log endpoint: page errors from here on are recorded in the page.
    await wk.evaluate(() => {
      window.__wkPageErrors = [];
      window.addEventListener('error', (ev) => window.__wkPageErrors.push(String(ev.error?.stack ?? ev.message)));
      window.addEventListener('unhandledrejection', (ev) => window.__wkPageErrors.push(`unhandled rejection: ${ev.reason?.stack ?? ev.reason}`));
    });
    // WebDriver does not show response headers: the page asks for its own.
    const csp = await wk.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
    assert.equal(csp, PAGE_CSP);
    await waitConnected();
    assert.deepEqual(await wk.evaluate(inHeader), {
      text: 'connected', state: 'connected', title: '', clientState: 'connected', readyState: 'open',
    });
    assert.deepEqual(await wk.evaluate(inErrorEntries), []);
  });

  test('Insights on the flight conversation renders sentiment and performance cards, then settles', async () => {
    await waitConnected();
    await selectConversation('flight');
    const id = await clickAction('insights');
    const cards = await expectSettledCards('insights', id);
    assertSentimentScore(cards.sentimentScore);
    assert.ok(cards.criteria > 0, 'the performance_criteria card shows no criterion');
    assert.deepEqual(await wk.evaluate(inErrorEntries), []);
  });

  test('every action yields completed superpower cards for its correlationId', async () => {
    await waitConnected();
    let previous = null;
    for (const [action, conversation] of ACTION_ORDER) {
      await selectConversation(conversation);
      const id = await clickAction(action);
      assert.notEqual(id, previous, `${action} reused the previous correlationId`);
      previous = id;
      await expectSettledCards(action, id);
      assert.deepEqual(await wk.evaluate(inErrorEntries), [], `${action}: the error area is not empty`);
    }
  });

  test('Drop connection: the client goes down and back to connected, then actions work', async () => {
    await waitConnected();
    await wk.evaluate(() => {
      window.__wkStates = [];
      window.__wkOff?.();
      window.__wkOff = window.ocoDemo.client.on('stateChange', (ev) => window.__wkStates.push(ev.current));
    });
    await wk.click('[data-testid="btn-drop"]');
    const states = await wk.waitFor(
      () => window.__wkStates.includes('disconnected') && window.ocoDemo.client.state === 'connected' && window.__wkStates,
      null,
      { timeoutMs: TIMEOUT_MS, message: 'the client did not go down and come back' },
    );
    assert.equal(states.at(-1), 'connected', `states: ${states}`);
    assert.ok(states.indexOf('connecting', states.indexOf('disconnected')) > 0, `no new attempt after the drop: ${states}`);
    await wk.evaluate(() => window.__wkOff());
    await waitConnected();
    const codes = await wk.evaluate(() => [...document.querySelectorAll('[data-testid="error-entry"]')].map((e) => e.dataset.code));
    assert.deepEqual(codes.filter((c) => c !== 'CONNECTION_CLOSED' && c !== 'WEBSOCKET_ERROR'), [], `errors after the drop: ${codes}`);

    await selectConversation('flight');
    const id = await clickAction('insights');
    await expectSettledCards('insights', id);
    // The drop's own report goes; the next test starts with an empty error area.
    await wk.click('[data-testid="clear-results"]');
    assert.deepEqual(await wk.evaluate(inErrorEntries), []);
  });

  test('a send while disconnected is queued, counted down, and goes out after the reconnect', async () => {
    await waitConnected();
    await selectConversation('flight');
    const id = assertQueuedWhileDisconnected(await wk.evaluate(inSendWhileDropped));
    assert.equal(
      await wk.waitFor(inOutboundTag, { id, delivery: 'queued' }, { timeoutMs: 5_000, message: 'no queued log entry' }),
      'queued',
    );
    assert.equal(
      await wk.waitFor(inOutboundTag, { id, delivery: 'sent' }, { timeoutMs: TIMEOUT_MS, message: 'the queued send never went out' }),
      'queued → sent',
    );
    await waitConnected();
    await expectSettledCards('summarize', id);
    assert.equal(await wk.evaluate(() => window.ocoDemo.state.retryTimer), null, 'the countdown interval still runs');
    await wk.click('[data-testid="clear-results"]');
  });

  test("one superpower's error shows on its card while the others complete, and the request still settles", async () => {
    await waitConnected();
    const id = await clickWithFault('insights', 'fault:error=sentiment_analysis');
    await waitFinished('insights', id);
    const card = await wk.evaluate(
      (cid) => {
        const el = document.querySelector(`[data-testid="superpower-card"][data-correlation-id="${cid}"][data-action-type="sentiment_analysis"][data-state="error"]`);
        return el && { text: el.textContent, code: el.querySelector('[data-testid="card-error-code"]').textContent.trim() };
      },
      id,
    );
    assert.ok(card, 'no sentiment_analysis card in the error state');
    assert.ok(card.text.includes('Error while fetching results'), 'the error card does not say what failed');
    assert.equal(card.code, 'SUPERPOWER_FAILED');
    const { cards } = await wk.evaluate(inCards, id);
    assert.ok(cards.some(([t, st]) => t === 'performance_criteria' && st === 'completed'), JSON.stringify(cards));
    assertSettled('insights', await wk.evaluate(inSettledBadge, id), 2, 1);
    const codes = await wk.evaluate(() => [...document.querySelectorAll('[data-testid="error-entry"]')].map((e) => e.dataset.code));
    assert.ok(codes.includes('SUPERPOWER_FAILED'), `the error area: ${codes}`);
    await wk.click('[data-testid="clear-results"]');
    assert.deepEqual(await wk.evaluate(inErrorEntries), []);
  });

  test('Cancel on a pending request rejects its handle: the group shows cancelled', async () => {
    await waitConnected();
    // The local server waits 5 s before answering this one.
    const id = await clickWithFault('summarize', 'fault:delay=5000');
    assert.equal((await wk.evaluate(inSettledBadge, id)).status, 'pending');
    await wk.click(sel.cancel(id));
    const badge = await wk.waitFor(
      (cid) => {
        const b = document.querySelector(`[data-testid="request-group"][data-correlation-id="${cid}"] [data-testid="request-status"][data-status="cancelled"]`);
        return b && { text: b.textContent.trim(), title: b.title };
      },
      id,
      { timeoutMs: 5_000, message: 'the group never showed cancelled' },
    );
    assert.equal(badge.text, 'cancelled');
    assert.ok(badge.title.startsWith('REQUEST_CANCELLED'), badge.title);
    assert.equal((await wk.evaluate(inSettledBadge, id)).cancelShown, false, 'Cancel is still offered once cancelled');
    assert.deepEqual(await wk.evaluate(inErrorEntries), []);
    // The late answer (after the server's 5 s) changes nothing.
    await wk.driver.sleep(5_500);
    assert.equal((await wk.evaluate(inSettledBadge, id)).status, 'cancelled');
    assert.deepEqual((await wk.evaluate(inCards, id)).cards.filter(([, st]) => st === 'completed'), [], 'a cancelled request got a completed card');
    assert.deepEqual(await wk.evaluate(inErrorEntries), []);
  });

  test('Disconnect closes the connection (code 1000); Connect opens it again', async () => {
    await waitConnected();
    await wk.evaluate(() => {
      window.__wkClose = null;
      window.ocoDemo.client.once('close', (ev) => (window.__wkClose = { code: ev.code, wasClean: ev.wasClean }));
    });
    await wk.click('[data-testid="disconnect"]');
    const closed = await wk.waitFor(
      () => window.__wkClose && window.ocoDemo.client.state === 'closed' && { close: window.__wkClose, readyState: window.ocoDemo.client.readyState },
      null,
      { timeoutMs: TIMEOUT_MS, message: 'the client did not close' },
    );
    assert.deepEqual(closed, { close: { code: 1000, wasClean: true }, readyState: 'closed' });
    const header = await wk.evaluate(inHeader);
    assert.equal(header.state, 'closed');
    assert.equal(await wk.driver.findElement(By.css('[data-testid="connect"]')).isEnabled(), true, 'Connect is disabled once closed');

    await wk.click('[data-testid="connect"]');
    await waitConnected();
    await selectConversation('greeting');
    const id = await clickAction('summarize');
    await expectSettledCards('summarize', id);
    assert.deepEqual(await wk.evaluate(inErrorEntries), []);
  });

  test('no page errors or unhandled rejections during the run (recorded in the page since load)', async () => {
    assert.deepEqual(await wk.evaluate(() => window.__wkPageErrors), []);
  });
});
