// What the demo page (www-demo/) must show, shared by the browser drivers that
// test it: tests/e2e/demo.e2e.mjs (Playwright, Chromium) and
// tests/webkit/demo.webkit.test.mjs (WebDriver, WebKitGTK).
//
// The `in*` functions run inside the page: each takes one serialisable
// argument and returns plain data, so both Playwright's page.evaluate(fn, arg)
// and a WebDriver executeScript can run them. The `assert*` functions check
// their answers in node.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/**
 * actionTypes the local server sends for each action, keyed by the demo's
 * action names: the table the server's and the browser tests share
 * (tests/superpowers.json; the demo calls customerInteraction
 * `customer-interaction`).
 */
export const EXPECTED_TYPES = Object.fromEntries(
  JSON.parse(readFileSync(new URL('../superpowers.json', import.meta.url), 'utf8')).map(([action, types]) => [
    action === 'customerInteraction' ? 'customer-interaction' : action,
    types,
  ]),
);

/** Every action button of the demo with the conversation it is sent on. */
export const ACTION_ORDER = [
  ['interaction', 'flight'],
  ['reception', 'greeting'],
  ['insights', 'flight'],
  ['summarize', 'flight'],
  ['translate', 'flight'],
  ['recommend', 'holiday'],
  ['adjust', 'flight'],
  ['elevate', 'flight'],
  ['customer-interaction', 'greeting'],
];

/** The strict policy the demo is served under: WebAssembly allowed, nothing else relaxed. */
export const PAGE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ws://127.0.0.1:*";

export const sel = {
  ready: '[data-testid="ready-state"]',
  /** The tab-role badge: `client.crossTabRole` (leader, follower, solo), in `data-role` and as text. */
  tabRole: '[data-testid="tab-role"]',
  conversation: '[data-testid="conversation-select"]',
  lastId: '[data-testid="last-correlation-id"]',
  errors: '[data-testid="error-entry"]',
  action: (name) => `[data-testid="action-${name}"]`,
  card: (cid, type, state) =>
    `[data-testid="superpower-card"][data-correlation-id="${cid}"]` +
    (type ? `[data-action-type="${type}"]` : '') +
    (state ? `[data-state="${state}"]` : ''),
  /** The request badge of the group of `cid` (`data-status`: queued, pending, settled, cancelled, failed). */
  status: (cid, status) =>
    `[data-testid="request-group"][data-correlation-id="${cid}"] [data-testid="request-status"]` + (status ? `[data-status="${status}"]` : ''),
  cancel: (cid) => `[data-testid="request-group"][data-correlation-id="${cid}"] [data-testid="request-cancel"]`,
};

/** In the page: the header's state text and `client.state` / `client.readyState`. */
export function inHeader() {
  const el = document.querySelector('[data-testid="ready-state"]');
  const client = window.ocoDemo?.client;
  return { text: el?.textContent.trim() ?? null, state: el?.dataset.state ?? null, title: el?.title ?? null, clientState: client?.state ?? null, readyState: client?.readyState ?? null };
}

/** In the page: the text of every entry of the error area. */
export function inErrorEntries() {
  return [...document.querySelectorAll('[data-testid="error-entry"]')].map((e) => e.textContent.replace(/\s+/g, ' ').trim());
}

/** In the page: the last correlationId the page shows and its sequence number. */
export function inLastId() {
  const el = document.querySelector('[data-testid="last-correlation-id"]');
  return { id: el.textContent.trim(), seq: el.dataset.seq ?? '0' };
}

/** In the page: the `[actionType, state]` of every card of request `id`, and what its sentiment and criteria cards show. */
export function inCards(id) {
  const cards = [...document.querySelectorAll(`[data-testid="superpower-card"][data-correlation-id="${id}"]`)];
  const first = (type, part) => cards.find((c) => c.dataset.actionType === type && c.dataset.state === 'completed')?.querySelectorAll(`[data-testid="${part}"]`);
  return {
    cards: cards.map((c) => [c.dataset.actionType, c.dataset.state]),
    sentimentScore: first('sentiment_analysis', 'sentiment-score')?.[0]?.textContent.trim() ?? null,
    criteria: first('performance_criteria', 'criterion-row')?.length ?? 0,
  };
}

/** In the page: the request badge of `id` and whether its group still offers Cancel. */
export function inSettledBadge(id) {
  const group = document.querySelector(`[data-testid="request-group"][data-correlation-id="${id}"]`);
  const badge = group?.querySelector('[data-testid="request-status"]');
  if (!badge) return null;
  return {
    status: badge.dataset.status,
    text: badge.textContent.trim(),
    superpowers: Number(badge.dataset.superpowers),
    errors: Number(badge.dataset.errors),
    started: group.querySelectorAll('[data-testid="superpower-card"][data-state="started"]').length,
    cancelShown: !group.querySelector('[data-testid="request-cancel"]').hidden,
  };
}

/**
 * Checks the answer of inCards(id) once the request of `action` is settled:
 * a completed card for every superpower the server sends for it, none in error.
 */
export function assertCards(action, id, got) {
  for (const type of EXPECTED_TYPES[action]) {
    assert.ok(
      got.cards.some(([t, s]) => t === type && s === 'completed'),
      `${action}: no completed ${type} card for ${id} (cards: ${JSON.stringify(got.cards)})`,
    );
  }
  assert.ok(!got.cards.some(([, s]) => s === 'error'), `${action}: a card for ${id} is in the error state (${JSON.stringify(got.cards)})`);
}

/**
 * Checks the answer of inSettledBadge(id): settled, counting `superpowers`
 * superpowers and `errors` errors, no card left started, Cancel gone.
 */
export function assertSettled(action, got, superpowers, errors) {
  assert.ok(got, `${action}: the request has no badge`);
  assert.equal(got.status, 'settled', `${action}: badge "${got.text}"`);
  assert.equal(got.superpowers, superpowers, `${action}: settled badge "${got.text}"`);
  assert.equal(got.errors, errors, `${action}: settled badge "${got.text}"`);
  const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  assert.equal(got.text, ['settled', plural(superpowers, 'superpower'), ...(errors ? [plural(errors, 'error')] : [])].join(' · '));
  assert.equal(got.started, 0, `${action}: a card is still started once settled`);
  assert.equal(got.cancelShown, false, `${action}: Cancel is still offered once settled`);
}

/** Checks a sentiment score as the card shows it: a number in -1..1. */
export function assertSentimentScore(text) {
  const score = Number(text);
  assert.ok(text !== null && text !== '' && Number.isFinite(score), `sentiment score "${text}" is not a number`);
  assert.ok(score >= -1 && score <= 1, `sentiment score ${score} outside -1..1`);
}

/**
 * In the page: asks the local server to drop the connection and, in the first
 * stateChange to `disconnected` (the page's own listener came first, so the
 * page is already updated), snapshots the header and buttons, clicks
 * Summarize and reads what the page shows for that send. Resolves the snapshot.
 */
export function inSendWhileDropped() {
  return new Promise((resolve, reject) => {
    const client = window.ocoDemo.client;
    const timer = setTimeout(() => reject(new Error('no stateChange to disconnected within 10 s')), 10_000);
    const off = client.on('stateChange', (ev) => {
      if (ev.current !== 'disconnected') return;
      off();
      clearTimeout(timer);
      const q = (s) => document.querySelector(s);
      const snapshot = {
        retryInMs: ev.retryInMs,
        reason: ev.reason?.code ?? null,
        header: q('[data-testid="ready-state"]').textContent,
        title: q('[data-testid="ready-state"]').title,
        countdownHidden: q('[data-testid="retry-countdown"]').hidden,
        countdown: q('[data-testid="retry-countdown"]').textContent,
        dropDisabled: q('[data-testid="btn-drop"]').disabled,
        connectDisabled: q('[data-testid="connect"]').disabled,
        disconnectDisabled: q('[data-testid="disconnect"]').disabled,
        actionDisabled: q('[data-testid="action-summarize"]').disabled,
      };
      q('[data-testid="action-summarize"]').click();
      snapshot.clientState = client.state;
      snapshot.id = q('[data-testid="last-correlation-id"]').textContent;
      snapshot.status = q(`[data-testid="request-group"][data-correlation-id="${snapshot.id.trim()}"] [data-testid="request-status"]`)?.dataset.status;
      resolve(snapshot);
    });
    document.querySelector('[data-testid="btn-drop"]').click();
  });
}

/** Checks the snapshot of inSendWhileDropped(): disconnected, the send queued. Returns its correlationId. */
export function assertQueuedWhileDisconnected(seen) {
  assert.equal(seen.header, 'disconnected');
  assert.equal(seen.reason, 'CONNECTION_CLOSED');
  assert.ok(seen.title.startsWith('CONNECTION_CLOSED'), `title: ${seen.title}`);
  assert.equal(typeof seen.retryInMs, 'number');
  if (seen.retryInMs >= 100) {
    assert.equal(seen.countdownHidden, false, 'no countdown while disconnected');
    assert.match(seen.countdown, /^retry in \d+\.\d s$/);
  }
  assert.equal(seen.dropDisabled, true, 'Drop connection is enabled while disconnected');
  assert.equal(seen.connectDisabled, true, 'Connect is enabled while disconnected');
  assert.equal(seen.disconnectDisabled, false, 'Disconnect is disabled while disconnected');
  assert.equal(seen.actionDisabled, false, 'actions are disabled while disconnected');
  assert.equal(seen.clientState, 'disconnected');
  const id = seen.id.trim();
  assert.match(id, /^[0-9a-f-]{16,}$/i, `the queued send got no correlationId (page shows "${id}")`);
  assert.equal(seen.status, 'queued', 'the request held by the SDK is not shown as queued');
  return id;
}

/** In the page: the log tag of the outbound entry of `id` with `data-delivery` `delivery`, or null. */
export function inOutboundTag({ id, delivery }) {
  const entry = document.querySelector(`[data-testid="log-entry"][data-direction="out"][data-correlation-id="${id}"][data-delivery="${delivery}"]`);
  return entry ? entry.querySelector('[data-testid="log-tag"]').textContent.trim() : null;
}

/**
 * In the page: adds a local-server fault tag (www-demo/server/README.md, e.g.
 * `fault:error=sentiment_analysis`, `fault:delay=5000`) to a conversation's
 * request.reference.tags; null removes every fault tag again.
 */
export function inFaultTag({ conversation, tag }) {
  const ref = window.ocoDemo.state.conversations[conversation].reference;
  ref.tags = tag ? [...ref.tags, tag] : ref.tags.filter((t) => !t.startsWith('fault:'));
  return ref.tags;
}
