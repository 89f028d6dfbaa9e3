// Accessibility audit of the demo console (www-demo/) with axe-core, the
// rules tagged wcag2a, wcag2aa and best-practice, in headless Chromium against
// the local OCO server: once on load (connected) and once after a request has
// settled (its cards, badges and envelope-log lines are on the page). Any
// violation of impact serious or critical fails the test, and every violation
// is printed (rule, impact, help, each element's selector and axe's summary).
// axe-core comes from npm (node_modules/axe-core/axe.min.js) and is evaluated
// in the page by playwright-core; the page keeps its strict CSP.
//
//   make test-e2e                     (starts the server, sets OCO_DEMO_URL)
//   node --test tests/e2e/demo-accessibility.e2e.mjs
//
// Environment: OCO_DEMO_URL (a running server; without it the test starts
// target/debug/oco-local-server), CHROMIUM.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../lib/chromium.mjs';
import { sel } from '../lib/demo-page.mjs';
import { ROOT, startServer } from '../lib/local-server.mjs';

const AXE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'best-practice'];
const FAILING = new Set(['serious', 'critical']);
const WAIT_MS = 20_000;

/** Runs axe in the page: its violations, as plain data. */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, TAGS);
}

function describeViolations(violations) {
  return violations.map((v) => [
    `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})`,
    ...v.nodes.map((n) => `    ${n.target}\n      ${String(n.summary).replace(/\n/g, '\n      ')}`),
  ].join('\n')).join('\n');
}

function assertNoSerious(violations, when) {
  if (violations.length) console.log(`axe (${when}):\n${describeViolations(violations)}`);
  const serious = violations.filter((v) => FAILING.has(v.impact));
  assert.deepEqual(serious.map((v) => `${v.impact} ${v.id} (${v.nodes.length})`), [], `serious or critical violations ${when}:\n${describeViolations(serious)}`);
}

describe('demo accessibility (axe-core: WCAG 2 A and AA, best practices)', () => {
  let server = null;
  let browser;
  let page;
  const problems = [];

  before(async () => {
    let base = process.env.OCO_DEMO_URL;
    if (!base) {
      server = await startServer();
      base = `${server.url}/`;
    }
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 960 } })).newPage();
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    page.on('pageerror', (err) => problems.push(String(err)));
    await page.goto(base, { waitUntil: 'load' });
    await page.waitForFunction((s) => document.querySelector(s)?.textContent.trim() === 'connected', sel.ready, { timeout: WAIT_MS });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('the console once connected has no serious or critical violation', async () => {
    assertNoSerious(await audit(page), 'once connected');
  });

  test('after an insights request settled: no serious or critical violation', async () => {
    await page.selectOption(sel.conversation, 'flight');
    await page.click(sel.action('insights'));
    await page.waitForSelector('[data-testid="request-status"][data-status="settled"]', { timeout: WAIT_MS });
    assertNoSerious(await audit(page), 'after a request');
    assert.deepEqual(problems, []);
  });

  test('the envelope log scrolls by keyboard: focusable, with a role and a name', async () => {
    const log = await page.$eval('#envelope-log', (el) => ({
      tabIndex: el.tabIndex,
      role: el.getAttribute('role') ?? (el.tagName === 'OL' ? 'list' : null), // an <ol> is a list
      name: el.getAttribute('aria-label') ?? (el.getAttribute('aria-labelledby') && document.getElementById(el.getAttribute('aria-labelledby'))?.textContent),
      scrolls: el.scrollHeight > el.clientHeight || getComputedStyle(el).overflowY === 'auto',
    }));
    assert.equal(log.tabIndex, 0);
    assert.ok(log.role, 'no role');
    assert.ok(log.name && log.name.trim(), 'no accessible name');
    assert.ok(log.scrolls);
    await page.focus('#envelope-log');
    if (await page.$eval('#envelope-log', (el) => el.scrollHeight > el.clientHeight)) {
      // From the top (the log may already sit at its end: it follows new
      // entries), End must move the focused list; it scrolls smoothly.
      await page.$eval('#envelope-log', (el) => el.scrollTo({ top: 0, behavior: 'instant' }));
      await page.waitForFunction(() => document.querySelector('#envelope-log').scrollTop === 0, null, { timeout: 5_000 });
      await page.keyboard.press('End');
      await page.waitForFunction(() => document.querySelector('#envelope-log').scrollTop > 0, null, { timeout: 5_000 })
        .catch(() => assert.fail('End did not scroll the focused log'));
    }
  });
});
