// The conversation pane and the request parameters built from it, and
// sending them through the SDK as request handles (`client.request(...)`).
//
// Part of the demo page (see app.js): text only, never markup.

import { DEFAULT_ADJUST_INSTRUCTION, DEFAULT_ELEVATE_REASON, DEMO_OFFERS, DEMO_PARENT_ID, ORGANIZATION_ID, SESSION_TEMPLATE } from './seed-data.js';
import { $, ACTION_LABELS, state } from './state.js';
import { fmtTime, h, humanize, shortId } from './dom.js';
import { logEntry, reportError } from './log.js';
import { ensureGroup, followRequest } from './panel.js';

// ---------------------------------------------------------------------------
// Conversation pane

export function currentConv() {
  return state.conversations[state.current];
}

export function participantsById(conv) {
  const map = new Map();
  for (const p of conv.conversation.participants) map.set(p.participantId, p);
  return map;
}

export function roleClass(role) {
  if (role === 'user') return 'customer';
  if (role === 'operator') return 'agent';
  return 'bot';
}

export function renderConversation() {
  const conv = currentConv();
  $('meta-thread').textContent = conv.threadId;
  $('meta-org').textContent = ORGANIZATION_ID;

  const people = participantsById(conv);
  const items = [
    ...conv.interactions.map((i) => ({ kind: 'system', ts: i.timestamp, item: i })),
    ...conv.conversation.messages.map((m) => ({ kind: 'message', ts: m.timestamp, item: m })),
  ].sort((a, b) => String(a.ts).localeCompare(String(b.ts)));

  const chat = $('chat');
  chat.replaceChildren(
    ...items.map(({ kind, item }) => {
      if (kind === 'system') {
        return h(
          'li',
          { class: 'system-event', 'data-testid': 'system-event' },
          h('span', { class: 'system-name', text: humanize(item.name) }),
          h('span', { text: item.content }),
          h('time', { datetime: item.timestamp, text: fmtTime(item.timestamp) }),
        );
      }
      const p = people.get(item.participantId);
      const role = roleClass(p?.role);
      return h(
        'li',
        { class: `bubble-row ${role}`, 'data-testid': 'chat-message', 'data-role': role },
        h(
          'div',
          { class: 'bubble' },
          h(
            'div',
            { class: 'bubble-head' },
            h('span', { class: 'who', text: p?.displayName ?? 'Unknown' }),
            h('span', { class: 'role', text: role === 'customer' ? 'customer' : role === 'agent' ? 'agent' : p?.role ?? '' }),
            h('time', { datetime: item.timestamp, text: fmtTime(item.timestamp) }),
          ),
          h('p', { class: 'bubble-text', text: item.content }),
        ),
      );
    }),
  );
  chat.scrollTop = chat.scrollHeight;
}

export function appendMessage(text, roleChoice) {
  const conv = currentConv();
  const wanted = roleChoice === 'customer' ? 'user' : 'operator';
  const p = conv.conversation.participants.find((x) => x.role === wanted);
  if (!p) return;
  conv.conversation.messages.push({
    content: text,
    participantId: p.participantId,
    timestamp: new Date().toISOString(),
  });
  renderConversation();
}

export function lastAgentMessage(conv) {
  const agents = new Set(conv.conversation.participants.filter((p) => p.role === 'operator').map((p) => p.participantId));
  const msgs = conv.conversation.messages;
  for (let i = msgs.length - 1; i >= 0; i -= 1) {
    if (agents.has(msgs[i].participantId)) return msgs[i].content;
  }
  return '';
}

// ---------------------------------------------------------------------------
// Building requests

export function browserName() {
  const m = navigator.userAgent.match(/(Firefox|Edg|Chrome|Safari)\/([\d.]+)/);
  return m ? `${m[1]} ${m[2]}` : '';
}

export function parentId() {
  return state.lastCorrelationId || DEMO_PARENT_ID;
}

/** params = { headers, session, request } as in the seed pages; the SDK merges them onto its defaults. */
export function buildParams(action) {
  const conv = currentConv();
  const msgs = conv.conversation.messages;
  const lang = navigator.language || 'en-US';
  const params = {
    session: {
      sessionId: state.sessionId,
      channel: { ...SESSION_TEMPLATE.channel, browser: browserName(), language: lang },
      interface: { ...SESSION_TEMPLATE.interface, language: lang },
    },
    request: {
      attributes: { variant: 'A' },
      connections: { threadId: conv.threadId },
      context: { organizationId: ORGANIZATION_ID },
      reference: structuredClone(conv.reference),
      scope: {
        conversations: [structuredClone(conv.conversation)],
        interactions: structuredClone(conv.interactions),
      },
    },
  };
  // The original event time: the newest message of the conversation.
  if (msgs.length) params.headers = { timestamp: msgs[msgs.length - 1].timestamp };

  switch (action) {
    case 'recommend':
      params.request.resources = { offers: structuredClone(DEMO_OFFERS) };
      break;
    case 'translate':
      params.request.settings = { overrideOutputLanguage: $('translate-target').value };
      break;
    case 'adjust':
      params.request.attributes.content = lastAgentMessage(conv);
      params.request.attributes.instruction = $('adjust-instruction').value.trim() || DEFAULT_ADJUST_INSTRUCTION;
      params.request.connections.parentId = parentId();
      break;
    case 'elevate':
      params.request.attributes.content = $('elevate-reason').value.trim() || DEFAULT_ELEVATE_REASON;
      params.request.connections.parentId = parentId();
      break;
    default:
      break;
  }
  return params;
}

export function sendAction(action) {
  const client = state.client;
  state.sendSeq += 1;
  const last = $('last-correlation-id');
  last.dataset.seq = String(state.sendSeq);

  if (!client) {
    reportError({ category: 'DEMO', code: 'SDK_NOT_LOADED', message: 'The SDK is not loaded yet.' });
    last.textContent = 'not sent';
    return;
  }
  if (action === 'adjust' && !lastAgentMessage(currentConv())) {
    reportError({
      category: 'DEMO',
      code: 'NO_AGENT_MESSAGE',
      message: 'Adjust rewrites the last agent message, and this conversation has none yet.',
      suggestions: ['Send a message as Agent first.'],
    });
    last.textContent = 'not sent';
    return;
  }

  const params = buildParams(action);
  // A request made while the session is not connected is queued by the SDK
  // (the handle waits; the `sent` event says when it went out).
  const queued = String(client.state) !== 'connected';
  let handle;
  try {
    handle = client.request(action, params);
  } catch (err) {
    reportError(err);
  }
  const id = handle?.correlationId;
  if (typeof id === 'string' && id) {
    state.lastCorrelationId = id;
    last.textContent = id;
    last.title = id;
    const g = ensureGroup(id, action, currentConv(), queued ? 'queued' : 'pending');
    const tag = queued ? { text: 'queued', kind: 'queued' } : undefined;
    logEntry('out', `${ACTION_LABELS[action] ?? action}`, id, summarizeOutgoing(action, params), tag);
    followRequest(handle, g);
  } else {
    // The SDK refused the request before sending: settled() rejects with the
    // reason, which also went to 'error' (shown once).
    handle?.settled().catch(reportError);
    last.textContent = 'refused';
    last.title = '';
    logEntry('out', `${ACTION_LABELS[action] ?? action} (refused)`, '', '');
  }
  updateParentHint();
}

export function summarizeOutgoing(action, params) {
  const conv = params.request.scope.conversations[0];
  const parts = [`${conv.messages.length} msgs`];
  if (action === 'recommend') parts.push(`${params.request.resources.offers.length} offers`);
  if (action === 'translate') parts.push(`→ ${params.request.settings.overrideOutputLanguage}`);
  if (action === 'adjust') parts.push(`“${params.request.attributes.instruction}”`);
  if (params.request.connections.parentId) parts.push(`parent ${shortId(params.request.connections.parentId)}`);
  return parts.join(' · ');
}

export function updateParentHint() {
  for (const el of document.querySelectorAll('.parent-id')) {
    const id = parentId();
    el.textContent = state.lastCorrelationId ? shortId(id) : `${shortId(id)} (demo)`;
    el.title = id;
  }
}
