// The package's documented start (README quick start), bundled by Vite.
import init, { OptaveClient } from 'optave-client';
import { run } from './run.js';

await init(); // Vite emits optave_client_bg.wasm as an asset from the glue's new URL(..., import.meta.url)
run(OptaveClient);
