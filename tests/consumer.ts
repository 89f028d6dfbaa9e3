// Type-level test of the published TypeScript declarations (pkg/optave_client.d.ts).
//
// `make test-types` builds pkg/ and runs `tsc -p tests/tsconfig.json --noEmit`
// (strict). This file is never executed. Correct usage must compile, and each line
// after a `// @ts-expect-error` comment is a mistake that the declarations must
// reject. If tsc reports "Unused '@ts-expect-error' directive", the mistake was
// accepted. Put each mistake on one line so that its error lands on that line.
import init, {
  OptaveClient, type Action, type ActionParams, type AdjustParams, type ConnectionState, type Conversation,
  type ElevateParams, type InsightsParams, type InteractionParams, type OptaveEventMap, type ParamsFor,
  type ReceptionParams, type RecommendParams, type RequestParams, type SentEvent, type StateChangeEvent,
  type SummarizeParams, type TranslateParams, type RequestHandle, type SettledRequest, type SuperpowerEvent,
  type SuperpowerType, OptaveError, type SuperpowerResults, type SuperpowerName, type SuperpowerItem,
  type TransportInUse, type CrossTabRole, type RoleChangeEvent,
} from '../pkg/optave_client.js';

// A page declares the result items it relies on (and adds superpowers) by
// declaration merging; every other superpower's items stay open.
declare module '../pkg/optave_client.js' {
  interface SuperpowerResults {
    sentiment_analysis: { sentiment: 'positive' | 'neutral' | 'negative'; score: number };
    churn_risk: { probability: number };
  }
}

// ------------------------------------------------------------------- start-up

// Static properties answer before the wasm is loaded.
const versionBeforeInit: string = OptaveClient.sdkVersion;
void versionBeforeInit;
// The factory loads the wasm and constructs: no init() needed.
const created: OptaveClient = await OptaveClient.create({ websocketUrl: 'ws://127.0.0.1:8787/ws' });
const createdFromUrl: Promise<OptaveClient> = OptaveClient.create({ websocketUrl: 'ws://127.0.0.1:8787/ws' }, new URL('https://cdn.example/optave_client_bg.wasm'));
void [created, createdFromUrl];

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
    connections: { threadId: 'ticket-1' },
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

// One conversation, shared by the calls below (typed, so that `role` stays a Role).
const conversation: Conversation = {
  participants: [{ participantId: 'u1', role: 'user' }],
  messages: [{ participantId: 'u1', content: 'Where is my order?' }],
};

// The minimal complete params of each action (protocol.md section 4): threadId and
// at least one conversation; recommend adds an offer; elevate adds content and
// parentId; adjust adds content, instruction and parentId. organizationId comes
// from the client's option.
const minimalInteraction: InteractionParams = {
  request: { connections: { threadId: 'ticket-1' }, scope: { conversations: [conversation] } },
};
const minimalReception: ReceptionParams = minimalInteraction;
const minimalInsights: InsightsParams = minimalInteraction;
const minimalSummarize: SummarizeParams = minimalInteraction;
const minimalTranslate: TranslateParams = minimalInteraction;
const minimalRecommend: RecommendParams = {
  request: {
    connections: { threadId: 'ticket-1' },
    scope: { conversations: [conversation] },
    resources: { offers: [{ id: 'offer-1' }] },
  },
};
const minimalElevate: ElevateParams = {
  request: {
    connections: { threadId: 'ticket-1', parentId: 'corr-1' },
    attributes: { content: 'The customer asks for a refund' },
    scope: { conversations: [conversation] },
  },
};
const minimalAdjust: AdjustParams = {
  request: {
    connections: { threadId: 'ticket-1', parentId: 'corr-1' },
    attributes: { content: 'We cannot refund you.', instruction: 'make it more empathetic' },
    scope: { conversations: [conversation] },
  },
};
// Every params type is a RequestParams.
const asRequestParams: RequestParams[] = [minimalInteraction, minimalRecommend, minimalElevate, minimalAdjust];
void asRequestParams;

// Each named sender takes its action's minimal params, written in the call too.
client.reception({ session: { channel: { medium: 'voice' } }, request: { connections: { threadId: 'ticket-1' }, scope: { conversations: [conversation] } } });
client.elevate(minimalElevate);
client.adjust(minimalAdjust);
client.summarize({ ...minimalSummarize, session: { channel: { medium: 'email' } } });
client.translate(minimalTranslate);
client.recommend(minimalRecommend);
client.insights(minimalInsights);
client.customerInteraction(minimalInteraction);
client.interaction({ request: { connections: { threadId: 't-2' }, scope: { conversations: [{}, conversation] } } });
client.recommend({ request: { connections: { threadId: 't-2' }, scope: { conversations: [conversation] }, resources: { offers: [{ sku: 'A' }] } } });
client.elevate({ request: { connections: { threadId: 't-2', parentId: 'corr-1' }, attributes: { content: 'help' }, scope: { conversations: [conversation] } } });
client.adjust({ request: { connections: { threadId: 't-2', parentId: 'corr-1' }, attributes: { content: 'no', instruction: 'kinder' }, scope: { conversations: [conversation] } } });

// The legacy places the runtime still reads are accepted (protocol.md section 3).
client.recommend({ request: { connections: { threadId: 't-3' }, scope: { conversations: [conversation], resources: { offers: [{ id: 'offer-1' }] } } } });
client.elevate({ request: { connections: { threadId: 't-3', parentId: 'corr-1' }, content: 'help', scope: { conversations: [conversation] } } });
client.adjust({ request: { connections: { threadId: 't-3', parentId: 'corr-1' }, content: 'no', attributes: { instruction: 'kinder' }, scope: { conversations: [conversation] } } });

// send / sendAsync: the params type follows the action (method or wire name).
client.send('interaction', minimalInteraction);
client.send('reception', minimalReception);
client.send('insights', minimalInsights);
client.send('summarize', minimalSummarize);
client.send('translate', minimalTranslate);
client.send('recommend', minimalRecommend);
client.send('elevate', minimalElevate);
client.send('adjust', minimalAdjust);
client.send('customerInteraction', minimalInteraction);
client.send('customerinteraction', minimalInteraction);
client.send('adjust', { request: { connections: { threadId: 't-4', parentId: 'corr-1' }, attributes: { content: 'no', instruction: 'kinder' }, scope: { conversations: [conversation] } } });
const forAdjust: ParamsFor<'adjust'> = minimalAdjust;
const forAlias: ActionParams['customerinteraction'] = minimalInteraction;
void [forAdjust, forAlias];
// With the whole Action union, any action's params are accepted.
const someAction = 'summarize' as Action;
client.send(someAction, minimalInteraction);

const first = await client.insightsAsync({ ...minimalInsights, session: { sessionId: 'session-1' } }, { timeoutMs: 5000 });
void first;
await client.interactionAsync(minimalInteraction);
await client.receptionAsync(minimalReception);
await client.elevateAsync(minimalElevate);
await client.adjustAsync(minimalAdjust);
await client.summarizeAsync(minimalSummarize, { timeoutMs: 1000 });
await client.translateAsync(minimalTranslate);
await client.recommendAsync(minimalRecommend);
await client.customerInteractionAsync(minimalInteraction);
await client.sendAsync('insights', minimalInsights, { timeoutMs: 5000 });
await client.sendAsync('recommend', minimalRecommend);
await client.sendAsync('adjust', minimalAdjust, { timeoutMs: 5000 });

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
// Liveness: staleAfterMs is a number of ms, or false to turn it off.
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', staleAfterMs: 1500 });
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', staleAfterMs: false });
// @ts-expect-error true is not an accepted type (leave it out for the default)
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', staleAfterMs: true });
// One connection across tabs: crossTab takes a key; the role is typed.
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', crossTab: { key: 'agent-42' } });
// @ts-expect-error the key is required
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', crossTab: {} });
// @ts-expect-error the key is a string
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', crossTab: { key: 42 } });
const role: CrossTabRole = client.crossTabRole;
client.on('roleChange', (ev: RoleChangeEvent) => {
  const now: 'leader' | 'follower' | 'solo' = ev.current;
  console.log(ev.previous, now, role);
});
// @ts-expect-error crossTabRole is read-only
client.crossTabRole = 'leader';

// ------------------------------------------------------------ request handles

const req: RequestHandle = client.request('insights', minimalInsights, { timeoutMs: 5000, settleMs: 100 });
const reqId: string | undefined = req.correlationId;
for await (const ev of req) {
  const kind: SuperpowerType | (string & {}) = ev.actionType;
  void kind;
}
const done: SettledRequest = await req.settled();
const sentiment: SuperpowerEvent | undefined = done.results.sentiment_analysis;
const failures: OptaveError[] = done.errors;
const cancelled: boolean = req.cancel();
void [reqId, sentiment, failures, cancelled];
client.request('adjust', minimalAdjust);
client.request('recommend', minimalRecommend, { settleMs: 0 });

const sdkVersion: string = OptaveClient.sdkVersion;
const specVersion: string = OptaveClient.specVersion;
const schemaRef: string = OptaveClient.schemaRef;
void [sdkVersion, specVersion, schemaRef];

// ------------------------------------------------------- errors and results

// OptaveError is a class: instanceof narrows what is thrown, rejected or emitted.
try {
  new OptaveClient({ websocketUrl: 'http://not-a-socket' });
} catch (err) {
  // @ts-expect-error a caught value is unknown until narrowed
  void err.code;
  if (err instanceof OptaveError) {
    const code: string = err.code;
    const category: 'AUTHENTICATION' | 'ORCHESTRATOR' | 'VALIDATION' | 'WEBSOCKET' = err.category;
    const suggestions: string[] = err.suggestions;
    const asError: Error = err;
    void [code, category, suggestions, asError];
  }
}
await client.insightsAsync(minimalInsights).catch((err: unknown) => {
  if (err instanceof OptaveError) void err.correlationId;
});
client.on('error', (err) => {
  const isClass: boolean = err instanceof OptaveError;
  void isClass;
});
const built = new OptaveError({ category: 'VALIDATION', code: 'NOT_INITIALIZED', message: 'x' });
const builtDetails: unknown = built.details;
void builtDetails;
// @ts-expect-error an OptaveError needs a category
new OptaveError({ code: 'NOT_INITIALIZED', message: 'x' });
// @ts-expect-error the category is one of the four
new OptaveError({ category: 'CONFIG', code: 'NOT_INITIALIZED', message: 'x' });

// Superpower frames narrow by actionType to the items SuperpowerResults declares.
client.on('superpower.response', (ev) => {
  const item = ev.message.results[0]?.response?.[0];
  if (ev.actionType === 'sentiment_analysis') {
    const sentiment = ev.message.results[0]?.response?.[0];
    if (sentiment) {
      const score: number = sentiment.score;
      const label: 'positive' | 'neutral' | 'negative' = sentiment.sentiment;
      // @ts-expect-error a sentiment score is a number, not a string
      const wrong: string = sentiment.score;
      // @ts-expect-error the declared sentiment item has no such field
      void sentiment.confidence;
      void [score, label, wrong];
    }
  } else if (ev.actionType === 'churn_risk') {
    const probability: number | undefined = ev.message.results[0]?.response?.[0]?.probability;
    void probability;
  } else if (ev.actionType === 'summary') {
    // Undeclared items stay open.
    const anything: unknown = ev.message.results[0]?.response?.[0]?.text;
    void anything;
  }
  // @ts-expect-error without narrowing, an item is any superpower's: no `score` on every one
  const unnarrowed: number = item?.score;
  // @ts-expect-error an actionType that SuperpowerResults does not name
  if (ev.actionType === 'sentiment_analysys') void ev;
  void unnarrowed;
});
const settledResults = (await client.request('insights', minimalInsights).settled()).results;
const keyedScore: number | undefined = settledResults.sentiment_analysis?.message.results[0]?.response?.[0]?.score;
// @ts-expect-error results.sentiment_analysis carries sentiment items, not churn ones
const keyedWrong: number | undefined = settledResults.sentiment_analysis?.message.results[0]?.response?.[0]?.probability;
const oneFrame: SuperpowerEvent<'churn_risk'> | undefined = settledResults.churn_risk;
const names: SuperpowerName[] = ['sentiment_analysis', 'churn_risk', 'summary'];
const openItem: SuperpowerItem = { any: 'field' };
const declared: SuperpowerResults['churn_risk'] = { probability: 0.2 };
// @ts-expect-error a declared item needs its fields
const missingField: SuperpowerResults['churn_risk'] = {};
void [keyedScore, keyedWrong, oneFrame, names, openItem, declared, missingField];

// ------------------------------------------------------------------ transports

const overRest = new OptaveClient({
  websocketUrl: 'wss://ws-sandbox.oco.optave.tech',
  restUrl: 'https://sandbox.oco.optave.tech',
  transport: 'auto',
});
const inUse: TransportInUse = overRest.transport;
overRest.on('stateChange', (ev) => {
  const t: 'websocket' | 'rest' = ev.transport;
  void t;
});
void inUse;

// @ts-expect-error transport is one of 'websocket', 'rest', 'auto'
void new OptaveClient({ websocketUrl: 'wss://x.tech', restUrl: 'https://x.tech', transport: 'http' });

// @ts-expect-error client.transport is never 'auto'
const neverAuto: 'auto' = overRest.transport;
void neverAuto;

// ------------------------------------------------------------------- mistakes

// @ts-expect-error misspelt event name
client.on('superpowr.response', () => {});

// @ts-expect-error a close handler receives the close event, not a string
client.on('close', (ev: string) => void ev);

// @ts-expect-error misspelt params key `requst`
client.interaction({ ...minimalInteraction, requst: {} });

// @ts-expect-error sessionId is a string
client.interaction({ ...minimalInteraction, session: { sessionId: 42 } });

// @ts-expect-error medium is 'chat' | 'voice' | 'email'
client.interaction({ ...minimalInteraction, session: { channel: { medium: 'fax' } } });

// @ts-expect-error a participant's role is 'user' | 'operator' | 'bot'
client.interaction({ request: { connections: { threadId: 't-1' }, scope: { conversations: [{ participants: [{ participantId: 'x', role: 'admin' }] }] } } });

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
client.send('interactoin', minimalInteraction);

// @ts-expect-error maxInboundFrameBytes is a number of bytes
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', maxInboundFrameBytes: '1MB' });

// @ts-expect-error authTransport is 'subprotocol' | 'query'
new OptaveClient({ websocketUrl: 'ws://127.0.0.1:8787/ws', authTransport: 'cookie' });

// @ts-expect-error timeoutMs is a number
await client.insightsAsync(minimalInsights, { timeoutMs: '5000' });

// ------------------------------------------------- per-action required fields

// @ts-expect-error adjust requires request.attributes.instruction
client.adjust({ request: { connections: { threadId: 't-1', parentId: 'corr-1' }, attributes: { content: 'draft' }, scope: { conversations: [conversation] } } });

// @ts-expect-error adjust requires request.attributes.content
client.adjust({ request: { connections: { threadId: 't-1', parentId: 'corr-1' }, attributes: { instruction: 'kinder' }, scope: { conversations: [conversation] } } });

// @ts-expect-error adjust requires request.connections.parentId
await client.adjustAsync({ request: { connections: { threadId: 't-1' }, attributes: { content: 'draft', instruction: 'kinder' }, scope: { conversations: [conversation] } } });

// @ts-expect-error elevate requires request.connections.parentId
client.elevate({ request: { connections: { threadId: 't-1' }, attributes: { content: 'help' }, scope: { conversations: [conversation] } } });

// @ts-expect-error elevate requires request.attributes.content
await client.elevateAsync({ request: { connections: { threadId: 't-1', parentId: 'corr-1' }, scope: { conversations: [conversation] } } });

// @ts-expect-error recommend requires request.resources.offers
client.recommend({ request: { connections: { threadId: 't-1' }, scope: { conversations: [conversation] } } });

// @ts-expect-error recommend requires at least one offer
client.recommend({ request: { connections: { threadId: 't-1' }, scope: { conversations: [conversation] }, resources: { offers: [] } } });

// @ts-expect-error interaction requires at least one conversation, not []
client.interaction({ request: { connections: { threadId: 't-1' }, scope: { conversations: [] } } });

// @ts-expect-error a Conversation[] may be empty: the type asks for [Conversation, ...Conversation[]]
client.summarize({ request: { connections: { threadId: 't-1' }, scope: { conversations: [conversation] as Conversation[] } } });

// @ts-expect-error insights requires request.scope.conversations
client.insights({ request: { connections: { threadId: 't-1' } } });

// @ts-expect-error adjust's params are not summarize's
client.send('adjust', minimalSummarize);

// @ts-expect-error recommend's params are not interaction's
await client.sendAsync('recommend', minimalInteraction);

// @ts-expect-error interaction requires request.connections.threadId
client.interaction({ request: { scope: { conversations: [conversation] } } });

// @ts-expect-error reception requires request.connections.threadId
client.reception({ request: { connections: { journeyId: 'j-1' }, scope: { conversations: [conversation] } } });

// @ts-expect-error insights requires request.connections.threadId
await client.insightsAsync({ request: { scope: { conversations: [conversation] } } });

// @ts-expect-error summarize requires request.connections.threadId
client.summarize({ request: { scope: { conversations: [conversation] } } });

// @ts-expect-error translate requires request.connections.threadId
client.send('translate', { request: { scope: { conversations: [conversation] } } });

// @ts-expect-error recommend requires request.connections.threadId
client.recommend({ request: { ...minimalRecommend.request, connections: {} } });

// @ts-expect-error elevate requires request.connections.threadId
client.elevate({ request: { ...minimalElevate.request, connections: { parentId: 'corr-1' } } });

// @ts-expect-error adjust requires request.connections.threadId
await client.sendAsync('adjust', { request: { ...minimalAdjust.request, connections: { parentId: 'corr-1' } } });

// @ts-expect-error customerInteraction requires request.connections.threadId
client.customerInteraction({ request: { scope: { conversations: [conversation] } } });

// @ts-expect-error the wire name takes interaction's params too
client.send('customerinteraction', { request: { scope: { conversations: [conversation] } } });

// ------------------------------------------------------------------- teardown

client.close();
client.closeConnection();
client.free();
viaQuery.free();
withLogger.free();
minimal.free();

// @ts-expect-error a request handle takes the action's params: adjust needs instruction, content, parentId
client.request('adjust', minimalSummarize);

// @ts-expect-error settleMs is a number
client.request('summarize', minimalSummarize, { settleMs: '5' });

// @ts-expect-error a handle's correlationId is read-only
req.correlationId = 'x';
