// One connection across tabs (`crossTab: { key }`) in Chromium: several
// pages of one browser context, driven through Playwright, against local OCO
// servers of this file's own (one plain, one under the supervisor for the
// restart), so the socket counts of GET /api/test/stats are this file's alone.
// Five tabs of one key: one socket, one token, one leader, every request
// answered once in its own tab; other keys, tenants and organizations get
// sockets of their own; handover when the leader's page closes, its client
// closes, it is told `freeze` / `pagehide`, or it is frozen (its script halted)
// with requests on the wire; a server restart reconnects once; 100 leader
// changes leak no channel, listener or lock; bad keys and foreign messages.
//
//   make test-e2e          (node --test tests/e2e/*.mjs)
//
// What a tab does and what it saw is tests/lib/cross-tab.mjs (window.__tab).
// Environment: CHROMIUM (default /usr/bin/chromium).

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freezePage, launchChromium, thawPage } from '../lib/chromium.mjs';
import { startServer } from '../lib/local-server.mjs';
import {
  EXPECTED_EACH, TRACKER, assertAnsweredOnce, countRoles, inAllAnswered, inLeakCounts, inRecord, inRole,
  inSendEach, inStartTab, socketStats, until,
} from '../lib/cross-tab.mjs';

/** Bound on a follower's request while its leader is frozen: 3 s of silence before the takeover, then a new socket. */
const FROZEN_LEADER_ANSWER_MS = 8000;
/** Bound on every answer and on every settling condition below (generous: a loaded 2-core machine). */
const WAIT_MS = 20_000;
/** Quiet time after the last expected frame, to see any frame delivered twice. */
const QUIET_MS = 800;
const LEADER_CHANGES = 100;
/** Bound on the handover after `freeze` or `pagehide` in the leader: "at once", under the 3 s silence rule. */
const SIGNAL_HANDOVER_MS = 1500;

let server;
let supervised;
let browser;

before(async () => {
  [server, supervised] = await Promise.all([
    startServer([], { maxLifetimeSecs: 300 }),
    startServer([], { supervised: true, maxLifetimeSecs: 300 }),
  ]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await Promise.all([server?.stop(), supervised?.stop()]);
});

/** Contexts still open: closed after each test (the first describe's after its last), failed or not. */
const contexts = new Set();
async function closeContexts() {
  for (const c of contexts) await c.close().catch(() => {});
  contexts.clear();
}

/** A fresh context (the leak tracker installed) whose pages record their uncaught errors in `problems`. */
async function newContext() {
  const context = await browser.newContext();
  contexts.add(context);
  await context.addInitScript(TRACKER);
  const problems = [];
  context.on('page', (page) => page.on('pageerror', (err) => problems.push(err.message)));
  return { context, problems };
}

/** `n` pages of `base` in `context`, each with a connected client of `key` (`scope`: other `tenantId` / `organizationId`). */
async function openTabs(context, n, key, base = server.url, scope = {}) {
  const pages = [];
  for (let i = 0; i < n; i++) {
    const page = await context.newPage();
    await page.goto(`${base}/healthz`);
    pages.push(page);
  }
  await Promise.all(pages.map((p) => p.evaluate(inStartTab, { key, ...scope })));
  return pages;
}

const roles = (pages) => Promise.all(pages.map((p) => p.evaluate(inRole)));
/** Tokens the tokenProviders of `pages` were asked for, in all. */
const tokens = async (pages) => (await Promise.all(pages.map((p) => p.evaluate(() => window.__tab.tokens)))).reduce((a, b) => a + b, 0);

/** Waits until exactly one of `pages` leads and the others follow, every one connected; returns the leader's index. */
async function oneLeader(pages, message = 'one leader, the others followers, all connected') {
  const got = await until(async () => {
    const r = await roles(pages);
    const n = countRoles(r);
    return n.leader === 1 && n.follower === pages.length - 1 && r.every((x) => x.state === 'connected') && r;
  }, { timeoutMs: WAIT_MS, message });
  return got.findIndex((r) => r.role === 'leader');
}

/** Waits until the server at `base` has `open` sockets open (fetch errors while it restarts count as not yet). */
function openSocketsAt(base, open) {
  return until(async () => {
    try {
      const s = await socketStats(base);
      return s.openSockets === open && s;
    } catch {
      return false;
    }
  }, { timeoutMs: WAIT_MS, message: `${open} open socket(s) at ${base}` });
}

/** Sends the three kinds of request from every page, waits for every answer and a quiet spell, checks each answered once. */
async function sendFromEach(pages, tags = [], label = 'each', requestId = undefined) {
  await Promise.all(pages.map((p, i) => p.evaluate(inSendEach, { tags, label: `${label}-${i}`, requestId })));
  await Promise.all(pages.map((p) => p.waitForFunction(inAllAnswered, EXPECTED_EACH, { timeout: WAIT_MS, polling: 100 })));
  await new Promise((r) => setTimeout(r, QUIET_MS));
  const records = await Promise.all(pages.map((p) => p.evaluate(inRecord)));
  records.forEach((rec, i) => assertAnsweredOnce(rec, `${label} tab ${i}`));
  return records;
}

describe('one connection across tabs in Chromium', () => {
  let context;
  let problems;
  let pages;
  let other;

  after(closeContexts);

  test('five tabs with one key: one socket and one token, one leader and four followers, every request answered once in its own tab', async () => {
    ({ context, problems } = await newContext());
    const before = await openSocketsAt(server.url, 0);
    pages = await openTabs(context, 5, 'team-a');
    await oneLeader(pages);
    assert.equal(await tokens(pages), 1, 'one token asked for, by the leader');
    const stats = await socketStats(server.url);
    assert.equal(stats.openSockets - before.openSockets, 1, `open sockets ${JSON.stringify(stats)}`);
    assert.equal(stats.acceptedSockets - before.acceptedSockets, 1, `accepted sockets ${JSON.stringify(stats)}`);
    await sendFromEach(pages, [], 'five');
    const after = await socketStats(server.url);
    assert.equal(after.acceptedSockets, stats.acceptedSockets, 'the requests opened no other socket');
    assert.deepEqual(problems, []);
  });

  test('the five tabs send with one requestId (the documentation\'s): every request answered once, in its own tab', async () => {
    for (const p of pages) await p.evaluate(() => { window.__tab.frames = []; window.__tab.ids = {}; window.__tab.answers = {}; window.__tab.settled = {}; });
    await sendFromEach(pages, [], 'same-request-id', 'a1b2c3d4-e5f6-7890-1234-56789ab2345');
    assert.deepEqual(problems, []);
  });

  test('a sixth tab with another key makes a second socket and leads its own key', async () => {
    const before = await socketStats(server.url);
    [other] = await openTabs(context, 1, 'team-b');
    await oneLeader([other], 'the other key\'s tab leads');
    await oneLeader(pages, 'the first key still has one leader');
    const stats = await socketStats(server.url);
    assert.equal(stats.openSockets, before.openSockets + 1, JSON.stringify(stats));
    assert.equal(stats.acceptedSockets, before.acceptedSockets + 1, JSON.stringify(stats));
    await sendFromEach([other], [], 'other-key');
    assert.deepEqual(problems, []);
  });

  test('the same key with another tenantId, or another organizationId, makes a socket of its own', async () => {
    const before = await socketStats(server.url);
    const [tenant] = await openTabs(context, 1, 'team-a', server.url, { tenantId: 'tenant-other' });
    const [org] = await openTabs(context, 1, 'team-a', server.url, { organizationId: '0a1b2c3d-4e5f-6789-abcd-ef0123456789' });
    await oneLeader([tenant], 'the other tenant\'s tab leads');
    await oneLeader([org], 'the other organization\'s tab leads');
    await oneLeader(pages, 'the first key still has one leader');
    const stats = await socketStats(server.url);
    assert.equal(stats.acceptedSockets, before.acceptedSockets + 2, JSON.stringify(stats));
    await tenant.close();
    await org.close();
    await openSocketsAt(server.url, before.openSockets);
    assert.deepEqual(problems, []);
  });

  test('the leader page closed while the other tabs have requests on the wire: each answered once, through one new socket', async () => {
    const leader = await oneLeader(pages);
    const rest = pages.filter((_, i) => i !== leader);
    for (const p of rest) await p.evaluate(() => { window.__tab.frames = []; window.__tab.ids = {}; window.__tab.answers = {}; window.__tab.settled = {}; });
    // Answered 1.5 s after they reach the server: still on the wire when the leader goes.
    await Promise.all(rest.map((p, i) => p.evaluate(inSendEach, { tags: ['fault:delay=1500'], label: `handover-${i}` })));
    await new Promise((r) => setTimeout(r, 400));
    const before = await socketStats(server.url);
    await pages[leader].close();
    await Promise.all(rest.map((p) => p.waitForFunction(inAllAnswered, EXPECTED_EACH, { timeout: WAIT_MS, polling: 100 })));
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const records = await Promise.all(rest.map((p) => p.evaluate(inRecord)));
    records.forEach((rec, i) => assertAnsweredOnce(rec, `handover tab ${i}`));
    await oneLeader(rest, 'a new leader among the four');
    // The new leader's socket and the other key's.
    const stats = await openSocketsAt(server.url, 2);
    assert.equal(stats.acceptedSockets - before.acceptedSockets, 1, `one new socket: ${JSON.stringify({ before, stats })}`);
    assert.deepEqual(problems, []);
  });
});

/** Freezes the leader's page ({@link freezePage}): from then on it runs nothing while its socket stays open. */
async function freeze(cdp) {
  assert.ok(await freezePage(cdp), 'the leader page ran no script within 5 s of the pause (nothing to halt)');
}

const resume = thawPage;

describe('a frozen leader in Chromium', () => {
  afterEach(closeContexts);

  test(`a follower's request is answered within ${FROZEN_LEADER_ANSWER_MS} ms while the leader is frozen; once resumed nothing comes twice and one socket stays open`, async (t) => {
    const { context, problems } = await newContext();
    await openSocketsAt(server.url, 0);
    const pages = await openTabs(context, 3, 'team-d');
    const leader = await oneLeader(pages);
    const followers = pages.filter((_, i) => i !== leader);
    const cdp = await context.newCDPSession(pages[leader]);
    await freeze(cdp);
    try {
      await followers[0].evaluate(inSendEach, { label: 'frozen' });
      await followers[0].waitForFunction(inAllAnswered, EXPECTED_EACH, { timeout: WAIT_MS, polling: 100 });
      const rec = await followers[0].evaluate(inRecord);
      t.diagnostic(`frozen leader: the follower's Async call answered in ${rec.answers.async} ms, settled() in ${rec.answers.handle} ms`);
      assert.ok(rec.answers.async <= FROZEN_LEADER_ANSWER_MS, `the Async answer took ${rec.answers.async} ms`);
      assert.ok(rec.answers.handle <= FROZEN_LEADER_ANSWER_MS, `settled() took ${rec.answers.handle} ms`);
      const r = await roles(followers);
      assert.equal(countRoles(r).leader, 1, `a follower took over: ${JSON.stringify(r)}`);
    } finally {
      await resume(cdp);
    }
    await openSocketsAt(server.url, 1);
    const newLeader = await oneLeader(pages, 'after the resume: one leader');
    assert.notEqual(newLeader, leader, 'the resumed page does not lead again');
    await new Promise((r) => setTimeout(r, QUIET_MS));
    assertAnsweredOnce(await followers[0].evaluate(inRecord), 'the follower, after the resume');
    // Every tab, the resumed one too, still gets its answers, once.
    for (const p of pages) await p.evaluate(() => { window.__tab.frames = []; window.__tab.ids = {}; window.__tab.answers = {}; window.__tab.settled = {}; });
    await sendFromEach(pages, [], 'resumed');
    assert.equal((await socketStats(server.url)).openSockets, 1);
    assert.deepEqual(problems, []);
  });

  test('requests on the wire when the leader freezes, its own and a follower\'s, are answered once in each tab after the takeover and the resume', async () => {
    const { context, problems } = await newContext();
    await openSocketsAt(server.url, 0);
    const pages = await openTabs(context, 3, 'team-d2');
    const leader = await oneLeader(pages);
    const follower = pages[(leader + 1) % 3];
    // Answered 1 s after the server reads them: the answers reach the frozen leader's socket.
    await pages[leader].evaluate(inSendEach, { tags: ['fault:delay=1000'], label: 'frozen-own' });
    await follower.evaluate(inSendEach, { tags: ['fault:delay=1000'], label: 'frozen-follower' });
    await new Promise((r) => setTimeout(r, 300));
    const cdp = await context.newCDPSession(pages[leader]);
    await freeze(cdp);
    try {
      await follower.waitForFunction(inAllAnswered, EXPECTED_EACH, { timeout: WAIT_MS, polling: 100 });
    } finally {
      await resume(cdp);
    }
    await pages[leader].waitForFunction(inAllAnswered, EXPECTED_EACH, { timeout: WAIT_MS, polling: 100 });
    await openSocketsAt(server.url, 1);
    await oneLeader(pages, 'after the resume: one leader');
    await new Promise((r) => setTimeout(r, 1500));
    assertAnsweredOnce(await follower.evaluate(inRecord), 'the follower');
    assertAnsweredOnce(await pages[leader].evaluate(inRecord), 'the resumed leader');
    const third = await pages[(leader + 2) % 3].evaluate(inRecord);
    assert.deepEqual(third.frames, [], 'the tab that sent nothing got no frame');
    assert.deepEqual(problems, []);
  });
});

describe('a leader told of freeze and pagehide in Chromium', () => {
  afterEach(closeContexts);

  // The events a browser sends before it freezes or hides a page, dispatched
  // in the page (headless Chromium freezes no visible page): the leader hands
  // over at once, well before the 3 s of silence after which a follower steals.
  for (const [signal, back] of [['freeze', 'resume'], ['pagehide', 'pageshow']]) {
    test(`on ${signal} the leader hands over within ${SIGNAL_HANDOVER_MS} ms; on ${back} it follows; one socket, requests answered once`, async () => {
      const { context, problems } = await newContext();
      await openSocketsAt(server.url, 0);
      const pages = await openTabs(context, 3, `team-${signal}`);
      const leader = await oneLeader(pages);
      const rest = pages.filter((_, i) => i !== leader);
      const at = Date.now();
      await pages[leader].evaluate((name) => (name === 'freeze'
        ? document.dispatchEvent(new Event('freeze'))
        : window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))), signal);
      await until(async () => countRoles(await roles(rest)).leader === 1, { timeoutMs: WAIT_MS, every: 20, message: 'another tab leads' });
      const took = Date.now() - at;
      assert.ok(took <= SIGNAL_HANDOVER_MS, `another tab led ${took} ms after ${signal}`);
      await pages[leader].evaluate((name) => (name === 'resume'
        ? document.dispatchEvent(new Event('resume'))
        : window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))), back);
      const now = await oneLeader(pages, `after ${back}: one leader, the others following`);
      assert.notEqual(now, leader);
      await openSocketsAt(server.url, 1);
      await sendFromEach(pages, [], `after-${signal}`);
      assert.equal((await socketStats(server.url)).openSockets, 1);
      assert.deepEqual(problems, []);
    });
  }
});

describe('a leader whose client closes in Chromium', () => {
  afterEach(closeContexts);

  test('close() on the leader\'s client hands the socket to another tab: one new socket, requests answered once', async () => {
    const { context, problems } = await newContext();
    await openSocketsAt(server.url, 0);
    const pages = await openTabs(context, 3, 'team-c');
    const leader = await oneLeader(pages);
    const rest = pages.filter((_, i) => i !== leader);
    const before = await socketStats(server.url);
    await pages[leader].evaluate(() => window.__tab.client.close());
    await oneLeader(rest, 'another tab leads');
    const stats = await openSocketsAt(server.url, 1);
    assert.equal(stats.acceptedSockets - before.acceptedSockets, 1, JSON.stringify({ before, stats }));
    await sendFromEach(rest, [], 'after-close');
    assert.equal((await socketStats(server.url)).acceptedSockets, stats.acceptedSockets);
    assert.deepEqual(problems, []);
  });
});

describe('a server restart with five tabs in Chromium', () => {
  afterEach(closeContexts);

  test('the five tabs reconnect through one socket, the leader alone asking for tokens', async () => {
    const { context, problems } = await newContext();
    const pages = await openTabs(context, 5, 'team-e', supervised.url);
    await oneLeader(pages);
    const tokensOf = () => Promise.all(pages.map((p) => p.evaluate(() => window.__tab.tokens)));
    const tokensBefore = await tokensOf();
    assert.equal((await socketStats(supervised.url)).acceptedSockets, 1);
    for (const p of pages) await p.evaluate(() => { window.__tab.states = []; });
    const res = await fetch(`${supervised.control}/restart?downMs=300`, { method: 'POST' });
    assert.equal(res.status, 200);
    await until(async () => {
      const states = await Promise.all(pages.map((p) => p.evaluate(() => window.__tab.states)));
      return states.every((s) => s.includes('disconnected') || s.includes('connecting'));
    }, { timeoutMs: WAIT_MS, message: 'every tab saw the connection go' });
    await oneLeader(pages, 'after the restart: one leader, all connected');
    await new Promise((r) => setTimeout(r, 1500));
    // The restarted server counts from zero.
    const stats = await socketStats(supervised.url);
    assert.deepEqual(stats, { openSockets: 1, acceptedSockets: 1 }, 'one reconnect for the five tabs');
    // Every attempt asks for a fresh token (some fail while the server is down), all in one tab: the leader's.
    const asked = (await tokensOf()).map((n, i) => n - tokensBefore[i]);
    const leaderNow = (await roles(pages)).findIndex((r) => r.role === 'leader');
    assert.ok(asked[leaderNow] >= 1, `the leader asked for the reconnect's token: ${asked}`);
    assert.deepEqual(asked.filter((_, i) => i !== leaderNow), [0, 0, 0, 0], `tokens asked for per tab: ${asked}`);
    await sendFromEach(pages, [], 'restarted');
    assert.deepEqual(problems, []);
  });
});

describe('leader changes leak nothing in Chromium', () => {
  afterEach(closeContexts);

  test(`${LEADER_CHANGES} leader changes (the leader's client freed and made again) leave BroadcastChannels, listeners and Web Locks at their baseline`, async () => {
    const { context, problems } = await newContext();
    await openSocketsAt(server.url, 0);
    const pages = await openTabs(context, 2, 'team-f');
    let leader = await oneLeader(pages);
    // Playwright's waitForFunction adds its own listeners to a page the first time: before the baseline.
    for (const p of pages) await p.waitForFunction(() => true, null, { polling: 20 });
    await new Promise((r) => setTimeout(r, 1000));
    const baseline = await Promise.all(pages.map((p) => p.evaluate(inLeakCounts)));
    for (let i = 0; i < LEADER_CHANGES; i++) {
      await pages[leader].evaluate(async (key) => {
        window.__tab.client.free();
        const { OptaveClient } = await import('/pkg/optave_client.js');
        const client = await OptaveClient.create({
          websocketUrl: location.origin.replace(/^http/, 'ws') + '/ws',
          tokenProvider: async () => (await (await fetch('/api/ws-ticket', { method: 'POST' })).json()).ticket,
          organizationId: 'f7e8d9c0-b1a2-3456-7890-123456789abc',
          tenantId: 'tenant-cross-tab',
          reconnect: { minDelayMs: 50, maxDelayMs: 400 },
          crossTab: { key },
        });
        window.__tab.client = client;
        await client.connect();
      }, 'team-f');
      const next = 1 - leader;
      await pages[next].waitForFunction(() => window.__tab.client.crossTabRole === 'leader', null, { timeout: WAIT_MS, polling: 20 });
      leader = next;
    }
    leader = await oneLeader(pages, `after ${LEADER_CHANGES} changes: one leader`);
    await new Promise((r) => setTimeout(r, 1500));
    const now = await Promise.all(pages.map((p) => p.evaluate(inLeakCounts)));
    for (const i of [0, 1]) {
      const strip = ({ channelNames, ...c }) => c;
      assert.deepEqual(strip(now[i]), strip(baseline[i]), `page ${i}: ${JSON.stringify({ baseline: baseline[i], now: now[i] })}`);
    }
    assert.equal((await socketStats(server.url)).openSockets, 1);
    assert.deepEqual(problems, []);
  });
});

describe('bad input to cross-tab sharing in Chromium', () => {
  afterEach(closeContexts);

  test('a crossTab.key that is empty or not a string is refused with VALIDATION naming crossTab.key; without the option or without tokenProvider the role is solo', async () => {
    const { context, problems } = await newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/healthz`);
    const got = await page.evaluate(async () => {
      const { OptaveClient, OptaveError } = await import('/pkg/optave_client.js');
      const base = { websocketUrl: location.origin.replace(/^http/, 'ws') + '/ws', tokenProvider: async () => 'unused' };
      await OptaveClient.create(base).then((c) => c.free());
      const refusal = (key) => {
        try {
          new OptaveClient({ ...base, crossTab: { key } }).free();
          return 'accepted';
        } catch (e) {
          return { optave: e instanceof OptaveError, category: e.category, names: `${e.message} ${JSON.stringify(e.details ?? null)}`.includes('crossTab.key') };
        }
      };
      const without = new OptaveClient(base);
      const noProvider = new OptaveClient({ websocketUrl: base.websocketUrl, crossTab: { key: 'team-g' } });
      const ticket = (await (await fetch('/api/ws-ticket', { method: 'POST' })).json()).ticket;
      await noProvider.connect(ticket);
      const out = { empty: refusal(''), number: refusal(5), without: without.crossTabRole, noProvider: noProvider.crossTabRole, noProviderState: noProvider.state };
      without.free();
      noProvider.free();
      return out;
    });
    const refused = { optave: true, category: 'VALIDATION', names: true };
    assert.deepEqual(got, { empty: refused, number: refused, without: 'solo', noProvider: 'solo', noProviderState: 'connected' });
    assert.deepEqual(problems, []);
  });

  test('foreign and malformed messages on the SDK\'s BroadcastChannel are ignored (the tabs keep working) and logged once', async () => {
    const { context, problems } = await newContext();
    const pages = await openTabs(context, 3, 'team-g');
    const leader = await oneLeader(pages);
    const { channelNames } = await pages[0].evaluate(inLeakCounts);
    assert.ok(channelNames.length >= 1, 'the SDK opened a BroadcastChannel');
    const logsBefore = await Promise.all(pages.map((p) => p.evaluate(() => window.__tab.logs.length)));
    // Another script of the origin posting on the same channel name.
    const stranger = await context.newPage();
    await stranger.goto(`${server.url}/healthz`);
    await stranger.evaluate((names) => {
      for (const name of names) {
        const ch = new BroadcastChannel(name);
        ch.postMessage({ type: 'hello', from: 'another library', correlationId: 42, payload: '{not json' });
        ch.close();
      }
    }, channelNames);
    await new Promise((r) => setTimeout(r, 1500));
    const logs = await Promise.all(pages.map((p, i) => p.evaluate((n) => window.__tab.logs.slice(n), logsBefore[i])));
    const warnings = logs.map((l) => l.filter(([level]) => level === 'warn' || level === 'error'));
    assert.ok(warnings.every((w) => w.length <= 1), `at most one log line per tab: ${JSON.stringify(warnings)}`);
    assert.ok(warnings.some((w) => w.length === 1), `logged: ${JSON.stringify(logs)}`);
    // Then malformed ones, some dressed as the SDK's own (wrong types, bad numbers, missing fields):
    // still ignored, and not logged again.
    await stranger.evaluate((names) => {
      const junk = [
        'hello', 42, null, [1, 2], { sdk: 'optave-client' }, { sdk: 'optave-client', t: 'nonsense' },
        { sdk: 'optave-client', t: 'beat', epoch: -1, tab: 5, connected: 'yes' },
        { sdk: 'optave-client', t: 'beat', epoch: 1.5, tab: 'ghost' },
        { sdk: 'optave-client', t: 'send', from: 'ghost', epoch: 'x', correlationId: 7, text: {} },
        { sdk: 'optave-client', t: 'frame', epoch: Number.NaN, tab: 'ghost', to: 3, text: 42 },
        { sdk: 'optave-client', t: 'ack', from: null, epoch: 1e300, unfinished: 'no' },
        // The channel's own shape, { h: header JSON, text }, with bad headers (docs/protocol.md, section 9).
        { h: '{not json' }, { h: 42, text: 'x' }, { h: 'x'.repeat(3000) }, { h: null, text: null },
        { h: JSON.stringify({ sdk: 'another-library', t: 'beat', epoch: 1, tab: 'ghost', connected: true }) },
        { h: JSON.stringify({ sdk: 'optave-client', t: 'nonsense' }) },
        { h: JSON.stringify({ sdk: 'optave-client', t: 'beat', epoch: -1, tab: 5, connected: 'yes' }) },
        { h: JSON.stringify({ sdk: 'optave-client', t: 'beat', epoch: 1.5, tab: 'ghost', connected: true }) },
        { h: JSON.stringify({ sdk: 'optave-client', t: 'resign', epoch: 'x' }) },
        { h: JSON.stringify({ sdk: 'optave-client', t: 'send', from: 'ghost', epoch: 'x', correlationId: 7 }), text: {} },
        { h: JSON.stringify({ sdk: 'optave-client', t: 'frame', epoch: null, tab: 'ghost', to: 3 }), text: 42 },
        { h: JSON.stringify({ sdk: 'optave-client', t: 'ack', from: null, epoch: 1e300, unfinished: 'no' }) },
      ];
      for (const name of names) {
        const ch = new BroadcastChannel(name);
        for (const m of junk) ch.postMessage(m);
        ch.close();
      }
    }, channelNames);
    await new Promise((r) => setTimeout(r, 1500));
    const after = await Promise.all(pages.map((p, i) => p.evaluate((n) => window.__tab.logs.slice(n), logsBefore[i])));
    const total = after.map((l) => l.filter(([level]) => level === 'warn' || level === 'error'));
    assert.ok(total.every((w) => w.length <= 1), `still at most one log line per tab: ${JSON.stringify(total)}`);
    assert.equal(await oneLeader(pages), leader, 'the leader did not change');
    await sendFromEach(pages, [], 'after-foreign');
    const errors = await Promise.all(pages.map((p) => p.evaluate(() => window.__tab.errors)));
    assert.deepEqual(errors, [[], [], []]);
    assert.deepEqual(problems, []);
  });
});
