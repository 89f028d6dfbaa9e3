#!/usr/bin/env node
// One connection across tabs (`crossTab: { key }`) in headless Chromium:
// sockets five tabs of one key open at the server, and the handover when the
// leader's page closes.
//
//   node bench/cross-tab.mjs      (needs `make pkg` and `make server-release`;
//                                  `make bench-crosstab` builds both and runs it)
//
// Each round, in a fresh browser context: five pages of the local server
// (server-release build, tickets on) each make a client with the round's own
// key and connect; the round counts the sockets the server accepted for them
// (GET /api/test/stats). Then each of the four followers sends an `...Async`
// request the server answers 500 ms after it reads it (`fault:delay=500`),
// and 200 ms later the leader's page is closed; one follower sends a fresh
// request (no delay) at that moment. Measured from the close (Date.now() in
// node and in the pages, one clock): until the last of the four pending
// requests is answered ("pending", which includes the 500 ms the server
// holds each answer) and until the fresh request is answered ("fresh":
// takeover, a new socket, one round trip). One warm-up round, then ROUNDS
// rounds; prints the median and the 90th percentile (nearest rank) and writes
// target/cross-tab.json.
//
// Environment: CHROMIUM (default /usr/bin/chromium), OCO_SERVER_BIN (default
// target/server-release/oco-local-server), CROSSTAB_ROUNDS (default 9).

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'target', 'cross-tab.json');
const ROUNDS = Math.max(7, Number(process.env.CROSSTAB_ROUNDS) || 9);
const TABS = 5;
const HOLD_MS = 500;
const WAIT_MS = 30_000;

process.env.OCO_SERVER_BIN ||= path.join(ROOT, 'target', 'server-release', 'oco-local-server');
if (!existsSync(process.env.OCO_SERVER_BIN)) {
  console.error(`${process.env.OCO_SERVER_BIN} missing: run \`make server-release\` (or \`make bench-crosstab\`)`);
  process.exit(1);
}
const { startServer } = await import('../tests/lib/local-server.mjs');
const { launchChromium } = await import('../tests/lib/chromium.mjs');
const { countRoles, inRole, inStartTab, socketStats, until } = await import('../tests/lib/cross-tab.mjs');

/** In the page: an `...Async` summarize with `tags`; its answer time (Date.now()) goes to window.__answeredAt[label]. */
function inAsk({ tags, label }) {
  window.__answeredAt ||= {};
  const params = {
    request: {
      connections: { threadId: 'bench-cross-tab' },
      reference: { tags },
      scope: { conversations: [{ messages: [{ content: 'My flight was cancelled, can you help?' }] }] },
    },
  };
  window.__tab.client.summarizeAsync(params).then(
    () => { window.__answeredAt[label] = Date.now(); },
    (e) => { window.__answeredAt[label] = 'rejected ' + e.code; },
  );
}

const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

async function round(browser, server, n) {
  const context = await browser.newContext();
  try {
    const key = `bench-${n}`;
    const before = await socketStats(server.url);
    const pages = [];
    for (let i = 0; i < TABS; i++) {
      const page = await context.newPage();
      await page.goto(`${server.url}/healthz`);
      pages.push(page);
    }
    await Promise.all(pages.map((p) => p.evaluate(inStartTab, { key })));
    const roles = await until(async () => {
      const r = await Promise.all(pages.map((p) => p.evaluate(inRole)));
      const c = countRoles(r);
      return c.leader === 1 && c.follower === TABS - 1 && r.every((x) => x.state === 'connected') && r;
    }, { timeoutMs: WAIT_MS, message: 'one leader' });
    const settled = await socketStats(server.url);
    const sockets = settled.acceptedSockets - before.acceptedSockets;
    const leader = roles.findIndex((r) => r.role === 'leader');
    const followers = pages.filter((_, i) => i !== leader);
    await Promise.all(followers.map((p) => p.evaluate(inAsk, { tags: [`fault:delay=${HOLD_MS}`], label: 'pending' })));
    await new Promise((r) => setTimeout(r, 200));
    const closedAt = Date.now();
    await Promise.all([pages[leader].close(), followers[0].evaluate(inAsk, { tags: [], label: 'fresh' })]);
    const answered = await Promise.all(followers.map((p, i) => p.waitForFunction(
      (labels) => labels.every((l) => window.__answeredAt[l] !== undefined) && window.__answeredAt,
      i === 0 ? ['pending', 'fresh'] : ['pending'],
      { timeout: WAIT_MS, polling: 10 },
    ).then((h) => h.jsonValue())));
    const bad = answered.flatMap((a) => Object.values(a)).filter((v) => typeof v !== 'number');
    if (bad.length) throw new Error(`round ${n}: ${bad.join(', ')}`);
    return {
      sockets,
      pendingMs: Math.max(...answered.map((a) => a.pending)) - closedAt,
      freshMs: answered[0].fresh - closedAt,
    };
  } finally {
    await context.close();
  }
}

const server = await startServer([], { maxLifetimeSecs: 900 });
const browser = await launchChromium();
const rows = [];
try {
  await round(browser, server, 0);
  for (let n = 1; n <= ROUNDS; n++) {
    rows.push(await round(browser, server, n));
    process.stderr.write(`bench cross-tab: round ${n}/${ROUNDS}: ${JSON.stringify(rows.at(-1))}\n`);
  }
} finally {
  await browser.close();
  await server.stop();
}

const pending = rows.map((r) => r.pendingMs);
const fresh = rows.map((r) => r.freshMs);
const report = {
  rounds: ROUNDS,
  tabs: TABS,
  socketsPerRound: rows.map((r) => r.sockets),
  pendingMs: { median: median(pending), p90: quantile(pending, 0.9), all: pending },
  freshMs: { median: median(fresh), p90: quantile(fresh, 0.9), all: fresh },
  heldMs: HOLD_MS,
};
mkdirSync(path.dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
const cpus = os.cpus();
console.log(`optave-client across tabs — ${cpus[0] ? cpus[0].model.trim() : 'unknown'}, ${cpus.length} cores; headless Chromium; ${ROUNDS} rounds after a warm-up`);
console.log('| measure | median | p90 |');
console.log('| --- | --- | --- |');
console.log(`| sockets accepted for ${TABS} tabs of one key | ${median(report.socketsPerRound)} | ${quantile(report.socketsPerRound, 0.9)} |`);
console.log(`| leader page closed → the 4 followers' pending requests answered (server holds each ${HOLD_MS} ms) | ${median(pending)} ms | ${quantile(pending, 0.9)} ms |`);
console.log(`| leader page closed → a request sent then answered | ${median(fresh)} ms | ${quantile(fresh, 0.9)} ms |`);
console.log(`wrote ${path.relative(ROOT, OUT)}`);
