// The SDK page with the inline entry (sdk-inline.html): `/pkg/inline.js`
// instantiates the wasm it holds when it is evaluated, before sdk.js runs,
// so the glue's early fetch of the wasm file never starts and `create()`
// finds the wasm loaded. Everything else is sdk.js.
import '/pkg/inline.js';
import './sdk.js';
