// The public types of the package, snapshotted: pkg/optave_client.d.ts,
// pkg/react.d.ts and pkg/inline.d.ts must equal the files of
// tests/types-snapshot/, so a change of the public types is seen in review
// rather than shipped unnoticed. Run by `make test-types`.
//
//   node scripts/dts-snapshot.mjs [pkgDir=pkg]
//   UPDATE_SNAPSHOTS=1 node scripts/dts-snapshot.mjs [pkgDir]   (or UPDATE_SNAPSHOTS=1 make test-types)
//       writes the built files into the snapshot instead (then review the diff).
// Prints "types-snapshot: N passed, M failed" (one per file).
//
// wasm-bindgen names its closure shims in `InitOutput` after a hash of their
// symbols (`..._invoke__h7dd038842df84b4a`), which changes with any closure
// of the facade. The snapshot keeps them as `..._invoke__h<hash>`: their
// count and signatures are still compared, the hashes are not.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.resolve(process.argv[2] ?? path.join(ROOT, 'pkg'));
const snapshots = path.join(ROOT, 'tests', 'types-snapshot');
const update = process.env.UPDATE_SNAPSHOTS === '1';
const FILES = ['optave_client.d.ts', 'react.d.ts', 'inline.d.ts'];

/** The built text with wasm-bindgen's closure-shim hashes replaced. */
const normalize = (text) => text.replace(/(__invoke__h)[0-9a-f]{16}/g, '$1<hash>');

let pass = 0;
let fail = 0;
for (const name of FILES) {
  const built = normalize(readFileSync(path.join(pkg, name), 'utf8'));
  const snap = path.join(snapshots, name);
  if (update) {
    writeFileSync(snap, built);
    console.log(`types-snapshot: ${name}: snapshot written`);
    pass++;
    continue;
  }
  const want = existsSync(snap) ? readFileSync(snap, 'utf8') : undefined;
  if (want === built) {
    pass++;
    continue;
  }
  fail++;
  if (want === undefined) {
    console.error(`types-snapshot: ${name}: no snapshot in tests/types-snapshot/`);
    continue;
  }
  // The first differing line, with its neighbours.
  const a = want.split('\n');
  const b = built.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  console.error(`types-snapshot: ${name} differs from tests/types-snapshot/${name} at line ${i + 1}:`);
  for (let k = Math.max(0, i - 2); k <= i + 2; k++) {
    if (k < a.length) console.error(`  snapshot ${k + 1}: ${a[k]}`);
    if (k < b.length) console.error(`  built    ${k + 1}: ${b[k]}`);
  }
}
if (fail > 0) {
  console.error('types-snapshot: if the change is intended, update the snapshot with `UPDATE_SNAPSHOTS=1 make test-types` and commit it');
}
console.log(`types-snapshot: ${pass} passed, ${fail} failed`);
process.exit(fail === 0 ? 0 : 1);
