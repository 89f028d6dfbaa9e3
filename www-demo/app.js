// Optave OCO support console: demo page of the optave-client WebAssembly SDK.
//
// Plain ES module, no framework, no build step. Every piece of text that comes
// from the server, the seed data or the user is put into the page with
// textContent / createElement (the `h` helper below): never parsed as markup.

import {
  CONVERSATIONS,
  DEFAULT_ADJUST_INSTRUCTION,
  DEFAULT_ELEVATE_REASON,
  DEMO_OFFERS,
  DEMO_PARENT_ID,
  ORGANIZATION_ID,
  SESSION_TEMPLATE,
  TRANSLATE_TARGETS,
} from './seed-data.js';

const SDK_URL = '/pkg/optave_client.js';
const TICKET_URL = '/api/ws-ticket';
const MAX_LOG_ENTRIES = 300;

const ACTION_LABELS = {
  interaction: 'Interaction',
  reception: 'Reception',
  insights: 'Insights',
  summarize: 'Summarize',
  translate: 'Translate',
  recommend: 'Recommend',
  adjust: 'Adjust',
  elevate: 'Elevate',
  customerInteraction: 'Customer Interaction',
  customerinteraction: 'Customer Interaction',
};

const TYPE_LABELS = {
  sentiment_analysis: 'Sentiment',
  risk_assessment: 'Risk assessment',
  escalation_need: 'Escalation need',
  language_identification: 'Language',
  search_requirements: 'Search requirements',
  performance_criteria: 'Performance criteria',
  recommend: 'Recommendations',
  summary: 'Summary',
  translation: 'Translation',
  adjust_suggestion: 'Adjusted reply',
  elevate_suggestion: 'Elevation',
};

// ---------------------------------------------------------------------------
// State

const state = {
  conversations: structuredClone(CONVERSATIONS),
  current: 'greeting',
  client: null,
  sessionId: newId(),
  lastCorrelationId: null,
  sendSeq: 0,
  /** correlationId -> { el, cards, action, participants } */
  groups: new Map(),
  /** `${correlationId}\u0000${actionType}` -> card element */
  cards: new Map(),
  recentErrors: new Map(),
  seenErrors: new WeakSet(),
  closeNote: '',
};

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------
// DOM helpers (text only)

/** createElement with props; string children become text nodes. */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style') Object.assign(el.style, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  add(el, children);
  return el;
}

function add(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === undefined || c === null || c === false || c === '') continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

function newId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `demo-${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
}

function humanize(s) {
  const t = String(s ?? '').replace(/[_-]+/g, ' ').trim();
  return t ? t[0].toUpperCase() + t.slice(1) : '—';
}

function isNum(n) {
  return typeof n === 'number' && Number.isFinite(n);
}

function fmtNum(n, digits = 2) {
  return isNum(n) ? n.toFixed(digits) : '—';
}

function fmtPct(n) {
  if (!isNum(n)) return '—';
  const v = n <= 1 ? n * 100 : n;
  return `${Math.round(v)}%`;
}

function fmtTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function clockNow() {
  return new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function shortId(id) {
  const s = String(id ?? '');
  return s.length > 13 ? `${s.slice(0, 8)}…${s.slice(-4)}` : s;
}

function safeJson(v) {
  try {
    const seen = new WeakSet();
    return JSON.stringify(
      v,
      (_k, val) => {
        if (typeof val === 'object' && val !== null) {
          if (seen.has(val)) return '[circular]';
          seen.add(val);
        }
        return typeof val === 'bigint' ? String(val) : val;
      },
      2,
    );
  } catch {
    return String(v);
  }
}

function toText(v) {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  return safeJson(v);
}

function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}`.trim(), text });
}

function chips(list, kind = '') {
  const items = Array.isArray(list) ? list : [];
  if (!items.length) return h('span', { class: 'muted', text: 'none' });
  return h('span', { class: 'chips' }, items.map((t) => h('span', { class: `chip ${kind}`.trim(), text: toText(t) })));
}

function kv(label, value) {
  return h('div', { class: 'kv' }, h('span', { class: 'kv-k', text: label }), h('span', { class: 'kv-v' }, value));
}

// ---------------------------------------------------------------------------
// Conversation pane

function currentConv() {
  return state.conversations[state.current];
}

function participantsById(conv) {
  const map = new Map();
  for (const p of conv.conversation.participants) map.set(p.participantId, p);
  return map;
}

function roleClass(role) {
  if (role === 'user') return 'customer';
  if (role === 'operator') return 'agent';
  return 'bot';
}

function renderConversation() {
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

function appendMessage(text, roleChoice) {
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

function lastAgentMessage(conv) {
  const agents = new Set(conv.conversation.participants.filter((p) => p.role === 'operator').map((p) => p.participantId));
  const msgs = conv.conversation.messages;
  for (let i = msgs.length - 1; i >= 0; i -= 1) {
    if (agents.has(msgs[i].participantId)) return msgs[i].content;
  }
  return '';
}

// ---------------------------------------------------------------------------
// Building requests

function browserName() {
  const m = navigator.userAgent.match(/(Firefox|Edg|Chrome|Safari)\/([\d.]+)/);
  return m ? `${m[1]} ${m[2]}` : '';
}

function parentId() {
  return state.lastCorrelationId || DEMO_PARENT_ID;
}

/** params = { headers, session, request } as in the seed pages; the SDK merges them onto its defaults. */
function buildParams(action) {
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

function sendAction(action) {
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
  let id;
  try {
    id = client[action](params);
  } catch (err) {
    reportError(err);
  }
  if (typeof id === 'string' && id) {
    state.lastCorrelationId = id;
    last.textContent = id;
    last.title = id;
    ensureGroup(id, action, currentConv());
    logEntry('out', `${ACTION_LABELS[action] ?? action}`, id, summarizeOutgoing(action, params));
  } else {
    // The SDK refused the request before sending and fired 'error'.
    last.textContent = 'refused';
    last.title = '';
    logEntry('out', `${ACTION_LABELS[action] ?? action} (refused)`, '', '');
  }
  updateParentHint();
}

function summarizeOutgoing(action, params) {
  const conv = params.request.scope.conversations[0];
  const parts = [`${conv.messages.length} msgs`];
  if (action === 'recommend') parts.push(`${params.request.resources.offers.length} offers`);
  if (action === 'translate') parts.push(`→ ${params.request.settings.overrideOutputLanguage}`);
  if (action === 'adjust') parts.push(`“${params.request.attributes.instruction}”`);
  if (params.request.connections.parentId) parts.push(`parent ${shortId(params.request.connections.parentId)}`);
  return parts.join(' · ');
}

function updateParentHint() {
  for (const el of document.querySelectorAll('.parent-id')) {
    const id = parentId();
    el.textContent = state.lastCorrelationId ? shortId(id) : `${shortId(id)} (demo)`;
    el.title = id;
  }
}

// ---------------------------------------------------------------------------
// Superpower panel

function ensureGroup(correlationId, action, conv) {
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

function ensureCard(correlationId, actionType, requestAction) {
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

function setCardState(card, value) {
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

function responseItems(message) {
  const results = Array.isArray(message?.results) ? message.results : [];
  return results.flatMap((r) => {
    const resp = r?.response;
    if (Array.isArray(resp)) return resp;
    return resp === undefined || resp === null ? [] : [resp];
  });
}

function onSuperpower(ev) {
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

function onSuperpowerError(err) {
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

// --- renderers --------------------------------------------------------------

function renderResult(type, items, people, ev) {
  switch (type) {
    case 'sentiment_analysis':
      return renderSentiment(items, people);
    case 'risk_assessment':
      return renderRisks(items);
    case 'escalation_need':
      return renderEscalation(items);
    case 'language_identification':
      return renderLanguage(items);
    case 'search_requirements':
      return renderSearch(items);
    case 'performance_criteria':
      return renderPerformance(items);
    case 'recommend':
      return renderRecommend(items);
    case 'summary':
      return renderSummary(items, people);
    case 'translation':
      return renderTranslation(items, people);
    case 'adjust_suggestion':
      return renderAdjust(items);
    case 'elevate_suggestion':
      return renderElevate(items);
    default:
      return renderGeneric(items.length ? items : ev?.message);
  }
}

function renderGeneric(value) {
  return h('pre', { class: 'json', 'data-testid': 'generic-result', text: safeJson(value ?? null) });
}

function sentimentKind(s) {
  if (s === 'positive') return 'good';
  if (s === 'negative') return 'bad';
  return 'neutral';
}

/** A centred bar for a score in -1..1. */
function scoreGauge(score) {
  const s = Math.max(-1, Math.min(1, isNum(score) ? score : 0));
  const fill = h('div', { class: `gauge-fill ${s >= 0 ? 'good' : 'bad'}` });
  fill.style.left = `${s >= 0 ? 50 : 50 + s * 50}%`;
  fill.style.width = `${Math.abs(s) * 50}%`;
  return h('div', { class: 'gauge', role: 'img', 'aria-label': `score ${fmtNum(s)}` }, h('div', { class: 'gauge-mid' }), fill);
}

function renderSentiment(items, people) {
  const s = items[0] ?? {};
  const out = [
    h(
      'div',
      { class: 'headline' },
      badge(s.sentiment ?? 'unknown', sentimentKind(s.sentiment)),
      h('span', { class: 'score-label', text: 'score' }),
      h('span', { class: 'score', 'data-testid': 'sentiment-score', text: fmtNum(Number(s.score)) }),
    ),
    scoreGauge(Number(s.score)),
  ];
  const parts = ['positive', 'neutral', 'negative'].map((k) => [k, Number(s[k])]);
  if (parts.some(([, v]) => isNum(v))) {
    const total = parts.reduce((a, [, v]) => a + (isNum(v) ? v : 0), 0) || 1;
    out.push(
      h(
        'div',
        { class: 'stack' },
        parts.map(([k, v]) => {
          const seg = h('div', { class: `stack-seg ${sentimentKind(k)}`, title: `${k} ${fmtPct(v)}` });
          seg.style.width = `${((isNum(v) ? v : 0) / total) * 100}%`;
          return seg;
        }),
      ),
      h(
        'div',
        { class: 'legend' },
        parts.map(([k, v]) => h('span', { class: `legend-item ${sentimentKind(k)}`, text: `${humanize(k)} ${fmtPct(v)}` })),
      ),
    );
  }
  if (Array.isArray(s.byParticipant) && s.byParticipant.length) {
    out.push(
      h(
        'ul',
        { class: 'rows' },
        s.byParticipant.map((p) => {
          const who = p?.displayName ?? people.get(p?.participantId)?.displayName ?? p?.participantId ?? p?.role ?? '—';
          return h(
            'li',
            { class: 'row' },
            h('span', { class: 'row-main', text: who }),
            p?.role ? h('span', { class: 'chip', text: roleClass(p.role) === 'customer' ? 'customer' : roleClass(p.role) === 'agent' ? 'agent' : p.role }) : null,
            p?.sentiment ? badge(p.sentiment, sentimentKind(p.sentiment)) : null,
            h('span', { class: `mono signed ${Number(p?.score) > 0 ? 'good' : Number(p?.score) < 0 ? 'bad' : ''}`, text: fmtNum(Number(p?.score)) }),
          );
        }),
      ),
    );
  }
  return out;
}

function levelKind(level) {
  if (level === 'high') return 'bad';
  if (level === 'medium') return 'warn';
  if (level === 'low') return 'good';
  return 'neutral';
}

function renderRisks(items) {
  return h(
    'table',
    { class: 'table' },
    h('thead', null, h('tr', null, h('th', { text: 'Risk' }), h('th', { text: 'Level' }), h('th', { text: 'Score' }), h('th', { text: 'Matches' }))),
    h(
      'tbody',
      null,
      items.map((r) =>
        h(
          'tr',
          { 'data-testid': 'risk-row', 'data-risk-type': r?.riskType ?? '' },
          h('td', { text: humanize(r?.riskType) }),
          h('td', null, badge(r?.level ?? '—', levelKind(r?.level))),
          h('td', { class: 'mono', text: fmtNum(Number(r?.score)) }),
          h('td', null, Array.isArray(r?.matches) && r.matches.length ? chips(r.matches) : h('span', { class: 'muted', text: '—' })),
        ),
      ),
    ),
  );
}

function renderEscalation(items) {
  const e = items[0] ?? {};
  return [
    h(
      'div',
      { class: 'headline' },
      badge(e.escalate ? 'Escalate: yes' : 'Escalate: no', e.escalate ? 'bad' : 'good'),
      h('span', { class: 'score-label', text: 'score' }),
      h('span', { class: 'score', text: fmtNum(Number(e.score)) }),
    ),
    Array.isArray(e.reasons) && e.reasons.length
      ? h('ul', { class: 'bullets' }, e.reasons.map((r) => h('li', { text: toText(r) })))
      : h('p', { class: 'muted', text: 'No escalation signals.' }),
  ];
}

function renderLanguage(items) {
  const l = items[0] ?? {};
  return [
    h(
      'div',
      { class: 'headline' },
      h('span', { class: 'big', text: l.languageName ?? l.language ?? '—' }),
      l.language ? h('code', { class: 'chip', text: l.language }) : null,
      l.reliable === undefined ? null : badge(l.reliable ? 'reliable' : 'unreliable', l.reliable ? 'good' : 'warn'),
    ),
    h(
      'div',
      { class: 'kvs' },
      kv('Script', l.script ?? '—'),
      kv('Confidence', fmtPct(Number(l.confidence))),
      l.basis !== undefined ? kv('Basis', humanize(toText(l.basis))) : null,
    ),
  ];
}

function renderSearch(items) {
  const s = items[0] ?? {};
  return [
    h('div', { class: 'headline' }, badge(s.searchNeeded ? 'Search needed' : 'No search needed', s.searchNeeded ? 'warn' : 'good')),
    Array.isArray(s.queries) && s.queries.length
      ? h('ul', { class: 'bullets queries' }, s.queries.map((q) => h('li', null, h('code', { text: toText(q) }))))
      : null,
    h('div', { class: 'kvs' }, kv('Topics', chips(s.topics))),
  ];
}

function renderPerformance(items) {
  return h(
    'table',
    { class: 'table' },
    h('thead', null, h('tr', null, h('th', { text: 'Criterion' }), h('th', { text: 'Result' }), h('th', { text: 'Met' }), h('th', { text: 'Evidence' }))),
    h(
      'tbody',
      null,
      items.map((c) => {
        let result = '—';
        if (isNum(c?.valueMs)) result = c.valueMs >= 1000 ? `${(c.valueMs / 1000).toFixed(1)} s` : `${Math.round(c.valueMs)} ms`;
        else if (isNum(c?.rating)) result = String(c.rating);
        let met = h('span', { class: 'muted', text: '—' });
        if (c?.met === true) met = badge('✓ met', 'good');
        else if (c?.met === false) met = badge('✗ not met', 'bad');
        else if (typeof c?.rating === 'string' && c.rating) met = badge(c.rating, ratingKind(c.rating));
        return h(
          'tr',
          { 'data-testid': 'criterion-row' },
          h('td', { text: humanize(c?.criterion) }),
          h('td', { class: 'mono', text: result }),
          h('td', null, met),
          h(
            'td',
            { class: 'evidence' },
            c?.evidence === undefined ? null : h('span', { text: toText(c.evidence) }),
            Array.isArray(c?.matches) && c.matches.length ? h('div', null, chips(c.matches, 'accent')) : null,
          ),
        );
      }),
    ),
  );
}

function ratingKind(r) {
  const v = String(r).toLowerCase();
  if (['good', 'excellent', 'great', 'high'].includes(v)) return 'good';
  if (['fair', 'ok', 'average', 'medium'].includes(v)) return 'warn';
  if (['poor', 'bad', 'low'].includes(v)) return 'bad';
  return 'neutral';
}

function fmtPrice(p) {
  if (!p || typeof p !== 'object' || !isNum(p.amount)) return '';
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: p.currency || 'USD', maximumFractionDigits: 0 }).format(p.amount);
  } catch {
    return `${p.amount} ${p.currency ?? ''}`.trim();
  }
}

function renderRecommend(items) {
  const sorted = [...items].sort((a, b) => (Number(a?.rank) || 0) - (Number(b?.rank) || 0));
  return h(
    'ol',
    { class: 'offers' },
    sorted.map((r) => {
      const o = r?.offer ?? {};
      const title = o.title ?? o.name ?? o.label ?? o.id ?? 'Offer';
      return h(
        'li',
        { class: 'offer', 'data-testid': 'offer' },
        h('span', { class: 'rank', text: `#${r?.rank ?? '?'}` }),
        h(
          'div',
          { class: 'offer-main' },
          h('div', { class: 'offer-title' }, h('strong', { text: title }), fmtPrice(o.price) ? h('span', { class: 'price', text: fmtPrice(o.price) }) : null),
          o.description ? h('p', { class: 'offer-desc', text: toText(o.description) }) : null,
          Array.isArray(r?.matchedTerms) && r.matchedTerms.length ? chips(r.matchedTerms, 'accent') : null,
        ),
        h('span', { class: 'offer-score mono', title: 'score', text: fmtNum(Number(r?.score)) }),
      );
    }),
  );
}

function renderSummary(items, people) {
  const s = items[0] ?? {};
  let who = '';
  if (Array.isArray(s.participants)) {
    who = s.participants
      .map((p) => (typeof p === 'string' ? people.get(p)?.displayName ?? p : p?.displayName ?? p?.participantId ?? toText(p)))
      .join(', ');
  } else if (s.participants !== undefined) {
    who = toText(s.participants);
  }
  return [
    h('p', { class: 'prose', text: s.summary === undefined ? '' : toText(s.summary) }),
    h('div', { class: 'kvs' }, kv('Messages', isNum(s.messageCount) ? String(s.messageCount) : '—'), who ? kv('Participants', who) : null),
  ];
}

function renderTranslation(items, people) {
  const t = items[0] ?? {};
  return [
    h(
      'div',
      { class: 'headline' },
      h('code', { class: 'chip', text: t.sourceLanguage ?? '?' }),
      h('span', { class: 'muted', text: '→' }),
      h('code', { class: 'chip accent', text: t.targetLanguage ?? '?' }),
    ),
    h(
      'ul',
      { class: 'translations' },
      (Array.isArray(t.messages) ? t.messages : []).map((m) =>
        h(
          'li',
          null,
          h('span', { class: 'who', text: people.get(m?.participantId)?.displayName ?? m?.participantId ?? '' }),
          h('p', { class: 'translated', text: toText(m?.translated ?? '') }),
          h('p', { class: 'original muted', text: toText(m?.original ?? '') }),
        ),
      ),
    ),
  ];
}

function renderAdjust(items) {
  const a = items[0] ?? {};
  const content = a.content === undefined ? '' : toText(a.content);
  return [
    h(
      'div',
      { class: 'kvs' },
      kv('Instruction', a.instruction === undefined ? '—' : toText(a.instruction)),
      Array.isArray(a.applied) && a.applied.length ? kv('Applied', chips(a.applied, 'accent')) : null,
    ),
    h('blockquote', { class: 'quote muted', text: a.original === undefined ? '' : toText(a.original) }),
    h('p', { class: 'suggestion', text: content }),
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-small btn-ghost',
        onclick: () => {
          $('composer-text').value = content;
          $('composer-role').value = 'agent';
          $('composer-text').focus();
        },
      },
      'Use in composer',
    ),
  ];
}

function priorityKind(p) {
  const v = String(p ?? '').toLowerCase();
  if (v === 'high' || v === 'urgent' || v === 'critical') return 'bad';
  if (v === 'medium' || v === 'normal') return 'warn';
  return 'neutral';
}

function renderElevate(items) {
  const e = items[0] ?? {};
  return [
    h(
      'div',
      { class: 'headline' },
      e.priority !== undefined ? badge(`priority: ${toText(e.priority)}`, priorityKind(e.priority)) : null,
      e.escalationTarget !== undefined ? h('span', { class: 'chip accent', text: `→ ${toText(e.escalationTarget)}` }) : null,
    ),
    h('p', { class: 'suggestion', text: e.content === undefined ? '' : toText(e.content) }),
    e.reason !== undefined ? h('div', { class: 'kvs' }, kv('Reason', toText(e.reason))) : null,
  ];
}

// ---------------------------------------------------------------------------
// Errors and the envelope log

function reportError(err) {
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

function logEntry(direction, label, correlationId, detail) {
  const list = $('envelope-log');
  const arrow = direction === 'out' ? '→' : direction === 'in' ? '←' : '•';
  const li = h(
    'li',
    { class: `log-item ${direction}`, 'data-testid': 'log-entry', 'data-direction': direction },
    h('span', { class: 'log-arrow', text: arrow }),
    h('span', { class: 'log-label', text: label }),
    correlationId ? h('code', { class: 'log-id', title: correlationId, text: shortId(correlationId) }) : null,
    detail ? h('span', { class: 'log-detail', text: detail }) : null,
    h('time', { class: 'log-time', text: clockNow() }),
  );
  list.prepend(li);
  while (list.children.length > MAX_LOG_ENTRIES) list.lastElementChild.remove();
  $('log-count').textContent = String(list.children.length);
}

function fmtArgs(args) {
  return args.map(toText).join(' ');
}

/** Logger handed to the SDK: console plus the page's log for warnings and errors. */
const sdkLogger = {
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

// ---------------------------------------------------------------------------
// Connection

function refreshStatus() {
  const rs = state.client ? String(state.client.readyState ?? 'closed') : 'unavailable';
  const el = $('ready-state');
  if (el.dataset.state !== rs) {
    el.dataset.state = rs;
    el.textContent = rs;
    $('status-dot').className = `status-dot ${rs}`;
  }
  el.title = state.closeNote;
  $('btn-connect').disabled = !state.client || rs !== 'closed';
  $('btn-disconnect').disabled = !state.client || rs === 'closed' || rs === 'closing';
  for (const b of document.querySelectorAll('button.action')) b.disabled = rs !== 'open';
}

async function tokenProvider() {
  const res = await fetch(TICKET_URL, { method: 'POST', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`ticket endpoint answered HTTP ${res.status}`);
  const body = await res.json();
  if (!body || typeof body.ticket !== 'string' || !body.ticket) throw new Error('ticket endpoint returned no ticket');
  return body.ticket;
}

async function connect() {
  if (!state.client) return;
  state.closeNote = '';
  refreshStatus();
  try {
    const p = state.client.connect();
    refreshStatus();
    await p;
  } catch (err) {
    reportError(err);
  }
  refreshStatus();
}

function disconnect() {
  if (!state.client) return;
  try {
    state.client.close();
  } catch (err) {
    reportError(err);
  }
  refreshStatus();
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
  $('btn-clear').addEventListener('click', () => {
    state.groups.clear();
    state.cards.clear();
    for (const g of document.querySelectorAll('.request-group')) g.remove();
    $('results-empty').hidden = false;
    $('error-list').replaceChildren();
    $('error-area').hidden = true;
  });

  renderConversation();
  refreshStatus();
}

async function main() {
  setupStaticUi();
  const sdk = await loadSdk();
  if (!sdk) {
    refreshStatus();
    return;
  }
  let client;
  try {
    client = new sdk.OptaveClient({
      websocketUrl: websocketUrl(),
      tokenProvider,
      organizationId: ORGANIZATION_ID,
      requestTimeoutMs: 30000,
      logger: sdkLogger,
    });
  } catch (err) {
    reportError(err);
    refreshStatus();
    return;
  }
  state.client = client;
  window.ocoDemo = { client, state };

  client.on('superpower.response', onSuperpower);
  client.on('superpower.error', onSuperpowerError);
  client.on('error', reportError);
  client.on('open', () => {
    logEntry('sys', 'connection open', '', websocketUrl());
    refreshStatus();
  });
  client.on('close', (ev) => {
    state.closeNote = `closed: code ${ev?.code ?? '?'}${ev?.reason ? `, ${ev.reason}` : ''}${ev?.wasClean === false ? ' (not clean)' : ''}`;
    logEntry('sys', 'connection closed', '', state.closeNote);
    refreshStatus();
  });

  // readyState has no event for 'connecting' / 'closing': poll it for the badge.
  setInterval(refreshStatus, 250);
  await connect();
}

main();
