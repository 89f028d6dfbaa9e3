// The consumer page's check, shared by every fixture: the test copies this file
// next to each fixture's main.js (tests/consumers/consumers.test.mjs). main.js
// starts the package the way its README says and hands the class over. The
// WebKit suite runs the same function on a page of the local server
// (tests/webkit/client.webkit.mjs); tests/lib/run-report.mjs checks the report.
//
// Connects to the local OCO server that serves the page (a ticket from its
// /api/ws-ticket), sends one `insights` request, reads its frames, waits for
// settled(), closes, and reports what happened in window.__consumer and in
// #result (data-done="true" once finished, JSON text).

const PARAMS = {
  request: {
    connections: { threadId: 'consumer-bundle' },
    scope: {
      conversations: [
        {
          participants: [
            { participantId: 'c1', displayName: 'John Doe', role: 'user' },
            { participantId: 'a1', displayName: 'Sarah Smith', role: 'operator' },
          ],
          messages: [{ participantId: 'c1', content: 'My flight was cancelled, can you help?', timestamp: '2024-01-15T10:30:00.000Z' }],
        },
      ],
    },
  },
};

export async function run(OptaveClient) {
  const out = document.getElementById('result');
  const report = (result) => {
    window.__consumer = result;
    out.textContent = JSON.stringify(result);
    out.dataset.done = 'true';
  };
  try {
    const client = new OptaveClient({
      websocketUrl: `ws://${location.host}/ws`,
      tokenProvider: async () => (await (await fetch('/api/ws-ticket', { method: 'POST' })).json()).ticket,
      organizationId: 'f7e8d9c0-b1a2-3456-7890-123456789abc',
    });
    const closed = new Promise((resolve) => client.on('close', resolve));
    await client.connect();
    const connectedState = client.state;
    const req = client.request('insights', PARAMS, { timeoutMs: 15_000 });
    const frames = [];
    for await (const ev of req) frames.push(`${ev.actionType}:${ev.state}`);
    const { results, errors } = await req.settled();
    client.close();
    const close = await closed;
    report({
      ok: true,
      sdkVersion: OptaveClient.sdkVersion,
      connectedState,
      frames,
      completed: Object.entries(results)
        .filter(([, ev]) => ev.state === 'completed' && ev.correlationId === req.correlationId)
        .map(([type]) => type)
        .sort(),
      errors: errors.map((e) => e.code),
      close: { code: close.code, wasClean: close.wasClean },
      closedState: client.state,
    });
    client.free();
  } catch (err) {
    report({ ok: false, error: `${err?.category ?? ''} ${err?.code ?? ''}: ${err?.message ?? err}` });
  }
}
