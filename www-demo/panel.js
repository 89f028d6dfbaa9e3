// The superpower panel: one group per request, one card per superpower,
// filled from the SDK's superpower.response / superpower.error events.
//
// Part of the demo page (see app.js): text only, never markup.

import { $, ACTION_LABELS, TYPE_LABELS, state } from './state.js';
import { add, badge, clockNow, h, humanize } from './dom.js';
import { logEntry, reportError } from './log.js';
import { participantsById } from './conversation.js';
import { renderGeneric, renderResult } from './renderers.js';

// ---------------------------------------------------------------------------
// Superpower panel

export function ensureGroup(correlationId, action, conv) {
  let g = state.groups.get(correlationId);
  if (g) return g;
  $('results-empty').hidden = true;
  const cards = h('div', { class: 'cards' });
  const people = conv ? participantsById(conv) : new Map();
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
      h('time', { class: 'group-time', text: clockNow() }),
    ),
    cards,
  );
  $('results').prepend(el);
  g = { el, cards, action, people };
  state.groups.set(correlationId, g);
  return g;
}

export function ensureCard(correlationId, actionType, requestAction) {
  const key = `${correlationId}\u0000${actionType}`;
  let card = state.cards.get(key);
  if (card) return card;
  const g = ensureGroup(correlationId, requestAction);
  card = h(
    'section',
    {
      class: 'card',
      'data-testid': 'superpower-card',
      'data-action-type': actionType,
      'data-state': 'started',
      'data-correlation-id': correlationId,
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
  g.cards.append(card);
  state.cards.set(key, card);
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

export function onSuperpower(ev) {
  const cid = ev?.correlationId ?? ev?.headers?.correlationId ?? 'unknown';
  const type = ev?.actionType ?? 'unknown';
  const st = ev?.state ?? 'completed';
  logEntry('in', `${type} · ${st}`, cid, '');
  const card = ensureCard(cid, type, ev?.requestAction);
  if (st === 'started') {
    // A late 'started' never downgrades a finished card.
    if (card.dataset.state === 'started') setCardState(card, 'started');
    return;
  }
  setCardState(card, st);
  const body = card.querySelector('.card-body');
  const g = state.groups.get(cid);
  const items = responseItems(ev?.message);
  body.replaceChildren();
  try {
    add(body, renderResult(type, items, g?.people ?? new Map(), ev));
  } catch (err) {
    console.warn('render fallback for', type, err);
    body.replaceChildren(renderGeneric(items.length ? items : ev?.message));
  }
}

export function onSuperpowerError(err) {
  const cid = err?.correlationId;
  const type = err?.actionType ?? err?.details?.actionType;
  if (cid && type) {
    const card = ensureCard(cid, type, err?.details?.requestAction);
    setCardState(card, 'error');
    card.querySelector('.card-body').replaceChildren(
      h('p', { class: 'error-text', text: err?.message ?? 'Error while fetching results' }),
      err?.code ? h('p', { class: 'muted', text: err.code }) : null,
    );
  } else if (cid) {
    logEntry('in', 'error', cid, err?.message ?? '');
  }
  reportError(err);
}
