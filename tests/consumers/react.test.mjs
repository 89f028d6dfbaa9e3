// The React entry (optave-client/react) in a real React app: the Vite project
// tests/consumers/vite-react/ (React 19; its own pinned lockfile; React, Vite
// and @vitejs/plugin-react), and the same page and config on React 18
// (tests/consumers/vite-react18/: its package.json and lockfile), each with
// the package installed from `npm pack` of pkg/, under <StrictMode> in
// headless Chromium against the local OCO server.
//
//   1. Through the Vite dev server (started in this process; its proxy sends
//      the page's /ws and /api to the local server), where React's
//      development build mounts, unmounts and mounts each component once more.
//   2. Through a production build (dist/, served by the local server).
// Each run checks, with the server's own socket counts (GET /api/test/stats)
// and the clients the page counts (created, freed): one client and one socket
// after mount; a useRequest that settles, each frame rendered once; a new
// send that cancels the previous one; a cancel and a refusal of the params
// that land in `error`; useSuperpowerEvents shows a fire-and-forget send's
// frames and its listeners (counted by the page) go with the component; a new
// options object with the same values keeps the client and socket, a new
// organizationId replaces them (a class-instance logger that refers to
// itself and changes with every render does not); unmounting the provider
// closes the socket and frees the client, mounting it again reconnects; a
// provider handed the page's client frees its own and, back on options,
// never hands out the freed one; options create() refuses end in the state
// 'failed' and fail the sends, waiting or new, with that error;
// useSuperpowerEvents({ correlationId }) follows useRequest's id; no console
// error, no uncaught error (unhandled rejections included).
//   3. The docs' page examples (react-examples.mjs: docs/react.md, the README
//      section), each built as the project's page, run as written.
//
//   make test-consumers      (builds pkg/ and the server first)
//
// Environment: CHROMIUM.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../lib/chromium.mjs';
import { ROOT, startServer } from '../lib/local-server.mjs';
import { asPage, pageExamples, unrunnable } from './react-examples.mjs';

const FIXTURE = path.join(ROOT, 'tests', 'consumers', 'vite-react');
const WORK = path.join(ROOT, 'target', 'consumers');
const DIR = path.join(WORK, 'vite-react');
const WAIT_MS = 20_000;
const GRACE_MS = 250; // js/react.js: how long an unmounted provider keeps its client

function sh(cwd, cmd, ...args) {
  // Not this process's NODE_ENV: Vite's dev server sets it to development,
  // which would make `vite build` bundle React's development build.
  const { NODE_ENV: _, ...env } = process.env;
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, OCO_SERVER_URL: '' } });
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The local server's socket counts. */
async function sockets(oco) {
  const s = await (await fetch(`${oco.url}/api/test/stats`)).json();
  return { open: s.openSockets, accepted: s.acceptedSockets };
}

/** Polls the server until its socket counts are `want`. */
async function socketsBecome(oco, want, what) {
  const deadline = Date.now() + WAIT_MS;
  let last;
  while (Date.now() < deadline) {
    last = await sockets(oco);
    if (last.open === want.open && last.accepted === want.accepted) return;
    await sleep(50);
  }
  assert.fail(`${what}: the server counts ${JSON.stringify(last)}, expected ${JSON.stringify(want)}`);
}

/** Records console errors and uncaught errors (unhandled rejections included) of a page. */
function watch(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.location()?.url?.endsWith('/favicon.ico')) problems.push(`console: ${msg.text()} @ ${msg.location()?.url}`);
  });
  page.on('pageerror', (err) => problems.push(`page: ${err?.stack ?? err}`));
  return problems;
}

/** The clients the page's provider made and freed (main.jsx counts OptaveClient.create and free). */
const clients = (page) => page.evaluate(() => ({ ...window.__clients }));
/** The listeners on the page's client now, by event (main.jsx counts client.on and its removers). */
const listeners = (page) => page.evaluate(() => Object.fromEntries(Object.entries(window.__listeners).filter(([, n]) => n !== 0)));
const text = (page, id) => page.$eval(`[data-testid="${id}"]`, (e) => e.textContent);
const shows = (page, id, want) => page.waitForFunction(
  ([sel, v]) => document.querySelector(sel)?.textContent === v,
  [`[data-testid="${id}"]`, want],
  { timeout: WAIT_MS },
).catch(async () => assert.fail(`${id} never showed "${want}" (shows "${await text(page, id).catch(() => 'nothing')}")`));

const INSIGHTS_FRAMES = ['performance_criteria:completed', 'performance_criteria:started', 'sentiment_analysis:completed', 'sentiment_analysis:started'];

/** The checks of one run of the app (dev server or production build). */
async function exercise(page, oco, { strictModeChecks }) {
  await shows(page, 'state', 'connected');
  assert.equal(await text(page, 'client'), 'ready');
  // React's development build ran the effects twice (StrictMode); the production build once.
  assert.equal(await page.evaluate(() => window.__appEffects), strictModeChecks ? 2 : 1, 'StrictMode double effects');
  await socketsBecome(oco, { open: 1, accepted: 1 }, 'after mount (one client, one socket)');
  assert.deepEqual(await clients(page), { created: 1, freed: 0 }, 'after mount: one client');

  // Every frame row added to the list, by key: a frame rendered twice, or a
  // row dropped and added again, shows here.
  await page.evaluate(() => {
    window.__added = [];
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n.dataset?.testid === 'event') window.__added.push(n.dataset.key);
    }).observe(document.querySelector('[data-testid="events"]'), { childList: true });
  });
  await page.click('[data-testid="send"]');
  await shows(page, 'status', 'settled');
  const added = await page.evaluate(() => window.__added);
  assert.deepEqual([...added].sort(), INSIGHTS_FRAMES, `each frame rendered once: ${added}`);
  const rows = await page.$$eval('[data-testid="event"]', (els) => els.map((e) => e.dataset.key));
  assert.deepEqual([...rows].sort(), INSIGHTS_FRAMES);
  assert.equal(await text(page, 'results'), 'performance_criteria sentiment_analysis');
  assert.equal(await text(page, 'errors'), '0');
  assert.equal(await text(page, 'error'), '');
  const firstId = await text(page, 'correlation-id');
  assert.match(firstId, /^[0-9a-f-]{16,}$/i);
  // useSuperpowerEvents({ correlationId }) saw the same frames, each once.
  assert.deepEqual((await text(page, 'pushed')).split(' ').sort(), INSIGHTS_FRAMES);

  // A new send cancels the previous one: only the last request's frames show.
  await page.click('[data-testid="send"]');
  await page.click('[data-testid="send"]');
  await shows(page, 'status', 'settled');
  const lastId = await text(page, 'correlation-id');
  assert.notEqual(lastId, firstId);
  assert.deepEqual((await page.$$eval('[data-testid="event"]', (els) => els.map((e) => e.dataset.key))).sort(), INSIGHTS_FRAMES);
  // useSuperpowerEvents({ correlationId }) follows the id: the last request's frames only.
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="pushed"]')?.textContent.split(' ').sort().join(' ') === want,
    INSIGHTS_FRAMES.join(' '),
    { timeout: WAIT_MS },
  ).catch(async () => assert.fail(`pushed shows "${await text(page, 'pushed')}", not only the last request's frames`));

  // cancel(): failed with REQUEST_CANCELLED, nothing unhandled.
  await page.click('[data-testid="send"]');
  await page.click('[data-testid="cancel"]');
  await shows(page, 'status', 'failed');
  assert.equal(await text(page, 'error'), 'VALIDATION REQUEST_CANCELLED');

  // Params the client refuses: the refusal lands in `error`, never in an unhandled rejection.
  await page.click('[data-testid="send-bad"]');
  await shows(page, 'status', 'failed');
  assert.equal(await text(page, 'error'), 'VALIDATION REQUIRED_FIELDS_MISSING');
  assert.equal(await text(page, 'correlation-id'), '', 'a refused request has no correlationId');

  // useSuperpowerEvents: a fire-and-forget send's frames; its listeners go with the component.
  const baseline = await listeners(page);
  assert.deepEqual(baseline, { 'superpower.response': 1, 'superpower.error': 1, stateChange: 1, error: 1 }, 'the panel\'s hooks listen once each');
  await page.click('[data-testid="feed-toggle"]');
  await page.waitForSelector('[data-testid="fire"]:not([disabled])');
  assert.deepEqual(await listeners(page), { 'superpower.response': 2, 'superpower.error': 2, stateChange: 1, error: 1 }, 'the feed listens once (StrictMode removed its first listeners)');
  await page.click('[data-testid="fire"]');
  await shows(page, 'feed', 'summary:started summary:completed');
  await page.click('[data-testid="feed-toggle"]');
  assert.equal(await page.$('[data-testid="feed"]'), null);
  assert.deepEqual(await listeners(page), baseline, 'the hidden feed left a listener behind');

  // A new options object with the same values keeps the client and its socket
  // (the logger instance, which keeps a line for each render, included).
  await page.click('[data-testid="rerender"]');
  await page.click('[data-testid="rerender"]');
  await sleep(GRACE_MS * 3);
  assert.equal(await text(page, 'state'), 'connected');
  assert.deepEqual(await sockets(oco), { open: 1, accepted: 1 }, 'a re-render with equal options opened or closed a socket');
  assert.deepEqual(await clients(page), { created: 1, freed: 0 }, 'a re-render with equal options made a client');

  // Another organizationId is another client: the old socket closes, a new one opens.
  await page.click('[data-testid="switch-org"]');
  await socketsBecome(oco, { open: 1, accepted: 2 }, 'after the organizationId changed');
  await shows(page, 'state', 'connected');
  assert.deepEqual(await clients(page), { created: 2, freed: 1 }, 'the replaced client is freed');

  // Unmounting the provider closes the socket; mounting it again reconnects.
  await page.click('[data-testid="toggle"]');
  await socketsBecome(oco, { open: 0, accepted: 2 }, 'after the provider unmounted');
  assert.equal(await page.$('[data-testid="state"]'), null);
  assert.deepEqual(await clients(page), { created: 2, freed: 2 }, 'the unmounted provider freed its client');
  // Mounted again with a send in the panel's mount effect, before the client
  // exists (twice under StrictMode: the second cancels the first): it waits
  // for the client and settles.
  await page.evaluate(() => {
    window.__sendOnMount = true;
  });
  await page.click('[data-testid="toggle"]');
  await shows(page, 'state', 'connected');
  await shows(page, 'status', 'settled');
  assert.deepEqual((await page.$$eval('[data-testid="event"]', (els) => els.map((e) => e.dataset.key))).sort(), INSIGHTS_FRAMES);
  await socketsBecome(oco, { open: 1, accepted: 3 }, 'after the provider mounted again');
  assert.deepEqual(await clients(page), { created: 3, freed: 2 });

  // A client of the page instead of options: the provider's own is freed
  // after the grace period, and back on options the subtree gets a new one,
  // never the freed one.
  await page.click('[data-testid="own-toggle"]');
  await shows(page, 'state', 'initialized'); // the page's client, never connected
  await socketsBecome(oco, { open: 0, accepted: 3 }, 'after the provider was given the page\'s client');
  await sleep(GRACE_MS * 2);
  assert.deepEqual(await clients(page), { created: 4, freed: 3 }, 'the provider freed its own client, not the page\'s');
  await page.click('[data-testid="own-toggle"]');
  await shows(page, 'state', 'connected');
  await socketsBecome(oco, { open: 1, accepted: 4 }, 'back on options');
  assert.deepEqual(await clients(page), { created: 5, freed: 3 });

  // Options create() refuses: onError hears it once, the state is 'failed',
  // and a send made while the client was awaited fails with the same error.
  await page.click('[data-testid="toggle"]');
  await socketsBecome(oco, { open: 0, accepted: 4 }, 'unmounted before the refused options');
  await page.click('[data-testid="bad-toggle"]');
  await page.click('[data-testid="toggle"]');
  await shows(page, 'state', 'failed');
  await shows(page, 'status', 'failed');
  assert.equal(await text(page, 'error'), 'VALIDATION INVALID_WEBSOCKET_URL');
  assert.deepEqual(await page.evaluate(() => window.__providerErrors), ['INVALID_WEBSOCKET_URL']);
  await page.click('[data-testid="send"]');
  await shows(page, 'status', 'failed');
  assert.equal(await text(page, 'error'), 'VALIDATION INVALID_WEBSOCKET_URL', 'a new send fails the same way');
  // Good options again: a new client, and sends settle.
  await page.click('[data-testid="bad-toggle"]');
  await shows(page, 'state', 'connected');
  await page.click('[data-testid="send"]');
  await shows(page, 'status', 'settled');
  assert.deepEqual(await clients(page), { created: 6, freed: 4 });
}

/** Copies a project (its sources from vite-react/, its package.json and lockfile from `fixture`) and installs it with the packed package. */
const prepared = new Set();
function prepare(name, fixture, tarball) {
  const dir = path.join(WORK, name);
  if (prepared.has(dir)) return dir; // this run installed it already
  prepared.add(dir);
  rmSync(dir, { recursive: true, force: true });
  const skip = (src) => !/[/\\](node_modules|dist)$/.test(src);
  cpSync(FIXTURE, dir, { recursive: true, filter: skip });
  if (fixture !== FIXTURE) cpSync(fixture, dir, { recursive: true, filter: skip });
  sh(dir, 'npm', 'ci', '--no-audit', '--no-fund');
  sh(dir, 'npm', 'install', '--no-save', '--no-audit', '--no-fund', tarball);
  // Vite's JavaScript API, as the project resolves it.
  writeFileSync(path.join(dir, 'vite-api.mjs'), "export { createServer } from 'vite';\n");
  return dir;
}

/** The React of a project: 19 (vite-react/) and 18 (vite-react18/: the same page and config). */
const PROJECTS = [
  { react: '19', name: 'vite-react', fixture: FIXTURE },
  { react: '18', name: 'vite-react18', fixture: path.join(ROOT, 'tests', 'consumers', 'vite-react18') },
];

describe('optave-client/react in a Vite + React app (React 19 and 18)', () => {
  let browser;
  let tarball;

  before(async () => {
    assert.ok(existsSync(path.join(ROOT, 'pkg', 'react.js')), 'pkg/ is not built (or has no react.js): run `make pkg`');
    mkdirSync(WORK, { recursive: true });
    const packed = JSON.parse(sh(ROOT, 'npm', 'pack', './pkg', '--json', '--pack-destination', WORK));
    tarball = path.join(WORK, packed[0].filename);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close().catch(() => {});
  });

  for (const project of PROJECTS) {
    const dir = path.join(WORK, project.name);

    test(`React ${project.react}, dev server, StrictMode: one client and one socket, a request settles with each frame rendered once, hook listeners go on unmount, unmounting closes and mounting reconnects`, async () => {
      prepare(project.name, project.fixture, tarball);
      const oco = await startServer();
      process.env.OCO_SERVER_URL = oco.url; // read by vite.config.js: the dev server's proxy
      const { createServer } = await import(pathToFileURL(path.join(dir, 'vite-api.mjs')).href);
      const vite = await createServer({
        root: dir,
        configFile: path.join(dir, 'vite.config.js'),
        logLevel: 'warn',
        clearScreen: false,
        server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
      });
      const context = await browser.newContext();
      try {
        await vite.listen();
        const url = vite.resolvedUrls.local[0];
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
        const page = await context.newPage();
        const problems = watch(page);
        await page.goto(url, { waitUntil: 'load' });
        assert.equal((await page.evaluate(() => window.__reactVersion))?.split('.')[0], project.react, 'the React the page runs');
        await exercise(page, oco, { strictModeChecks: true });
        assert.deepEqual(problems, []);
      } finally {
        delete process.env.OCO_SERVER_URL;
        await context.close().catch(() => {});
        await vite.close();
        await oco.stop();
      }
    });

    test(`React ${project.react}, production build, StrictMode: one client and one socket, a request settles with each frame rendered once, hook listeners go on unmount, unmounting closes and mounting reconnects`, async () => {
      prepare(project.name, project.fixture, tarball);
      sh(dir, 'npm', 'run', 'build');
      const dist = path.join(dir, 'dist');
      const emitted = readdirSync(dist, { recursive: true }).map(String);
      assert.ok(emitted.some((f) => f.endsWith('.wasm')), `the build emitted no .wasm (${emitted})`);
      const oco = await startServer(['--root', dist]);
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const problems = watch(page);
        await page.goto(`${oco.url}/`, { waitUntil: 'load' });
        assert.equal((await page.evaluate(() => window.__reactVersion))?.split('.')[0], project.react, 'the React the page runs');
        await exercise(page, oco, { strictModeChecks: false });
        assert.deepEqual(problems, []);
      } finally {
        await context.close().catch(() => {});
        await oco.stop();
      }
    });
  }

  test('every block of the docs that imports optave-client/react is run by a test', () => {
    assert.deepEqual(unrunnable().map((b) => `${b.file}:${b.line}`), []);
    assert.ok(pageExamples().some((b) => b.file === 'docs/react.md'), 'docs/react.md has no page example');
  });

  for (const [i, example] of pageExamples().entries()) {
    test(`${example.file}:${example.line} runs as written (built by Vite, under the local server)`, async () => {
      const root = path.join(DIR, 'examples', String(i));
      prepare('vite-react', FIXTURE, tarball);
      mkdirSync(root, { recursive: true });
      writeFileSync(path.join(root, 'main.tsx'), asPage(example));
      writeFileSync(path.join(root, 'index.html'), '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>example</title></head>\n<body><div id="root"></div><script type="module" src="./main.tsx"></script></body></html>\n');
      const dist = path.join(DIR, `dist-example-${i}`);
      sh(DIR, path.join(DIR, 'node_modules', '.bin', 'vite'), 'build', root, '--config', path.join(DIR, 'vite.config.js'), '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn');
      const oco = await startServer(['--root', dist]);
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const problems = watch(page);
        await page.goto(`${oco.url}/`, { waitUntil: 'load' });
        await page.getByText('Connection: connected').waitFor({ timeout: WAIT_MS });
        await page.locator('button').first().click();
        await page.getByText('Request: settled').waitFor({ timeout: WAIT_MS }).catch(async (err) => {
          assert.fail(`never settled (${err.message}); the page: ${await page.textContent('body')}; ${problems.join('; ')}`);
        });
        const shown = (await page.locator('pre').first().textContent()) ?? '';
        assert.ok(shown.length > 2, `the results are not shown: ${await page.textContent('body')}`);
        assert.deepEqual(problems, []);
        await socketsBecome(oco, { open: 1, accepted: 1 }, 'the example (StrictMode or not)');
      } finally {
        await context.close().catch(() => {});
        await oco.stop();
      }
    });
  }
});
