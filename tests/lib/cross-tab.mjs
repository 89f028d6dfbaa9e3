// Cross-tab sharing (`crossTab: { key }`), what every browser driver of it
// shares: tests/e2e/cross-tab.e2e.mjs (Chromium, Playwright),
// tests/e2e/cross-tab-firefox.e2e.mjs (Firefox, WebDriver),
// tests/webkit/cross-tab.webkit.mjs (WebKitGTK, WebDriver) and
// bench/cross-tab.mjs.
//
// The `in*` functions run inside a page of the local server (any same-origin
// page, e.g. /healthz): each takes one serialisable argument and returns
// plain data, so Playwright's page.evaluate(fn, arg) and a WebDriver
// executeScript (`inPage(fn, arg)` gives its text) both run them. A tab's
// record lives in `window.__tab`: every superpower frame it was given as
// [correlationId, actionType, state], its roles, states, errors, log lines
// and how many tokens its tokenProvider was asked for.
//
// TRACKER is an init script, to run before the SDK loads: it counts the
// BroadcastChannels alive (made and not closed) and the event listeners
// alive (added and not removed), for the leak checks.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** actionTypes the local server answers each action with (tests/superpowers.json). */
export const EXPECTED_TYPES = Object.fromEntries(
  JSON.parse(readFileSync(new URL('../superpowers.json', import.meta.url), 'utf8')),
);

/** The three ways a tab asks in `inSendEach`: an `...Async` call, a request handle, a fire-and-forget send. */
export const SEND_KINDS = { async: 'interaction', handle: 'insights', fire: 'summarize' };

/** `executeScript` text that runs `fn(arg)` in the page and returns (or awaits) its result. */
export function inPage(fn, arg) {
  return `return (${fn.toString()})(${JSON.stringify(arg ?? null)});`;
}

/** Init script: live BroadcastChannels and live listeners, in `window.__xtTracker.counts()`. */
export const TRACKER = `(() => {
  if (window.__xtTracker) return;
  const channels = new Set();
  const listeners = [];
  const Channel = window.BroadcastChannel;
  if (Channel) {
    const close = Channel.prototype.close;
    Channel.prototype.close = function () { channels.delete(this); return close.call(this); };
    window.BroadcastChannel = class extends Channel {
      constructor(name) { super(name); channels.add(this); }
    };
  }
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  const capture = (o) => Boolean(typeof o === 'boolean' ? o : o && o.capture);
  const find = (t, type, fn, c) => listeners.findIndex((l) => l.t === t && l.type === type && l.fn === fn && l.c === c);
  const drop = (t, type, fn, c) => { const i = find(t, type, fn, c); if (i >= 0) listeners.splice(i, 1); };
  EventTarget.prototype.addEventListener = function (type, fn, options) {
    const c = capture(options);
    if (fn && find(this, type, fn, c) < 0) {
      const once = Boolean(options && typeof options === 'object' && options.once);
      const signal = options && typeof options === 'object' ? options.signal : undefined;
      if (!(signal && signal.aborted)) {
        listeners.push({ t: this, type, fn, c });
        if (signal) add.call(signal, 'abort', () => drop(this, type, fn, c), { once: true });
        if (once) {
          const self = this;
          add.call(this, type, () => drop(self, type, fn, c), { once: true, capture: c });
        }
      }
    }
    return add.call(this, type, fn, options);
  };
  EventTarget.prototype.removeEventListener = function (type, fn, options) {
    drop(this, type, fn, capture(options));
    return remove.call(this, type, fn, options);
  };
  const kind = (t) => t === window ? 'window' : t === document ? 'document' : (t && t.constructor && t.constructor.name) || 'other';
  window.__xtTracker = {
    counts() {
      const byTarget = {};
      for (const l of listeners) {
        const k = kind(l.t) + ':' + l.type;
        byTarget[k] = (byTarget[k] || 0) + 1;
      }
      return { channels: channels.size, channelNames: [...new Set([...channels].map((c) => c.name))], listeners: listeners.length, byTarget };
    },
  };
})();`;

// ---------------------------------------------------------------------------
// In the page

/**
 * In the page: loads the package, makes a client with `crossTab: { key }`
 * (and `tenantId`, `organizationId`; a ticket per attempt from /api/ws-ticket), records its events in
 * `window.__tab` (replacing an earlier client's record only when `fresh`) and
 * connects. Resolves `{ role, state }` once connect() resolved.
 */
export async function inStartTab({ key, requestTimeoutMs = 20000, fresh = true, tenantId = 'tenant-cross-tab', organizationId = 'f7e8d9c0-b1a2-3456-7890-123456789abc' }) {
  const { OptaveClient } = await import('/pkg/optave_client.js');
  if (fresh || !window.__tab) window.__tab = { frames: [], roles: [], states: [], errors: [], logs: [], ids: {}, answers: {}, settled: {}, tokens: 0 };
  const tab = window.__tab;
  const line = (level) => (message) => tab.logs.push([level, String(message)]);
  const client = await OptaveClient.create({
    websocketUrl: location.origin.replace(/^http/, 'ws') + '/ws',
    tokenProvider: async () => {
      tab.tokens += 1;
      const res = await fetch('/api/ws-ticket', { method: 'POST' });
      if (!res.ok) throw new Error('ticket endpoint answered HTTP ' + res.status);
      return (await res.json()).ticket;
    },
    organizationId,
    tenantId,
    requestTimeoutMs,
    reconnect: { minDelayMs: 50, maxDelayMs: 400 },
    logger: { debug() {}, info: line('info'), warn: line('warn'), error: line('error') },
    crossTab: { key },
  });
  tab.client = client;
  client.on('superpower.response', (e) => tab.frames.push([e.correlationId, e.actionType, e.state]));
  client.on('superpower.error', (e) => tab.frames.push([e.correlationId, e.actionType, 'error']));
  client.on('roleChange', (e) => tab.roles.push([e.previous, e.current]));
  client.on('stateChange', (e) => tab.states.push(e.current));
  client.on('error', (e) => tab.errors.push(e.category + ' ' + e.code));
  await client.connect();
  return { role: client.crossTabRole, state: client.state };
}

/** In the page: `crossTabRole` and `state` of the tab's client (null when it has none). */
export function inRole() {
  const c = window.__tab && window.__tab.client;
  if (!c) return null;
  try {
    return { role: c.crossTabRole, state: c.state };
  } catch (e) {
    return { role: 'freed', state: 'freed' };
  }
}

/**
 * In the page: one `...Async` call (interaction), one request handle
 * (insights) and one fire-and-forget send (summarize), each with `tags` in
 * `request.reference.tags` (e.g. `fault:delay=1500` to keep them on the wire).
 * Returns the correlationIds known at once (the handle's and the send's); the
 * Async one is recorded in `__tab.ids.async` when its promise resolves.
 */
export function inSendEach({ tags = [], label = 'x', requestId }) {
  const tab = window.__tab;
  const params = {
    request: {
      connections: { threadId: 'cross-tab-' + label },
      reference: { tags },
      scope: { conversations: [{ participants: [{ participantId: 'c1', displayName: 'John Doe', role: 'user' }, { participantId: 'a1', displayName: 'Sarah Smith', role: 'operator' }], messages: [{ participantId: 'c1', content: 'My flight was cancelled, can you help?', timestamp: '2024-01-15T10:30:00.000Z' }] }] },
    },
  };
  if (requestId !== undefined) params.request.requestId = requestId;
  const c = tab.client;
  const at = Date.now();
  const p = c.interactionAsync(params);
  p.then((f) => { tab.ids.async = f.correlationId; tab.answers.async = Date.now() - at; }, (e) => { tab.answers.async = 'rejected ' + e.code; });
  const handle = c.request('insights', params);
  tab.ids.handle = handle.correlationId;
  handle.settled().then(
    (s) => { tab.settled.handle = Object.keys(s.results).sort(); tab.answers.handle = Date.now() - at; },
    (e) => { tab.answers.handle = 'rejected ' + e.code; },
  );
  tab.ids.fire = c.summarize(params);
  return { handle: tab.ids.handle, fire: tab.ids.fire };
}

/** In the page: the tab's record without the client (plain data). */
export function inRecord() {
  const t = window.__tab;
  if (!t) return null;
  const { client, ...rest } = t;
  return JSON.parse(JSON.stringify(rest));
}

/**
 * In the page: has every request of `inSendEach` had all its superpowers
 * completed? (`expected` is EXPECTED_TYPES of the three actions.)
 */
export function inAllAnswered(expected) {
  const t = window.__tab;
  if (!t || !t.ids.async || !t.ids.handle || !t.ids.fire || !t.settled.handle) return false;
  const done = (id, types) => types.every((ty) => t.frames.some((f) => f[0] === id && f[1] === ty && f[2] === 'completed'));
  return done(t.ids.async, expected.async) && done(t.ids.handle, expected.handle) && done(t.ids.fire, expected.fire);
}

/** In the page: live BroadcastChannels and listeners (TRACKER), and the origin's Web Locks held and pending. */
export async function inLeakCounts() {
  const q = await navigator.locks.query();
  return { ...window.__xtTracker.counts(), held: q.held.length, pending: q.pending.length };
}

// ---------------------------------------------------------------------------
// In node

/** The actionTypes each request of `inSendEach` is answered with. */
export const EXPECTED_EACH = {
  async: EXPECTED_TYPES[SEND_KINDS.async],
  handle: EXPECTED_TYPES[SEND_KINDS.handle],
  fire: EXPECTED_TYPES[SEND_KINDS.fire],
};

/**
 * Asserts a tab's record after `inSendEach`: each of its three requests had
 * every superpower it asked for completed, and no superpower frame twice;
 * the tab saw frames of its own requests only; `settled()` had every result.
 */
export function assertAnsweredOnce(record, name) {
  const ids = record.ids;
  const mine = new Set([ids.async, ids.handle, ids.fire]);
  assert.equal(mine.size, 3, `${name}: three distinct correlationIds ${JSON.stringify(ids)}`);
  const foreign = record.frames.filter((f) => !mine.has(f[0]));
  assert.deepEqual(foreign, [], `${name}: frames of requests of other tabs`);
  for (const [kind, types] of Object.entries(EXPECTED_EACH)) {
    const frames = record.frames.filter((f) => f[0] === ids[kind]).map((f) => `${f[1]}:${f[2]}`);
    const seen = new Set(frames);
    assert.equal(seen.size, frames.length, `${name} ${kind}: a superpower frame delivered twice: ${frames.join(', ')}`);
    for (const ty of types) assert.ok(seen.has(`${ty}:completed`), `${name} ${kind}: no completed ${ty}: ${frames.join(', ')}`);
    assert.ok(!frames.some((f) => f.endsWith(':error')), `${name} ${kind}: error frames ${frames.join(', ')}`);
  }
  assert.equal(typeof record.answers.async, 'number', `${name}: the Async promise: ${record.answers.async}`);
  assert.equal(typeof record.answers.handle, 'number', `${name}: settled(): ${record.answers.handle}`);
  assert.deepEqual(record.settled.handle, [...EXPECTED_EACH.handle].sort(), `${name}: settled() results`);
}

/** `{ openSockets, acceptedSockets }` of the local server at `base`. */
export async function socketStats(base) {
  const res = await fetch(`${base}/api/test/stats`);
  assert.equal(res.status, 200, 'GET /api/test/stats');
  const { openSockets, acceptedSockets } = await res.json();
  return { openSockets, acceptedSockets };
}

/** Polls `check()` (async) until it returns a truthy value; throws with the last answer after `timeoutMs`. */
export async function until(check, { timeoutMs = 15_000, every = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`${message}: not true within ${timeoutMs} ms (last answer ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** The roles of `roles` (one per tab) counted: `{ leader, follower, solo, other }`. */
export function countRoles(roles) {
  const n = { leader: 0, follower: 0, solo: 0, other: 0 };
  for (const r of roles) n[r?.role in n ? r.role : 'other'] += 1;
  return n;
}

// ---------------------------------------------------------------------------
// WebDriver (Firefox, WebKit): one window per tab

/**
 * Tabs of a WebDriver session (`session.driver`, `session.evaluate(fn, arg)`):
 * `open(url)` loads `url` in the session's first window, then in a new
 * window (`kind`: 'window' or 'tab') each time; `run(i, fn, arg)` runs fn(arg)
 * in tab i; `close(i)` closes it.
 */
export function webdriverTabs(session, kind = 'window') {
  const handles = [];
  const { driver } = session;
  return {
    handles,
    async open(url) {
      if (handles.length > 0) await driver.switchTo().newWindow(kind);
      await driver.get(url);
      handles.push(await driver.getWindowHandle());
      return handles.length - 1;
    },
    async run(i, fn, arg) {
      await driver.switchTo().window(handles[i]);
      return session.evaluate(fn, arg);
    },
    async close(i) {
      await driver.switchTo().window(handles[i]);
      await driver.close();
      handles[i] = null;
      const left = handles.find(Boolean);
      if (left) await driver.switchTo().window(left);
    },
    live() {
      return handles.map((h, i) => (h ? i : -1)).filter((i) => i >= 0);
    },
  };
}
