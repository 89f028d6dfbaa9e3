// The package's documented start (README quick start), bundled by esbuild.
//
// esbuild leaves the glue's `new URL('optave_client_bg.wasm', import.meta.url)`
// alone: it neither copies the wasm nor rewrites the URL, so init() alone would
// fetch a file the bundle does not have. The smallest working setup with the
// current package: import the package's wasm subpath, which esbuild's
// `--loader:.wasm=file` (package.json, "build") copies into dist/ under a
// hashed name and turns into that file's URL, and hand the URL to init().
import init, { OptaveClient } from 'optave-client';
import wasmUrl from 'optave-client/optave_client_bg.wasm';
import { run } from './run.js';

await init({ module_or_path: wasmUrl });
run(OptaveClient);
