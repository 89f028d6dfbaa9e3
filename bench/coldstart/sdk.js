// The SDK page (sdk.html, sdk-preload.html): what a chat widget does on
// load. The seed-002 interaction params come from params.js (written by
// bench/coldstart.mjs); the clock stops at the first superpower frame.
import { OptaveClient } from '/pkg/optave_client.js';
import params from './params.js';

const mark = (name) => { window.__coldstart.marks[name] = performance.now(); };
window.__coldstart = { marks: {} };
mark('script');
try {
  const client = await OptaveClient.create({ websocketUrl: `ws://${location.host}/ws`, authRequired: false });
  mark('created');
  client.on('superpower.response', () => {
    if (window.__coldstart.done) return;
    mark('frame');
    window.__coldstart.done = true;
  });
  client.on('error', (e) => { window.__coldstart.error = `${e.code}: ${e.message}`; });
  await client.connect();
  mark('open');
  client.interaction(params);
  mark('sent');
} catch (e) {
  window.__coldstart.error = String(e && (e.stack || e.message) || e);
}
