// The browser side of the facade: small functions the Rust code calls so that
// one call does what would otherwise be many calls through the glue (event
// objects, the listener registry, errors, the frame reader, the token provider).
// They carry no protocol rules: the core decides, these read and build.

// src/events.rs. Each event has a list of registrations { f, once }: `once`
// belongs to the registration, so one function can be an `on` listener of an
// event and a `once` listener of another.
export function newEmitter(count) {
  const e = { lists: [] };
  for (let i = 0; i < count; i++) e.lists.push([]);
  return e;
}
export function addListener(e, event, f, once) {
  const entry = { f, once };
  e.lists[event].push(entry);
  return () => drop(e, event, entry);
}
function drop(e, event, entry) {
  const list = e.lists[event];
  const i = list.indexOf(entry);
  if (i >= 0) list.splice(i, 1);
}
// off(event, f): the first registration of `f` for `event`.
export function removeListener(e, event, f) {
  const entry = e.lists[event].find((r) => r.f === f);
  if (entry) drop(e, event, entry);
}
export function hasListeners(e, event) { return e.lists[event].length > 0; }
export function clearListeners(e) { for (const list of e.lists) list.length = 0; }
export function deliver(e, event, arg) {
  const list = e.lists[event];
  if (list.length === 0) return undefined;
  const targets = list.length === 1 ? [list[0]] : list.slice();
  if (targets.some((r) => r.once)) e.lists[event] = list.filter((r) => !r.once);
  let thrown;
  for (const r of targets) {
    try { r.f(arg); } catch (x) { (thrown ??= []).push(x); }
  }
  return thrown;
}
export function responseEvent(frame, enveloped, correlationId, requestAction) {
  const b = enveloped ? frame.payload : frame;
  const ev = { action: b.action, actionType: b.actionType, state: b.state, message: b.message };
  if (correlationId !== undefined) ev.correlationId = correlationId;
  if (enveloped) {
    if (requestAction !== undefined) ev.requestAction = requestAction;
    ev.headers = frame.headers;
  }
  return ev;
}
export function closeInfo(code, reason, wasClean) { return { code, reason, wasClean }; }

// src/js_error.rs
// The class of every error the SDK reports (protocol.md section 6), exported
// by the package (`err instanceof OptaveError`). Its fields are those of the
// core's typed model (`OptaveError` in core/src/model/events.rs), which types
// them in the .d.ts; `fields` is that shape, `details`, `suggestions`,
// `correlationId` and `timestamp` optional.
export class OptaveError extends Error {
  constructor(fields) {
    super(fields.message);
    this.name = 'OptaveError';
    this.category = fields.category;
    this.code = fields.code;
    this.details = fields.details ?? null;
    this.suggestions = fields.suggestions ?? [];
    if (fields.correlationId !== undefined) this.correlationId = fields.correlationId;
    this.timestamp = fields.timestamp ?? new Date().toISOString();
  }
}
export function jsError(category, code, message, details, frame, suggestions, correlationId, timestamp) {
  return new OptaveError({
    category, code, message, correlationId, timestamp,
    details: details === undefined ? frame : JSON.parse(details),
    suggestions: suggestions === '' ? [] : suggestions.split('\n'),
  });
}
// What a thrown value says, by its message only (never its other members,
// which may hold a token), at most 500 characters.
export function describeThrown(v) {
  try {
    if (v instanceof Error) return String(v.message).slice(0, 500);
    if (typeof v === 'string') return v.slice(0, 500);
  } catch (_) { /* a message getter that throws */ }
  return 'a thrown ' + (v === null ? 'null' : typeof v);
}

// src/logger.rs
export function logTo(target, level, text, extra) {
  try {
    if (target === undefined || target === null) { console[level](text, extra); return; }
    const f = target[level];
    if (typeof f === 'function') f.call(target, text, extra);
  } catch (_) { /* a logger that throws is ignored */ }
}

// src/socket.rs
const obj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v) => (typeof v === 'string' ? v : undefined);
const notStr = (v) => v != null && typeof v !== 'string';
// UTF-8 bytes of a string (a lone surrogate counts as U+FFFD, 3 bytes).
const utf8Bytes = (s) => new TextEncoder().encode(s).length;
// The fields of one candidate body, the frame itself or its payload object
// (core/src/inbound.rs, `BodyFields`).
const bodyFields = (b) => ({
  hasAction: typeof b.action === 'string', actionType: str(b.actionType), state: str(b.state),
  hasError: b.error != null, messageIsObject: obj(b.message),
  correlationId: str(b.correlationId), correlationIdNotString: notStr(b.correlationId),
});
// Reads one parsed frame `f` once and routes it: kind 'frame', the fields of
// the core's `Routing` by name (core/src/inbound.rs; src/socket.rs, `Frame`).
// Both candidate bodies are read; the core chooses.
function routeParsed(f, route) {
  if (!obj(f)) { route({ kind: 'frame', value: f, isObject: false }); return; }
  const h = f.headers;
  route({
    kind: 'frame', value: f, isObject: true, actionIsMessage: f.action === 'message', hasHeaders: h != null,
    headers: obj(h) ? { correlationId: str(h.correlationId), correlationIdNotString: notStr(h.correlationId),
      schemaRef: str(h.schemaRef), action: str(h.action) } : undefined,
    top: bodyFields(f), payload: obj(f.payload) ? bodyFields(f.payload) : undefined,
  });
}
// Reads one text: kind 'tooLarge' (over `maxBytes`: never parsed, only its
// first `prefixUnits` copied), 'notJson', or parsed; `many`: an array is a
// list of frames (a REST answer).
function readText(data, route, maxBytes, prefixUnits, many) {
  let size = data.length;
  if (size <= maxBytes && size * 3 > maxBytes) size = utf8Bytes(data);
  if (size > maxBytes) { route({ kind: 'tooLarge', size, prefix: data.slice(0, prefixUnits) }); return; }
  let f;
  try { f = JSON.parse(data); } catch (_) { route({ kind: 'notJson', size, prefix: data.slice(0, prefixUnits) }); return; }
  if (many && Array.isArray(f)) { for (const x of f) routeParsed(x, route); return; }
  routeParsed(f, route);
}
// The socket's `message` listener: a binary frame is routed as kind
// 'binary', unread.
export function listenFrames(ws, route, maxBytes, prefixUnits) {
  const listener = (event) => {
    const data = event.data;
    if (typeof data !== 'string') { route({ kind: 'binary' }); return; }
    readText(data, route, maxBytes, prefixUnits, false);
  };
  ws.addEventListener('message', listener);
  return listener;
}

// src/rest.rs: one REST call. `headers` is [name, value, name, value, ...];
// `done(status, retryAfterMs, text)` once with the answer (status 0: the
// network failed), never after `abort()` of the returned controller.
export function restFetch(url, headers, body, token, done) {
  const ctl = new AbortController();
  const call = (...a) => { if (!ctl.signal.aborted) try { done(...a); } catch (_) { /* dropped */ } };
  const h = new Headers(headers);
  if (token !== undefined) h.set('Authorization', 'Bearer ' + token);
  fetch(url, { method: 'POST', headers: h, body, signal: ctl.signal, credentials: 'omit', cache: 'no-store', redirect: 'error' })
    .then(async (r) => call(r.status, retryAfter(r.headers.get('Retry-After')), await r.text()))
    .catch(() => call(0, undefined, ''));
  return ctl;
}
// Retry-After (RFC 9110 section 10.2.3), in ms from now: a whole number of
// seconds, or an HTTP date (IMF-fixdate or RFC 850, both in GMT). Anything
// else is no Retry-After (the core's backoff applies); the core also sets the
// floor and the deadline.
function retryAfter(v) {
  const t = v === null ? '' : v.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  if (!/ GMT$/.test(t)) return undefined;
  const d = Date.parse(t);
  return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
}
export function abortFetch(ctl) { try { ctl.abort(); } catch (_) { /* already done */ } }
export function readBody(text, route, maxBytes, prefixUnits) {
  readText(text, route, maxBytes, prefixUnits, true);
}
// What an error frame says about itself (core/src/inbound.rs, `ErrorFields`),
// read from its body: the payload of an envelope, else the frame itself.
export function errorFields(f, enveloped) {
  const b = enveloped ? f.payload : f;
  const m = obj(b.message) ? b.message : undefined;
  const r = m && Array.isArray(m.results) && obj(m.results[0]) ? m.results[0] : undefined;
  const i = r && Array.isArray(r.response) && obj(r.response[0]) ? r.response[0] : undefined;
  const e = b.error;
  const eo = obj(e) ? e : undefined;
  return {
    itemErrorCode: i && str(i.error_code), itemContent: i && str(i.content), errorCode: eo && str(eo.code),
    errorErrorCode: eo && str(eo.error_code), errorMessage: eo && str(eo.message), errorText: str(e),
  };
}

// src/options.rs, src/connect.rs
// JSON text of options for the core; NaN and ±Infinity, which JSON cannot
// carry, travel as their names (the core's NON_FINITE) so they are refused
// rather than read as null, i.e. "not given".
// The options as JSON for the core. A `logger` object is called, never read
// as data (src/options.rs checks it): it goes as {}, so that a logger instance
// that refers to itself or keeps its lines neither throws nor counts here.
export function optionsJson(v) {
  return JSON.stringify(v, function (k, x) {
    if (this === v && k === 'logger' && x !== null && typeof x === 'object') return {};
    return typeof x === 'number' && !Number.isFinite(x) ? String(x) : x;
  });
}
export function requestToken(provider, done) {
  const call = (ok, value) => { try { done(ok, value); } catch (_) { /* the attempt was dropped */ } };
  Promise.resolve().then(() => provider()).then((v) => call(true, v), (e) => call(false, e));
}

// What the browser's own URL parser makes of a URL (the core judges it):
// { protocol, hostname, hasCredentials, hasFragment }, or undefined when the
// parser refuses it.
export function parseUrl(text) {
  let u;
  try { u = new URL(text); } catch (_) { return undefined; }
  return { protocol: u.protocol, hostname: u.hostname, hasCredentials: u.username !== '' || u.password !== '', hasFragment: u.href.includes('#') };
}

// The session's events and signals (src/effects.rs, src/signals.rs).
export function stateInfo(previous, current, reason, retryInMs, transport) {
  const o = { previous, current, transport };
  if (reason !== undefined) o.reason = reason;
  if (retryInMs !== undefined) o.retryInMs = retryInMs;
  return o;
}
export function sentInfo(correlationId, kind) {
  return { correlationId, kind };
}
export function globalTarget() {
  return globalThis;
}
export function pageDocument() {
  return typeof document === 'undefined' ? undefined : document;
}
export function pageVisible() {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}
