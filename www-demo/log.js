// Errors the page shows and the envelope log (every frame in and out, and
// what the SDK logs). Inbound frames reach the log from the client's global
// `superpower.response` / `superpower.error` events; the superpower cards
// follow each request's own handle (panel.js).
//
// Part of the demo page (see app.js): text only, never markup.

import { $, MAX_LOG_ENTRIES, state } from './state.js';
import { badge, clockNow, h, safeJson, shortId, toText } from './dom.js';

// ---------------------------------------------------------------------------
// Errors and the envelope log

export function reportError(err) {
  if (err && typeof err === 'object') {
    if (state.seenErrors.has(err)) return;
    state.seenErrors.add(err);
  }
  const category = err?.category ?? (err instanceof Error ? err.name : 'ERROR');
  const code = err?.code ?? '';
  const message = err?.message ?? toText(err);
  const cid = err?.correlationId ?? '';
  // The same failure may arrive twice (a rejected promise and an 'error' event).
  const key = `${category}|${code}|${message}|${cid}`;
  const now = Date.now();
  if (now - (state.recentErrors.get(key) ?? 0) < 1500) return;
  state.recentErrors.set(key, now);

  const suggestions = Array.isArray(err?.suggestions) ? err.suggestions : [];
  const details = err?.details;
  const entry = h(
    'li',
    { class: 'error-entry', 'data-testid': 'error-entry', 'data-code': code },
    h(
      'div',
      { class: 'error-head' },
      badge(String(category), 'bad'),
      code ? h('code', { class: 'error-code', text: code }) : null,
      h('time', { text: clockNow() }),
    ),
    h('p', { class: 'error-message', text: message }),
    cid ? h('p', { class: 'muted' }, 'correlationId ', h('code', { text: cid })) : null,
    suggestions.length ? h('ul', { class: 'bullets' }, suggestions.map((s) => h('li', { text: toText(s) }))) : null,
    details !== undefined && details !== null && !(typeof details === 'object' && !Array.isArray(details) && Object.keys(details).length === 0)
      ? h('details', null, h('summary', { text: 'details' }), h('pre', { class: 'json', text: safeJson(details) }))
      : null,
  );
  $('error-list').prepend(entry);
  $('error-area').hidden = false;
  logEntry('sys', `error ${code || category}`, cid, message);
}

/**
 * Adds an entry to the envelope log. `tag` ({ text, kind }) marks how an
 * outbound envelope went out: `queued` (held until connected), `sent` (a
 * queued one went out), `resent` (sent again after a reconnect).
 */
export function logEntry(direction, label, correlationId, detail, tag) {
  const list = $('envelope-log');
  const arrow = direction === 'out' ? '→' : direction === 'in' ? '←' : '•';
  const li = h(
    'li',
    {
      class: `log-item ${direction}`,
      'data-testid': 'log-entry',
      'data-direction': direction,
      'data-delivery': tag?.kind,
      'data-correlation-id': correlationId || undefined,
    },
    h('span', { class: 'log-arrow', text: arrow }),
    h(
      'span',
      { class: 'log-label' },
      label,
      tag ? h('span', { class: `log-tag ${tag.kind}`, 'data-testid': 'log-tag', text: tag.text }) : null,
    ),
    correlationId ? h('code', { class: 'log-id', title: correlationId, text: shortId(correlationId) }) : null,
    detail ? h('span', { class: 'log-detail', text: detail }) : null,
    h('time', { class: 'log-time', text: clockNow() }),
  );
  list.prepend(li);
  while (list.children.length > MAX_LOG_ENTRIES) list.lastElementChild.remove();
  $('log-count').textContent = String(list.children.length);
}

/** `superpower.response`: one inbound frame, into the log. */
export function logFrame(ev) {
  const cid = ev?.correlationId ?? ev?.headers?.correlationId ?? '';
  logEntry('in', `${ev?.actionType ?? 'unknown'} · ${ev?.state ?? 'completed'}`, cid, '');
}

/** `superpower.error`: an inbound error frame, into the log (the error area gets it from `error`). */
export function logErrorFrame(err) {
  const frame = err?.details;
  const type = frame?.payload?.actionType ?? frame?.actionType ?? 'error';
  logEntry('in', `${type} · error`, err?.correlationId ?? '', err?.code ? String(err.code) : '');
}

export function fmtArgs(args) {
  return args.map(toText).join(' ');
}

/** Logger handed to the SDK: console plus the page's log for warnings and errors. */
export const sdkLogger = {
  debug: (...a) => console.debug('[optave]', ...a),
  info: (...a) => console.info('[optave]', ...a),
  warn: (...a) => {
    console.warn('[optave]', ...a);
    logEntry('sys', 'sdk warning', '', fmtArgs(a));
  },
  error: (...a) => {
    console.error('[optave]', ...a);
    logEntry('sys', 'sdk error', '', fmtArgs(a));
  },
};
