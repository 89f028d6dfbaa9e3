#!/usr/bin/env node
// Cold start of a chat widget: navigation → the first superpower frame of one
// `interaction`, in a fresh browser context with the HTTP cache disabled,
// with and without a phone's network (CDP Network.emulateNetworkConditions,
// "Slow 4G": 150 ms latency, 1.6 Mbit/s down, 750 kbit/s up).
//
//   node bench/coldstart.mjs      (needs `make pkg` and `make server-release`;
//                                  `make bench-coldstart` builds both and runs it)
//
// Four pages (bench/coldstart/), served by the local server (server-release
// build, `--no-auth`, analysis on, every answer brotli-compressed because
// Chromium accepts it; the package's .js and .wasm from brotli-11 files made
// once, see writePkg):
//   bare         a WebSocket to /ws sending the envelope text the SDK built for
//                the seed-002 interaction (captured once from the SDK page, with
//                a fresh idempotencyKey per load);
//   sdk          `await OptaveClient.create()`, `connect()`, `interaction(params)`;
//   sdk-preload  the same with <link rel="modulepreload"> for the glue and
//                <link rel="preload" as="fetch" crossorigin> for the wasm.
//   sdk-inline   the same as sdk with the inline entry (`/pkg/inline.js`, the
//                wasm as base64 inside the module): one file fewer in the
//                chain, more bytes.
// Per page and network: one warm-up round, then ROUNDS rounds (pages
// interleaved, their order rotating); the median of navigation start → first
// frame (performance.now() in the page, whose origin is the navigation), the
// bytes on the wire (the sum of encodedDataLength of Network.loadingFinished:
// headers and bodies as received, WebSocket frames not included), and the
// page's own marks and Resource Timing entries for the breakdown in
// BENCHMARKS.md. Prints one table, writes target/coldstart.json.
//
// Environment: CHROMIUM (default /usr/bin/chromium), OCO_SERVER_BIN (default
// target/server-release/oco-local-server), COLDSTART_ROUNDS
// (default 7), COLDSTART_NETWORKS (default "slow4g,none"), COLDSTART_PRECOMPRESS=0
// (no .br/.gz files: the server compresses the package on the fly).

import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PAGES_SRC = path.join(ROOT, 'bench', 'coldstart');
const SITE = path.join(ROOT, 'target', 'coldstart', 'root');
const PKG = path.join(ROOT, 'pkg');
const SERVED_PKG = path.join(ROOT, 'target', 'coldstart', 'pkg');
const PRECOMPRESS = process.env.COLDSTART_PRECOMPRESS !== '0';
const OUT = path.join(ROOT, 'target', 'coldstart.json');
const SEED = path.join(ROOT, 'core', 'tests', 'fixtures', 'seed002_interaction_params.json');
const RELEASE_SERVER = path.join(ROOT, 'target', 'server-release', 'oco-local-server');
const ROUNDS = Number(process.env.COLDSTART_ROUNDS) || 7;
const ROUND_LIMIT_MS = 60_000;
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The networks: CDP throughputs are bytes per second, latency ms per request. */
export const NETWORKS = {
  slow4g: {
    label: 'Slow 4G',
    conditions: { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 },
  },
  none: { label: 'no throttling', conditions: null },
};
export const PAGES = [
  { id: 'bare', file: 'bare.html', label: 'bare WebSocket, same envelope' },
  { id: 'sdk', file: 'sdk.html', label: 'SDK: create() + connect() + interaction()' },
  { id: 'sdk-preload', file: 'sdk-preload.html', label: 'SDK with modulepreload + wasm preload' },
  { id: 'sdk-inline', file: 'sdk-inline.html', label: 'SDK, inline entry (wasm as base64 in the module)' },
];

const progress = (msg) => process.stderr.write(`${msg}\n`);
const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The site the server serves: the pages, params.js and (later) envelope.js. */
function writeSite(seed) {
  rmSync(SITE, { recursive: true, force: true });
  mkdirSync(SITE, { recursive: true });
  for (const f of readdirSync(PAGES_SRC)) copyFileSync(path.join(PAGES_SRC, f), path.join(SITE, f));
  writeFileSync(path.join(SITE, 'params.js'), `export default ${JSON.stringify(seed)};\n`);
  // A placeholder until the SDK's envelope is captured.
  writeFileSync(path.join(SITE, 'envelope.js'), 'export const envelope = ""; export const idempotencyKey = ""; export const protocols = [];\n');
}

/**
 * The package as served: a copy of pkg/ where each .js and .wasm has its
 * brotli-11 (.br) and gzip -9 (.gz) file beside it, which the server sends as
 * they are, as a CDN serves a versioned package compressed once at the highest
 * level (COLDSTART_PRECOMPRESS=0: none, so the server compresses on the fly,
 * brotli quality 4).
 */
function writePkg() {
  rmSync(SERVED_PKG, { recursive: true, force: true });
  cpSync(PKG, SERVED_PKG, { recursive: true });
  if (!PRECOMPRESS) return;
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  for (const f of walk(SERVED_PKG).filter((f) => /\.(js|wasm)$/.test(f))) {
    const b = readFileSync(f);
    writeFileSync(`${f}.br`, brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: b.length } }));
    writeFileSync(`${f}.gz`, gzipSync(b, { level: 9 }));
  }
}

/** The envelope the SDK sends for the seed, and the subprotocols its socket got, from one unthrottled load of sdk.html. */
async function captureEnvelope(browser, base) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data) {
        if (!window.__captured && typeof data === 'string') window.__captured = { text: data, protocol: this.protocol };
        return send.call(this, data);
      };
    });
    await page.goto(`${base}/sdk.html`);
    await page.waitForFunction(() => window.__captured && window.__coldstart && window.__coldstart.done, null, { timeout: ROUND_LIMIT_MS });
    const captured = await page.evaluate(() => window.__captured);
    const idempotencyKey = JSON.parse(captured.text).headers.idempotencyKey;
    if (!idempotencyKey) throw new Error('the captured envelope has no headers.idempotencyKey');
    return { ...captured, idempotencyKey };
  } finally {
    await context.close();
  }
}

/** One round: a fresh context, cache off, the network applied; navigation → first frame. */
async function round(browser, base, pageDef, network) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const requests = new Map();
    let bytes = 0;
    cdp.on('Network.responseReceived', (ev) => {
      requests.set(ev.requestId, { url: ev.response.url, encoding: ev.response.headers['content-encoding'] || ev.response.headers['Content-Encoding'] || 'identity' });
    });
    cdp.on('Network.loadingFinished', (ev) => {
      bytes += ev.encodedDataLength;
      const r = requests.get(ev.requestId);
      if (r) r.bytes = ev.encodedDataLength;
    });
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (network.conditions) await cdp.send('Network.emulateNetworkConditions', network.conditions);
    await page.goto(`${base}/${pageDef.file}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__coldstart && (window.__coldstart.done || window.__coldstart.error),
      null, { timeout: ROUND_LIMIT_MS, polling: 20 });
    const got = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource').map((e) => ({
        name: new URL(e.name).pathname, start: e.startTime, requestStart: e.requestStart,
        responseStart: e.responseStart, end: e.responseEnd, transfer: e.transferSize, body: e.encodedBodySize,
      }));
      return { ...window.__coldstart, nav: nav && { responseStart: nav.responseStart, responseEnd: nav.responseEnd }, res };
    });
    if (got.error) throw new Error(`${pageDef.file}: ${got.error}`);
    // Let the last loadingFinished events arrive.
    await new Promise((r) => setTimeout(r, 50));
    return { ms: got.marks.frame, marks: got.marks, nav: got.nav, res: got.res, bytes, requests: [...requests.values()] };
  } finally {
    await context.close();
  }
}

function table(head, rows, right) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (right.has(i) ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join(' | ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

/** Median of each page mark and resource timing over the rounds. */
function summarize(rounds) {
  const marks = {};
  for (const k of Object.keys(rounds[0].marks)) marks[k] = median(rounds.map((r) => r.marks[k]));
  const res = {};
  for (const e of rounds[0].res) {
    const all = rounds.map((r) => r.res.find((x) => x.name === e.name)).filter(Boolean);
    res[e.name] = Object.fromEntries(['start', 'requestStart', 'responseStart', 'end', 'transfer', 'body'].map((k) => [k, median(all.map((x) => x[k]))]));
  }
  const nav = rounds[0].nav ? { responseEnd: median(rounds.map((r) => r.nav.responseEnd)) } : null;
  return { marks, res, nav };
}

async function main() {
  const t0 = Date.now();
  if (!existsSync(path.join(PKG, 'optave_client.js'))) throw new Error('pkg/ missing: run `make pkg`');
  // The one launcher of the tests, pointed at the speed-optimised build (the
  // compression runs in the server: a debug build would slow every answer);
  // OCO_SERVER_BIN overrides it.
  process.env.OCO_SERVER_BIN ||= RELEASE_SERVER;
  if (!existsSync(process.env.OCO_SERVER_BIN)) throw new Error(`${process.env.OCO_SERVER_BIN} missing: run \`make server-release\``);
  const { startServer } = await import('../tests/lib/local-server.mjs');
  const seed = JSON.parse(readFileSync(SEED, 'utf8'));
  const networks = (process.env.COLDSTART_NETWORKS || 'slow4g,none').split(',').map((n) => {
    if (!NETWORKS[n]) throw new Error(`unknown network ${n} (${Object.keys(NETWORKS).join(', ')})`);
    return [n, NETWORKS[n]];
  });
  writeSite(seed);
  writePkg();
  let server = null;
  let browser = null;
  const results = {};
  try {
    server = await startServer(['--no-auth', '--root', SITE, '--pkg', SERVED_PKG], { maxLifetimeSecs: 1200 });
    progress(`coldstart: server ${server.url} (pid ${server.pid})`);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const captured = await captureEnvelope(browser, server.url);
    writeFileSync(path.join(SITE, 'envelope.js'),
      `export const envelope = ${JSON.stringify(captured.text)};\n` +
      `export const idempotencyKey = ${JSON.stringify(captured.idempotencyKey)};\n` +
      `export const protocols = ${JSON.stringify(captured.protocol ? [captured.protocol] : [])};\n`);
    progress(`coldstart: envelope ${captured.text.length} B, subprotocol ${captured.protocol || 'none'}`);
    for (const [netId, network] of networks) {
      const perPage = Object.fromEntries(PAGES.map((p) => [p.id, []]));
      for (const p of PAGES) await round(browser, server.url, p, network); // warm-up
      for (let r = 0; r < ROUNDS; r++) {
        const order = PAGES.map((_, i) => PAGES[(i + r) % PAGES.length]);
        for (const p of order) perPage[p.id].push(await round(browser, server.url, p, network));
      }
      results[netId] = perPage;
      progress(`coldstart: ${network.label}: ${PAGES.map((p) => `${p.id} ${perPage[p.id].map((x) => Math.round(x.ms)).join(',')}`).join('; ')}`);
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await server.stop();
  }

  const wasm = readFileSync(path.join(PKG, 'optave_client_bg.wasm'));
  const glue = readFileSync(path.join(PKG, 'optave_client.js'));
  const br = (b) => brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const br4 = (b) => brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 4 } }).length;
  const sizes = {
    wasm: { raw: wasm.length, gzip9: gzipSync(wasm, { level: 9 }).length, br11: br(wasm), br4: br4(wasm) },
    glue: { raw: glue.length, gzip9: gzipSync(glue, { level: 9 }).length, br11: br(glue), br4: br4(glue) },
  };

  const rows = [];
  const report = { date: new Date().toISOString(), rounds: ROUNDS, precompressed: PRECOMPRESS, sizes, networks: {} };
  for (const [netId, network] of networks) {
    const perPage = results[netId];
    const bareMs = median(perPage.bare.map((x) => x.ms));
    report.networks[netId] = { label: network.label, conditions: network.conditions, pages: {} };
    for (const p of PAGES) {
      const ms = median(perPage[p.id].map((x) => x.ms));
      const bytes = median(perPage[p.id].map((x) => x.bytes));
      const extra = p.id === 'bare' ? null : ms - bareMs;
      const target = p.id === 'sdk' ? 600 : p.id === 'sdk-preload' ? 150 : null;
      rows.push([
        `cold start, ${network.label}: ${p.label}`, ms.toFixed(0),
        extra === null ? '—' : `${extra >= 0 ? '+' : ''}${extra.toFixed(0)}`,
        target === null ? '—' : `≤ +${target}${p.id === 'sdk' ? ' (moonshot +400)' : ''}`,
        target === null || network.conditions === null ? '—' : extra <= target ? 'yes' : 'NO',
        bytes.toLocaleString('en-US'),
        `${Math.round(Math.min(...perPage[p.id].map((x) => x.ms)))}–${Math.round(Math.max(...perPage[p.id].map((x) => x.ms)))}`,
      ]);
      report.networks[netId].pages[p.id] = {
        medianMs: ms, extraMs: extra, bytes, runsMs: perPage[p.id].map((x) => x.ms),
        requests: perPage[p.id][0].requests, ...summarize(perPage[p.id]),
      };
    }
  }
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);

  const cpus = os.cpus();
  console.log(`optave-client cold start — ${cpus[0] ? cpus[0].model.trim() : 'unknown'}, ${cpus.length} cores; Chromium ${browser.version()}`);
  console.log(`navigation → first superpower frame, median of ${ROUNDS} rounds after a warm-up round; fresh context, cache disabled; ` +
    `local server (server-release, --no-auth, analysis on) compressing every answer, ${PRECOMPRESS ? 'the package precompressed (brotli 11)' : 'the package on the fly (brotli 4)'}; Slow 4G = CDP latency 150 ms, 1.6 Mbit/s down, 750 kbit/s up`);
  console.log('');
  console.log(table(['row', 'ms', 'extra over bare', 'target (Slow 4G)', 'met', 'bytes on the wire', 'runs (ms)'], rows, new Set([1, 2, 5])));
  console.log('');
  // Where the time goes: the medians of the page's marks and of the
  // resource timings, in ms from the navigation.
  const f = (x) => (x === undefined || x === null ? '—' : Math.round(x));
  const timeline = [];
  for (const [netId, network] of networks) {
    for (const p of PAGES) {
      const r = report.networks[netId].pages[p.id];
      const res = (name) => r.res[name] || {};
      timeline.push([
        `${network.label}: ${p.id}`, f(r.nav && r.nav.responseEnd),
        f(res('/pkg/optave_client.js').start), f(res('/pkg/optave_client.js').end),
        f(res('/pkg/inline.js').end), f(r.marks.script),
        f(res('/pkg/optave_client_bg.wasm').start), f(res('/pkg/optave_client_bg.wasm').responseStart),
        f(res('/pkg/optave_client_bg.wasm').end), f(r.marks.created), f(r.marks.open), f(r.marks.frame),
      ]);
    }
  }
  console.log('timeline, medians in ms from navigation (— : not on that page):');
  console.log(table(['page', 'HTML end', 'glue start', 'glue end', 'inline.js end', 'page module runs', 'wasm start',
    'wasm 1st byte', 'wasm end', 'created', 'open', 'first frame'], timeline, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])));
  console.log('');
  console.log(`package: wasm ${sizes.wasm.raw} B raw, ${sizes.wasm.gzip9} B gzip -9, ${sizes.wasm.br11} B brotli 11 (${sizes.wasm.br4} B brotli 4); ` +
    `glue ${sizes.glue.raw} B raw, ${sizes.glue.gzip9} B gzip -9, ${sizes.glue.br11} B brotli 11 (${sizes.glue.br4} B brotli 4)`);
  console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s; details (page marks, resource timings, per-request encodings) in ${path.relative(ROOT, OUT)}`);
}

main().catch((e) => {
  progress(`coldstart: FAILED: ${e.stack || e}`);
  process.exitCode = 1;
});
