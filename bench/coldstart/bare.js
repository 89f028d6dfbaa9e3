// The bare-socket page: the envelope text the SDK built for the seed-002
// interaction (envelope.js, written by bench/coldstart.mjs), with a fresh
// idempotencyKey so the server analyses it instead of replaying it; one
// WebSocket to /ws; the clock stops at the first frame that comes back.
import { envelope, idempotencyKey, protocols } from './envelope.js';

const mark = (name) => { window.__coldstart.marks[name] = performance.now(); };
window.__coldstart = { marks: {} };
mark('script');
try {
  const text = envelope.replace(idempotencyKey, crypto.randomUUID());
  const ws = new WebSocket(`ws://${location.host}/ws`, protocols);
  ws.onmessage = () => {
    mark('frame');
    window.__coldstart.done = true;
    ws.close(1000);
  };
  ws.onerror = () => { window.__coldstart.error = 'socket error'; };
  ws.onopen = () => {
    mark('open');
    ws.send(text);
    mark('sent');
  };
} catch (e) {
  window.__coldstart.error = String(e && (e.stack || e.message) || e);
}
