// The demo console in two tabs of one browser (Chromium, Playwright): the
// tabs share one connection (`crossTab` keyed by the demo's agent), the
// tab-role badge shows one leader and one follower, both tabs get their
// superpower cards, and when the leading tab closes the other one shows
// leader.
//
//   make test-e2e                     (starts the server, sets OCO_DEMO_URL)
//   node --test tests/e2e/demo-cross-tab.e2e.mjs
//
// Environment: OCO_DEMO_URL (a running server; without it the test starts
// target/debug/oco-local-server), CHROMIUM.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from '../lib/chromium.mjs';
import { EXPECTED_TYPES, sel } from '../lib/demo-page.mjs';
import { startServer } from '../lib/local-server.mjs';

const WAIT_MS = 20_000;

describe('the demo console in two tabs', () => {
  let server = null;
  let base;
  let browser;

  before(async () => {
    base = process.env.OCO_DEMO_URL;
    if (!base) {
      server = await startServer();
      base = `${server.url}/`;
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  /** The badge of each page: its text and data-role, once every page shows leader or follower. */
  const badges = (pages) => Promise.all(pages.map((p) => p.$eval(sel.tabRole, (el) => ({ text: el.textContent.trim(), role: el.dataset.role, name: el.getAttribute('aria-label') }))));

  test('two tabs show one leader and one follower; both get their cards; the follower leads once the leader tab closes', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
    const problems = [];
    const pages = [];
    for (let i = 0; i < 2; i++) {
      const page = await context.newPage();
      page.on('pageerror', (err) => problems.push(String(err)));
      await page.goto(base, { waitUntil: 'load' });
      await page.waitForFunction((s) => document.querySelector(s)?.textContent.trim() === 'connected', sel.ready, { timeout: WAIT_MS });
      pages.push(page);
    }
    let shown;
    const deadline = Date.now() + WAIT_MS;
    do {
      shown = await badges(pages);
      if (shown.map((b) => b.role).sort().join() === 'follower,leader') break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    assert.deepEqual(shown.map((b) => b.role).sort(), ['follower', 'leader'], JSON.stringify(shown));
    for (const b of shown) {
      assert.equal(b.text, b.role);
      assert.equal(b.name, `Tab role: ${b.role}`, 'the badge has an accessible name');
    }
    const roles = await Promise.all(pages.map((p) => p.evaluate(() => window.ocoDemo.client.crossTabRole)));
    assert.deepEqual(roles, shown.map((b) => b.role), 'the badges say what the clients say');

    // Both tabs send Summarize; each tab shows its own completed card.
    for (const page of pages) {
      const seqBefore = await page.$eval(sel.lastId, (e) => e.dataset.seq ?? '0');
      await page.click(sel.action('summarize'));
      await page.waitForFunction(([s, before]) => (document.querySelector(s)?.dataset.seq ?? '0') !== before, [sel.lastId, seqBefore], { timeout: WAIT_MS });
      const id = (await page.$eval(sel.lastId, (e) => e.textContent)).trim();
      for (const type of EXPECTED_TYPES.summarize) {
        await page.waitForSelector(sel.card(id, type, 'completed'), { timeout: WAIT_MS });
        assert.equal(await page.locator(sel.card(id, type, 'completed')).count(), 1, `one completed ${type} card`);
      }
    }

    const leader = shown.findIndex((b) => b.role === 'leader');
    const follower = pages[1 - leader];
    await pages[leader].close();
    await follower.waitForFunction((s) => document.querySelector(s)?.dataset.role === 'leader', sel.tabRole, { timeout: WAIT_MS });
    await follower.waitForFunction((s) => document.querySelector(s)?.textContent.trim() === 'connected', sel.ready, { timeout: WAIT_MS });
    assert.deepEqual(problems, []);
    await context.close();
  });
});
