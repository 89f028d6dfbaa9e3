// Consumer projects of the npm package: each fixture (vite/, webpack/,
// esbuild/) is a small project whose main.js starts the package as its README
// says. For each one the test
//   1. copies the fixture (and run.js, the page's check) to target/consumers/<name>,
//   2. installs the fixture's pinned bundler with `npm ci` (its own
//      package-lock.json), then the package tarball (`npm pack` of pkg/) with
//      `npm install --no-save`: the tarball's integrity changes with every
//      build, so it never enters the lockfile,
//   3. builds it (`npm run build` -> dist/),
//   4. serves dist/ with the local OCO server (--root dist, auth on), opens it in
//      headless Chromium and waits for the page's report: connected, an
//      insights request whose superpowers all completed, a clean close.
//
// A fourth project, vite-readme, is the vite/ fixture with its main.js
// replaced by the npm README's quick start (pkg-template/README.md) pasted as
// written; only the example endpoint becomes the local server's. It passes
// when the quick start runs to its end in the browser with no error, having
// logged `connected` and superpower responses.
//
//   make test-consumers     (builds pkg/ and the server first)
//
// Environment: CONSUMERS (names to run, e.g. "vite esbuild"; default all), CHROMIUM.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../lib/chromium.mjs';
import { ROOT, startServer } from '../lib/local-server.mjs';
import { assertRunReport } from '../lib/run-report.mjs';

const FIXTURES = path.join(ROOT, 'tests', 'consumers');
const WORK = path.join(ROOT, 'target', 'consumers');
const NAMES = (process.env.CONSUMERS ?? 'vite webpack esbuild vite-readme').split(/\s+/).filter(Boolean);
// The npm README's example endpoint, replaced by the page's own server.
const README_ENDPOINT = "'wss://oco.example.com/ws'";

/** The first ```js block under "## Quick start" of the npm README, as the page's main.js. */
function readmeQuickStart() {
  const readme = readFileSync(path.join(ROOT, 'pkg-template', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'pkg-template/README.md has no ```js block under "## Quick start"');
  assert.ok(block.includes(README_ENDPOINT), `the quick start no longer uses ${README_ENDPOINT}`);
  return [
    '// pkg-template/README.md, "Quick start", as written (the endpoint is this server\'s).',
    block.replace(README_ENDPOINT, '`ws://${location.host}/ws`'),
    "document.querySelector('#result').dataset.done = 'true';",
    '',
  ].join('\n');
}
const PAGE_TIMEOUT_MS = 30_000;

function sh(cwd, cmd, ...args) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

describe('consumer projects', () => {
  let browser;
  let tarball;

  before(async () => {
    assert.ok(existsSync(path.join(ROOT, 'pkg', 'package.json')), 'pkg/ is not built: run `make pkg`');
    mkdirSync(WORK, { recursive: true });
    for (const f of readdirSync(WORK)) if (f.endsWith('.tgz')) rmSync(path.join(WORK, f));
    const packed = JSON.parse(sh(ROOT, 'npm', 'pack', './pkg', '--json', '--pack-destination', WORK));
    tarball = path.join(WORK, packed[0].filename);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close().catch(() => {});
  });

  for (const name of NAMES) {
    test(`${name}: builds from the packed package, connects and gets completed superpowers`, async () => {
      const dir = path.join(WORK, name);
      rmSync(dir, { recursive: true, force: true });
      const readme = name === 'vite-readme';
      cpSync(path.join(FIXTURES, readme ? 'vite' : name), dir, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
      copyFileSync(path.join(FIXTURES, 'run.js'), path.join(dir, 'run.js'));
      if (readme) writeFileSync(path.join(dir, 'main.js'), readmeQuickStart());
      sh(dir, 'npm', 'ci', '--no-audit', '--no-fund');
      sh(dir, 'npm', 'install', '--no-save', '--no-audit', '--no-fund', tarball);
      sh(dir, 'npm', 'run', 'build');
      const dist = path.join(dir, 'dist');
      const emitted = readdirSync(dist, { recursive: true }).map(String);
      assert.ok(emitted.includes('index.html'), `${name}: no dist/index.html (${emitted})`);
      assert.ok(emitted.some((f) => f.endsWith('.wasm')), `${name}: the build emitted no .wasm (${emitted})`);

      const server = await startServer(['--root', dist]);
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const problems = [];
        const logs = [];
        const wasm = [];
        page.on('console', (msg) => {
          // The fixtures have no favicon: the browser's own request for one is not the page's.
          if (msg.type() === 'error' && !msg.location()?.url?.endsWith('/favicon.ico')) problems.push(`console: ${msg.text()} @ ${msg.location()?.url}`);
          if (msg.type() === 'log') logs.push(msg.text());
        });
        page.on('pageerror', (err) => problems.push(`page: ${err?.stack ?? err}`));
        page.on('response', (r) => r.url().endsWith('.wasm') && wasm.push([r.status(), r.headers()['content-type']]));
        await page.goto(`${server.url}/`, { waitUntil: 'load' });
        await page.waitForSelector('#result[data-done="true"]', { timeout: PAGE_TIMEOUT_MS }).catch((err) => {
          throw new Error(`${name}: the page never reported (${err.message}); ${problems.join('; ')}`);
        });
        if (readme) {
          assert.ok(logs.includes('connected'), `${name}: the quick start never logged "connected" (${logs})`);
          assert.ok(logs.some((l) => / (started|completed) /.test(l)), `${name}: no superpower response was logged (${logs})`);
        } else {
          assertRunReport(name, await page.evaluate(() => window.__consumer));
        }
        assert.deepEqual(wasm, [[200, 'application/wasm']], `${name}: the wasm requests`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close().catch(() => {});
        await server.stop();
      }
    });
  }
});
