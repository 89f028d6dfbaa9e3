// Start-up of the built package (pkg/) as a new user meets it: in node, and in
// Chromium against the local OCO server.
//
//   make test-e2e        (starts the server, sets OCO_DEMO_URL)
//
// What must hold (README.md, "Starting"): `new OptaveClient()` before the wasm
// is loaded throws an `OptaveError` (VALIDATION `NOT_INITIALIZED`, naming
// `init()` and `create()`), never the glue's TypeError; the static properties
// answer before; `await OptaveClient.create(options)` works without `init()`;
// `optave-client/inline` works with no set-up and no fetch of the wasm; a wasm
// that cannot be loaded rejects `create()` with `WASM_LOAD_FAILED`; and
// `instanceof OptaveError` holds for a thrown error, a rejection and an `error`
// event payload. In a page, importing the package starts the wasm's fetch
// (create() finds it in flight; a failed early fetch is no unhandled
// rejection); in node, importing it fetches nothing.
//
// Environment: OCO_DEMO_URL (base URL of a running local server), CHROMIUM.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from '../lib/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = path.join(ROOT, 'pkg');
const RUN_TIMEOUT_MS = 20_000;

/** Runs `body` (an ES module's text) in a fresh node process; returns what it printed, parsed as JSON. */
function inNode(body) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', body], {
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
    env: { ...process.env, PKG_URL: pathToFileURL(PKG + path.sep).href },
  });
  return JSON.parse(out);
}

// Shared by the node and browser probes: what an error looks like, as data.
const DESCRIBE = `
const describeError = (e, OptaveError) => ({
  isOptaveError: e instanceof OptaveError, isError: e instanceof Error, isTypeError: e instanceof TypeError,
  name: e && e.name, category: e && e.category, code: e && e.code, message: String(e && e.message),
  suggestions: e && e.suggestions,
});`;

describe('start-up in node', () => {
  test('before the wasm is loaded: statics answer, new OptaveClient() throws NOT_INITIALIZED', () => {
    const r = inNode(`${DESCRIBE}
      const { OptaveClient, OptaveError } = await import(process.env.PKG_URL + 'optave_client.js');
      const statics = [OptaveClient.sdkVersion, OptaveClient.specVersion, OptaveClient.schemaRef];
      let error = null;
      try { new OptaveClient({ websocketUrl: 'ws://127.0.0.1:9/ws' }); } catch (e) { error = describeError(e, OptaveError); }
      console.log(JSON.stringify({ statics, error }));`);
    const version = JSON.parse(execFileSync('node', ['-p', `JSON.stringify(require(${JSON.stringify(path.join(PKG, 'package.json'))}).version)`], { encoding: 'utf8' }));
    assert.deepEqual(r.statics, [version, '3.2.3', 'optave.message.v3']);
    assert.equal(r.error.isOptaveError, true, JSON.stringify(r.error));
    assert.equal(r.error.isTypeError, false);
    assert.equal(r.error.name, 'OptaveError');
    assert.equal(r.error.category, 'VALIDATION');
    assert.equal(r.error.code, 'NOT_INITIALIZED');
    const said = r.error.suggestions.join(' ');
    assert.match(said, /OptaveClient\.create\(options\)/);
    assert.match(said, /init\(\)/);
  });

  test('create(options, bytes) loads the wasm without init(); a wasm that cannot load rejects with WASM_LOAD_FAILED', () => {
    const r = inNode(`${DESCRIBE}
      const { readFileSync } = await import('node:fs');
      const { OptaveClient, OptaveError } = await import(process.env.PKG_URL + 'optave_client.js');
      let failed = null;
      // node's fetch cannot read the file: URL the glue computes for the wasm.
      try { await OptaveClient.create({ websocketUrl: 'ws://127.0.0.1:9/ws' }); } catch (e) { failed = describeError(e, OptaveError); }
      const client = await OptaveClient.create({ websocketUrl: 'ws://127.0.0.1:9/ws' },
        readFileSync(new URL('optave_client_bg.wasm', process.env.PKG_URL)));
      const isClient = client instanceof OptaveClient;
      const state = client.state;
      let bad = null;
      try { new OptaveClient({ websocketUrl: 'http://127.0.0.1:9/' }); } catch (e) { bad = describeError(e, OptaveError); }
      client.free();
      console.log(JSON.stringify({ failed, isClient, state, bad }));`);
    assert.equal(r.failed.isOptaveError, true, JSON.stringify(r.failed));
    assert.equal(r.failed.code, 'WASM_LOAD_FAILED');
    assert.equal(r.failed.category, 'VALIDATION');
    assert.equal(r.isClient, true);
    assert.equal(r.state, 'initialized');
    assert.equal(r.bad.isOptaveError, true);
    assert.equal(r.bad.code, 'INVALID_WEBSOCKET_URL');
  });

  test("optave-client/inline: new OptaveClient() with no set-up", () => {
    const r = inNode(`
      const m = await import(process.env.PKG_URL + 'inline.js');
      const main = await import(process.env.PKG_URL + 'optave_client.js');
      const client = new m.OptaveClient({ websocketUrl: 'ws://127.0.0.1:9/ws' });
      const out = { state: client.state, sameClass: m.OptaveClient === main.OptaveClient,
        sameError: m.OptaveError === main.OptaveError, version: m.OptaveClient.sdkVersion };
      client.free();
      console.log(JSON.stringify(out));`);
    assert.deepEqual(r, { state: 'initialized', sameClass: true, sameError: true, version: r.version });
    assert.match(r.version, /^\d+\.\d+\.\d+/);
  });
  test('importing the package in node (server-side rendering) fetches nothing and leaves no unhandled rejection', () => {
    const r = inNode(`
      const fetches = [];
      globalThis.fetch = (...args) => { fetches.push(String(args[0])); return Promise.reject(new Error('no fetch in node')); };
      const rejections = [];
      process.on('unhandledRejection', (e) => rejections.push(String(e && e.message || e)));
      const errors = [];
      for (const entry of ['optave_client.js', 'react.js']) {
        try { await import(process.env.PKG_URL + entry); } catch (e) { errors.push(entry + ': ' + e.message); }
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      console.log(JSON.stringify({ fetches, rejections, errors }));`);
    assert.deepEqual(r, { fetches: [], rejections: [], errors: [] });
  });
});

describe('esbuild, as the README configures it', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'optave-esbuild-'));
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(PKG, path.join(dir, 'node_modules', 'optave-client'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--loader:.wasm=file emits the wasm the typed subpath names; no warnings', async () => {
    writeFileSync(path.join(dir, 'file.js'), `import { OptaveClient } from 'optave-client';
      import wasmUrl from 'optave-client/optave_client_bg.wasm';
      export const start = () => OptaveClient.create({ websocketUrl: 'ws://127.0.0.1:9/ws' }, wasmUrl);`);
    const out = path.join(dir, 'out-file');
    const r = await build({ entryPoints: [path.join(dir, 'file.js')], bundle: true, format: 'esm',
      loader: { '.wasm': 'file' }, outdir: out, logLevel: 'silent' });
    assert.deepEqual(r.warnings, []);
    assert.ok(readdirSync(out).some((f) => /^optave_client_bg-\w+\.wasm$/.test(f)), readdirSync(out).join(', '));
  });

  test("optave-client/inline bundles with no configuration and runs (node)", async () => {
    writeFileSync(path.join(dir, 'inline.js'), `import { OptaveClient, OptaveError } from 'optave-client/inline';
      const client = new OptaveClient({ websocketUrl: 'ws://127.0.0.1:9/ws' });
      let code;
      try { new OptaveClient({ websocketUrl: 'http://x' }); } catch (e) { code = e instanceof OptaveError && e.code; }
      console.log(JSON.stringify({ state: client.state, code }));`);
    const outfile = path.join(dir, 'out-inline.mjs');
    const r = await build({ entryPoints: [path.join(dir, 'inline.js')], bundle: true, format: 'esm',
      platform: 'node', outfile, logLevel: 'silent' });
    assert.deepEqual(r.warnings, []);
    const ran = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8', timeout: RUN_TIMEOUT_MS }));
    assert.deepEqual(ran, { state: 'initialized', code: 'INVALID_WEBSOCKET_URL' });
  });
});

describe('start-up in Chromium against the local server', () => {
  const base = (process.env.OCO_DEMO_URL ?? '').replace(/\/+$/, '');
  let browser;

  before(async () => {
    assert.ok(base, 'OCO_DEMO_URL is not set: run this through `make test-e2e`, which starts the local server');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  /** Runs `body` as a module in a page the server serves; resolves with what it assigns to `window.__result`. */
  async function inPage(body) {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    try {
      await page.goto(`${base}/healthz`);
      const source = `${DESCRIBE}
        const wsUrl = ${JSON.stringify(base.replace(/^http/, 'ws') + '/ws')};
        const tokenProvider = async () => (await (await fetch('/api/ws-ticket', { method: 'POST' })).json()).ticket;
        const params = { request: { connections: { threadId: 'start-1' }, context: { organizationId: 'org-1' },
          scope: { conversations: [{ messages: [{ content: 'Where is my parcel?' }] }] } } };
        try { window.__result = await (async () => { ${body} })(); }
        catch (e) { window.__result = { threw: String(e && e.stack || e) }; }`;
      await page.addScriptTag({ type: 'module', content: source });
      await page.waitForFunction(() => window.__result !== undefined, null, { timeout: RUN_TIMEOUT_MS });
      const result = await page.evaluate(() => window.__result);
      assert.deepEqual(problems, []);
      assert.equal(result.threw, undefined, result.threw);
      return result;
    } finally {
      await page.close();
    }
  }

  test('a page that never calls init(): statics, a clear NOT_INITIALIZED, then create() connects and gets an answer', async () => {
    const r = await inPage(`
      const { OptaveClient, OptaveError } = await import('/pkg/optave_client.js');
      const statics = [OptaveClient.specVersion, OptaveClient.schemaRef];
      let early = null;
      try { new OptaveClient({ websocketUrl: wsUrl, tokenProvider }); } catch (e) { early = describeError(e, OptaveError); }
      const client = await OptaveClient.create({ websocketUrl: wsUrl, tokenProvider });
      await client.connect();
      const frame = await client.summarizeAsync(params, { timeoutMs: 10000 });
      client.close();
      client.free();
      return { statics, early, actionType: frame.actionType, state: frame.state };`);
    assert.deepEqual(r.statics, ['3.2.3', 'optave.message.v3']);
    assert.equal(r.early.isOptaveError, true, JSON.stringify(r.early));
    assert.equal(r.early.isTypeError, false);
    assert.equal(r.early.code, 'NOT_INITIALIZED');
    assert.match(r.early.message, /not loaded/);
    assert.equal(r.actionType, 'summary');
    assert.ok(['started', 'completed'].includes(r.state), r.state);
  });

  test('instanceof OptaveError for a thrown error, a rejection and an error event payload', async () => {
    const r = await inPage(`
      const { OptaveClient, OptaveError } = await import('/pkg/optave_client.js');
      const client = await OptaveClient.create({ websocketUrl: wsUrl, tokenProvider });
      let thrown = null;
      try { client.on('no.such.event', () => {}); } catch (e) { thrown = describeError(e, OptaveError); }
      const events = [];
      client.on('error', (e) => events.push(describeError(e, OptaveError)));
      let rejected = null;
      // Not connected: the send is refused, rejected and reported on 'error'.
      await client.summarizeAsync(params).catch((e) => { rejected = describeError(e, OptaveError); });
      let connectRejected = null;
      await client.connect(42).catch((e) => { connectRejected = describeError(e, OptaveError); });
      client.free();
      return { thrown, rejected, connectRejected, events };`);
    assert.equal(r.thrown.isOptaveError, true);
    assert.equal(r.thrown.code, 'INVALID_ARGUMENT');
    assert.equal(r.rejected.isOptaveError, true);
    assert.equal(r.rejected.code, 'WEBSOCKET_NOT_IN_OPEN_STATE');
    assert.equal(r.connectRejected.isOptaveError, true);
    assert.equal(r.connectRejected.code, 'INVALID_ARGUMENT');
    assert.ok(r.events.length >= 1, 'the refusal went to error');
    for (const e of r.events) assert.equal(e.isOptaveError, true, JSON.stringify(e));
  });

  test('optave-client/inline: no init(), no fetch of the wasm, a real answer', async () => {
    const page = await browser.newPage();
    const wasmFetches = [];
    page.on('request', (req) => { if (req.url().endsWith('.wasm')) wasmFetches.push(req.url()); });
    try {
      await page.goto(`${base}/healthz`);
      await page.addScriptTag({ type: 'module', content: `
        const { OptaveClient } = await import('/pkg/inline.js');
        const client = new OptaveClient({ websocketUrl: ${JSON.stringify(base.replace(/^http/, 'ws') + '/ws')},
          tokenProvider: async () => (await (await fetch('/api/ws-ticket', { method: 'POST' })).json()).ticket });
        await client.connect();
        const frame = await client.translateAsync({ request: { connections: { threadId: 'inline-1' },
          context: { organizationId: 'org-1' }, scope: { conversations: [{ messages: [{ content: 'Hola' }] }] } } });
        client.free();
        window.__result = { actionType: frame.actionType };` });
      await page.waitForFunction(() => window.__result !== undefined, null, { timeout: RUN_TIMEOUT_MS });
      assert.deepEqual(await page.evaluate(() => window.__result), { actionType: 'translation' });
      assert.deepEqual(wasmFetches, []);
    } finally {
      await page.close();
    }
  });

  test('importing the package starts the wasm fetch: it is under way before create() is called', async () => {
    const page = await browser.newPage();
    const wasmRequests = [];
    const problems = [];
    // The browser's own report that the wasm was requested, told to the page
    // (which calls create() only once it hears it, or after 10 s).
    page.on('request', (req) => {
      if (!req.url().endsWith('.wasm')) return;
      wasmRequests.push(req.url());
      page.evaluate(() => { window.__wasmRequested = true; }).catch(() => {});
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    try {
      await page.goto(`${base}/healthz`);
      await page.addScriptTag({ type: 'module', content: `
        const { OptaveClient } = await import('/pkg/optave_client.js');
        // The page's own work between the import and create().
        const until = Date.now() + 10000;
        while (!window.__wasmRequested && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
        const requestedBeforeCreate = window.__wasmRequested === true;
        const client = await OptaveClient.create({ websocketUrl: ${JSON.stringify(base.replace(/^http/, 'ws') + '/ws')} });
        window.__result = { requestedBeforeCreate, state: client.state };
        client.free();` });
      await page.waitForFunction(() => window.__result !== undefined, null, { timeout: RUN_TIMEOUT_MS });
      const r = await page.evaluate(() => window.__result);
      assert.equal(r.requestedBeforeCreate, true, 'the wasm was requested before create() was called');
      assert.equal(r.state, 'initialized');
      assert.deepEqual(wasmRequests, [`${base}/pkg/optave_client_bg.wasm`], 'create() used the wasm fetched at import');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test('a failed early wasm fetch is no unhandled rejection; create() then rejects with WASM_LOAD_FAILED', async () => {
    const page = await browser.newPage();
    const problems = [];
    let wasmRequests = 0;
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    await page.route('**/*.wasm', (route) => { wasmRequests++; return route.abort('connectionrefused'); });
    try {
      await page.goto(`${base}/healthz`);
      await page.addScriptTag({ type: 'module', content: `
        const rejections = [];
        window.addEventListener('unhandledrejection', (e) => rejections.push(String(e.reason)));
        const { OptaveClient, OptaveError } = await import('/pkg/optave_client.js');
        await new Promise((resolve) => setTimeout(resolve, 300));
        const earlyRejections = rejections.slice();
        let failed = null;
        await OptaveClient.create({ websocketUrl: 'ws://127.0.0.1:9/ws' })
          .catch((e) => { failed = { isOptaveError: e instanceof OptaveError, code: e.code }; });
        await new Promise((resolve) => setTimeout(resolve, 100));
        window.__result = { earlyRejections, rejections, failed };` });
      await page.waitForFunction(() => window.__result !== undefined, null, { timeout: RUN_TIMEOUT_MS });
      const r = await page.evaluate(() => window.__result);
      assert.deepEqual(r.earlyRejections, []);
      assert.deepEqual(r.rejections, []);
      assert.deepEqual(r.failed, { isOptaveError: true, code: 'WASM_LOAD_FAILED' });
      assert.equal(wasmRequests, 2, 'the early fetch, then the one create() made');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  test('create() with a wasm URL that is not there rejects with WASM_LOAD_FAILED', async () => {
    const r = await inPage(`
      const { OptaveClient, OptaveError } = await import('/pkg/optave_client.js');
      let failed = null;
      await OptaveClient.create({ websocketUrl: wsUrl }, '/pkg/missing.wasm').catch((e) => { failed = describeError(e, OptaveError); });
      return { failed };`);
    assert.equal(r.failed.isOptaveError, true, JSON.stringify(r.failed));
    assert.equal(r.failed.code, 'WASM_LOAD_FAILED');
    assert.match(r.failed.message, /404/);
  });
});
