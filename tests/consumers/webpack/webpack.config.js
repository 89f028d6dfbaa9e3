// webpack 5 with no loader or plugin: the glue's
// `new URL('optave_client_bg.wasm', import.meta.url)` becomes an asset, and the
// top-level await of main.js an async module (both built in).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  entry: './main.js',
  output: { path: path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist'), filename: 'main.js', clean: true },
};
