#!/usr/bin/env node
// Browser benchmark runner for optave-client.
//
//   node bench/run.mjs            (needs `make pkg` and `cargo build --profile server-release -p oco-local-server`,
//                                  which builds both the server and its supervisor)
//
// Starts target/server-release/oco-local-server (--no-auth --no-analysis, static root
// bench/, package pkg/) under target/server-release/oco-supervisor, which can kill
// the server process and start it again on the same port (the restart rows; the
// page gets the supervisor's control URL in window.__benchConfig.controlUrl), opens
// bench/index.html in Debian Chromium through playwright-core, waits for the
// page's results, adds the size row (scripts/size-check.mjs) and the machine,
// prints one table to stdout and writes target/bench.json. Progress goes to stderr. Exits 0 when the bench
// ran (targets missed or not), 1 when the harness itself failed.
//
// Environment: CHROMIUM (default /usr/bin/chromium), BENCH_ROUNDS (default 7),
// BENCH_QUICK=1 (small counts, for checking the harness), BENCH_ROWS (a comma list
// of row groups to run, default all: outbound, inbound, roundtrip, rest, startup,
// memory, restart; the size rows are always printed), BENCH_PKG (the package
// directory, default pkg/).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DEFAULT_BUDGET, measureSize } from '../scripts/size-check.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The server built with the `server-release` profile (speed-optimised; `make bench` builds it).
const SERVER_BIN = path.join(ROOT, 'target', 'server-release', 'oco-local-server');
const SUPERVISOR_BIN = path.join(ROOT, 'target', 'server-release', 'oco-supervisor');
// BENCH_PKG: another built package to measure with this bench (an older
// build, for a like-for-like comparison); default pkg/.
const PKG = path.resolve(process.env.BENCH_PKG || path.join(ROOT, 'pkg'));
const OUT = path.join(ROOT, 'target', 'bench.json');
const SEED = path.join(ROOT, 'core', 'tests', 'fixtures', 'seed002_interaction_params.json');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PAGE_LIMIT_MS = 360_000;
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--js-flags=--expose-gc', '--enable-precise-memory-info',
  // The bench documents are served through CDP (for COOP/COEP, see
  // crossOriginIsolate): such a response has no IP address, so Chromium's
  // Local Network Access checks would treat the page as public and block its
  // WebSockets to 127.0.0.1.
  '--disable-features=LocalNetworkAccessChecks',
];

const progress = (msg) => process.stderr.write(`${msg}\n`);

/** Starts the supervisor, which starts the server; resolves with both addresses. */
function startServer() {
  for (const [what, p, fix] of [
    ['server', SERVER_BIN, 'cargo build --profile server-release -p oco-local-server'],
    ['supervisor', SUPERVISOR_BIN, 'cargo build --profile server-release -p oco-local-server'],
    ['package', path.join(PKG, 'optave_client.js'), 'make pkg'],
  ]) {
    if (!existsSync(p)) throw new Error(`${what} missing: ${p} (run \`${fix}\`)`);
  }
  const args = ['--max-lifetime-secs', '900', '--server-bin', SERVER_BIN, '--',
    '--no-auth', '--no-analysis', '--root', path.join(ROOT, 'bench'), '--pkg', PKG];
  const child = spawn(SUPERVISOR_BIN, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  // The supervisor's stdout has its two address lines; the server's output and
  // the supervisor's notes come on stderr (the last 16 KiB kept for errors).
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening"/"control" lines within 30 s:\n${out}${err}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      const control = /^control on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (url && control) {
        clearTimeout(timer);
        resolve({ child, url: url[1], control: control[1] });
      }
    });
    child.stderr.on('data', (d) => { err = (err + d).slice(-16384); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`supervisor exited (${code}) before listening:\n${out}${err}`));
    });
  });
}

function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 5000);
    child.once('exit', () => { clearTimeout(hard); resolve(); });
    child.kill('SIGTERM');
  });
}

/**
 * Serves the bench documents (index.html, startup.html) with COOP/COEP headers,
 * so the page is cross-origin isolated and performance.now() has 5 µs steps
 * instead of 100 µs. Done with the page's own CDP Fetch domain for the .html
 * documents only: no other request is intercepted and the HTTP cache stays on
 * (a playwright route would disable it for the whole page).
 *
 * The server's strict CSP stays on both documents; index.html's `connect-src`
 * gets one more source, the supervisor's control origin (`controlOrigin`), which
 * the restart rows call.
 */
async function crossOriginIsolate(page, controlOrigin) {
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Fetch.requestPaused', async (ev) => {
    try {
      const { body, base64Encoded } = await cdp.send('Fetch.getResponseBody', { requestId: ev.requestId });
      const isIndex = new URL(ev.request.url).pathname.endsWith('/index.html');
      const headers = (ev.responseHeaders || [])
        .filter((h) => !/^cross-origin-(opener|embedder)-policy$/i.test(h.name))
        .map((h) => (isIndex && /^content-security-policy$/i.test(h.name)
          ? { name: h.name, value: allowConnect(h.value, controlOrigin) }
          : h))
        .concat([
          { name: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { name: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
        ]);
      await cdp.send('Fetch.fulfillRequest', {
        requestId: ev.requestId,
        responseCode: ev.responseStatusCode || 200,
        responseHeaders: headers,
        body: base64Encoded ? body : Buffer.from(body).toString('base64'),
      });
    } catch (e) {
      progress(`bench: could not add COOP/COEP to ${ev.request.url}: ${e.message}`);
      await cdp.send('Fetch.continueRequest', { requestId: ev.requestId }).catch(() => {});
    }
  });
  await cdp.send('Fetch.enable', {
    patterns: ['*/index.html*', '*/startup.html*'].map((urlPattern) => ({ urlPattern, requestStage: 'Response' })),
  });
}

/** A CSP with `origin` added to its `connect-src` directive (unchanged without one). */
function allowConnect(csp, origin) {
  if (!origin) return csp;
  return csp.split(';').map((d) => (/^\s*connect-src\s/i.test(d) ? `${d.trimEnd()} ${origin}` : d)).join(';');
}

const fmtNum = (x) => {
  if (x === null || x === undefined) return '—';
  if (typeof x !== 'number') return String(x);
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(1);
  if (a >= 10) return x.toFixed(2);
  return x.toFixed(3);
};

function table(rows) {
  const head = ['row', 'SDK', 'limit', 'ratio', 'target', 'met', 'note'];
  const body = rows.map((r) => [
    r.name, fmtNum(r.sdk), fmtNum(r.limit), r.ratio == null ? '—' : r.ratio.toFixed(3),
    r.target, r.met == null ? '—' : r.met ? 'yes' : 'NO', r.note || '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const right = new Set([1, 2, 3]);
  const line = (cells) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

async function main() {
  const t0 = Date.now();
  const seed = JSON.parse(readFileSync(SEED, 'utf8'));
  const config = { rounds: Number(process.env.BENCH_ROUNDS) || 7 };
  if (process.env.BENCH_ROWS) config.rows = process.env.BENCH_ROWS.split(',').map((g) => g.trim()).filter(Boolean);
  if (process.env.BENCH_QUICK) {
    Object.assign(config, {
      rounds: 3, outboundSeedN: 500, outbound200N: 50, outbound100kN: 20, burstN: 2000,
      roundTripN: 100, memoryMessages: 5000, memoryCycles: 100, memoryWarmCycles: 10, restartN: 3,
    });
  }
  let server = null;
  let browser = null;
  let failure = null;
  let results = null;
  let browserVersion = null;
  try {
    server = await startServer();
    progress(`bench: server ${server.url}, supervisor control ${server.control}`);
    config.controlUrl = server.control;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    browserVersion = browser.version();
    const page = await browser.newPage();
    await crossOriginIsolate(page, server.control);
    page.on('console', (m) => { if (m.text().startsWith('[bench]')) progress(m.text()); });
    page.on('pageerror', (e) => progress(`bench: page error: ${e.message}`));
    await page.addInitScript(([s, c]) => { window.__benchSeed = s; window.__benchConfig = c; }, [seed, config]);
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => window.__benchDone === true || typeof window.__benchError === 'string',
      null, { timeout: PAGE_LIMIT_MS, polling: 500 });
    const out = await page.evaluate(() => ({ results: window.__benchResults, error: window.__benchError }));
    if (out.error) throw new Error(`the page failed: ${out.error}`);
    results = out.results;
  } catch (e) {
    failure = e;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await stopServer(server.child);
  }
  if (failure) {
    progress(`bench: FAILED: ${failure.stack || failure}`);
    process.exitCode = 1;
    return;
  }

  const size = measureSize(PKG);
  const wasmModule = new WebAssembly.Module(readFileSync(path.join(PKG, 'optave_client_bg.wasm')));
  const unstripped = WebAssembly.Module.customSections(wasmModule, 'name').length > 0;
  const rows = results.rows.slice();
  const sizeRow = (id, name, s, limit, target, met, note) => ({ id, name, sdk: s, limit, ratio: limit ? s / limit : null, target, met, note });
  rows.push(sizeRow('size_wasm', 'size: optave_client_bg.wasm (B gzip -9)', size.wasm.gzip, null, 'report', null,
    `${size.wasm.raw} B raw${unstripped ? '; has a name section: not the wasm-opt output of `make pkg`' : ''}`));
  rows.push(sizeRow('size_js', 'size: JS glue, optave_client.js + snippets (B gzip -9)', size.js.gzip, null, 'report', null, `${size.js.raw} B raw`));
  rows.push(sizeRow('size_total', 'size: wasm + JS glue (B gzip -9)', size.total.gzip, DEFAULT_BUDGET, `≤ ${DEFAULT_BUDGET} B`,
    size.total.gzip <= DEFAULT_BUDGET, `${size.total.raw} B raw`));

  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    browser: `Chromium ${browserVersion}`,
  };
  const report = {
    date: new Date().toISOString(),
    machine,
    rounds: results.info.config.rounds,
    rows,
    size,
    info: results.info,
    seconds: (Date.now() - t0) / 1000,
  };
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);

  const met = rows.filter((r) => r.met === true).length;
  const missed = rows.filter((r) => r.met === false).map((r) => r.id);
  console.log(`optave-client browser benchmark — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.browser}`);
  console.log(`median of ${report.rounds} rounds after a warm-up round; SDK and limit interleaved in one page; ` +
    `local server (server-release build, --no-analysis, under oco-supervisor); performance.now() step ${results.info.timerResolutionMs} ms` +
    `${results.info.crossOriginIsolated ? ' (cross-origin isolated)' : ' (NOT cross-origin isolated)'}`);
  console.log('');
  console.log(table(rows));
  console.log('');
  console.log(`targets: ${met} met, ${missed.length} missed${missed.length ? ` (${missed.join(', ')})` : ''}; ` +
    `${report.seconds.toFixed(0)} s; details in ${path.relative(ROOT, OUT)}`);
}

main().catch((e) => {
  progress(`bench: FAILED: ${e.stack || e}`);
  process.exitCode = 1;
});
