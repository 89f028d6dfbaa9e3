// optave-client/inline: the same API as 'optave-client', with the wasm inside
// the module (base64), instantiated when the module is imported: no fetch,
// no `init()` (it resolves at once), `new OptaveClient()` works straight away.
export * from './optave_client.js';
export { default } from './optave_client.js';
