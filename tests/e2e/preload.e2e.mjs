// The preload lines of docs/api.md ("Fast start") in Chromium, against a local
// server of its own (static root: a temporary folder with the test pages; the
// package: pkg/):
//
//   make test-e2e
//
// What must hold: with the two documented lines, the page fetches the glue and
// the wasm once each (the preloads are reused, not fetched again), both come
// brotli-compressed, and create() + connect() + interaction() get a frame;
// without `crossorigin`, the wasm preload is not reused (fetched twice), which
// is why the docs require it. No timing is asserted (timings: bench/coldstart.mjs).
//
// Environment: CHROMIUM.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../lib/chromium.mjs';
import { startServer } from '../lib/local-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEED = path.join(ROOT, 'core', 'tests', 'fixtures', 'seed002_interaction_params.json');
const PAGE_LIMIT_MS = 20_000;

/** The `<link>` lines of the html block in docs/api.md's "Fast start", pointed at the server's /pkg/. */
function documentedLines() {
  const doc = readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Fast start'));
  const block = /^```html\n([\s\S]*?)^```/m.exec(section);
  assert.ok(block, 'docs/api.md, "Fast start", has an html block');
  const lines = block[1].trim().split('\n');
  assert.equal(lines.length, 2, block[1]);
  return lines.map((l) => l.replace(/href="[^"]*\/(optave_client(?:_bg\.wasm|\.js))"/, 'href="/pkg/$1"'));
}

const page = (head) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>preload</title>
${head}
<script type="module" src="./page.js"></script>
</head><body></body></html>
`;

const PAGE_JS = `import { OptaveClient } from '/pkg/optave_client.js';
import params from './params.js';
try {
  const client = await OptaveClient.create({ websocketUrl: \`ws://\${location.host}/ws\`, authRequired: false });
  client.on('superpower.response', () => { window.__frame = true; });
  client.on('error', (e) => { window.__error = e.code + ': ' + e.message; });
  await client.connect();
  client.interaction(params);
} catch (e) {
  window.__error = String(e && (e.stack || e.message) || e);
}
`;

describe('preload lines (docs/api.md, "Fast start")', () => {
  let dir;
  let server;
  let browser;
  let lines;

  before(async () => {
    lines = documentedLines();
    dir = mkdtempSync(path.join(tmpdir(), 'optave-preload-'));
    writeFileSync(path.join(dir, 'page.js'), PAGE_JS);
    writeFileSync(path.join(dir, 'params.js'), `export default ${readFileSync(SEED, 'utf8')};\n`);
    writeFileSync(path.join(dir, 'documented.html'), page(lines.join('\n')));
    writeFileSync(path.join(dir, 'no-crossorigin.html'), page(lines.map((l) => l.replace(/\s+crossorigin(?=[\s>])/, '')).join('\n')));
    server = await startServer(['--no-auth', '--root', dir]);
    browser = await launchChromium();
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Loads a page in a fresh context; resolves with its requests to /pkg/ and the responses' encodings. */
  async function load(file) {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const requests = [];
      tab.on('request', (r) => {
        const p = new URL(r.url()).pathname;
        if (p.startsWith('/pkg/')) requests.push(p);
      });
      const encodings = {};
      tab.on('response', async (r) => {
        const p = new URL(r.url()).pathname;
        if (p.startsWith('/pkg/')) encodings[p] = (await r.allHeaders())['content-encoding'] || 'identity';
      });
      await tab.goto(`${server.url}/${file}`);
      await tab.waitForFunction(() => window.__frame === true || typeof window.__error === 'string', null, { timeout: PAGE_LIMIT_MS });
      const error = await tab.evaluate(() => window.__error);
      assert.equal(error, undefined, `${file}: ${error}`);
      // Let any late fetch (a preload not reused) show up.
      await tab.waitForTimeout(200);
      return { requests, encodings };
    } finally {
      await context.close();
    }
  }

  const count = (list, name) => list.filter((p) => p === name).length;

  test('the documented lines: glue and wasm fetched once each, compressed, and the first frame comes', async () => {
    assert.match(lines[0], /^<link rel="modulepreload" href="\/pkg\/optave_client\.js">$/);
    assert.match(lines[1], /rel="preload"/);
    assert.match(lines[1], /as="fetch"/);
    assert.match(lines[1], /type="application\/wasm"/);
    assert.match(lines[1], /crossorigin/);
    const { requests, encodings } = await load('documented.html');
    assert.equal(count(requests, '/pkg/optave_client.js'), 1, requests.join(', '));
    assert.equal(count(requests, '/pkg/optave_client_bg.wasm'), 1, requests.join(', '));
    assert.equal(encodings['/pkg/optave_client_bg.wasm'], 'br');
    assert.equal(encodings['/pkg/optave_client.js'], 'br');
  });

  test('without crossorigin the wasm preload is not reused: fetched twice', async () => {
    const { requests } = await load('no-crossorigin.html');
    assert.equal(count(requests, '/pkg/optave_client_bg.wasm'), 2, requests.join(', '));
  });
});
