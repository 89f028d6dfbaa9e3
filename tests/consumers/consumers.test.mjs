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
//   make test-consumers     (builds pkg/ and the server first)
//
// Environment: CONSUMERS (names to run, e.g. "vite esbuild"; default all), CHROMIUM.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, startServer } from '../lib/local-server.mjs';
import { assertRunReport } from '../lib/run-report.mjs';

const FIXTURES = path.join(ROOT, 'tests', 'consumers');
const WORK = path.join(ROOT, 'target', 'consumers');
const NAMES = (process.env.CONSUMERS ?? 'vite webpack esbuild').split(/\s+/).filter(Boolean);
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
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close().catch(() => {});
  });

  for (const name of NAMES) {
    test(`${name}: builds from the packed package, connects and gets completed superpowers`, async () => {
      const dir = path.join(WORK, name);
      rmSync(dir, { recursive: true, force: true });
      cpSync(path.join(FIXTURES, name), dir, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
      copyFileSync(path.join(FIXTURES, 'run.js'), path.join(dir, 'run.js'));
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
        const wasm = [];
        page.on('console', (msg) => {
          // The fixtures have no favicon: the browser's own request for one is not the page's.
          if (msg.type() === 'error' && !msg.location()?.url?.endsWith('/favicon.ico')) problems.push(`console: ${msg.text()} @ ${msg.location()?.url}`);
        });
        page.on('pageerror', (err) => problems.push(`page: ${err?.stack ?? err}`));
        page.on('response', (r) => r.url().endsWith('.wasm') && wasm.push([r.status(), r.headers()['content-type']]));
        await page.goto(`${server.url}/`, { waitUntil: 'load' });
        await page.waitForSelector('#result[data-done="true"]', { timeout: PAGE_TIMEOUT_MS }).catch((err) => {
          throw new Error(`${name}: the page never reported (${err.message}); ${problems.join('; ')}`);
        });
        assertRunReport(name, await page.evaluate(() => window.__consumer));
        assert.deepEqual(wasm, [[200, 'application/wasm']], `${name}: the wasm requests`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close().catch(() => {});
        await server.stop();
      }
    });
  }
});
