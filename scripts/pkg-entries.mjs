// Steps of `make pkg` that need the built wasm (run by the Makefile).
//
//   node scripts/pkg-entries.mjs statics <pkgDir>
//       The glue (js/api.js and js/entry.js appended, not yet minified) is
//       loaded in node with the wasm (initSync); the three static getters'
//       values are written into the glue in place of `/* @statics */ null`, so
//       `OptaveClient.sdkVersion`, `.specVersion` and `.schemaRef` answer
//       before the wasm is loaded (their one source stays the core). The
//       wasm's imports object names the snippet module once per Rust extern
//       block, the same key with the same namespace each time; the repeats go
//       (bundlers warn about duplicate keys: esbuild's duplicate-object-key).
//   node scripts/pkg-entries.mjs finish <pkgDir>
//       Writes inline.js (the wasm as base64, instantiated at
//       import by initSync, no fetch) and its .d.ts (js/inline.d.ts), the
//       typed wasm subpath (js/wasm-url.d.ts as optave_client_bg.wasm.d.ts),
//       the React entry (js/react.js minified by esbuild, imports kept: it
//       loads './optave_client.js' and the page's own 'react'; its types
//       js/react.d.ts), and edits the generated optave_client.d.ts: the static `create()`
//       (js/create.d.ts.part) goes into the class, and `[Symbol.dispose]`
//       goes (lib ES2020/ES2022 have no `Symbol.dispose`: TS2550; the glue
//       still defines it at run time where the engine has it; `free()` stays).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [step, dirArg] = process.argv.slice(2);
const dir = path.resolve(dirArg ?? 'pkg');
const fail = (msg) => {
  console.error(`pkg-entries: FAIL: ${msg}`);
  process.exit(1);
};
const at = (name) => path.join(dir, name);
const wasmBytes = () => readFileSync(at('optave_client_bg.wasm'));

if (step === 'statics') {
  const gluePath = at('optave_client.js');
  const glue = await import(pathToFileURL(gluePath).href);
  glue.initSync({ module: wasmBytes() });
  const statics = {
    sdkVersion: glue.OptaveClient.sdkVersion,
    specVersion: glue.OptaveClient.specVersion,
    schemaRef: glue.OptaveClient.schemaRef,
  };
  for (const [k, v] of Object.entries(statics)) if (typeof v !== 'string' || v === '') fail(`OptaveClient.${k} is ${v}`);
  const text = readFileSync(gluePath, 'utf8');
  const marker = '/* @statics */ null';
  if (text.split(marker).length !== 2) fail(`${gluePath} must hold ${marker} once (js/entry.js appended?)`);
  const seen = new Set();
  const dropped = [];
  let deduped = text.replace(/^(\s*)("\.\/snippets\/[^"\n]+"): *(\w+),?\n/gm, (line, _indent, key, id) => {
    if (!seen.has(key)) {
      seen.add(key);
      return line;
    }
    dropped.push(id);
    return '';
  });
  // ...and the namespace imports only those repeats used.
  for (const id of dropped) {
    deduped = deduped.replace(new RegExp(`^import \\* as ${id} from "\\./snippets/[^"\n]+";?\n`, 'm'), '');
  }
  const repeats = dropped.length;
  writeFileSync(gluePath, deduped.replace(marker, JSON.stringify(statics)));
  console.log(`pkg-entries: statics ${JSON.stringify(statics)}; ${repeats} repeated snippet keys removed from the imports object`);
} else if (step === 'finish') {
  const b64 = wasmBytes().toString('base64');
  writeFileSync(at('inline.js'), [
    '// optave-client/inline: the package with its wasm inside (base64), compiled',
    '// and instantiated synchronously when this module is imported: no fetch, no',
    '// asset for the bundler to emit, no init() needed. Same exports as optave-client.',
    "import { initSync } from './optave_client.js';",
    `const text = atob('${b64}');`,
    'const bytes = new Uint8Array(text.length);',
    'for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);',
    'initSync({ module: bytes });',
    "export * from './optave_client.js';",
    "export { default } from './optave_client.js';",
    '',
  ].join('\n'));
  writeFileSync(at('inline.d.ts'), readFileSync(path.join(ROOT, 'js', 'inline.d.ts')));
  writeFileSync(at('optave_client_bg.wasm.d.ts'), readFileSync(path.join(ROOT, 'js', 'wasm-url.d.ts')));
  const react = transformSync(readFileSync(path.join(ROOT, 'js', 'react.js'), 'utf8'), { minify: true, format: 'esm', target: 'es2020' }).code;
  for (const spec of ['react', './optave_client.js']) {
    if (!react.includes(`from"${spec}"`)) fail(`react.js does not import "${spec}" (the page's React, the main entry)`);
  }
  writeFileSync(at('react.js'), react);
  writeFileSync(at('react.d.ts'), readFileSync(path.join(ROOT, 'js', 'react.d.ts')));

  const dtsPath = at('optave_client.d.ts');
  let dts = readFileSync(dtsPath, 'utf8');
  const dispose = /^ *\[Symbol\.dispose\]\(\): void;\n/m;
  if (!dispose.test(dts)) fail(`${dtsPath}: no [Symbol.dispose]() line to remove (wasm-bindgen changed?)`);
  dts = dts.replace(dispose, '');
  const head = 'export class OptaveClient {\n';
  if (dts.split(head).length !== 2) fail(`${dtsPath}: no single "${head.trim()}"`);
  dts = dts.replace(head, head + readFileSync(path.join(ROOT, 'js', 'create.d.ts.part'), 'utf8'));
  writeFileSync(dtsPath, dts);
  console.log(`pkg-entries: inline.js (${b64.length} B of base64), react.js (${react.length} B), typed wasm subpath, create() and no Symbol.dispose in the .d.ts`);
} else {
  fail(`unknown step ${step}: statics | finish`);
}
