#!/usr/bin/env node
// Size check of the built package: the wasm and its JS glue, raw and gzip -9
// (gated), and brotli 11 (reported).
//
//   node scripts/size-check.mjs [pkgDir=pkg] [budgetBytes=58000] [--ceiling=bytes] [--parts=wasm]
//
// The budget applies to wasm + JS glue together (sum of their gzip -9 sizes,
// i.e. what a page transfers). Exits 1 when over budget. With --ceiling, the
// budget is reported (met or missed) and the check fails only above the
// ceiling: `make test` uses it to catch growth while the budget is still
// missed (see BENCHMARKS.md). It also reports the inline entry and the React
// entry (react.js), neither gated. bench/run.mjs imports measureSize().
//
// With --parts=<wasm with names> (the wasm before wasm-opt, its unused
// functions removed: target/wasm-glue/parts.wasm), it prints each
// part's share of the total against its budget (PART_BUDGETS, which add up to
// the default budget): the core, the facade, wasm-bindgen, library code,
// message text (scripts/wasm-parts.mjs) and the JS glue. Reported, not gated.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { PARTS, wasmParts } from './wasm-parts.mjs';

export const DEFAULT_BUDGET = 58000;

/** Each part's budget, gzip -9 bytes; they add up to DEFAULT_BUDGET. */
export const PART_BUDGETS = {
  core: 26000,
  facade: 10500,
  'wasm-bindgen': 5000,
  library: 6500,
  'message text': 5000,
  glue: 5000,
};

/**
 * Each part's share of the shipped gzip size: the wasm's gzip size apportioned
 * by each part's gzip size on its own in `namedWasm`, and the glue as it is.
 * Returns `[{ part, raw, gzip, budget }]`.
 */
export function partsOf(s, namedWasm) {
  const parts = wasmParts(namedWasm);
  const alone = PARTS.reduce((n, p) => n + parts[p].gzip, 0);
  const rows = PARTS.map((part) => ({
    part,
    raw: parts[part].raw,
    gzip: Math.round((s.wasm.gzip * parts[part].gzip) / alone),
    budget: PART_BUDGETS[part],
  }));
  rows.push({ part: 'glue', raw: s.js.raw, gzip: s.js.gzip, budget: PART_BUDGETS.glue });
  return rows;
}

/**
 * Every JS file the entry loads: `optave_client.js` (which bundles the glue,
 * the JS layer and its snippet since the JS layer became a module) and any
 * files under `snippets/` (packages built before that).
 */
function glueFiles(pkgDir) {
  const files = ['optave_client.js'];
  const walk = (dir) => {
    if (!existsSync(path.join(pkgDir, dir))) return;
    for (const entry of readdirSync(path.join(pkgDir, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.js')) files.push(rel);
    }
  };
  walk('snippets');
  return files;
}

/**
 * Raw and gzip -9 sizes of `<pkgDir>/optave_client_bg.wasm` and of the JS glue
 * (`optave_client.js` plus its `snippets/` files, each gzipped on its own, as
 * each is fetched on its own).
 */
export function measureSize(pkgDir) {
  // brotli 11 (reported, not gated) only for the wasm and the glue.
  const one = (name, withBrotli = false) => {
    const buf = readFileSync(path.join(pkgDir, name));
    const br = withBrotli ? zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length : undefined;
    return { file: name, raw: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length, br };
  };
  const wasm = one('optave_client_bg.wasm', true);
  const parts = glueFiles(pkgDir).map((f) => one(f, true));
  const js = {
    file: parts.map((p) => p.file).join(' + '),
    raw: parts.reduce((n, p) => n + p.raw, 0),
    gzip: parts.reduce((n, p) => n + p.gzip, 0),
    br: parts.reduce((n, p) => n + p.br, 0),
  };
  // optave-client/inline: the wasm as base64 in inline.js, plus the same glue
  // (reported, not gated: a page loads it instead of the wasm file).
  const inline = existsSync(path.join(pkgDir, 'inline.js')) ? one('inline.js') : undefined;
  // optave-client/react: react.js, loaded on top of the main entry (reported, not gated).
  const react = existsSync(path.join(pkgDir, 'react.js')) ? one('react.js') : undefined;
  return {
    wasm, js, inline, react,
    total: { raw: wasm.raw + js.raw, gzip: wasm.gzip + js.gzip, br: wasm.br + js.br },
  };
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const ceilingArg = process.argv.find((a) => a.startsWith('--ceiling='));
  const partsArg = process.argv.find((a) => a.startsWith('--parts='));
  const ceiling = ceilingArg ? Number(ceilingArg.slice('--ceiling='.length)) : undefined;
  const pkgDir = path.resolve(args[0] || path.join(root, 'pkg'));
  const budget = args[1] === undefined ? DEFAULT_BUDGET : Number(args[1]);
  if (!Number.isFinite(budget) || budget <= 0) {
    console.error(`size: budget must be a positive number of bytes, got ${process.argv[3]}`);
    process.exit(2);
  }
  let s;
  try {
    s = measureSize(pkgDir);
  } catch (e) {
    console.error(`size: cannot read the package in ${pkgDir}: ${e.message} (build it with \`make pkg\`)`);
    process.exit(2);
  }
  console.log(
    `size: wasm ${s.wasm.raw} B raw / ${s.wasm.gzip} B gzip -9; js glue ${s.js.raw} / ${s.js.gzip}; ` +
      `total ${s.total.gzip} B gzip (budget ${budget} B)`,
  );
  console.log(`size: brotli 11 (report): wasm ${s.wasm.br} B; js glue ${s.js.br} B; total ${s.total.br} B`);
  if (s.inline) {
    console.log(
      `size: inline entry (inline.js, the wasm as base64) ${s.inline.raw} B raw / ${s.inline.gzip} B gzip -9; ` +
        `with the glue ${s.inline.gzip + s.js.gzip} B gzip, ${s.inline.gzip + s.js.gzip - s.total.gzip} B more than the wasm file (report)`,
    );
  }
  if (s.react) {
    console.log(`size: react entry (react.js, on top of the main entry; React not included) ${s.react.raw} B raw / ${s.react.gzip} B gzip -9 (report)`);
  }
  if (partsArg) {
    const file = partsArg.slice('--parts='.length);
    try {
      for (const row of partsOf(s, file)) {
        const verdict = row.gzip <= row.budget ? 'met' : `over by ${row.gzip - row.budget} B`;
        console.log(
          `size: part ${row.part.padEnd(12)} ${String(row.gzip).padStart(6)} B gzip (budget ${row.budget} B, ${verdict}); ` +
            `${row.raw} B raw${row.part === 'glue' ? '' : ' before wasm-opt'}`,
        );
      }
    } catch (e) {
      console.log(`size: parts not measured: ${e.message}`);
    }
  }
  const withinBudget = s.total.gzip <= budget;
  let ok = withinBudget;
  if (ceiling !== undefined && Number.isFinite(ceiling)) {
    ok = s.total.gzip <= ceiling;
    console.log(
      `size: budget ${budget} B ${withinBudget ? 'met' : `MISSED by ${s.total.gzip - budget} B`}; ` +
        `growth ceiling ${ceiling} B ${ok ? 'holds' : `EXCEEDED by ${s.total.gzip - ceiling} B`}`,
    );
  }
  console.log(ok ? 'size: 1 passed, 0 failed' : 'size: 0 passed, 1 failed');
  process.exit(ok ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
