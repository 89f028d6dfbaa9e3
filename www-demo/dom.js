// DOM helpers: every string goes in as text (textContent / createElement),
// never parsed as markup; formatting of numbers, times and ids.
//
// Part of the demo page (see app.js): text only, never markup.

// ---------------------------------------------------------------------------
// DOM helpers (text only)

/** createElement with props; string children become text nodes. */
export function h(tag, props, ...children) {
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

export function add(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === undefined || c === null || c === false || c === '') continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function newId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `demo-${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
}

export function humanize(s) {
  const t = String(s ?? '').replace(/[_-]+/g, ' ').trim();
  return t ? t[0].toUpperCase() + t.slice(1) : '—';
}

export function isNum(n) {
  return typeof n === 'number' && Number.isFinite(n);
}

export function fmtNum(n, digits = 2) {
  return isNum(n) ? n.toFixed(digits) : '—';
}

export function fmtPct(n) {
  if (!isNum(n)) return '—';
  const v = n <= 1 ? n * 100 : n;
  return `${Math.round(v)}%`;
}

export function fmtTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function clockNow() {
  return new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function shortId(id) {
  const s = String(id ?? '');
  return s.length > 13 ? `${s.slice(0, 8)}…${s.slice(-4)}` : s;
}

export function safeJson(v) {
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

export function toText(v) {
  if (typeof v === 'string') return v;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  return safeJson(v);
}

export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}`.trim(), text });
}

export function chips(list, kind = '') {
  const items = Array.isArray(list) ? list : [];
  if (!items.length) return h('span', { class: 'muted', text: 'none' });
  return h('span', { class: 'chips' }, items.map((t) => h('span', { class: `chip ${kind}`.trim(), text: toText(t) })));
}

export function kv(label, value) {
  return h('div', { class: 'kv' }, h('span', { class: 'kv-k', text: label }), h('span', { class: 'kv-v' }, value));
}
