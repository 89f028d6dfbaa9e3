// Where the wasm's bytes go, by part: the core, the facade, wasm-bindgen
// (export shims, its runtime, the import, export and type tables), library
// code (core/alloc/std, the allocator, other crates) and message text (the
// data segments). scripts/size-check.mjs prints it beside the glue.
//
// It reads the wasm that goes into wasm-opt with only its unused functions
// removed (target/wasm-glue/parts.wasm, which `make pkg` writes with
// `wasm-opt --remove-unused-module-elements -g`: the release build after
// wasm-bindgen, names kept, where LLVM has already inlined what it inlines
// and nothing is counted that the shipped wasm leaves out) and returns each
// part's raw bytes and its gzip -9 size on its own. The shipped wasm has no
// names, and wasm-opt inlines across parts, so size-check apportions the
// shipped gzip size by these figures.

import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';

/** The parts, in the order they are printed. */
export const PARTS = ['core', 'facade', 'wasm-bindgen', 'library', 'message text'];

/** Reads one unsigned LEB128 at `at`: `[value, next offset]`. */
function leb(buf, at) {
  let value = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    if (pos >= buf.length) throw new Error(`LEB128 runs past the end at ${at}`);
    const byte = buf[pos];
    pos += 1;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, pos];
  }
}

/** Reads a length-prefixed name at `at`: `[string, next offset]`. */
function name(buf, at) {
  const [len, pos] = leb(buf, at);
  return [buf.subarray(pos, pos + len).toString('utf8'), pos + len];
}

/** Skips one import's description: `[is a function, next offset]`. */
function skipImportDesc(buf, at) {
  const kind = buf[at];
  let pos = at + 1;
  const limits = () => {
    const flags = buf[pos];
    pos += 1;
    [, pos] = leb(buf, pos);
    if (flags & 1) [, pos] = leb(buf, pos);
  };
  if (kind === 0) {
    [, pos] = leb(buf, pos);
  } else if (kind === 1) {
    pos += 1;
    limits();
  } else if (kind === 2) {
    limits();
  } else if (kind === 3) {
    pos += 2;
  } else if (kind === 4) {
    pos += 1;
    [, pos] = leb(buf, pos);
  } else {
    throw new Error(`unknown import kind ${kind}`);
  }
  return [kind === 0, pos];
}

/**
 * The part a function belongs to, from its (mangled or plain) name: the crate
 * named first wins, so `<optave_core::X as core::fmt::Debug>::fmt` is the
 * core's and a closure shim of the facade is the facade's.
 */
export function partOf(fn) {
  if (/^(__wbindgen|__wbg|__externref|wasm_bindgen|optaveclient_|__wbg_)/.test(fn)) return 'wasm-bindgen';
  const crates = [
    ['optave_core', 'core'],
    ['optave_client', 'facade'],
    ['wasm_bindgen', 'wasm-bindgen'],
    ['js_sys', 'wasm-bindgen'],
    ['web_sys', 'wasm-bindgen'],
  ];
  let best;
  for (const [crate, part] of crates) {
    const at = fn.indexOf(crate);
    if (at >= 0 && (best === undefined || at < best[0])) best = [at, part];
  }
  if (best) return best[1];
  // An export shim of a method (`optaveclient_connect`) or a plain export.
  if (/^[a-z]+_[a-zA-Z]+$/.test(fn)) return 'wasm-bindgen';
  return 'library';
}

/**
 * The bytes of a named wasm by part: `{ [part]: { raw, gzip } }`, where `gzip`
 * is the part's bytes gzipped on their own (so the parts add up to a little
 * more than the whole file gzipped).
 */
export function wasmParts(file) {
  const buf = readFileSync(file);
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error(`${file} is not a wasm module`);
  const chunks = Object.fromEntries(PARTS.map((p) => [p, []]));
  let imported = 0;
  const bodies = [];
  const names = new Map();
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos];
    const [size, start] = leb(buf, pos + 1);
    const end = start + size;
    const section = buf.subarray(start, end);
    if (id === 2) {
      let [count, at] = leb(buf, start);
      for (; count > 0; count -= 1) {
        [, at] = name(buf, at);
        [, at] = name(buf, at);
        let isFn;
        [isFn, at] = skipImportDesc(buf, at);
        if (isFn) imported += 1;
      }
      chunks['wasm-bindgen'].push(section);
    } else if (id === 10) {
      let [count, at] = leb(buf, start);
      for (; count > 0; count -= 1) {
        const [len, body] = leb(buf, at);
        bodies.push(buf.subarray(body, body + len));
        at = body + len;
      }
    } else if (id === 11) {
      chunks['message text'].push(section);
    } else if (id === 0) {
      const [custom, at] = name(buf, start);
      if (custom === 'name') {
        let sub = at;
        while (sub < end) {
          const kind = buf[sub];
          const [len, body] = leb(buf, sub + 1);
          if (kind === 1) {
            let [count, p] = leb(buf, body);
            for (; count > 0; count -= 1) {
              let index;
              let fn;
              [index, p] = leb(buf, p);
              [fn, p] = name(buf, p);
              names.set(index, fn);
            }
          }
          sub = body + len;
        }
      }
      // Other custom sections are not shipped.
    } else {
      // Types, functions, tables, memory, globals, exports, elements.
      chunks['wasm-bindgen'].push(section);
    }
    pos = end;
  }
  if (names.size === 0) throw new Error(`${file} has no function names`);
  bodies.forEach((body, i) => {
    chunks[partOf(names.get(imported + i) ?? '')].push(body);
  });
  return Object.fromEntries(
    PARTS.map((p) => {
      const bytes = Buffer.concat(chunks[p]);
      return [p, { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length }];
    }),
  );
}
