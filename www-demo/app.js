// Optave OCO support console: demo page of the optave-client WebAssembly SDK.
//
// Plain ES module, no framework, no build step. Every piece of text that comes
// from the server, the seed data or the user is put into the page with
// textContent / createElement (the `h` helper of dom.js): never parsed as markup.

import { AGENT_ID, CONVERSATIONS, DEFAULT_ADJUST_INSTRUCTION, DEFAULT_ELEVATE_REASON, DEMO_OFFERS, ORGANIZATION_ID, TRANSLATE_TARGETS } from './seed-data.js';
import { $, SDK_URL, TICKET_URL, state } from './state.js';
import { h } from './dom.js';
import { logEntry, logErrorFrame, logFrame, reportError, sdkLogger } from './log.js';
import { appendMessage, renderConversation, sendAction, updateParentHint } from './conversation.js';
import { connect, disconnect, dropConnection, onClose, onRoleChange, onSent, onStateChange, showRole, showState, showTransport } from './connection.js';

// ---------------------------------------------------------------------------
// Connection

async function tokenProvider() {
  const res = await fetch(TICKET_URL, { method: 'POST', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`ticket endpoint answered HTTP ${res.status}`);
  const body = await res.json();
  if (!body || typeof body.ticket !== 'string' || !body.ticket) throw new Error('ticket endpoint returned no ticket');
  return body.ticket;
}

function websocketUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

async function loadSdk() {
  try {
    const sdk = await import(SDK_URL);
    await sdk.default();
    return sdk;
  } catch (err) {
    reportError({
      category: 'DEMO',
      code: 'SDK_LOAD_FAILED',
      message: `Could not load the SDK from ${SDK_URL}: ${err?.message ?? err}`,
      suggestions: ['Build the package with `make pkg` and serve it at /pkg/.'],
    });
    return null;
  }
}

// ---------------------------------------------------------------------------
// Setup

function setupStaticUi() {
  const sel = $('conversation-select');
  sel.replaceChildren(...Object.entries(CONVERSATIONS).map(([value, c]) => h('option', { value, text: c.label })));
  sel.value = state.current;
  sel.addEventListener('change', () => {
    state.current = sel.value;
    renderConversation();
  });

  $('translate-target').replaceChildren(...TRANSLATE_TARGETS.map((t) => h('option', { value: t.value, text: `${t.label} (${t.value})` })));
  $('adjust-instruction').value = DEFAULT_ADJUST_INSTRUCTION;
  $('elevate-reason').value = DEFAULT_ELEVATE_REASON;
  $('offers-hint').textContent = `Sends ${DEMO_OFFERS.length} demo offers: ${DEMO_OFFERS.map((o) => o.title).join(', ')}.`;
  updateParentHint();

  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('composer-text').value.trim();
    if (!text) return;
    appendMessage(text, $('composer-role').value);
    $('composer-text').value = '';
  });
  $('composer-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      $('composer').requestSubmit();
    }
  });

  for (const b of document.querySelectorAll('button.action')) {
    b.addEventListener('click', () => sendAction(b.dataset.action));
  }
  $('btn-connect').addEventListener('click', connect);
  $('btn-disconnect').addEventListener('click', disconnect);
  $('btn-drop').addEventListener('click', dropConnection);
  $('btn-clear').addEventListener('click', () => {
    state.groups.clear();
    for (const g of document.querySelectorAll('.request-group')) g.remove();
    $('results-empty').hidden = false;
    $('error-list').replaceChildren();
    $('error-area').hidden = true;
  });

  renderConversation();
  showState('loading');
}

/** The transport asked for: `?transport=` of the page, else WebSocket. */
function chosenTransport() {
  const t = new URLSearchParams(location.search).get('transport');
  return t === 'rest' || t === 'auto' ? t : 'websocket';
}

/** Makes the client for `transport`, listens to it and connects. */
async function startClient(sdk, transport) {
  let client;
  try {
    client = new sdk.OptaveClient({
      websocketUrl: websocketUrl(),
      // The same server answers POST /message/{action}.
      restUrl: location.origin,
      transport,
      tokenProvider,
      organizationId: ORGANIZATION_ID,
      requestTimeoutMs: 30000,
      logger: sdkLogger,
      // The console's tabs of one agent share one connection: one tab leads
      // (holds the socket), the others send through it.
      crossTab: { key: AGENT_ID },
    });
  } catch (err) {
    reportError(err);
    state.sdkFailed = true;
    showState('unavailable');
    return;
  }
  state.client = client;
  state.connState = String(client.state);
  window.ocoDemo = { client, state };

  // The envelope log shows every inbound frame; the cards follow each
  // request's handle (conversation.js sendAction, panel.js followRequest).
  client.on('superpower.response', logFrame);
  client.on('superpower.error', logErrorFrame);
  client.on('error', reportError);
  client.on('stateChange', onStateChange);
  client.on('sent', onSent);
  client.on('open', () => logEntry('sys', 'connection open', '', websocketUrl()));
  client.on('close', onClose);
  client.on('roleChange', onRoleChange);
  showState(state.connState);
  showTransport(client.transport);
  showRole(client.crossTabRole);
  logEntry('sys', 'client created', '', `transport: ${transport}`);

  await connect();
}

async function main() {
  setupStaticUi();
  const sdk = await loadSdk();
  if (!sdk) {
    state.sdkFailed = true;
    showState('unavailable');
    return;
  }
  const select = $('transport-select');
  select.value = chosenTransport();
  select.addEventListener('change', async () => {
    const old = state.client;
    state.client = null;
    old?.free();
    await startClient(sdk, select.value);
  });
  await startClient(sdk, select.value);
}

main();
