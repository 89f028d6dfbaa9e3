
// The module part of the package's JavaScript layer, appended by `make pkg`
// after js/api.js (which stays plain statements: the browser suite runs it on
// its own). It shares the module of the generated glue, whose `wasm` (the
// instance's exports, undefined until loaded) and `__wbg_init` (the default
// export, `init()`) it uses.
//
// 1. `OptaveError`, the class of every error the SDK reports, is exported
//    from the package (it lives in js/bindings.js, which builds the errors).
// 2. Start without set-up: `await OptaveClient.create(options)` loads the
//    wasm (once, shared with `init()`) and constructs the client.
//    `new OptaveClient()` before the wasm is loaded throws VALIDATION
//    `NOT_INITIALIZED` (an `OptaveError` naming `init()` and `create()`),
//    never the glue's TypeError.
// 3. `sdkVersion`, `specVersion` and `schemaRef` answer before the wasm is
//    loaded: `make pkg` reads them from the built wasm (scripts/pkg-statics.mjs)
//    and writes them below in place of the `null`.
import { OptaveError } from '__OPTAVE_BINDINGS__';
export { OptaveError };

const PACKAGED_STATICS = /* @statics */ null;

const startError = (code, message, suggestions, details) => new OptaveError({
  category: 'VALIDATION', code, message, suggestions, details,
});

{
  const Wasm = OptaveClient;
  // eslint-disable-next-line no-class-assign
  OptaveClient = class OptaveClient extends Wasm {
    constructor(options) {
      if (wasm === undefined) {
        throw startError('NOT_INITIALIZED', 'new OptaveClient(): the wasm is not loaded yet',
          ['Use `await OptaveClient.create(options)`, or call `await init()` first',
            "Or import 'optave-client/inline' (no set-up)"]);
      }
      super(options);
    }

    static async create(options, wasmSource) {
      if (wasm === undefined) {
        try {
          await __wbg_init(wasmSource === undefined ? undefined : { module_or_path: wasmSource });
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
  };
  for (const name of ['sdkVersion', 'specVersion', 'schemaRef']) {
    Object.defineProperty(OptaveClient, name, {
      get: () => (wasm === undefined && PACKAGED_STATICS ? PACKAGED_STATICS[name] : Wasm[name]),
    });
  }
}
