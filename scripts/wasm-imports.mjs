// A step of `make pkg`: short import names in the wasm and the glue.
//
//   node scripts/wasm-imports.mjs <pkgDir>
//
// wasm-bindgen names each import of the wasm after its glue function plus a
// 16-digit hash (`__wbg_isArray_bcf1376d0d732d08`), under the module
// "./optave_client_bg.js", or after the snippet's file path
// ("./snippets/optave-client-<hash>/js/bindings.js"). Each name is written
// twice, in the wasm's import section and as a key of the glue's imports
// object, and the hashes do not compress. This step gives the glue's imports
// one-to-three-letter names and both modules one letter, in the wasm and in
// `__wbg_get_imports()` alike (BENCHMARKS.md, "Short import names").
// Exports keep their names: `init()` returns the wasm's exports, typed
// `InitOutput` in the .d.ts, and pages may read `memory` from it. (binaryen's
// `--minify-imports` renames only imports of the module "env", and
// `--minify-imports-and-exports-and-modules` renames the exports too.)
//
// Only the import section of the wasm is rewritten; every other section is
// copied byte for byte. The glue must hold each renamed key exactly once, in
// the form wasm-bindgen writes it (`    name: function(`), and each module key
// once: anything else fails the build rather than ship a wasm whose imports
// the glue does not provide (scripts/check-pkg.mjs then instantiates the two
// together).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.resolve(process.argv[2] ?? 'pkg');
const wasmPath = path.join(dir, 'optave_client_bg.wasm');
const gluePath = path.join(dir, 'optave_client.js');
const GLUE_MODULE = './optave_client_bg.js';

const fail = (msg) => {
  console.error(`wasm-imports: FAIL: ${msg}`);
  process.exit(1);
};

/** The i-th short name: a..z, A..Z, then two and three letters. */
function shortName(i) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let name = '';
  let n = i;
  do {
    name = letters[n % letters.length] + name;
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return name;
}

const uleb = (n) => {
  const out = [];
  let v = n;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return Buffer.from(out);
};

/** A reader of the wasm bytes (unsigned LEB128 and names). */
function reader(bytes, from) {
  const r = {
    at: from,
    u() {
      let result = 0;
      let scale = 1;
      for (;;) {
        const byte = bytes[r.at++];
        if (byte === undefined) fail('the wasm ends inside a number');
        result += (byte & 0x7f) * scale;
        if ((byte & 0x80) === 0) return result;
        scale *= 128;
      }
    },
    name() {
      const len = r.u();
      const text = bytes.subarray(r.at, r.at + len).toString('utf8');
      r.at += len;
      return text;
    },
    limits() {
      const flags = bytes[r.at++];
      r.u();
      if (flags & 1) r.u();
    },
  };
  return r;
}

/** The import section with new module and field names (`rename(module, field)`). */
function renameImports(bytes, rename) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) fail(`${wasmPath} is not a wasm module`);
  const parts = [bytes.subarray(0, 8)];
  const r = reader(bytes, 8);
  let renamed = 0;
  while (r.at < bytes.length) {
    const sectionStart = r.at;
    const id = bytes[r.at++];
    const size = r.u();
    const end = r.at + size;
    if (end > bytes.length) fail(`section ${id} ends past the end of the wasm`);
    if (id !== 2) {
      parts.push(bytes.subarray(sectionStart, end));
      r.at = end;
      continue;
    }
    const count = r.u();
    const body = [uleb(count)];
    for (let i = 0; i < count; i++) {
      const module = r.name();
      const field = r.name();
      const descFrom = r.at;
      const kind = bytes[r.at++];
      if (kind === 0) r.u(); // function: type index
      else if (kind === 1) { r.at++; r.limits(); } // table: reference type, limits
      else if (kind === 2) r.limits(); // memory
      else if (kind === 3) r.at += 2; // global: value type, mutability
      else if (kind === 4) { r.at++; r.u(); } // tag
      else fail(`import ${module}.${field} has an unknown kind ${kind}`);
      const [m, f] = rename(module, field);
      if (m !== module || f !== field) renamed++;
      const mb = Buffer.from(m, 'utf8');
      const fb = Buffer.from(f, 'utf8');
      body.push(uleb(mb.length), mb, uleb(fb.length), fb, bytes.subarray(descFrom, r.at));
    }
    if (r.at !== end) fail('the import section has bytes after its last import');
    const section = Buffer.concat(body);
    parts.push(Buffer.from([2]), uleb(section.length), section);
  }
  return { bytes: Buffer.concat(parts), renamed };
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, 'utf8');
const modules = new Map();
const fields = new Map();
const { bytes, renamed } = renameImports(wasm, (module, field) => {
  if (!modules.has(module)) modules.set(module, shortName(modules.size));
  if (module !== GLUE_MODULE) return [modules.get(module), field];
  if (!fields.has(field)) fields.set(field, shortName(fields.size));
  return [modules.get(module), fields.get(field)];
});

for (const [field, short] of fields) {
  const key = new RegExp(`^(\\s+)${escape(field)}(: function\\()`, 'gm');
  const found = glue.match(key)?.length ?? 0;
  if (found !== 1) fail(`${gluePath}: the import ${field} is a key ${found} times (once expected)`);
  glue = glue.replace(key, `$1${short}$2`);
}
for (const [module, short] of modules) {
  const key = new RegExp(`^(\\s+)"${escape(module)}"(: *\\w+,?)$`, 'gm');
  const found = glue.match(key)?.length ?? 0;
  if (found !== 1) fail(`${gluePath}: the module "${module}" is a key ${found} times (once expected)`);
  glue = glue.replace(key, `$1${short}$2`);
}
writeFileSync(wasmPath, bytes);
writeFileSync(gluePath, glue);
console.log(`wasm-imports: ${renamed} imports renamed (${fields.size} glue functions, ${modules.size} modules); wasm ${wasm.length} -> ${bytes.length} B`);
