// One start-up round (see startup.html): a module file, not an inline
// script, so the page runs under the local server's strict CSP.
const q = new URLSearchParams(location.search);
const mode = q.get('mode');
const url = `ws://${location.host}/ws`;
const report = (msg) => parent.postMessage({ startup: true, mode, ...msg }, location.origin);
try {
  const t0 = performance.now();
  if (mode === 'sdk') {
    const mod = await import('/pkg/optave_client.js');
    await mod.default();
    const t1 = performance.now();
    const client = new mod.OptaveClient({ websocketUrl: url, authRequired: false, organizationId: q.get('org') || undefined });
    await client.connect();
    const t2 = performance.now();
    report({ ms: t2 - t0, initMs: t1 - t0, connectMs: t2 - t1 });
    client.close();
    client.free();
  } else {
    const protocols = (q.get('protocols') || '').split(',').filter(Boolean);
    const ws = protocols.length ? new WebSocket(url, protocols) : new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error('raw socket failed to open'));
    });
    report({ ms: performance.now() - t0 });
    ws.close(1000);
  }
} catch (e) {
  report({ error: String(e && (e.stack || e.message) || e) });
}
