// The React entry's usage examples, as the docs write them, for the tests that
// run them (react.test.mjs in Chromium, react-ssr.test.mjs in Node).
//
// Sources: docs/react.md (the user guide), README.md (its React section) and
// pkg-template/README.md. A fenced js/jsx/ts/tsx block is an example when it
// imports 'optave-client/react' or its first line names a Next.js file
// (`// app/<name>.tsx`). Each is one of:
//   - a page: it calls createRoot(); run as the page of a Vite + React project
//     in Chromium. Its contract with the test: it shows `Connection: connected`,
//     a click on its first button sends a request, and it then shows
//     `Request: settled`.
//   - a Next.js file (`// app/providers.tsx`, `// app/layout.tsx`): rendered
//     with react-dom/server in Node, as the App Router renders it.
// Any other block importing the entry is run by nothing: unrunnable() lists it
// and the tests fail.

import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/local-server.mjs';

export const SOURCES = ['docs/react.md', 'README.md', 'pkg-template/README.md'];
/** The endpoint the examples name, replaced by the local server's. */
export const EXAMPLE_ENDPOINT = "'wss://oco.example.com/ws'";

function blocks() {
  const out = [];
  const seen = new Set();
  for (const file of SOURCES) {
    const full = path.join(ROOT, file);
    if (!existsSync(full)) continue;
    const text = readFileSync(full, 'utf8');
    const fence = /^```(jsx|tsx|js|ts)\n([\s\S]*?)^```/gm;
    for (let m; (m = fence.exec(text)) !== null;) {
      const source = m[2];
      const nextFile = /^\/\/ (app\/[\w.-]+\.tsx)\n/.exec(source)?.[1];
      if (!nextFile && !/from\s+'optave-client\/react'/.test(source)) continue;
      if (seen.has(source)) continue; // the README section pasted into README.md
      seen.add(source);
      const line = text.slice(0, m.index).split('\n').length;
      const kind = nextFile ? 'next' : /\bcreateRoot\(/.test(source) ? 'page' : 'unrun';
      out.push({ file, line, lang: m[1], kind, nextFile, source });
    }
  }
  return out;
}

/** The page examples. */
export const pageExamples = () => blocks().filter((b) => b.kind === 'page');
/** The Next.js files, by file name (app/providers.tsx, ...). */
export const nextFiles = () => blocks().filter((b) => b.kind === 'next');
/** Blocks importing the entry that no test runs. */
export const unrunnable = () => blocks().filter((b) => b.kind === 'unrun');
/** Every example, for the type check. */
export const allExamples = () => blocks().filter((b) => b.kind !== 'unrun');

/** A page example with the local server's endpoint (the page's own origin). */
export function asPage(example) {
  if (!example.source.includes(EXAMPLE_ENDPOINT)) throw new Error(`${example.file}:${example.line}: the example does not use ${EXAMPLE_ENDPOINT}`);
  return `// ${example.file}:${example.line}, as written (the endpoint is this server's).\n`
    + example.source.replace(EXAMPLE_ENDPOINT, '`ws://${location.host}/ws`');
}
