// Smoke check of a built pkg/: the optimised .wasm validates and instantiates
// through the package's entry (initSync: the wasm's import names are those of
// the bundled glue), the statics answered before the wasm is loaded are the
// wasm's own, the manifest carries the crate version, and `npm pack
// --dry-run` ships the expected files.
//
// Usage: node scripts/check-pkg.mjs [pkgDir] [expectedVersion]
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] ?? 'pkg');
const expectedVersion = process.argv[3];
const fail = (msg) => {
  console.error(`check-pkg: FAIL: ${msg}`);
  process.exit(1);
};

const wasmPath = `${dir}/optave_client_bg.wasm`;
const bytes = readFileSync(wasmPath);
if (!WebAssembly.validate(bytes)) fail(`${wasmPath} does not validate in node ${process.version}`);

const glue = await import(pathToFileURL(`${dir}/optave_client.js`).href);
if (typeof glue.initSync !== 'function') fail('optave_client.js has no initSync export (not a --target web build?)');
if (typeof glue.OptaveClient !== 'function') fail('optave_client.js does not export OptaveClient');
const STATICS = ['sdkVersion', 'specVersion', 'schemaRef'];
const before = STATICS.map((k) => glue.OptaveClient[k]);
glue.initSync({ module: bytes });
const after = STATICS.map((k) => glue.OptaveClient[k]);
STATICS.forEach((k, i) => {
  if (typeof after[i] !== 'string' || before[i] !== after[i]) {
    fail(`OptaveClient.${k} is ${JSON.stringify(before[i])} before the wasm is loaded, ${JSON.stringify(after[i])} after`);
  }
});
const sdkVersion = after[0];

const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
if (manifest.name !== 'optave-client') fail(`package.json name is ${manifest.name}`);
if (/PLACEHOLDER/.test(manifest.version)) fail('package.json version placeholder was not replaced');
if (expectedVersion && manifest.version !== expectedVersion) {
  fail(`package.json version ${manifest.version} != Cargo.toml version ${expectedVersion}`);
}

const packed = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }),
)[0].files.map((f) => f.path);
for (const need of ['optave_client_bg.wasm', 'optave_client.js', 'optave_client.d.ts', 'optave_client_bg.wasm.d.ts',
  'inline.js', 'inline.d.ts', 'react.js', 'react.d.ts', 'package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE']) {
  if (!packed.includes(need)) fail(`npm pack would not ship ${need} (ships: ${packed.join(', ')})`);
}
if (existsSync(`${dir}/snippets`)) fail('snippets/ in the package: the entry bundles js/bindings.js');

console.log(
  `check-pkg: ok: ${manifest.name}@${manifest.version} (sdkVersion ${sdkVersion}); ` +
    `wasm validates and instantiates in node ${process.version}; npm pack ships ${packed.length} files: ${packed.join(', ')}`,
);
