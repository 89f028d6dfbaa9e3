// Type-level test of the published TypeScript declarations (pkg/optave_client.d.ts).
//
// `make test-types` builds pkg/ and runs `tsc -p tests/tsconfig.json --noEmit`
// (strict). This file is never executed. Correct usage must compile, and each line
// after a `// @ts-expect-error` comment is a mistake that the declarations must
// reject. If tsc reports "Unused '@ts-expect-error' directive", the mistake was
// accepted. Put each mistake on one line so that its error lands on that line.
import init, { OptaveClient, type ConnectionState, type OptaveEventMap, type SentEvent, type StateChangeEvent } from '../pkg/optave_client.js';

await init();

// ---------------------------------------------------------------- construction

const minimal = new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws' });

const client = new OptaveClient({
  websocketUrl: 'ws://127.0.0.1:8787/ws',
  tokenProvider: async () => 'ticket-from-backend',
  authTransport: 'subprotocol',
  authRequired: true,
  organizationId: 'org-1',
  tenantId: 'tenant-1',
  connectionTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  strictValidation: true,
  maxInboundFrameBytes: 1_048_576,
  logger: console,
});

const withLogger = new OptaveClient({
  websocketUrl: 'ws://127.0.0.1:8787/ws',
  tokenProvider: () => 'sync-token',
  logger: { warn: (message: string, extra?: unknown) => void [message, extra] },
});

const viaQuery = new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', authTransport: 'query', authRequired: false });

// --------------------------------------------------------------------- events

const off: () => void = client.on('superpower.response', (ev) => {
  const actionType: string = ev.actionType;
  const state: string = ev.state;
  const results: unknown = ev.message.results;
  const correlationId: string | undefined = ev.correlationId;
  void [actionType, state, results, correlationId];
});
off();

client.on('superpower.error', (err) => {
  const code: string = err.code;
  const category: string = err.category;
  const suggestions: unknown = err.suggestions;
  void [code, category, suggestions];
});
client.on('error', (err) => {
  void err;
});
client.on('open', () => {});
client.on('close', (ev) => {
  const code: number = ev.code;
  const reason: string = ev.reason;
  const wasClean: boolean = ev.wasClean;
  void [code, reason, wasClean];
});
client.on('message', (frame) => {
  void frame;
});

client.once('superpower.response', (ev) => {
  void ev.correlationId;
});
const onOpen = (): void => {};
client.on('open', onOpen);
client.off('open', onOpen);

// ----------------------------------------------------------------- connecting

await client.connect();
await client.connect('explicit-token');
await client.openConnection();
await client.openConnection('explicit-token');

// ------------------------------------------------------------------- requests

const id: string | undefined = client.interaction({
  headers: { correlationId: 'corr-1', traceId: 'trace-1', networkLatencyMs: 12 },
  session: {
    sessionId: 'session-1',
    channel: { medium: 'chat', language: 'en-US', metadata: [] },
    interface: { name: 'zendesk', type: 'marketplace' },
  },
  request: {
    scope: {
      conversations: [
        {
          conversationId: 'conv-1',
          participants: [
            { participantId: 'u1', displayName: 'Jane Doe', role: 'user' },
            { participantId: 'a1', displayName: 'Agent Smith', role: 'operator' },
            { participantId: 'b1', role: 'bot' },
          ],
          messages: [{ participantId: 'u1', content: 'Where is my order?', timestamp: '2025-01-01T00:00:00Z' }],
          metadata: {},
        },
      ],
      orders: [{ id: 'order-7' }],
    },
    settings: { disableStream: true, maxResponseLength: 400 },
  },
});

client.reception({ session: { channel: { medium: 'voice' } } });
client.elevate({});
client.adjust({});
client.summarize({ session: { channel: { medium: 'email' } } });
client.translate({});
client.recommend({});
client.insights({});
client.customerInteraction({});
client.send('summarize', {});

const first = await client.insightsAsync({ session: { sessionId: 'session-1' } }, { timeoutMs: 5000 });
void first;
await client.receptionAsync({});
await client.elevateAsync({});
await client.adjustAsync({});
await client.summarizeAsync({}, { timeoutMs: 1000 });
await client.translateAsync({});
await client.recommendAsync({});
await client.customerInteractionAsync({});
await client.interactionAsync({});
await client.sendAsync('insights', {}, { timeoutMs: 5000 });

if (id !== undefined) client.cancelRequest(id);
client.cancelPendingRequests();

// -------------------------------------------------------------------- session

client.sessionId = 'session-2';
const sid: string | undefined = client.sessionId;
client.setSessionId('session-3');
const sid2: string | undefined = client.getSessionId();
void [sid, sid2];

// -------------------------------------------------------------- state, statics

const state: 'connecting' | 'open' | 'closing' | 'closed' = client.readyState;
void state;

const connectionState: ConnectionState = client.state;
const everyState: Record<ConnectionState, true> = {
  initialized: true, connecting: true, connected: true, disconnected: true,
  suspended: true, closing: true, closed: true, failed: true,
};
void [connectionState, everyState];

client.on('stateChange', (ev: StateChangeEvent) => {
  const previous: ConnectionState = ev.previous;
  const current: ConnectionState = ev.current;
  const wait: number | undefined = ev.retryInMs;
  const why: string | undefined = ev.reason?.code;
  void [previous, current, wait, why];
});
const onStateChange: OptaveEventMap['stateChange'] = (ev) => void ev.current;
client.on('stateChange', onStateChange);
client.on('sent', (ev: SentEvent) => {
  const kind: 'queued' | 'resent' = ev.kind;
  const cid: string = ev.correlationId;
  void [kind, cid];
});

new OptaveClient({
  websocketUrl: 'ws://127.0.0.1:8787/ws',
  reconnect: { minDelayMs: 500, maxDelayMs: 20_000, maxAttempts: Infinity },
  connectionStateTtlMs: 120_000,
  queueLimit: 100,
  queueWhileDisconnected: true,
  resendOnReconnect: false,
});
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', reconnect: false });

const sdkVersion: string = OptaveClient.sdkVersion;
const specVersion: string = OptaveClient.specVersion;
const schemaRef: string = OptaveClient.schemaRef;
void [sdkVersion, specVersion, schemaRef];

// ------------------------------------------------------------------- mistakes

// @ts-expect-error misspelt event name
client.on('superpowr.response', () => {});

// @ts-expect-error a close handler receives the close event, not a string
client.on('close', (ev: string) => void ev);

// @ts-expect-error misspelt params key `requst`
client.interaction({ requst: {} });

// @ts-expect-error sessionId is a string
client.interaction({ session: { sessionId: 42 } });

// @ts-expect-error medium is 'chat' | 'voice' | 'email'
client.interaction({ session: { channel: { medium: 'fax' } } });

// @ts-expect-error a participant's role is 'user' | 'operator' | 'bot'
client.interaction({ request: { scope: { conversations: [{ participants: [{ participantId: 'x', role: 'admin' }] }] } } });

// @ts-expect-error no such method
client.notAMethod();

// @ts-expect-error readyState is read-only
client.readyState = 'open';

// @ts-expect-error state is read-only
client.state = 'connected';

// @ts-expect-error no such state
const noState: ConnectionState = 'reconnecting';
void noState;

// @ts-expect-error a stateChange listener receives the event object, not a string
client.on('stateChange', (ev: string) => void ev);

// @ts-expect-error reconnect takes a boolean or { minDelayMs, maxDelayMs, maxAttempts }
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', reconnect: { minDelay: 5 } });

// @ts-expect-error queueLimit is a number
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', queueLimit: '100' });

// @ts-expect-error requestTimeoutMs is a number
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', requestTimeoutMs: '10' });

// @ts-expect-error the action is one of the nine names (Action), not any string
client.send('interactoin', {});

// @ts-expect-error maxInboundFrameBytes is a number of bytes
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', maxInboundFrameBytes: '1MB' });

// @ts-expect-error authTransport is 'subprotocol' | 'query'
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', authTransport: 'cookie' });

// @ts-expect-error timeoutMs is a number
await client.insightsAsync({}, { timeoutMs: '5000' });

// ------------------------------------------------------------------- teardown

client.close();
client.closeConnection();
client.free();
viaQuery.free();
withLogger.free();
minimal.free();
