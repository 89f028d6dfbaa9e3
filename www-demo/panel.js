// The superpower panel: one group per request, one card per superpower.
// Each request is a handle from `client.request(...)`: its cards follow the
// handle's frames (`for await`), in order, and its badge its settlement
// (`settled()`): settled with the count of superpowers and errors, or
// cancelled / failed with the reason.
//
// Part of the demo page (see app.js): text only, never markup.

import { $, ACTION_LABELS, TYPE_LABELS, state } from './state.js';
import { add, clockNow, h, humanize } from './dom.js';
import { logEntry, reportError } from './log.js';
import { participantsById } from './conversation.js';
import { renderGeneric, renderResult } from './renderers.js';

/** Texts of the request badge (`data-status`) before its settlement. */
const STATUS_TEXT = { queued: 'queued', pending: 'pending' };

// ---------------------------------------------------------------------------
// Groups (one per request) and cards (one per superpower)

/**
 * The group of the request `correlationId`; `status` is where it starts:
 * `queued` (sent while not connected: the SDK holds it) or `pending`.
 */
export function ensureGroup(correlationId, action, conv, status = 'pending') {
  let g = state.groups.get(correlationId);
  if (g) return g;
  $('results-empty').hidden = true;
  const list = h('div', { class: 'cards' });
  const badge = h('span', { class: 'group-status', 'data-testid': 'request-status', role: 'status' });
  const cancel = h('button', {
    type: 'button',
    class: 'btn btn-small btn-ghost group-cancel',
    'data-testid': 'request-cancel',
    title: 'Cancel this request (RequestHandle.cancel())',
    text: 'Cancel',
    onclick: () => cancelRequest(g),
  });
  const el = h(
    'article',
    {
      class: 'request-group',
      'data-testid': 'request-group',
      'data-correlation-id': correlationId,
      'data-request-action': action ?? '',
    },
    h(
      'header',
      { class: 'group-head' },
      h('span', { class: 'group-action', text: ACTION_LABELS[action] ?? humanize(action ?? 'response') }),
      conv ? h('span', { class: 'group-conv', text: conv.subject }) : null,
      h('code', { class: 'group-id', title: correlationId, text: correlationId }),
      badge,
      cancel,
      h('time', { class: 'group-time', text: clockNow() }),
    ),
    list,
  );
  $('results').prepend(el);
  g = {
    correlationId,
    el,
    list,
    badge,
    cancel,
    action,
    people: conv ? participantsById(conv) : new Map(),
    /** actionType -> card element */
    cards: new Map(),
    handle: null,
  };
  state.groups.set(correlationId, g);
  setGroupStatus(g, status);
  return g;
}

/** Sets the request badge: `queued`, `pending`, `settled`, `cancelled` or `failed`. */
export function setGroupStatus(g, status, text, title) {
  g.el.dataset.status = status;
  g.badge.dataset.status = status;
  g.badge.className = `group-status status-${status}`;
  g.badge.textContent = text ?? STATUS_TEXT[status] ?? status;
  g.badge.title = title ?? '';
  const open = status === 'queued' || status === 'pending';
  g.cancel.hidden = !open;
  if (!open) g.cancel.disabled = true;
}

/** A queued request went out (the `sent` event): it is pending now. */
export function markSent(correlationId) {
  const g = state.groups.get(correlationId);
  if (g && g.el.dataset.status === 'queued') setGroupStatus(g, 'pending');
}

export function ensureCard(g, actionType) {
  let card = g.cards.get(actionType);
  if (card) return card;
  card = h(
    'section',
    {
      class: 'card',
      'data-testid': 'superpower-card',
      'data-action-type': actionType,
      'data-state': 'started',
      'data-correlation-id': g.correlationId,
    },
    h(
      'header',
      { class: 'card-head' },
      h(
        'div',
        { class: 'card-titles' },
        h('h3', { class: 'card-title', text: TYPE_LABELS[actionType] ?? humanize(actionType) }),
        h('code', { class: 'card-type', title: actionType, text: actionType }),
      ),
      h('span', { class: 'state-badge', 'data-testid': 'card-state' }),
    ),
    h('div', { class: 'card-body' }),
  );
  g.list.append(card);
  g.cards.set(actionType, card);
  setCardState(card, 'started');
  return card;
}

export function setCardState(card, value) {
  card.dataset.state = value;
  const b = card.querySelector('.state-badge');
  b.className = `state-badge state-${value}`;
  b.replaceChildren();
  if (value === 'started') add(b, [h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'started']);
  else b.textContent = value;
  if (value === 'started') {
    card.querySelector('.card-body').replaceChildren(h('p', { class: 'muted working', text: 'Working…' }));
  }
}

export function responseItems(message) {
  const results = Array.isArray(message?.results) ? message.results : [];
  return results.flatMap((r) => {
    const resp = r?.response;
    if (Array.isArray(resp)) return resp;
    return resp === undefined || resp === null ? [] : [resp];
  });
}

// ---------------------------------------------------------------------------
// Following a request handle

/** One frame of the request (`started`, `completed` or `error`) onto its card. */
function renderFrame(g, ev) {
  if (g.el.dataset.status === 'queued') setGroupStatus(g, 'pending');
  const type = ev?.actionType ?? 'unknown';
  const st = ev?.state ?? 'completed';
  const card = ensureCard(g, type);
  if (st === 'started') {
    // A late 'started' never downgrades a finished card.
    if (card.dataset.state === 'started') setCardState(card, 'started');
    return;
  }
  const body = card.querySelector('.card-body');
  const items = responseItems(ev?.message);
  if (st === 'error') {
    // One superpower failed: its card says so, the others go on.
    const first = items.find((i) => i && typeof i === 'object') ?? {};
    setCardState(card, 'error');
    body.replaceChildren(
      h('p', { class: 'error-text', text: typeof first.content === 'string' && first.content ? first.content : 'Error while fetching results' }),
      first.error_code ? h('p', { class: 'muted', 'data-testid': 'card-error-code', text: String(first.error_code) }) : null,
    );
    return;
  }
  setCardState(card, st);
  body.replaceChildren();
  try {
    add(body, renderResult(type, items, g.people, ev));
  } catch (err) {
    console.warn('render fallback for', type, err);
    body.replaceChildren(renderGeneric(items.length ? items : ev?.message));
  }
}

/**
 * Follows the request `handle` in the group `g`: every frame updates its card
 * as it comes; once `settled()` resolves the group is marked settled, and if
 * it rejects (cancel, timeout, close, lost connection) the reason shows.
 */
export async function followRequest(handle, g) {
  g.handle = handle;
  try {
    for await (const ev of handle) renderFrame(g, ev);
  } catch {
    // The iteration ends with the reason settled() rejects with (below).
  }
  try {
    markSettled(g, await handle.settled());
  } catch (err) {
    markFailed(g, err);
  }
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function markSettled(g, done) {
  const completed = Object.keys(done?.results ?? {}).length;
  const errors = Array.isArray(done?.errors) ? done.errors.length : 0;
  const superpowers = Math.max(g.cards.size, completed);
  g.badge.dataset.superpowers = String(superpowers);
  g.badge.dataset.completed = String(completed);
  g.badge.dataset.errors = String(errors);
  const parts = ['settled', plural(superpowers, 'superpower')];
  if (errors) parts.push(plural(errors, 'error'));
  setGroupStatus(g, 'settled', parts.join(' · '), `${completed} completed, ${errors} failed`);
  logEntry('sys', 'request settled', g.correlationId, parts.slice(1).join(' · '));
}

function markFailed(g, err) {
  const code = err?.code ? String(err.code) : '';
  const cancelled = code === 'REQUEST_CANCELLED';
  const status = cancelled ? 'cancelled' : 'failed';
  const message = err?.message ?? String(err);
  setGroupStatus(g, status, cancelled ? 'cancelled' : `failed · ${code || 'error'}`, code ? `${code}: ${message}` : message);
  // Superpowers that never finished say why.
  for (const card of g.cards.values()) {
    if (card.dataset.state !== 'started') continue;
    setCardState(card, status);
    card
      .querySelector('.card-body')
      .replaceChildren(h('p', { class: 'muted', text: cancelled ? 'Cancelled before this superpower completed.' : `No result: ${message}` }));
  }
  if (cancelled) logEntry('sys', 'request cancelled', g.correlationId, '');
  else reportError(err);
}

function cancelRequest(g) {
  if (!g?.handle) return;
  g.cancel.disabled = true;
  if (!g.handle.cancel()) g.cancel.disabled = false;
}
