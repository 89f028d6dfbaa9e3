// The React consumer's page (tests/consumers/react.test.mjs drives it): the
// app runs under <StrictMode>, whose development build mounts, unmounts and
// mounts every component once more. It shows what the hooks return, in
// data-testid elements the test reads, and has buttons to
//   - send an `insights` request (useRequest),
//   - show a feed (useSuperpowerEvents) of fire-and-forget sends, and hide it,
//   - render the provider again with a new options object of the same values,
//   - switch organizationId (a new identity: a new client),
//   - unmount and mount the provider,
//   - hand the provider a client the page made instead of options, and back,
//   - give the provider options create() refuses (a websocketUrl over http:).
// Its logger is a class instance that refers to itself and keeps a line for
// every render of the app: neither may make a new client.
import { StrictMode, useEffect, useState, version } from 'react';
import { createRoot } from 'react-dom/client';
import { OptaveClient } from 'optave-client';
import { OptaveProvider, useConnectionState, useOptaveClient, useRequest, useSuperpowerEvents } from 'optave-client/react';

window.__reactVersion = version;

// Counts the clients the provider makes (it calls OptaveClient.create) and
// frees, and the listeners registered on them (client.on) and not yet removed.
window.__clients = { created: 0, freed: 0 };
window.__listeners = {};
const create = OptaveClient.create;
OptaveClient.create = async function countedCreate(...args) {
  const client = await create.apply(this, args);
  window.__clients.created += 1;
  const free = client.free.bind(client);
  client.free = () => {
    window.__clients.freed += 1;
    window.__listeners = {}; // free() removes every listener
    free();
  };
  const on = client.on.bind(client);
  client.on = (event, listener) => {
    const off = on(event, listener);
    window.__listeners[event] = (window.__listeners[event] ?? 0) + 1;
    let removed = false;
    return () => {
      if (!removed) window.__listeners[event] -= 1;
      removed = true;
      off();
    };
  };
  return client;
};

const PARAMS = {
  request: {
    connections: { threadId: 'consumer-react' },
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
const ORGS = ['f7e8d9c0-b1a2-3456-7890-123456789abc', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'];

// A logger as pages write them: a class instance with state of its own.
class PageLogger {
  constructor() {
    this.lines = [];
    this.self = this;
  }
  debug(m) { this.lines.push(m); }
  info(m) { this.lines.push(m); }
  warn(m, ...rest) { this.lines.push(m); console.warn(m, ...rest); }
  error(m, ...rest) { this.lines.push(m); console.error(m, ...rest); }
}
const pageLogger = new PageLogger();
window.__providerErrors = [];

function Frame({ ev }) {
  return <li data-testid="event" data-key={`${ev.actionType}:${ev.state}`}>{ev.actionType} {ev.state}</li>;
}

// Fire-and-forget sends (client.summarize) and what useSuperpowerEvents sees of them.
function Feed() {
  const client = useOptaveClient();
  const feed = useSuperpowerEvents({ actionType: 'summary' });
  return (
    <section>
      <button type="button" data-testid="fire" disabled={!client} onClick={() => client.summarize(PARAMS)}>Summarize (fire and forget)</button>
      <p>feed: <span data-testid="feed">{feed.map((ev) => `${ev.actionType}:${ev.state}`).join(' ')}</span></p>
    </section>
  );
}

function Panel() {
  const [feed, setFeed] = useState(false);
  const client = useOptaveClient();
  // The page listens to the client's errors (the SDK logs those nobody listens to).
  useEffect(() => client?.on('error', (err) => (window.__clientErrors ??= []).push(err.code)), [client]);
  const state = useConnectionState();
  const { send, cancel, status, events, results, errors, error, correlationId } = useRequest('insights');
  const pushed = useSuperpowerEvents({ correlationId });
  // When the test asks, a send on mount: a child's effect runs before its
  // provider's, so there is no client yet and the send waits for it.
  useEffect(() => {
    if (window.__sendOnMount) send(PARAMS, { timeoutMs: 15_000 });
  }, [send]);
  return (
    <section>
      <p>client: <span data-testid="client">{client ? 'ready' : 'loading'}</span></p>
      <p>state: <span data-testid="state">{state}</span></p>
      <button type="button" data-testid="send" onClick={() => send(PARAMS, { timeoutMs: 15_000 })}>Send insights</button>
      <button type="button" data-testid="cancel" onClick={() => cancel()}>Cancel</button>
      <button type="button" data-testid="send-bad" onClick={() => send({ request: { connections: { threadId: 'consumer-react' } } })}>Send insights without a conversation</button>
      <p>status: <span data-testid="status">{status}</span></p>
      <p>correlationId: <span data-testid="correlation-id">{correlationId ?? ''}</span></p>
      <ul data-testid="events">{events.map((ev) => <Frame key={`${ev.actionType}:${ev.state}`} ev={ev} />)}</ul>
      <p>results: <span data-testid="results">{Object.keys(results).sort().join(' ')}</span></p>
      <p>errors: <span data-testid="errors">{errors.length}</span></p>
      <p>error: <span data-testid="error">{error ? `${error.category} ${error.code}` : ''}</span></p>
      <p>pushed: <span data-testid="pushed">{pushed.map((ev) => `${ev.actionType}:${ev.state}`).join(' ')}</span></p>
      <button type="button" data-testid="feed-toggle" onClick={() => setFeed((f) => !f)}>{feed ? 'Hide' : 'Show'} the feed</button>
      {feed && <Feed />}
    </section>
  );
}

function App() {
  const [mounted, setMounted] = useState(true);
  const [renders, setRenders] = useState(0);
  const [org, setOrg] = useState(0);
  const [own, setOwn] = useState(null);
  const [bad, setBad] = useState(false);
  pageLogger.lines.push('render');
  useEffect(() => {
    window.__appEffects = (window.__appEffects ?? 0) + 1; // 2 under StrictMode's development build
  }, []);
  // A new object each render: only a change of its values makes a new client.
  const options = {
    websocketUrl: bad ? `http://${location.host}/ws` : `ws://${location.host}/ws`,
    tokenProvider: async () => (await (await fetch('/api/ws-ticket', { method: 'POST' })).json()).ticket,
    organizationId: ORGS[org],
    logger: pageLogger,
  };
  const toggleOwn = async () => {
    if (own) {
      setOwn(null);
    } else {
      setOwn(await OptaveClient.create({ websocketUrl: `ws://${location.host}/ws` }));
    }
  };
  const providerProps = own ? { client: own } : { options, onError: (e) => window.__providerErrors.push(e.code) };
  return (
    <main>
      <button type="button" data-testid="toggle" onClick={() => setMounted((m) => !m)}>{mounted ? 'Unmount' : 'Mount'}</button>
      <button type="button" data-testid="rerender" onClick={() => setRenders((n) => n + 1)}>Render again ({renders})</button>
      <button type="button" data-testid="switch-org" onClick={() => setOrg((o) => 1 - o)}>Switch organization</button>
      <button type="button" data-testid="own-toggle" onClick={toggleOwn}>{own ? 'Options' : 'A client of the page'}</button>
      <button type="button" data-testid="bad-toggle" onClick={() => setBad((b) => !b)}>{bad ? 'Good' : 'Refused'} options</button>
      <p>organization: <span data-testid="org">{ORGS[org]}</span></p>
      {mounted && (
        <OptaveProvider {...providerProps}>
          <Panel />
        </OptaveProvider>
      )}
    </main>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
