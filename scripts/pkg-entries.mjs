// Steps of `make pkg` (run by the Makefile).
//
//   node scripts/pkg-entries.mjs bundle <glueDir> <pkgDir>
//       Bundles the package's entry, <pkgDir>/optave_client.js, with esbuild
//       (minified, ESM): js/entry.js, which imports the glue wasm-bindgen
//       generated into <glueDir> (as './optave_client_core.js'), js/api.js
//       and js/bindings.js (the glue's snippet import resolves to that same
//       file: one module, one `OptaveError`). The wasm's short import names
//       (<glueDir>/imports.json, written by tools/wasm-imports) are esbuild's
//       `mangleCache`: the glue's imports object gets the same keys, and no
//       other property is renamed. `OPTAVE_STATICS` (what `sdkVersion`,
//       `specVersion` and `schemaRef` answer before the wasm is loaded) is
//       defined from core/Cargo.toml's version and the core's constants
//       (core/src/lib.rs); scripts/check-pkg.mjs checks them against the wasm.
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
import { fileURLToPath } from 'node:url';
import { build, transformSync } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [step, dirArg, pkgArg] = process.argv.slice(2);
const dir = path.resolve(dirArg ?? 'pkg');
const fail = (msg) => {
  console.error(`pkg-entries: FAIL: ${msg}`);
  process.exit(1);
};
const at = (name) => path.join(dir, name);
const wasmBytes = () => readFileSync(at('optave_client_bg.wasm'));

/** What the statics answer before the wasm is loaded: the core's version and constants. */
function statics() {
  const manifest = readFileSync(path.join(ROOT, 'core', 'Cargo.toml'), 'utf8');
  const version = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(manifest)?.[1];
  const lib = readFileSync(path.join(ROOT, 'core', 'src', 'lib.rs'), 'utf8');
  const constant = (name) => new RegExp(`^pub const ${name}: &str = "([^"]+)";`, 'm').exec(lib)?.[1];
  const out = { sdkVersion: version, specVersion: constant('SPEC_VERSION'), schemaRef: constant('SCHEMA_REF') };
  for (const [k, v] of Object.entries(out)) if (!v) fail(`cannot read ${k} from core/Cargo.toml or core/src/lib.rs`);
  return out;
}

if (step === 'bundle') {
  const out = path.resolve(pkgArg ?? 'pkg');
  const names = JSON.parse(readFileSync(at('imports.json'), 'utf8'));
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const glue = {
    name: 'optave-glue',
    setup(b) {
      b.onResolve({ filter: /^\.\/optave_client_core\.js$/ }, () => ({ path: at('optave_client.js') }));
      b.onResolve({ filter: /^\.\/snippets\/[^/]+\/js\/[\w-]+\.js$/ }, (args) => ({ path: path.join(ROOT, 'js', path.basename(args.path)) }));
      // wasm-bindgen names the snippet module in the imports object once per
      // Rust extern block: the same key, the same module each time. The
      // repeats go (bundlers warn about duplicate keys: esbuild's
      // duplicate-object-key); a repeat left in any other form fails the
      // build below as an esbuild warning.
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (args.path !== at('optave_client.js')) return undefined;
        const seen = new Set();
        const contents = readFileSync(args.path, 'utf8').replace(/^\s*("\.\/snippets\/[^"\n]+"): *\w+,?\n/gm, (line, key) => {
          if (seen.has(key)) return '';
          seen.add(key);
          return line;
        });
        return { contents, loader: 'js' };
      });
    },
  };
  const known = statics();
  const result = await build({
    entryPoints: [path.join(ROOT, 'js', 'entry.js')],
    outfile: path.join(out, 'optave_client.js'),
    bundle: true,
    format: 'esm',
    minify: true,
    plugins: [glue],
    define: { OPTAVE_STATICS: JSON.stringify(known) },
    mangleProps: new RegExp(`^(${Object.keys(names).map(escape).join('|')})$`),
    mangleQuoted: true,
    mangleCache: names,
    logLevel: 'warning',
  });
  if (result.errors.length || result.warnings.length) fail('esbuild reported warnings');
  const cache = result.mangleCache;
  for (const [k, v] of Object.entries(cache)) {
    if (names[k] !== v) fail(`esbuild renamed ${k} to ${v}, not as the wasm (${names[k]})`);
  }
  console.log(`pkg-entries: bundled optave_client.js (statics ${JSON.stringify(known)}; ${Object.keys(names).length} import names)`);
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
  fail(`unknown step ${step}: bundle | finish`);
}
