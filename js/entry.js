// The package's entry, optave_client.js: `make pkg` bundles this module with
// the glue wasm-bindgen generates (imported as './optave_client_core.js'),
// js/api.js and js/bindings.js into one file (scripts/pkg-entries.mjs,
// `bundle`). It uses only what the glue exports: its class, `init()` and
// `initSync()`.
//
// 1. `OptaveError`, the class of every error the SDK reports, is exported
//    from the package (it lives in js/bindings.js, which builds the errors).
// 2. Start without set-up: `await OptaveClient.create(options)` loads the
//    wasm (once, shared with `init()`) and constructs the client.
//    `new OptaveClient()` before `init()`, `initSync()` or `create()` has
//    loaded the wasm throws VALIDATION `NOT_INITIALIZED` (an `OptaveError`
//    naming `init()` and `create()`), never the glue's TypeError.
// 3. `sdkVersion`, `specVersion` and `schemaRef` answer before the wasm is
//    loaded: `make pkg` defines `OPTAVE_STATICS` from Cargo.toml and the
//    core's constants, and checks them against the wasm's (scripts/check-pkg.mjs).
// 4. The wasm starts early: in a page, importing the package starts the fetch
//    and streaming compile of the default wasm (in a microtask, once the
//    importing modules have run, and only if nothing loaded it by then:
//    `optave-client/inline` loads it itself), and `create()` or `init()`
//    without a source finds it in flight and instantiates the compiled
//    module. A failed early load is nobody's rejection: `create()` or
//    `init()` then loads again and reports its own failure
//    (`WASM_LOAD_FAILED`). A wasm the page names (`create(options, wasmUrl)`,
//    `init({ module_or_path })`) is the one loaded, as before. Outside a page
//    or a worker (server-side rendering in Node) the import does nothing: it
//    reads no `window`, `document`, `WebSocket` or `WebAssembly`.
/* global OPTAVE_STATICS */
import rawInit, { OptaveClient as Wasm, initSync as rawInitSync } from './optave_client_core.js';
import { OptaveError } from './bindings.js';
import { defineApi } from './api.js';

export { OptaveError };

defineApi(Wasm);

let loaded = false;
let begun = false;
let early;
// A page or a worker has a `location`; node (server-side rendering) has none.
if (typeof location === 'object') {
  Promise.resolve().then(() => {
    if (!begun) early = fetch(new URL('optave_client_bg.wasm', import.meta.url)).then((r) => WebAssembly.compileStreaming(r));
    return early;
  }).catch(() => {});
}

/**
 * Loads the wasm (once): by default `optave_client_bg.wasm` next to this
 * module, compiled already when the early load has done it; `{ module_or_path }`
 * says where it is otherwise. Typed in the .d.ts.
 */
export default async function init(source) {
  begun = true;
  if (source === undefined && early) {
    try {
      source = { module_or_path: await early };
    } catch (_) {
      // The early load failed: the glue loads the wasm again and reports why.
    }
  }
  const out = await rawInit(source);
  loaded = true;
  return out;
}

/** Instantiates the wasm from its bytes or module, synchronously. Typed in the .d.ts. */
export function initSync(module) {
  begun = true;
  const out = rawInitSync(module);
  loaded = true;
  return out;
}

const startError = (code, message, suggestions, details) => new OptaveError({
  category: 'VALIDATION', code, message, suggestions, details,
});

export class OptaveClient extends Wasm {
  constructor(options) {
    if (!loaded) {
      throw startError('NOT_INITIALIZED', 'new OptaveClient(): the wasm is not loaded yet',
        ['Use `await OptaveClient.create(options)`, or call `await init()` first',
          "Or import 'optave-client/inline' (no set-up)"]);
    }
    super(options);
  }

  static async create(options, wasmSource) {
    if (!loaded) {
      try {
        await init(wasmSource === undefined ? undefined : { module_or_path: wasmSource });
      } catch (e) {
        const cause = e instanceof Error ? String(e.message).slice(0, 500) : typeof e;
        throw startError('WASM_LOAD_FAILED', 'OptaveClient.create(): cannot load optave_client_bg.wasm: ' + cause,
          ['Serve the wasm next to optave_client.js, or pass its URL: create(options, wasmUrl)',
            "Or import 'optave-client/inline' (no fetch)",
            "Under a CSP, script-src needs 'wasm-unsafe-eval'"],
          { cause });
      }
    }
    return new OptaveClient(options);
  }
}
for (const name of ['sdkVersion', 'specVersion', 'schemaRef']) {
  Object.defineProperty(OptaveClient, name, {
    get: () => (loaded ? Wasm[name] : OPTAVE_STATICS[name]),
  });
}
