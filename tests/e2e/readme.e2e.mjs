// The usage examples of the READMEs and of docs/, run as written in Chromium
// against the local OCO server: a document that lies is a failing test.
//
//   make test-e2e        (starts the server, sets OCO_DEMO_URL)
//
// Every ```js / ```ts block of README.md, pkg-template/README.md (the npm
// package's README) and docs/*.md that imports 'optave-client' is an example;
// each README must have at least one. Each is
// type-checked as written with `tsc --strict` against the package's .d.ts
// (tests/tsconfig.json's settings), then compiled with esbuild (types stripped, nothing else changed) and run as a
// module in a document served by the local server (its /healthz), with two
// substitutions only:
// the import specifier becomes the built package (/pkg/optave_client.js),
// the `websocketUrl` literal becomes the local server's /ws and a `restUrl`
// literal the local server itself (its POST /message/{action}). Its
// `tokenProvider` fetches real tickets from the server's /api/ws-ticket.
//
// Environment: OCO_DEMO_URL (base URL of a running local server), CHROMIUM.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { launchChromium } from '../lib/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const READMES = ['README.md', 'pkg-template/README.md'];
// The pages of docs/ (the API reference, the protocol): their examples run too.
const DOCS = readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
const DOCUMENTS = [...READMES, ...DOCS];
const RUN_TIMEOUT_MS = 20_000;

/** The runnable examples of a README: fenced js/ts blocks importing the package. */
export function examples(file) {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const blocks = [];
  const fence = /^```(js|ts|javascript|typescript)\n([\s\S]*?)^```/gm;
  for (let m; (m = fence.exec(text)) !== null;) {
    if (/from\s+'optave-client'/.test(m[2])) {
      const line = text.slice(0, m.index).split('\n').length;
      blocks.push({ file, line, loader: m[1].startsWith('t') ? 'ts' : 'js', source: m[2] });
    }
  }
  return blocks;
}

function runnable(example, wsUrl) {
  const js = transformSync(example.source, { loader: example.loader, format: 'esm', target: 'es2022' }).code;
  const imports = js.match(/from\s*["']optave-client["']/g) ?? [];
  const urls = js.match(/websocketUrl:\s*["'][^"']*["']/g) ?? [];
  assert.equal(imports.length, 1, `${example.file}:${example.line}: one import of 'optave-client'`);
  assert.equal(urls.length, 1, `${example.file}:${example.line}: one websocketUrl literal`);
  const restUrls = js.match(/restUrl:\s*["'][^"']*["']/g) ?? [];
  assert.ok(restUrls.length <= 1, `${example.file}:${example.line}: at most one restUrl literal`);
  return js
    .replace(/from\s*["']optave-client["']/, "from '/pkg/optave_client.js'")
    .replace(/websocketUrl:\s*["'][^"']*["']/, `websocketUrl: ${JSON.stringify(wsUrl)}`)
    .replace(/restUrl:\s*["'][^"']*["']/, `restUrl: ${JSON.stringify(wsUrl.replace(/^ws/, 'http').replace(/\/ws$/, ''))}`)
    + '\nwindow.__exampleDone = true;\n';
}

describe('README examples', () => {
  const base = (process.env.OCO_DEMO_URL ?? '').replace(/\/+$/, '');
  let browser;

  before(async () => {
    assert.ok(base, 'OCO_DEMO_URL is not set: run this through `make test-e2e`, which starts the local server');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  test('every README has runnable examples', () => {
    for (const file of READMES) assert.ok(examples(file).length >= 1, `${file} has no example that imports 'optave-client'`);
    assert.ok(DOCS.flatMap(examples).length >= 1, "docs/ has no example that imports 'optave-client'");
  });

  test('every example type-checks with tsc --strict', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'optave-readme-'));
    try {
      const files = DOCUMENTS.flatMap(examples).map((example, i) => {
        // A js block is checked as JavaScript (checkJs: its JSDoc types count).
        const file = path.join(dir, `example-${i}.${example.loader}`);
        writeFileSync(file, `// ${example.file}:${example.line}\n${example.source}\nexport {};\n`);
        return file;
      });
      const base = JSON.parse(readFileSync(path.join(ROOT, 'tests', 'tsconfig.json'), 'utf8'));
      const config = {
        compilerOptions: {
          ...base.compilerOptions,
          allowJs: true,
          checkJs: true,
          paths: { 'optave-client': [path.join(ROOT, 'pkg', 'optave_client.d.ts')] },
        },
        files,
      };
      writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
      try {
        execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', dir], { encoding: 'utf8' });
      } catch (e) {
        assert.fail(`tsc --strict refused a README example:\n${e.stdout}${e.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const example of DOCUMENTS.flatMap(examples)) {
    test(`${example.file}:${example.line} runs as written`, async () => {
      const wsUrl = base.replace(/^http/, 'ws') + '/ws';
      const page = await browser.newPage();
      const logs = [];
      const problems = [];
      page.on('console', (msg) => {
        // The browser asks for the document's favicon on its own.
        if (msg.location().url.endsWith('/favicon.ico')) return;
        const line = `${msg.type()}: ${msg.text()}`;
        logs.push(line);
        if (msg.type() === 'error' || msg.type() === 'warning') problems.push(line);
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      try {
        // A page the server itself serves (a document made up by the test
        // would count as a public one, which Chromium's local network access
        // checks keep from opening a socket to 127.0.0.1).
        await page.goto(`${base}/healthz`);
        await page.addScriptTag({ type: 'module', content: runnable(example, wsUrl) });
        await page.waitForFunction(() => window.__exampleDone === true, null, { timeout: RUN_TIMEOUT_MS })
          .catch(() => assert.fail(`did not finish within ${RUN_TIMEOUT_MS} ms; problems: ${problems.join(' | ')}; console: ${logs.join(' | ')}`));
        assert.deepEqual(problems, [], 'no errors or warnings');
        // The listener logged the superpower frame the ...Async call resolved with.
        const events = logs.filter((l) => l.startsWith('log: ') && / (started|completed)\b/.test(l));
        assert.ok(events.length >= 1, `a superpower event was logged; console: ${logs.join(' | ')}`);
      } finally {
        await page.close();
      }
    });
  }
});
