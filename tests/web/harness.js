// Browser-side helpers for the wasm-bindgen tests: record events, wait for
// them, fetch tickets, and count live WebSocket listeners and timers by
// wrapping the browser's own methods.

export class Recorder {
  constructor() { this.events = []; this.waiters = []; this.logs = []; }
  listener(name) { return (ev) => { this.events.push({ name, ev }); this.check(); }; }
  thrower(name) { return (ev) => { this.events.push({ name, ev, threw: true }); this.check(); throw new Error('listener failure ' + name); }; }
  logger() {
    const push = (level) => (message, extra) => { this.logs.push({ level, message: String(message), extra }); };
    return { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
  }
  // The recorded events of `name`, oldest first.
  all(name) { return this.events.filter((e) => e.name === name).map((e) => e.ev); }
  count(name, correlationId) {
    return this.events.filter((e) => e.name === name && (!correlationId || (e.ev && e.ev.correlationId === correlationId))).length;
  }
  find(name, actionType, state, correlationId) {
    return this.events.find((e) => e.name === name && e.ev && (!actionType || e.ev.actionType === actionType)
      && (!state || e.ev.state === state) && (!correlationId || e.ev.correlationId === correlationId));
  }
  check() {
    this.waiters = this.waiters.filter((w) => {
      const hit = w.pred();
      if (hit) { clearTimeout(w.timer); w.resolve(hit); return false; }
      return true;
    });
  }
  // Resolves with the first recorded event matching; rejects after timeoutMs.
  waitFor(name, actionType, state, correlationId, timeoutMs) {
    return this.waitUntil(() => this.find(name, actionType, state, correlationId)?.ev ?? null, timeoutMs,
      `${name} ${actionType ?? ''} ${state ?? ''} ${correlationId ?? ''}`);
  }
  waitCount(name, n, timeoutMs) {
    return this.waitUntil(() => (this.count(name) >= n ? true : null), timeoutMs, `${n} x ${name}`);
  }
  waitUntil(pred, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const hit = pred();
      if (hit) { resolve(hit); return; }
      const w = { pred, resolve };
      w.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error('timed out waiting for ' + what + '; recorded: '
          + JSON.stringify(this.events.map((e) => [e.name, e.ev && e.ev.actionType, e.ev && (e.ev.state || e.ev.code)]))));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }
}

export async function fetchTicket(httpBase) {
  const res = await fetch(httpBase + '/api/ws-ticket', { method: 'POST' });
  if (!res.ok) throw new Error('ticket endpoint answered ' + res.status);
  return (await res.json()).ticket;
}

export function ticketProvider(httpBase) {
  return () => fetchTicket(httpBase);
}

// A logger that is a class instance, as pages write them: it keeps every
// line it is given (`lines`, starting with `padding` characters) and refers
// to itself (`self`), so that JSON.stringify of it is long, or throws.
class BufferingLogger {
  constructor(padding) { this.lines = ['x'.repeat(padding)]; this.self = this; }
  debug(m) { this.lines.push(String(m)); }
  info(m) { this.lines.push(String(m)); }
  warn(m) { this.lines.push(String(m)); }
  error(m) { this.lines.push(String(m)); }
}
export function bufferingLogger(padding) { return new BufferingLogger(padding); }
// The lines a BufferingLogger was given, after its padding.
export function loggedLines(logger) { return logger.lines.slice(1); }

export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

// Counts listeners attached to WebSocket instances and timers that are armed,
// through the browser's own addEventListener/removeEventListener and
// setTimeout/clearTimeout. Installed once per page.
export function installProbes() {
  if (globalThis.__probes) return globalThis.__probes;
  const probes = { listeners: 0, timers: new Set(), sent: [], urls: [], protocols: [] };
  const proto = WebSocket.prototype;
  const add = proto.addEventListener, remove = proto.removeEventListener, send = proto.send;
  const live = new WeakMap();
  proto.addEventListener = function (type, fn, opts) {
    const set = live.get(this) || new Set(); live.set(this, set);
    const key = type + '\u0000' + (fn && fn.__id || (fn.__id = Math.random()));
    if (!set.has(key)) { set.add(key); probes.listeners++; }
    return add.call(this, type, fn, opts);
  };
  proto.removeEventListener = function (type, fn, opts) {
    const set = live.get(this);
    const key = type + '\u0000' + (fn && fn.__id);
    if (set && set.delete(key)) probes.listeners--;
    return remove.call(this, type, fn, opts);
  };
  proto.send = function (data) { probes.sent.push(data); return send.call(this, data); };
  const NativeWS = globalThis.WebSocket;
  globalThis.WebSocket = new Proxy(NativeWS, {
    construct(target, args) { probes.urls.push(String(args[0])); probes.protocols.push(args[1]); return Reflect.construct(target, args); },
  });
  const st = globalThis.setTimeout, ct = globalThis.clearTimeout;
  globalThis.setTimeout = function (fn, ms, ...rest) {
    const id = st.call(globalThis, (...a) => { probes.timers.delete(id); return fn(...a); }, ms, ...rest);
    probes.timers.add(id);
    return id;
  };
  globalThis.clearTimeout = function (id) { probes.timers.delete(id); return ct.call(globalThis, id); };
  globalThis.__probes = probes;
  return probes;
}

export function liveListeners() { return globalThis.__probes ? globalThis.__probes.listeners : -1; }
export function liveTimers(excluding) { return globalThis.__probes ? [...globalThis.__probes.timers].filter((t) => !excluding.includes(t)).length : -1; }
export function sentFrames() { return globalThis.__probes ? globalThis.__probes.sent.slice() : []; }
export function openedUrls() { return globalThis.__probes ? globalThis.__probes.urls.slice() : []; }
export function openedProtocols() { return globalThis.__probes ? globalThis.__probes.protocols.slice() : []; }

// `target[name](...args)`.
export function invoke(target, name, args) { return target[name](...args); }

// A `tokenProvider` whose promises the test settles by hand: `resolve(value)`
// fulfils every call made so far; `calls` counts the calls.
export function deferredProvider() {
  const d = { calls: 0, pending: [] };
  d.provider = () => { d.calls++; return new Promise((resolve) => { d.pending.push(resolve); }); };
  d.resolve = (value) => { for (const r of d.pending.splice(0)) r(value); };
  return d;
}

// Counts `new WebSocket(...)` calls from now on (those that throw too) by
// wrapping the page's `WebSocket`; `restore()` puts back the one it wrapped.
export function countSockets() {
  const previous = globalThis.WebSocket;
  const counter = {
    count: 0,
    urls: [],
    restore() { globalThis.WebSocket = previous; },
  };
  globalThis.WebSocket = new Proxy(previous, {
    construct(target, args) {
      counter.count++;
      counter.urls.push(String(args[0]));
      return Reflect.construct(target, args);
    },
  });
  return counter;
}

// Makes `new WebSocket(url, protocols)` throw as Chromium does for a URL it
// refuses (a SyntaxError quoting the URL) until `restore()`: the SDK judges
// URLs with the browser's own parser, so no real URL reaches this refusal.
export function refuseSockets() {
  const previous = globalThis.WebSocket;
  globalThis.WebSocket = new Proxy(previous, {
    construct(_target, args) {
      throw new DOMException(`Failed to construct 'WebSocket': The URL '${args[0]}' is invalid.`, 'SyntaxError');
    },
  });
  return { restore() { globalThis.WebSocket = previous; } };
}

// The message of what `new WebSocket(url)` throws, or null when it does not
// throw (the socket is closed at once).
export function websocketRefusal(url) {
  try {
    new WebSocket(url).close();
    return null;
  } catch (e) {
    return String(e && e.message);
  }
}

// Everything a page can read of `v` as text: its JSON and string forms and,
// for an object, the JSON of its message, stack, details, suggestions and
// extra (own properties an Error's JSON leaves out).
export function allText(v) {
  const parts = [];
  const add = (x) => {
    try {
      const t = typeof x === 'string' ? x : JSON.stringify(x);
      if (t !== undefined) parts.push(t);
    } catch (_) { /* not serializable */ }
  };
  add(v);
  try { parts.push(String(v)); } catch (_) { /* no string form */ }
  if (v !== null && typeof v === 'object') {
    for (const k of ['message', 'stack', 'details', 'suggestions', 'correlationId']) add(v[k]);
    if (v.extra !== undefined) parts.push(allText(v.extra));
  }
  return parts.join('\n');
}

// ---------------------------------------------------------------------------
// The session's fault matrix (tests/web_session.rs).

// POSTs to a control endpoint of the local server or its supervisor; resolves
// with the JSON answer.
export async function postJson(url) {
  const res = await fetch(url, { method: 'POST' });
  if (!res.ok) throw new Error(url + ' answered ' + res.status);
  return res.json();
}
export async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(url + ' answered ' + res.status);
  return res.json();
}

// Counts the listeners live on the global object and the document (online,
// offline, pageshow, pagehide, visibilitychange), by wrapping their own
// addEventListener/removeEventListener. Installed once per page.
export function installGlobalProbes() {
  if (globalThis.__globalProbes) return globalThis.__globalProbes;
  const probes = { live: new Set() };
  const wrap = (target, label) => {
    if (!target) return;
    const add = target.addEventListener.bind(target), remove = target.removeEventListener.bind(target);
    const key = (type, fn) => label + '\u0000' + type + '\u0000' + (fn && (fn.__gid || (fn.__gid = Math.random())));
    target.addEventListener = (type, fn, opts) => { probes.live.add(key(type, fn)); return add(type, fn, opts); };
    target.removeEventListener = (type, fn, opts) => { probes.live.delete(key(type, fn)); return remove(type, fn, opts); };
  };
  wrap(globalThis, 'global');
  wrap(typeof document === 'undefined' ? undefined : document, 'document');
  globalThis.__globalProbes = probes;
  return probes;
}
// The names of the live global and document listeners, e.g. "global online".
export function globalListeners() {
  return globalThis.__globalProbes ? [...globalThis.__globalProbes.live].map((k) => k.split('\u0000').slice(0, 2).join(' ')) : [];
}

// Dispatches a plain event named `name` on the global object.
export function fireGlobal(name) { globalThis.dispatchEvent(new Event(name)); }

// A tokenProvider that plays `script` in turn, then `fallback` forever:
// 'throw', 'hang', 'number', or anything else as the token to return.
export function scriptedProvider(script, fallback) {
  const p = { calls: 0 };
  p.provider = () => {
    const step = p.calls < script.length ? script[p.calls] : fallback;
    p.calls++;
    if (typeof step === 'function') return step();
    if (step === 'throw') throw new Error('ticket endpoint down');
    if (step === 'hang') return new Promise(() => {});
    if (step === 'number') return 42;
    return step;
  };
  return p;
}

// Bytes of the wasm instance's linear memory.
export function memoryBytes(memory) { return memory.buffer.byteLength; }

// ---------------------------------------------------------------------------
// Request handles (tests/web_handles.rs).

// Reads every frame of `handle`; resolves { frames, error } (error: what the
// loop threw, or null).
export async function readAll(handle) {
  const frames = [];
  try {
    for await (const ev of handle) frames.push(ev);
    return { frames, error: null };
  } catch (error) {
    return { frames, error };
  }
}
// Reads `n` frames of `handle`, then breaks out of the loop.
export async function readSome(handle, n) {
  const frames = [];
  for await (const ev of handle) {
    frames.push(ev);
    if (frames.length >= n) break;
  }
  return frames;
}
// `settled()` as { value, error }.
export async function settledOf(handle) {
  try { return { value: await handle.settled(), error: null }; } catch (error) { return { value: null, error }; }
}
