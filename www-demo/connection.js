// The connection bar: the session state (`client.state`, from `stateChange`
// events), the countdown to the next automatic attempt, the Connect /
// Disconnect / Drop connection buttons, and the `sent` event in the log.
//
// Part of the demo page (see app.js): text only, never markup.

import { $, ACTION_LABELS, DROP_URL, state } from './state.js';
import { humanize } from './dom.js';
import { logEntry, reportError } from './log.js';
import { markSent } from './panel.js';

/** States in which a send is accepted: at once when connected, queued otherwise. */
const SENDING = new Set(['connecting', 'connected', 'disconnected', 'suspended']);
/** States from which `connect()` starts a session. */
const STARTABLE = new Set(['initialized', 'closed', 'failed']);
/** States that wait out a delay before the next automatic attempt. */
const WAITING = new Set(['disconnected', 'suspended']);
const COUNTDOWN_TICK_MS = 100;

/** The state the bar shows: the client's, or where the SDK itself stands. */
function currentState() {
  if (state.client) return state.connState;
  return state.sdkFailed ? 'unavailable' : 'loading';
}

/** Enables the buttons for the current state. */
export function refreshControls() {
  const s = currentState();
  const ready = Boolean(state.client);
  $('btn-connect').disabled = !ready || !STARTABLE.has(s);
  $('btn-disconnect').disabled = !ready || !SENDING.has(s);
  $('btn-drop').disabled = !ready || s !== 'connected' || state.dropping;
  for (const b of document.querySelectorAll('button.action')) b.disabled = !ready || !SENDING.has(s);
}

/** Shows `value` as the state; `reason` (an OptaveError) goes to the tooltip. */
export function showState(value, reason) {
  const el = $('ready-state');
  el.dataset.state = value;
  el.textContent = value;
  $('status-dot').className = `status-dot ${value}`;
  const code = reason?.code ? String(reason.code) : '';
  if (code) {
    el.dataset.reason = code;
    el.title = reason.message ? `${code}: ${reason.message}` : code;
  } else {
    delete el.dataset.reason;
    el.title = '';
  }
  refreshControls();
}

// ---------------------------------------------------------------------------
// Countdown to the next attempt (one interval, owned by the page state)

function stopCountdown() {
  if (state.retryTimer !== null) {
    clearInterval(state.retryTimer);
    state.retryTimer = null;
  }
  const el = $('retry-countdown');
  el.hidden = true;
  el.textContent = '';
}

function tickCountdown() {
  const left = state.retryAt - Date.now();
  if (left <= 0) {
    stopCountdown();
    return;
  }
  const el = $('retry-countdown');
  el.hidden = false;
  el.textContent = `retry in ${(left / 1000).toFixed(1)} s`;
}

function startCountdown(ms) {
  stopCountdown();
  state.retryAt = Date.now() + Math.max(0, ms);
  tickCountdown();
  if (state.retryAt > Date.now()) state.retryTimer = setInterval(tickCountdown, COUNTDOWN_TICK_MS);
}

// ---------------------------------------------------------------------------
// SDK events

/** Shows the transport in use (`client.transport`). */
export function showTransport(value) {
  const el = $('transport-value');
  el.textContent = value === 'rest' ? 'REST' : value === 'websocket' ? 'WebSocket' : String(value ?? '—');
  el.dataset.transport = String(value ?? '');
}

/** Shows this tab's role in the shared connection (`client.crossTabRole`: leader, follower or solo). */
export function showRole(value) {
  const role = value ? String(value) : '';
  const el = $('tab-role');
  el.dataset.role = role;
  el.textContent = role || '—';
  el.setAttribute('aria-label', `Tab role: ${role || 'unknown'}`);
}

/** `roleChange`: `{ previous, current }`, e.g. a follower that took over when the leading tab closed. */
export function onRoleChange(ev) {
  showRole(ev?.current ?? state.client?.crossTabRole);
  logEntry('sys', `tab role ${ev?.current ?? '?'}`, '', `from ${ev?.previous ?? '?'}`);
}

/** `stateChange`: `{ previous, current, reason?, retryInMs?, transport }`. */
export function onStateChange(ev) {
  const current = String(ev?.current ?? state.client?.state ?? 'closed');
  state.connState = current;
  showState(current, ev?.reason);
  showTransport(ev?.transport ?? state.client?.transport);
  const retry = ev?.retryInMs;
  if (WAITING.has(current) && typeof retry === 'number' && Number.isFinite(retry)) startCountdown(retry);
  else stopCountdown();

  const parts = [`from ${ev?.previous ?? '?'}`, `via ${ev?.transport ?? '?'}`];
  if (ev?.reason?.code) parts.push(String(ev.reason.code));
  if (typeof retry === 'number' && Number.isFinite(retry)) parts.push(`next attempt in ${Math.round(retry)} ms`);
  logEntry('sys', `state ${current}`, '', parts.join(' · '));
}

/** `sent`: a queued envelope went out, or one on the lost connection was sent again. */
export function onSent(ev) {
  const cid = String(ev?.correlationId ?? '');
  const action = state.groups.get(cid)?.action;
  const label = ACTION_LABELS[action] ?? humanize(action ?? 'request');
  if (ev?.kind === 'resent') {
    logEntry('out', label, cid, 'sent again after the reconnect', { text: 'resent', kind: 'resent' });
  } else {
    logEntry('out', label, cid, 'sent once connected', { text: 'queued → sent', kind: 'sent' });
    markSent(cid);
  }
}

/** `close`: the socket closed (logged; the state comes from `stateChange`). */
export function onClose(ev) {
  const note = `code ${ev?.code ?? '?'}${ev?.reason ? `, ${ev.reason}` : ''}${ev?.wasClean === false ? ' (not clean)' : ''}`;
  logEntry('sys', 'connection closed', '', note);
}

// ---------------------------------------------------------------------------
// Buttons

export async function connect() {
  if (!state.client) return;
  try {
    await state.client.connect();
  } catch (err) {
    reportError(err);
  }
}

export function disconnect() {
  if (!state.client) return;
  try {
    state.client.close();
  } catch (err) {
    reportError(err);
  }
}

/** Asks the local server to abort every open WebSocket (its test control endpoint). */
export async function dropConnection() {
  state.dropping = true;
  refreshControls();
  logEntry('sys', 'drop connection', '', `POST ${DROP_URL}`);
  try {
    const res = await fetch(DROP_URL, { method: 'POST', headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`the server answered HTTP ${res.status}`);
    const body = await res.json().catch(() => ({}));
    const n = Number(body?.dropped);
    logEntry('sys', 'connection dropped', '', Number.isFinite(n) ? `the server aborted ${n} WebSocket${n === 1 ? '' : 's'}` : 'the server answered');
  } catch (err) {
    reportError({
      category: 'DEMO',
      code: 'DROP_FAILED',
      message: `Could not drop the connection: ${err?.message ?? err}`,
      suggestions: [`The local OCO server answers POST ${DROP_URL}; check that the page is served by it.`],
    });
  } finally {
    state.dropping = false;
    refreshControls();
  }
}
