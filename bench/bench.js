// Browser benchmark of optave-client against its raw-WebSocket limit.
//
// Loaded by bench/index.html, served by the local OCO server (`--root bench
// --pkg pkg --no-auth --no-analysis`); driven by bench/run.mjs, which injects
// the seed params (window.__benchSeed) and the configuration
// (window.__benchConfig) before the page runs, then reads
// window.__benchResults once window.__benchDone is true (or
// window.__benchError is set).
//
// Every row with a limit runs the SDK and its limit in this same page, against
// the same server: one warm-up round of each, then R measured rounds, SDK and
// limit interleaved (the order alternates per round), gc() before every round;
// the figure is the median over the R rounds. The restart rows have no limit:
// the server runs under oco-supervisor, whose control URL run.mjs passes in
// window.__benchConfig.controlUrl (see restartRows).

import init, { OptaveClient } from '/pkg/optave_client.js';

const cfg = {
  rounds: 7,
  outboundSeedN: 5000,
  outbound200N: 500,
  outbound100kN: 100,
  conversation200: 200,
  envelopeTargetBytes: 100 * 1024,
  burstN: 20000,
  roundTripN: 1000,
  // REST calls per round of the REST round-trip row.
  restRoundTripN: 200,
  memoryBatch: 200,
  memoryMessages: 100000,
  memoryCycles: 1000,
  memoryWarmCycles: 100,
  restartN: 20,
  restartDownMs: 500,
  restartHoldMs: 300,
  ...(window.__benchConfig || {}),
};

const WS_URL = `ws://${location.host}/ws`;
const ECHO_URL = `ws://${location.host}/echo`;
const logEl = document.getElementById('log');
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const utf8 = new TextEncoder();
const byteLength = (s) => utf8.encode(s).length;

function log(msg) {
  console.log(`[bench] ${msg}`);
  if (logEl) logEl.textContent += `${msg}\n`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

async function collect() {
  if (typeof window.gc === 'function') {
    window.gc();
    await sleep(20);
    window.gc();
  }
  await sleep(0);
}

function memoryNow(wasm) {
  const heap = performance.memory ? performance.memory.usedJSHeapSize : NaN;
  const wasmBytes = wasm.memory.buffer.byteLength;
  return { heap, wasm: wasmBytes, total: heap + wasmBytes };
}

async function measureMemory(wasm) {
  await collect();
  await sleep(50);
  await collect();
  return memoryNow(wasm);
}

/** Runs `fn` with WebSocket.prototype.send wrapped; returns what was sent and on which socket. */
function captureSend(fn) {
  const original = WebSocket.prototype.send;
  const sent = [];
  WebSocket.prototype.send = function capture(data) {
    sent.push({ socket: this, data });
    return original.call(this, data);
  };
  let ret;
  try {
    ret = fn();
  } finally {
    WebSocket.prototype.send = original;
  }
  if (sent.length !== 1 || typeof sent[0].data !== 'string') {
    throw new Error(`expected one text frame to be sent, got ${sent.length} (returned ${ret})`);
  }
  return { text: sent[0].data, socket: sent[0].socket, ret };
}

function openSocket(url, protocols) {
  return new Promise((resolve, reject) => {
    const ws = protocols && protocols.length ? new WebSocket(url, protocols) : new WebSocket(url);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`WebSocket to ${url} failed`));
  });
}

/** One persistent onmessage; `next()` resolves with the next frame's text. */
function channel(ws) {
  let waiter = null;
  ws.onmessage = (e) => {
    const w = waiter;
    waiter = null;
    if (w) w(e.data);
  };
  return () =>
    new Promise((resolve) => {
      waiter = resolve;
    });
}

async function drain(ws) {
  const t0 = now();
  while (ws.bufferedAmount > 0) {
    if (now() - t0 > 60000) throw new Error('bufferedAmount did not drain within 60 s');
    await sleep(5);
  }
}

function withTags(params, tags) {
  const p = structuredClone(params);
  p.request.reference = { ...(p.request.reference || {}), tags };
  return p;
}

// The SDK tracks every request it sends until its answer is complete (or its
// deadline), refuses a second request with a tracked correlationId, and
// de-duplicates the frames of a tracked one. The seed carries a fixed
// request.requestId, which becomes the envelope's correlationId, so every SDK
// request that may overlap another gets its own id: the seed's with its last
// group replaced by a counter of the same width, so envelopes keep their size.
let idCounter = 0;
function requestIds(params, n) {
  const id = params.request.requestId;
  const prefix = id.slice(0, id.lastIndexOf('-') + 1);
  const width = id.length - prefix.length;
  return Array.from({ length: n }, () => `${prefix}${(idCounter++).toString(16).padStart(width, '0')}`);
}

/** `params` (changed in place) with a request.requestId not used before. */
function numbered(params) {
  params.request.requestId = requestIds(params, 1)[0];
  return params;
}

const TOPICS = [
  'my order has not arrived yet',
  'the payment link says it expired',
  'can I change the delivery address',
  'I was charged twice for the same order',
  'the tracking number does not work',
  'I would like a refund for the damaged item',
  'is there a discount for returning customers',
  'the app logs me out every few minutes',
];

/** The seed conversation stretched to `count` messages of varied text. */
function longConversation(seed, count, extraWords = 0) {
  const p = structuredClone(seed);
  const conv = p.request.scope.conversations[0];
  const base = conv.messages;
  const start = Date.parse(base[0].timestamp);
  const filler = extraWords
    ? ` ${Array.from({ length: extraWords }, (_, k) => TOPICS[k % TOPICS.length].split(' ')[k % 4]).join(' ')}`
    : '';
  conv.messages = Array.from({ length: count }, (_, i) => {
    const b = base[i % base.length];
    return {
      content: `${b.content} (${i + 1}) About ${TOPICS[i % TOPICS.length]}, order ORD-${12345 + i}.${filler}`,
      participantId: b.participantId,
      timestamp: new Date(start + i * 15000).toISOString(),
    };
  });
  return p;
}

async function main() {
  const seed = window.__benchSeed;
  if (!seed) throw new Error('window.__benchSeed is not set (run bench/run.mjs)');
  const wasm = await init();
  const organizationId = seed.request.context.organizationId;
  // staleAfterMs: false — the outbound rows leave `fault:silent` requests
  // unanswered on purpose, which liveness would rightly take for a silent
  // path after 15 s (reconnect and resend); it has its own row,
  // bench/liveness.mjs.
  const clientOptions = { websocketUrl: WS_URL, authRequired: false, organizationId, requestTimeoutMs: 60000, staleAfterMs: false };
  const sdkErrors = [];
  const newClient = async () => {
    const client = new OptaveClient(clientOptions);
    client.on('error', (e) => sdkErrors.push(`${e.code}: ${e.message}`));
    await client.connect();
    return client;
  };
  const R = cfg.rounds;
  const rows = [];
  const info = { config: cfg, userAgent: navigator.userAgent, envelopeBytes: {}, sdkErrors };
  info.crossOriginIsolated = window.crossOriginIsolated === true;
  info.timerResolutionMs = timerResolution();
  // The wasm's linear memory (KiB) after each part: it grows and never shrinks.
  info.wasmMemoryKiB = { afterInit: wasm.memory.buffer.byteLength / 1024 };
  const wasmMark = (at) => {
    info.wasmMemoryKiB[at] = wasm.memory.buffer.byteLength / 1024;
  };
  log(`crossOriginIsolated ${info.crossOriginIsolated}, performance.now() step ${info.timerResolutionMs} ms`);
  // BENCH_ROWS (bench/run.mjs): only these groups of rows, e.g. ['inbound'].
  const want = (group) => !cfg.rows || cfg.rows.includes(group);

  /** Warm-up, then R rounds each of `sdk` and `limit`, alternating which goes first. */
  async function paired(label, sdk, limit) {
    await collect();
    await sdk(-1);
    await collect();
    await limit(-1);
    const s = [];
    const l = [];
    for (let r = 0; r < R; r++) {
      const order = r % 2 === 0 ? [[sdk, s], [limit, l]] : [[limit, l], [sdk, s]];
      for (const [fn, out] of order) {
        await collect();
        out.push(await fn(r));
      }
    }
    log(`${label}: sdk ${JSON.stringify(s.map(round))} limit ${JSON.stringify(l.map(round))}`);
    return { sdk: s, limit: l };
  }

  // ---- one SDK client and its socket, the protocol the SDK negotiated
  const plain = structuredClone(seed); // no fault tag: answered with one echo frame (--no-analysis)
  const primary = await newClient();
  const plainCap = captureSend(() => primary.interaction(numbered(plain)));
  const sdkSocket = plainCap.socket;
  const protocols = sdkSocket.protocol ? [sdkSocket.protocol] : [];
  info.protocols = protocols;
  await primary.interactionAsync(numbered(plain), { timeoutMs: 30000 }).catch(() => {});
  await sleep(50);
  const plainText = plainCap.text;

  // Settling between rounds: the socket's send buffer drained, and the server
  // has read everything before an answered sentinel request.
  const settleSdk = async (client, socket) => {
    await drain(socket);
    await client.interactionAsync(numbered(plain), { timeoutMs: 60000 });
    await sleep(50);
  };
  const settleRaw = async (ws, next) => {
    await drain(ws);
    const answer = next();
    ws.send(plainText);
    await answer;
    await sleep(50);
  };

  // ---- rows 1-3: outbound
  async function outbound(id, label, params, n) {
    const silent = withTags(params, ['fault:silent']);
    const cap = captureSend(() => primary.interaction(numbered(silent)));
    if (cap.socket !== sdkSocket) throw new Error('the SDK sent on another socket');
    const envelope = JSON.parse(cap.text);
    const bytes = byteLength(cap.text);
    info.envelopeBytes[id] = bytes;
    const raw = await openSocket(WS_URL, protocols);
    const next = channel(raw);
    await settleSdk(primary, sdkSocket);
    let refused = 0;
    const res = await paired(label, async () => {
      const ids = requestIds(silent, n);
      const t0 = now();
      for (let i = 0; i < n; i++) {
        silent.request.requestId = ids[i];
        if (primary.interaction(silent) === undefined) refused++;
      }
      const t = now() - t0;
      await settleSdk(primary, sdkSocket);
      return n / (t / 1000);
    }, async () => {
      const t0 = now();
      for (let i = 0; i < n; i++) {
        raw.send(JSON.stringify(envelope));
      }
      const t = now() - t0;
      await settleRaw(raw, next);
      return n / (t / 1000);
    });
    raw.close(1000);
    if (refused) throw new Error(`${label}: the SDK refused ${refused} envelopes (${sdkErrors.slice(-1)})`);
    return { ...res, n, envelopeBytes: bytes };
  }

  if (want('outbound')) {
    wasmMark('beforeOutbound');
    const seedRes = await outbound('seed', 'outbound seed 002', seed, cfg.outboundSeedN);
    wasmMark('afterOutboundSeed');
    rows.push(rowRatio('outbound', `outbound seed 002, ${seedRes.envelopeBytes} B (envelopes/s)`, seedRes, 0.6, { n: seedRes.n }));

    // Where a seed-002 send goes: the same loops with `WebSocket.prototype.send`
    // stubbed, so the SDK row is its own work per envelope (params
    // serialization, the copy into wasm, the build, the copy out, tracking)
    // and the limit row the raw path's (`JSON.stringify(envelope)`); the note
    // adds what `ws.send` itself costs on this socket. Report only: it says
    // how much of the outbound ratio the SDK can still move.
    {
      const silent = withTags(seed, ['fault:silent']);
      const envelope = JSON.parse(captureSend(() => primary.interaction(numbered(silent))).text);
      const text = JSON.stringify(envelope);
      const n = cfg.outboundSeedN;
      const stubbed = (loop) => {
        const original = WebSocket.prototype.send;
        WebSocket.prototype.send = function stub() {};
        try {
          const t0 = now();
          loop();
          return ((now() - t0) * 1000) / n;
        } finally {
          WebSocket.prototype.send = original;
        }
      };
      await settleSdk(primary, sdkSocket);
      const res = await paired('outbound seed 002, send stubbed (µs per envelope)', async () => {
        const ids = requestIds(silent, n);
        return stubbed(() => {
          for (let i = 0; i < n; i++) {
            silent.request.requestId = ids[i];
            primary.interaction(silent);
          }
        });
      }, async () => stubbed(() => {
        for (let i = 0; i < n; i++) JSON.stringify(envelope);
      }));
      const raw = await openSocket(WS_URL, protocols);
      const next = channel(raw);
      const sends = [];
      for (let r = 0; r < R; r++) {
        await collect();
        const t0 = now();
        for (let i = 0; i < n; i++) raw.send(text);
        sends.push(((now() - t0) * 1000) / n);
        await settleRaw(raw, next);
      }
      raw.close(1000);
      const s = median(res.sdk);
      const l = median(res.limit);
      const send = median(sends);
      rows.push({
        id: 'outboundParts', name: 'outbound seed 002, per envelope with WebSocket.send stubbed (µs)',
        sdk: s, limit: l, ratio: s / l, target: 'report', met: null,
        note: `SDK work besides ws.send ${s.toFixed(2)} µs, raw path's JSON.stringify ${l.toFixed(2)} µs; ws.send alone ${send.toFixed(2)} µs`,
        rounds: { sdk: res.sdk, limit: res.limit, send: sends },
      });
    }

    const conv200 = longConversation(seed, cfg.conversation200);
    const c200Res = await outbound('conv200', 'outbound 200-message conversation', conv200, cfg.outbound200N);
    wasmMark('afterOutbound200');
    rows.push(rowRatio('outbound200', `outbound 200-msg conversation, ${c200Res.envelopeBytes} B (envelopes/s)`, c200Res, 0.6, { n: c200Res.n }));

    // ~100 KiB envelope: grow the conversation until the SDK's envelope is just under the target.
    let count = 400;
    let big = null;
    for (let attempt = 0; attempt < 6; attempt++) {
      big = longConversation(seed, count, 20);
      const text = captureSend(() => primary.interaction(numbered(withTags(big, ['fault:silent'])))).text;
      const len = byteLength(text);
      if (len <= cfg.envelopeTargetBytes && len > cfg.envelopeTargetBytes * 0.98) break;
      count = Math.max(1, Math.floor(count * (cfg.envelopeTargetBytes * 0.99) / len));
    }
    const bigRes = await outbound('conv100k', 'outbound ~100 KiB', big, cfg.outbound100kN);
    rows.push(rowRatio('outbound100k', `outbound ~100 KiB envelope, ${bigRes.envelopeBytes} B (envelopes/s)`, bigRes, null, { n: bigRes.n }));
    wasmMark('afterOutbound100k');
  }

  // ---- row 4: inbound dispatch
  if (want('inbound')) {
    const N = cfg.burstN;
    const burst = withTags(seed, [`fault:burst=${N}`]);
    let count = 0;
    let tFirst = 0;
    let tLast = 0;
    let seen = 0;
    let done = null;
    const listener = (ev) => {
      seen += ev.actionType.length; // the same cheap work on both sides
      if (count === 0) tFirst = now();
      if (++count === N) {
        tLast = now();
        done();
      }
    };
    const arm = () => {
      count = 0;
      return new Promise((resolve) => {
        done = resolve;
      });
    };
    const client = await newClient();
    client.on('superpower.response', listener);
    const burstText = captureSend(() => client.interaction(numbered(withTags(seed, ['fault:silent'])))).text;
    const burstEnvelope = JSON.parse(burstText);
    burstEnvelope.payload.request.reference.tags = [`fault:burst=${N}`];
    const rawText = JSON.stringify(burstEnvelope); // a real SDK envelope, carrying the burst tag
    const raw = await openSocket(WS_URL, protocols);
    raw.onmessage = (e) => listener(JSON.parse(e.data).payload);
    const res = await paired('inbound dispatch', async () => {
      const finished = arm();
      if (client.interaction(numbered(burst)) === undefined) throw new Error(`burst request refused (${sdkErrors.slice(-1)})`);
      await finished;
      return (N - 1) / ((tLast - tFirst) / 1000);
    }, async () => {
      const finished = arm();
      raw.send(rawText);
      await finished;
      return (N - 1) / ((tLast - tFirst) / 1000);
    });
    info.inboundChecksum = seen;
    client.close();
    client.free();
    raw.close(1000);
    rows.push(rowRatio('inbound', `inbound dispatch, ${N} frames (frames/s)`, res, 0.9, { n: N }));
  }

  // ---- row 5: round trip
  if (want('roundtrip')) {
    const N = cfg.roundTripN;
    const client = await newClient();
    const rawWs = await openSocket(WS_URL, protocols);
    const nextWs = channel(rawWs);
    const rawEcho = await openSocket(ECHO_URL, protocols);
    const nextEcho = channel(rawEcho);
    const envelope = JSON.parse(plainText);
    const stats = (xs) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99) });
    const rawLoop = (ws, next) => async () => {
      const xs = new Array(N);
      for (let i = 0; i < N; i++) {
        const t0 = now();
        const answer = next();
        ws.send(JSON.stringify(envelope));
        JSON.parse(await answer);
        xs[i] = now() - t0;
      }
      return stats(xs);
    };
    const sdkLoop = async () => {
      const xs = new Array(N);
      for (let i = 0; i < N; i++) {
        const t0 = now();
        await client.interactionAsync(plain);
        xs[i] = now() - t0;
      }
      return stats(xs);
    };
    // Limit 1: the same envelope on a raw socket to /ws (same server work, one echo frame back).
    const vsWs = await paired('round trip vs raw /ws', sdkLoop, rawLoop(rawWs, nextWs));
    // Limit 2: the same envelope bytes to /echo (no server validation; the whole envelope comes back).
    const vsEcho = await paired('round trip vs raw /echo', sdkLoop, rawLoop(rawEcho, nextEcho));
    client.close();
    client.free();
    rawWs.close(1000);
    rawEcho.close(1000);
    const med = (xs, k) => median(xs.map((x) => x[k]));
    for (const [id, label, res] of [['rt_ws', 'raw /ws', vsWs], ['rt_echo', 'raw /echo (no server validation)', vsEcho]]) {
      const s50 = med(res.sdk, 'p50');
      const l50 = med(res.limit, 'p50');
      const over = s50 - l50;
      rows.push({
        id: `${id}_p50`, name: `round trip p50 vs ${label}, ${N} seq. (ms)`,
        sdk: s50, limit: l50, ratio: s50 / l50,
        target: 'overhead ≤ 0.2 ms', met: over <= 0.2, note: `overhead ${over.toFixed(3)} ms`,
        rounds: res,
      });
      const s99 = med(res.sdk, 'p99');
      const l99 = med(res.limit, 'p99');
      rows.push({
        id: `${id}_p99`, name: `round trip p99 vs ${label} (ms)`,
        sdk: s99, limit: l99, ratio: s99 / l99, target: 'report', met: null,
        note: `overhead ${(s99 - l99).toFixed(3)} ms`,
      });
    }
  }

  // ---- row 5b: round trip over REST (transport 'rest', POST /message/{action})
  if (want('rest')) {
    const N = cfg.restRoundTripN;
    const client = new OptaveClient({ ...clientOptions, restUrl: location.origin, transport: 'rest' });
    await client.connect();
    const envelope = JSON.parse(plainText);
    const url = `${location.origin}/message/interaction`;
    const stats = (xs) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99) });
    // Limit: the same payload POSTed with fetch (same headers, a fresh key each).
    const rawLoop = async () => {
      const xs = new Array(N);
      for (let i = 0; i < N; i++) {
        const t0 = now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), 'X-Correlation-Id': crypto.randomUUID() },
          body: JSON.stringify(envelope.payload),
          cache: 'no-store',
          credentials: 'omit',
        });
        await res.json();
        xs[i] = now() - t0;
      }
      return stats(xs);
    };
    const sdkLoop = async () => {
      const xs = new Array(N);
      for (let i = 0; i < N; i++) {
        const t0 = now();
        await client.interactionAsync(plain);
        xs[i] = now() - t0;
      }
      return stats(xs);
    };
    const res = await paired('REST round trip vs raw fetch', sdkLoop, rawLoop);
    client.close();
    client.free();
    const med = (xs, k) => median(xs.map((x) => x[k]));
    const s50 = med(res.sdk, 'p50');
    const l50 = med(res.limit, 'p50');
    rows.push({
      id: 'rt_rest_p50', name: `REST round trip p50 vs raw fetch POST, ${N} seq. (ms)`,
      sdk: s50, limit: l50, ratio: s50 / l50, target: 'report', met: null,
      note: `overhead ${(s50 - l50).toFixed(3)} ms`,
      rounds: res,
    });
    const s99 = med(res.sdk, 'p99');
    const l99 = med(res.limit, 'p99');
    rows.push({
      id: 'rt_rest_p99', name: `REST round trip p99 vs raw fetch POST (ms)`,
      sdk: s99, limit: l99, ratio: s99 / l99, target: 'report', met: null,
      note: `overhead ${(s99 - l99).toFixed(3)} ms`,
    });
  }

  wasmMark('afterRoundTrip');

  // ---- row 6: start-up, each round in a fresh iframe
  if (want('startup')) {
    const once = (mode) =>
      new Promise((resolve, reject) => {
        const frame = document.createElement('iframe');
        const timer = setTimeout(() => reject(new Error(`start-up ${mode} timed out`)), 30000);
        const onMsg = (e) => {
          if (e.source !== frame.contentWindow || !e.data || !e.data.startup) return;
          window.removeEventListener('message', onMsg);
          clearTimeout(timer);
          frame.remove();
          if (e.data.error) reject(new Error(e.data.error));
          else resolve(e.data);
        };
        window.addEventListener('message', onMsg);
        const q = new URLSearchParams({ mode, org: organizationId, protocols: protocols.join(','), r: String(Math.random()) });
        frame.src = `startup.html?${q}`;
        document.body.appendChild(frame);
      });
    const details = [];
    let cold = null;
    const res = await paired('start-up', async (r) => {
      const d = await once('sdk');
      if (r < 0) cold = d;
      else details.push(d);
      return d.ms;
    }, async () => (await once('raw')).ms);
    const s = median(res.sdk);
    const l = median(res.limit);
    rows.push({
      id: 'startup', name: 'start-up: import+init+new+connect vs new WebSocket, to open (ms)',
      sdk: s, limit: l, ratio: s / l, target: 'report', met: null,
      note: `difference ${(s - l).toFixed(2)} ms; SDK import+init ${median(details.map((d) => d.initMs)).toFixed(2)} ms, connect ${median(details.map((d) => d.connectMs)).toFixed(2)} ms; first (cold) round ${cold ? cold.ms.toFixed(2) : '?'} ms`,
      rounds: res,
    });
  }

  // ---- row 7: memory
  if (want('memory')) {
    const KiB = 1024;
    const client = await newClient();
    let received = 0;
    let waitFor = 0;
    let wake = null;
    client.on('superpower.response', () => {
      if (++received === waitFor && wake) wake();
    });
    const exchange = async (total) => {
      // Sends and receives `total` messages, `memoryBatch` in flight at a time.
      let sent = 0;
      while (sent < total) {
        const b = Math.min(cfg.memoryBatch, total - sent);
        waitFor = received + b;
        const arrived = new Promise((resolve) => {
          wake = resolve;
        });
        for (let i = 0; i < b; i++) {
          if (client.interaction(numbered(plain)) === undefined) throw new Error(`memory: interaction refused (${sdkErrors.slice(-1)})`);
        }
        sent += b;
        await arrived;
      }
    };
    const afterConnect = await measureMemory(wasm);
    const t0 = now();
    await exchange(1000);
    const at1k = await measureMemory(wasm);
    await exchange(cfg.memoryMessages - 1000);
    const at100k = await measureMemory(wasm);
    const exchangeSecs = (now() - t0) / 1000;
    client.close();
    client.free();
    log(`memory: ${cfg.memoryMessages} messages in ${exchangeSecs.toFixed(1)} s`);

    // The same exchange on a raw socket to /ws, as the limit.
    const raw = await openSocket(WS_URL, protocols);
    let rawReceived = 0;
    raw.onmessage = (e) => {
      JSON.parse(e.data);
      if (++rawReceived === waitFor && wake) wake();
    };
    const rawExchange = async (total) => {
      let sent = 0;
      while (sent < total) {
        const b = Math.min(cfg.memoryBatch, total - sent);
        waitFor = rawReceived + b;
        const arrived = new Promise((resolve) => {
          wake = resolve;
        });
        for (let i = 0; i < b; i++) raw.send(plainText);
        sent += b;
        await arrived;
      }
    };
    await rawExchange(1000);
    const raw1k = await measureMemory(wasm);
    await rawExchange(cfg.memoryMessages - 1000);
    const raw100k = await measureMemory(wasm);
    raw.close(1000);

    // connect/close cycles: a new client each cycle, close, wait for `close`, free().
    const sdkCycle = async () => {
      const c = new OptaveClient(clientOptions);
      await c.connect();
      const closed = new Promise((resolve) => c.once('close', resolve));
      c.close();
      await closed;
      c.free();
    };
    const rawCycle = async () => {
      const ws = await openSocket(WS_URL, protocols);
      const closed = new Promise((resolve) => {
        ws.onclose = resolve;
      });
      ws.close(1000);
      await closed;
    };
    for (let i = 0; i < cfg.memoryWarmCycles; i++) await sdkCycle();
    const cyc0 = await measureMemory(wasm);
    const tc = now();
    for (let i = 0; i < cfg.memoryCycles; i++) await sdkCycle();
    const cycSecs = (now() - tc) / 1000;
    const cyc1 = await measureMemory(wasm);
    for (let i = 0; i < cfg.memoryWarmCycles; i++) await rawCycle();
    const rc0 = await measureMemory(wasm);
    for (let i = 0; i < cfg.memoryCycles; i++) await rawCycle();
    const rc1 = await measureMemory(wasm);
    log(`memory: ${cfg.memoryCycles} SDK connect/close cycles in ${cycSecs.toFixed(1)} s`);

    const kib = (a, b) => (b.total - a.total) / KiB;
    rows.push({
      id: 'mem_base', name: 'memory after connect: JS heap + wasm memory (KiB)',
      sdk: afterConnect.total / KiB, limit: null, ratio: null, target: 'report', met: null,
      note: `heap ${(afterConnect.heap / KiB).toFixed(0)} KiB + wasm ${(afterConnect.wasm / KiB).toFixed(0)} KiB`,
    });
    const g = kib(at1k, at100k);
    rows.push({
      id: 'mem_msgs', name: `memory growth 1k→${cfg.memoryMessages / 1000}k messages (KiB)`,
      sdk: g, limit: kib(raw1k, raw100k), ratio: null, target: '≤ 1024 KiB', met: g <= 1024,
      note: `SDK heap ${((at100k.heap - at1k.heap) / KiB).toFixed(0)} KiB, wasm ${((at100k.wasm - at1k.wasm) / KiB).toFixed(0)} KiB`,
    });
    const gc1 = kib(cyc0, cyc1);
    rows.push({
      id: 'mem_cycles', name: `memory growth over ${cfg.memoryCycles} connect/close cycles (KiB)`,
      sdk: gc1, limit: kib(rc0, rc1), ratio: null, target: '≤ 256 KiB', met: gc1 <= 256,
      note: `SDK heap ${((cyc1.heap - cyc0.heap) / KiB).toFixed(0)} KiB, wasm ${((cyc1.wasm - cyc0.wasm) / KiB).toFixed(0)} KiB; after ${cfg.memoryWarmCycles} warm-up cycles`,
    });
    info.memory = { afterConnect, at1k, at100k, raw1k, raw100k, cyc0, cyc1, rc0, rc1, exchangeSecs, cycSecs };
  }

  primary.close();
  primary.free();

  // ---- row 8: a real server restart (the supervisor kills the server
  // process and starts it again on the same port downMs later)
  if (want('restart')) rows.push(...(await restartRows(seed, clientOptions, info)));
  return { rows, info };
}

/**
 * Each round: a fresh client with `reconnect: { minDelayMs: 50, maxDelayMs: 1000 }`,
 * connected; one `interactionAsync` tagged `fault:delay=<restartHoldMs>` on the
 * wire (the server holds its answer); `POST /restart?downMs=<restartDownMs>` on
 * the supervisor's control. Zero is the moment the restarted server listens
 * again: `GET /status` polled from shortly before the restart is due until it
 * reports a new start (the supervisor holds its state while a start runs, so
 * that answer comes as soon as the new server printed its listening line).
 * Measured from zero: the `stateChange` to `connected`, and the resolution of
 * the in-flight request, which the SDK sent again after the reconnect (the
 * server dropped it with its process, so the resend is held another
 * restartHoldMs). One warm-up round, then `restartN` rounds.
 */
async function restartRows(seed, clientOptions, info) {
  const control = cfg.controlUrl;
  if (!control) throw new Error('no supervisor control URL in window.__benchConfig (run bench/run.mjs)');
  const reconnect = { minDelayMs: 50, maxDelayMs: 1000 };
  const D = cfg.restartDownMs;
  const hold = cfg.restartHoldMs;
  const ctl = async (method, route) => {
    const r = await fetch(`${control}${route}`, { method, cache: 'no-store' });
    if (!r.ok) throw new Error(`supervisor ${method} ${route}: HTTP ${r.status} ${await r.text()}`);
    return r.json();
  };
  const inflight = withTags(seed, [`fault:delay=${hold}`]);
  const errors = {};
  const once = async () => {
    const client = new OptaveClient({ ...clientOptions, reconnect });
    let onState = () => {};
    let onSent = () => {};
    client.on('stateChange', (ev) => onState(ev, now()));
    client.on('sent', (ev) => onSent(ev, now()));
    client.on('error', (e) => {
      errors[e.code] = (errors[e.code] || 0) + 1;
    });
    await client.connect();
    if (client.state !== 'connected') throw new Error(`restart: client state ${client.state} after connect()`);
    const before = await ctl('GET', '/status');
    if (!before.running) throw new Error('restart: the server is not running');

    let tAnswered = null;
    const cap = captureSend(() => client.interactionAsync(numbered(inflight), { timeoutMs: 30000 }));
    const cid = JSON.parse(cap.text).headers.correlationId;
    const answered = cap.ret.then((a) => {
      tAnswered = now();
      return a;
    });
    answered.catch(() => {});
    await sleep(50); // the server has the request and holds it

    let tConnected = null;
    let attempts = 0;
    const connected = new Promise((resolve) => {
      onState = (ev, t) => {
        if (ev.current === 'connecting') attempts++;
        if (ev.current === 'connected' && tConnected === null) {
          tConnected = t;
          resolve();
        }
      };
    });
    let tResent = null;
    let resent = 0;
    onSent = (ev, t) => {
      if (ev.kind !== 'resent') return;
      resent++;
      if (ev.correlationId === cid && tResent === null) tResent = t;
    };

    const tCall = now();
    const { killed } = await ctl('POST', `/restart?downMs=${D}`);
    const tKilled = now();
    if (killed !== before.pid) throw new Error(`restart: the supervisor killed ${killed}, not the server pid ${before.pid}`);
    await sleep(Math.max(0, D - 30));
    let tUp = null;
    let after = null;
    while (tUp === null) {
      after = await ctl('GET', '/status');
      if (after.running && after.starts > before.starts) tUp = now();
      else if (now() - tKilled > D + 20000) throw new Error('restart: the server did not come back within 20 s');
    }
    await Promise.race([connected, sleep(30000)]);
    if (tConnected === null) throw new Error(`restart: not connected again within 30 s (state ${client.state})`);
    const answer = await answered;
    if (tResent === null) throw new Error(`restart: the in-flight request was not resent (answered with ${answer && answer.actionType})`);
    client.close();
    client.free();
    return {
      connectedMs: tConnected - tUp,
      answeredMs: tAnswered - tUp,
      resendToAnswerMs: tAnswered - tResent,
      connectedToResendMs: tResent - tConnected,
      killToListeningMs: tUp - tKilled,
      restartCallMs: tKilled - tCall,
      fromKillPlusDownConnectedMs: tConnected - (tKilled + D),
      attempts,
      resent,
      pid: [before.pid, after.pid],
    };
  };

  await collect();
  const warm = await once();
  const rounds = [];
  for (let r = 0; r < cfg.restartN; r++) {
    await collect();
    rounds.push(await once());
  }
  const pick = (k) => rounds.map((x) => x[k]);
  const conn = pick('connectedMs');
  const ans = pick('answeredMs');
  log(`restart: to connected ${JSON.stringify(conn.map(round))} to answered ${JSON.stringify(ans.map(round))}`);
  info.restart = { reconnect, downMs: D, holdMs: hold, warmUp: warm, rounds, sdkErrors: errors };
  const settings = `reconnect { minDelayMs: ${reconnect.minDelayMs}, maxDelayMs: ${reconnect.maxDelayMs} }, server down ${D} ms, ${cfg.restartN} restarts`;
  const fmt = (x) => x.toFixed(0);
  return [
    {
      id: 'restart_connected', name: 'server restart → `connected`, from the server listening again (ms)',
      sdk: median(conn), limit: null, ratio: null, target: 'report', met: null,
      note: `p90 ${fmt(percentile(conn, 90))} ms; range ${fmt(Math.min(...conn))}–${fmt(Math.max(...conn))}; ${settings}; ` +
        `attempts per restart median ${median(pick('attempts'))}`,
      p90: percentile(conn, 90),
    },
    {
      id: 'restart_resent', name: `server restart → resent in-flight request answered (ms)`,
      sdk: median(ans), limit: null, ratio: null, target: 'report', met: null,
      note: `p90 ${fmt(percentile(ans, 90))} ms; includes the server holding the resent request ${hold} ms (fault:delay); ` +
        `resend → answer median ${fmt(median(pick('resendToAnswerMs')))} ms, connected → resend ${median(pick('connectedToResendMs')).toFixed(2)} ms`,
      p90: percentile(ans, 90),
    },
  ];
}

/** The smallest step of performance.now() (5 µs when cross-origin isolated, else 100 µs). */
function timerResolution() {
  let step = Infinity;
  let last = performance.now();
  for (let i = 0; i < 200000 && step > 0.001; i++) {
    const t = performance.now();
    if (t > last) {
      step = Math.min(step, t - last);
      last = t;
    }
  }
  return Math.round(step * 1e4) / 1e4;
}

function round(x) {
  return typeof x === 'number' ? Math.round(x * 1000) / 1000 : x;
}

function rowRatio(id, name, res, target, extra) {
  const sdk = median(res.sdk);
  const limit = median(res.limit);
  const ratio = sdk / limit;
  return {
    id, name, sdk, limit, ratio,
    target: target == null ? 'report' : `ratio ≥ ${target}`,
    met: target == null ? null : ratio >= target,
    rounds: { sdk: res.sdk, limit: res.limit },
    ...extra,
  };
}

const started = now();
main().then(
  (results) => {
    results.info.pageSeconds = (now() - started) / 1000;
    window.__benchResults = results;
    window.__benchDone = true;
    log(`done in ${results.info.pageSeconds.toFixed(1)} s`);
  },
  (e) => {
    window.__benchError = String((e && (e.stack || e.message)) || e);
    log(`error: ${window.__benchError}`);
  },
);
