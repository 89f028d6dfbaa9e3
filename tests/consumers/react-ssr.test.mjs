// The React entry on the server, in Node (no browser, no OCO server):
//   - importing pkg/react.js and rendering <OptaveProvider> with
//     react-dom/server's renderToString: the children render with no client
//     and the state 'initialized', and no code of the package reads `window`,
//     `document`, `WebSocket` or `WebAssembly` (each global is replaced by a
//     getter that records the stack of every read; reads by React itself
//     are not the package's);
//   - the Next.js App Router files of docs/react.md ('use client' providers,
//     the root layout) as written, compiled with esbuild and rendered the same
//     way;
//   - every React example of the docs type-checks (tsc --strict, jsx);
//   - a hook outside a provider throws an OptaveError, VALIDATION NO_PROVIDER.
//
//   make test-consumers      (builds pkg/ first)

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { ROOT } from '../lib/local-server.mjs';
import { allExamples, nextFiles } from './react-examples.mjs';

const PKG = path.join(ROOT, 'pkg');
const WORK = path.join(ROOT, 'target', 'react-ssr');
const WATCHED = ['window', 'document', 'WebSocket', 'WebAssembly'];

// Every read of a watched global, with the stack that made it.
const reads = [];
for (const name of WATCHED) {
  const value = globalThis[name];
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      reads.push({ name, stack: new Error().stack });
      return value;
    },
  });
}
/** The reads made by the package's own files (pkg/), as "name at file". */
const packageReads = () => reads
  .filter((r) => r.stack.includes(`${PKG}${path.sep}`))
  .map((r) => `${r.name}, read ${r.stack.split('\n').find((l) => l.includes(PKG))?.trim()}`);

let React;
let renderToString;
let entry;
let OptaveError;

/** Renders what the hooks say, as text. */
function Probe() {
  const { useConnectionState, useOptaveClient, useRequest, useSuperpowerEvents } = entry;
  const state = useConnectionState();
  const client = useOptaveClient();
  const { status, events } = useRequest('summarize');
  const pushed = useSuperpowerEvents();
  return React.createElement('p', null, `state: ${state}; client: ${client ? 'ready' : 'none'}; request: ${status}; events: ${events.length + pushed.length}`);
}

describe('optave-client/react on the server (Node, react-dom/server)', () => {
  before(async () => {
    const imported = await import(pathToFileURL(path.join(PKG, 'react.js')).href);
    entry = imported;
    React = await import('react');
    ({ renderToString } = await import('react-dom/server'));
    ({ OptaveError } = await import(pathToFileURL(path.join(PKG, 'optave_client.js')).href));
  });

  test('importing the entry reads no window, document, WebSocket or WebAssembly', () => {
    // The getters record reads (this one is the test's own, not the package's).
    const before = reads.length;
    void globalThis.WebAssembly;
    assert.equal(reads.length, before + 1);
    assert.deepEqual(packageReads(), []);
    assert.deepEqual(Object.keys(entry).sort(), ['OptaveProvider', 'useConnectionState', 'useOptaveClient', 'useRequest', 'useSuperpowerEvents']);
  });

  test("renderToString of the provider: the children render with the state 'initialized', and nothing browser-only is touched", () => {
    const options = { websocketUrl: 'wss://oco.example.com/ws', tokenProvider: async () => 'ticket' };
    const html = renderToString(React.createElement(entry.OptaveProvider, { options }, React.createElement(Probe)));
    assert.equal(html, '<p>state: initialized; client: none; request: idle; events: 0</p>');
    assert.deepEqual(packageReads(), []);
  });

  test('the Next.js App Router files of docs/react.md render on the server as written', async () => {
    const files = nextFiles();
    assert.deepEqual(files.map((f) => f.nextFile).sort(), ['app/layout.tsx', 'app/providers.tsx']);
    const providers = files.find((f) => f.nextFile === 'app/providers.tsx');
    assert.match(providers.source, /^\/\/ app\/providers\.tsx\n'use client';\n/, "the provider's file does not start with 'use client'");
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(path.join(WORK, 'app'), { recursive: true });
    mkdirSync(path.join(WORK, 'node_modules'));
    // As installed: node_modules/optave-client is the package.
    symlinkSync(PKG, path.join(WORK, 'node_modules', 'optave-client'), 'dir');
    writeFileSync(path.join(WORK, 'package.json'), '{ "type": "module" }\n');
    for (const f of files) {
      const { code } = transformSync(f.source, { loader: 'tsx', jsx: 'automatic', format: 'esm', target: 'es2022' });
      // Next resolves './providers' to providers.tsx; here it is the compiled providers.mjs.
      writeFileSync(path.join(WORK, f.nextFile.replace(/\.tsx$/, '.mjs')), code.replace(/from\s*["']\.\/(\w+)["']/g, "from './$1.mjs'"));
    }
    const layout = await import(pathToFileURL(path.join(WORK, 'app', 'layout.mjs')).href);
    const html = renderToString(React.createElement(layout.default, null, React.createElement(Probe)));
    assert.match(html, /^<html lang="en">(<head><\/head>)?<body><p>state: initialized; client: none; request: idle; events: 0<\/p><\/body><\/html>$/);
    assert.deepEqual(packageReads(), []);
  });

  test('every React example of the docs type-checks (tsc --strict, react-jsx)', () => {
    const dir = path.join(WORK, 'types');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'app'), { recursive: true });
    const files = allExamples().map((ex, i) => {
      const file = ex.nextFile ? path.join(dir, ex.nextFile) : path.join(dir, `example-${i}.${ex.lang}`);
      writeFileSync(file, `${ex.source}\nexport {};\n`);
      return file;
    });
    const config = {
      compilerOptions: {
        strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler',
        lib: ['dom', 'es2022'], types: [], skipLibCheck: false, jsx: 'react-jsx', allowJs: true, checkJs: true,
        paths: {
          'optave-client': [path.join(PKG, 'optave_client.d.ts')],
          'optave-client/react': [path.join(PKG, 'react.d.ts')],
        },
      },
      files,
    };
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
    try {
      execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', dir], { encoding: 'utf8' });
    } catch (e) {
      assert.fail(`tsc --strict refused a React example:\n${e.stdout}${e.stderr}`);
    }
  });

  test('a hook outside <OptaveProvider> throws an OptaveError: VALIDATION NO_PROVIDER, naming the provider, with suggestions', () => {
    for (const hook of ['useOptaveClient', 'useConnectionState', 'useRequest', 'useSuperpowerEvents']) {
      const Lonely = () => {
        entry[hook]('summarize');
        return null;
      };
      let thrown;
      try {
        renderToString(React.createElement(Lonely));
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown instanceof OptaveError, `${hook}: ${thrown}`);
      assert.equal(thrown.category, 'VALIDATION');
      assert.equal(thrown.code, 'NO_PROVIDER');
      assert.match(thrown.message, new RegExp(`^${hook}\\(\\) .*<OptaveProvider>`));
      assert.ok(thrown.suggestions.length >= 1 && thrown.suggestions.every((s) => typeof s === 'string' && s.length > 0));
    }
  });

  test('bad provider props throw an OptaveError naming the prop', () => {
    const cases = [
      [{}, 'INVALID_OPTION', /options must be an object/],
      [{ options: 'wss://oco.example.com/ws' }, 'INVALID_OPTION', /options must be an object/],
      [{ client: { state: 'connected' } }, 'INVALID_ARGUMENT', /client prop must be an OptaveClient/],
    ];
    for (const [props, code, message] of cases) {
      let thrown;
      try {
        renderToString(React.createElement(entry.OptaveProvider, props));
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown instanceof OptaveError, `${JSON.stringify(props)}: ${thrown}`);
      assert.equal(thrown.category, 'VALIDATION');
      assert.equal(thrown.code, code);
      assert.match(thrown.message, message);
      assert.ok(thrown.suggestions.length >= 1);
    }
  });

  test('a useSuperpowerEvents limit that is not a whole number above 0 throws VALIDATION INVALID_ARGUMENT', () => {
    const options = { websocketUrl: 'wss://oco.example.com/ws' };
    const Bad = () => {
      entry.useSuperpowerEvents({ limit: 0 });
      return null;
    };
    assert.throws(
      () => renderToString(React.createElement(entry.OptaveProvider, { options }, React.createElement(Bad))),
      (e) => e instanceof OptaveError && e.code === 'INVALID_ARGUMENT' && /filter\.limit/.test(e.message) && e.suggestions.length >= 1,
    );
  });
});
