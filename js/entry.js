
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
  const fromPackage = (name) => (wasm === undefined && PACKAGED_STATICS ? PACKAGED_STATICS[name] : Wasm[name]);
  // eslint-disable-next-line no-class-assign
  OptaveClient = class OptaveClient extends Wasm {
    constructor(options) {
      if (wasm === undefined) {
        throw startError('NOT_INITIALIZED',
          'new OptaveClient(): the package\'s wasm is not loaded yet',
          ['Create the client with `await OptaveClient.create(options)`, which loads the wasm first',
            'Or call `await init()` (the package\'s default export) once before `new OptaveClient(options)`',
            'Or import from \'optave-client/inline\', which carries the wasm and needs no set-up']);
      }
      super(options);
    }

    static async create(options, wasmSource) {
      if (wasm === undefined) {
        try {
          await __wbg_init(wasmSource === undefined ? undefined : { module_or_path: wasmSource });
        } catch (e) {
          const cause = e instanceof Error ? String(e.message).slice(0, 500) : typeof e;
          throw startError('WASM_LOAD_FAILED',
            'OptaveClient.create(): the package\'s wasm could not be loaded: ' + cause,
            ['Serve optave_client_bg.wasm next to optave_client.js (as application/wasm), or pass its URL: `OptaveClient.create(options, wasmUrl)`',
              'Bundlers that do not emit the wasm (esbuild): import from \'optave-client/inline\', or use `--loader:.wasm=file` and pass `import wasmUrl from \'optave-client/optave_client_bg.wasm\'`',
              'Under a Content-Security-Policy, script-src needs \'wasm-unsafe-eval\''],
            { cause });
        }
      }
      return new OptaveClient(options);
    }

    static get sdkVersion() { return fromPackage('sdkVersion'); }
    static get specVersion() { return fromPackage('specVersion'); }
    static get schemaRef() { return fromPackage('schemaRef'); }
  };
}
