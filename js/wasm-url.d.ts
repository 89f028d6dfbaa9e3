// optave-client/optave_client_bg.wasm: the package's wasm as an asset. With a
// bundler that turns an imported file into its URL (esbuild
// `--loader:.wasm=file`, webpack 5 `type: 'asset/resource'`, Vite's `?url`
// suffix), the default export is that URL: pass it to
// `OptaveClient.create(options, wasmUrl)` or `init({ module_or_path: wasmUrl })`.
declare const wasmUrl: string;
export default wasmUrl;
