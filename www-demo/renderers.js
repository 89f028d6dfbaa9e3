// How each superpower's results are shown (one renderer per actionType).
//
// Part of the demo page (see app.js): text only, never markup.

import { $ } from './state.js';
import { badge, chips, fmtNum, fmtPct, h, humanize, isNum, kv, safeJson, toText } from './dom.js';
import { roleClass } from './conversation.js';

// --- renderers --------------------------------------------------------------

export function renderResult(type, items, people, ev) {
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

export function renderGeneric(value) {
  return h('pre', { class: 'json', 'data-testid': 'generic-result', text: safeJson(value ?? null) });
}

export function sentimentKind(s) {
  if (s === 'positive') return 'good';
  if (s === 'negative') return 'bad';
  return 'neutral';
}

/** A centred bar for a score in -1..1. */
export function scoreGauge(score) {
  const s = Math.max(-1, Math.min(1, isNum(score) ? score : 0));
  const fill = h('div', { class: `gauge-fill ${s >= 0 ? 'good' : 'bad'}` });
  fill.style.left = `${s >= 0 ? 50 : 50 + s * 50}%`;
  fill.style.width = `${Math.abs(s) * 50}%`;
  return h('div', { class: 'gauge', role: 'img', 'aria-label': `score ${fmtNum(s)}` }, h('div', { class: 'gauge-mid' }), fill);
}

export function renderSentiment(items, people) {
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

export function levelKind(level) {
  if (level === 'high') return 'bad';
  if (level === 'medium') return 'warn';
  if (level === 'low') return 'good';
  return 'neutral';
}

export function renderRisks(items) {
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

export function renderEscalation(items) {
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

export function renderLanguage(items) {
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

export function renderSearch(items) {
  const s = items[0] ?? {};
  return [
    h('div', { class: 'headline' }, badge(s.searchNeeded ? 'Search needed' : 'No search needed', s.searchNeeded ? 'warn' : 'good')),
    Array.isArray(s.queries) && s.queries.length
      ? h('ul', { class: 'bullets queries' }, s.queries.map((q) => h('li', null, h('code', { text: toText(q) }))))
      : null,
    h('div', { class: 'kvs' }, kv('Topics', chips(s.topics))),
  ];
}

export function renderPerformance(items) {
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

export function ratingKind(r) {
  const v = String(r).toLowerCase();
  if (['good', 'excellent', 'great', 'high'].includes(v)) return 'good';
  if (['fair', 'ok', 'average', 'medium'].includes(v)) return 'warn';
  if (['poor', 'bad', 'low'].includes(v)) return 'bad';
  return 'neutral';
}

export function fmtPrice(p) {
  if (!p || typeof p !== 'object' || !isNum(p.amount)) return '';
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: p.currency || 'USD', maximumFractionDigits: 0 }).format(p.amount);
  } catch {
    return `${p.amount} ${p.currency ?? ''}`.trim();
  }
}

export function renderRecommend(items) {
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

export function renderSummary(items, people) {
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

export function renderTranslation(items, people) {
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

export function renderAdjust(items) {
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

export function priorityKind(p) {
  const v = String(p ?? '').toLowerCase();
  if (v === 'high' || v === 'urgent' || v === 'critical') return 'bad';
  if (v === 'medium' || v === 'normal') return 'warn';
  return 'neutral';
}

export function renderElevate(items) {
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
