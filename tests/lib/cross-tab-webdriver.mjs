// Cross-tab sharing through WebDriver, one window per tab: the scenarios the
// Firefox (tests/e2e/cross-tab-firefox.e2e.mjs) and WebKit
// (tests/webkit/cross-tab.webkit.mjs) suites share. Each suite calls
// `crossTabScenarios(engine, startSession)` once at the top level; it starts
// a local OCO server of its own (the socket counts of GET /api/test/stats are
// its alone) and one browser session with several windows.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './local-server.mjs';
import {
  EXPECTED_EACH, assertAnsweredOnce, countRoles, inAllAnswered, inRecord, inRole, inSendEach, inStartTab,
  socketStats, until, webdriverTabs,
} from './cross-tab.mjs';

const WAIT_MS = 20_000;
const QUIET_MS = 800;

/**
 * Defines the suite: five windows with one key (one socket, one leader), a
 * sixth with another key (a second socket), the leader window closed with
 * requests on the wire (each answered once through one new socket).
 * `startSession()` resolves a session `{ driver, evaluate, quit }`; `kind`
 * is 'window' (a window per tab) or 'tab' (tabs of one window).
 */
export function crossTabScenarios(engine, startSession, kind = 'window') {
  let server;
  let session;
  let tabs;
  // 'window': a window per tab; 'tab': tabs of one window (in WebKit the ones behind report 'hidden').
  const one = kind === 'tab' ? 'tab' : 'window';


  /** Opens a window of the server with a connected client of `key`; returns its index. */
  async function openTab(key) {
    const i = await tabs.open(`${server.url}/healthz`);
    await tabs.run(i, inStartTab, { key });
    return i;
  }

  /** Waits until exactly one of the tabs `ids` leads and the others follow, all connected; returns the leader's index. */
  async function oneLeader(ids, message = 'one leader, the others followers, all connected') {
    const got = await until(async () => {
      const r = [];
      for (const i of ids) r.push(await tabs.run(i, inRole));
      const n = countRoles(r);
      return n.leader === 1 && n.follower === ids.length - 1 && r.every((x) => x.state === 'connected') && r;
    }, { timeoutMs: WAIT_MS, every: 200, message });
    return ids[got.findIndex((r) => r.role === 'leader')];
  }

  /** Waits until every request of inSendEach of the tabs `ids` is answered, then a quiet spell; checks each answered once. */
  async function allAnsweredOnce(ids, label) {
    await until(async () => {
      for (const i of ids) if (!(await tabs.run(i, inAllAnswered, EXPECTED_EACH))) return false;
      return true;
    }, { timeoutMs: WAIT_MS, every: 200, message: `${label}: every request answered` });
    await new Promise((r) => setTimeout(r, QUIET_MS));
    for (const i of ids) assertAnsweredOnce(await tabs.run(i, inRecord), `${label} tab ${i}`);
  }

  describe(`one connection across tabs in ${engine} (a ${one} each)`, () => {
    // Inside the describe: one server and one browser at a time when a file defines several.
    before(async () => {
      [server, session] = await Promise.all([startServer([], { maxLifetimeSecs: 300 }), startSession()]);
      tabs = webdriverTabs(session, kind);
    });

    after(async () => {
      await session?.quit();
      await server?.stop();
    });

    const team = [];

    test(`five ${one}s with one key: one socket and one token, one leader and four followers, every request answered once in its own ${one}`, async () => {
      const before = await socketStats(server.url);
      assert.equal(before.openSockets, 0);
      for (let n = 0; n < 5; n++) team.push(await openTab('team-a'));
      await oneLeader(team);
      const stats = await socketStats(server.url);
      assert.deepEqual(stats, { openSockets: 1, acceptedSockets: 1 }, `one socket for five ${one}s`);
      let asked = 0;
      for (const i of team) asked += await tabs.run(i, () => window.__tab.tokens);
      assert.equal(asked, 1, 'one token asked for, by the leader');
      for (const i of team) await tabs.run(i, inSendEach, { label: `five-${i}` });
      await allAnsweredOnce(team, 'five');
      assert.equal((await socketStats(server.url)).acceptedSockets, 1, 'the requests opened no other socket');
    });

    test(`a sixth ${one} with another key makes a second socket and leads its own key`, async () => {
      const other = await openTab('team-b');
      await oneLeader([other], `the other key's ${one} leads`);
      await oneLeader(team, 'the first key still has one leader');
      assert.deepEqual(await socketStats(server.url), { openSockets: 2, acceptedSockets: 2 });
      await tabs.run(other, inSendEach, { label: 'other-key' });
      await allAnsweredOnce([other], 'other key');
    });

    test(`the leader ${one} closed while the other ${one}s have requests on the wire: each answered once, through one new socket`, async () => {
      const leader = await oneLeader(team);
      const rest = team.filter((i) => i !== leader);
      for (const i of rest) {
        await tabs.run(i, () => { window.__tab.frames = []; window.__tab.ids = {}; window.__tab.answers = {}; window.__tab.settled = {}; });
        await tabs.run(i, inSendEach, { tags: ['fault:delay=1500'], label: `handover-${i}` });
      }
      const before = await socketStats(server.url);
      await tabs.close(leader);
      await allAnsweredOnce(rest, 'handover');
      await oneLeader(rest, 'a new leader among the four');
      // The new leader's socket and the other key's.
      const stats = await until(async () => {
        const s = await socketStats(server.url);
        return s.openSockets === 2 && s;
      }, { timeoutMs: WAIT_MS, message: 'two open sockets' });
      assert.equal(stats.acceptedSockets - before.acceptedSockets, 1, `one new socket: ${JSON.stringify({ before, stats })}`);
    });
  });
}
