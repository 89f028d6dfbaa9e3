/** Superpower `actionType`s named by the seeds and the local OCO server (a page adds others to `SuperpowerResults`). */
export type SuperpowerType = "sentiment_analysis" | "risk_assessment" | "escalation_need" | "language_identification" | "search_requirements" | "performance_criteria" | "recommend" | "adjust_suggestion" | "elevate_suggestion" | "summary" | "translation";

/** A result item whose fields nobody declared: open (the seeds fix none). */
export type SuperpowerItem = Record<string, unknown>;

/**
 * The type of the result items (`message.results[i].response[j]`) of each
 * superpower, keyed by `actionType`: the seeds' names with open items
 * (`SuperpowerItem`). A page declares the items it relies on, or adds a
 * superpower, by declaration merging; each item type must be an object type
 * literal or a `type` alias (an `interface` has no index signature):
 * @example
 * declare module 'optave-client' {
 *   interface SuperpowerResults {
 *     sentiment_analysis: { sentiment: 'positive' | 'neutral' | 'negative'; score: number };
 *     my_superpower: { label: string };
 *   }
 * }
 * client.on('superpower.response', (ev) => {
 *   if (ev.actionType === 'sentiment_analysis') ev.message.results[0]?.response?.[0]?.score; // number
 * });
 */
export interface SuperpowerResults extends Record<SuperpowerType, SuperpowerItem> {}

/** Every `actionType` the types know: the keys of `SuperpowerResults`. */
export type SuperpowerName = keyof SuperpowerResults & string;

/**
 * A superpower frame (`superpower.response`, what `...Async` resolves with,
 * what a request handle yields): a union discriminated by `actionType`, so
 * comparing `ev.actionType` with a name narrows `ev.message.results` to that
 * superpower's items (`SuperpowerResults`). `SuperpowerEvent<'summary'>` is
 * one superpower's frame. A frame whose `actionType` is not a key of
 * `SuperpowerResults` is delivered all the same, with open items: add its
 * name to the map to compare with it.
 */
export type SuperpowerEvent<K extends SuperpowerName = SuperpowerName> = {
    [P in K]: SuperpowerFrame<P, SuperpowerResults[P]>;
}[K];

/** Receives the SDK's log lines (each method optional; default `console`). */
export interface OptaveLogger {
    debug?(message: string, extra?: unknown): void;
    info?(message: string, extra?: unknown): void;
    warn?(message: string, extra?: unknown): void;
    error?(message: string, extra?: unknown): void;
}

/** Options of `new OptaveClient(options)` (protocol.md section 7). */
export interface OptaveClientOptions extends ConnectionOptions {
    /**
     * Returns the token for a connection, or a promise of it. Called for every
     * (re)connection and every REST call (`Authorization: Bearer <token>`),
     * because tickets may be single-use. Typically fetches a short-lived
     * ticket from the page's own backend.
     */
    tokenProvider?: () => string | null | undefined | Promise<string | null | undefined>;
    /** Receives warnings (deprecations, failing listeners) and errors nobody listens to. */
    logger?: OptaveLogger;
}

/**
 * The class of every error the SDK reports (protocol.md section 6): thrown,
 * the reason of a rejected promise, the payload of `error` and
 * `superpower.error`. `err instanceof OptaveError` (and `instanceof Error`)
 * holds; `name` is `"OptaveError"`. Its fields (`category`, `code`,
 * `message`, `details`, `suggestions`, `correlationId`, `timestamp`) are
 * declared once, by the `OptaveError` interface generated from the core's
 * model, which merges with this class.
 * @example
 * try { new OptaveClient({ websocketUrl: 'http://x' }); }
 * catch (err) { if (err instanceof OptaveError) console.log(err.category, err.code, err.suggestions); }
 */
export class OptaveError extends Error {
    /**
     * Builds an error of the SDK's shape (the SDK builds its own; a page may
     * build one, e.g. in tests). `details` defaults to `null`, `suggestions`
     * to `[]`, `timestamp` to now (ISO 8601 UTC).
     */
    constructor(fields: Pick<OptaveError, "category" | "code" | "message"> & Partial<Pick<OptaveError, "details" | "suggestions" | "correlationId" | "timestamp">>);
    /** Always `"OptaveError"`. */
    name: string;
}

/** Events of `OptaveClient` and their listener signatures. */
export interface OptaveEventMap {
    /** The WebSocket opened. */
    "open": () => void;
    /**
     * The connection that `open` announced ended: one `close` per `open`.
     * After `offline` or `pagehide` it carries what the SDK closed the socket
     * with (`{ code: 1000, reason: 'connection interrupted', wasClean: true }`,
     * no `error`); after `close()`, `reason: 'client closed'`.
     */
    "close": (event: CloseInfo) => void;
    /** Every error the client reports, server error frames included. */
    "error": (error: OptaveError) => void;
    /** A superpower frame: `started`, then `completed` with results. */
    "superpower.response": (event: SuperpowerEvent) => void;
    /** A server error frame (`category` ORCHESTRATOR). */
    "superpower.error": (error: OptaveError) => void;
    /** The connection state changed (`client.state`); `reason` says why, `retryInMs` when the next attempt is due. */
    "stateChange": (event: StateChangeEvent) => void;
    /** A queued envelope went out once connected, or an envelope on the wire of a lost connection was sent again. */
    "sent": (event: SentEvent) => void;
    /** The client's `crossTabRole` changed (docs/api.md, "One connection across tabs"). */
    "roleChange": (event: RoleChangeEvent) => void;
    /** @deprecated Every parsed inbound frame, raw. Use `superpower.response` / `superpower.error`. */
    "message": (frame: unknown) => void;
}

export interface OptaveClient {
    /**
     * Sends a `interaction` request: analyse a customer interaction (sentiment, risk, escalation, language, search needs).
     *
     * `params` (`InteractionParams`: the fields the action requires, protocol.md section 4,
     * are required) is merged onto the default payload (objects recursively, arrays whole).
     * Returns the correlationId sent (a fresh UUID v7 when `request.requestId` is already
     * in flight, protocol.md section 8), or `undefined` when refused; the refusal goes to
     * `error`: VALIDATION `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming
     * every path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes); WEBSOCKET
     * `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`. Same as `send('interaction', params)`.
     */
    interaction(params: InteractionParams): string | undefined;
    /**
     * Sends a `interaction` request and resolves with the first frame that carries its
     * correlationId. Rejects with an `OptaveError`: the refusals of `interaction()`,
     * ORCHESTRATOR (the server's error frame), WEBSOCKET `REQUEST_TIMEOUT` (after
     * `options.timeoutMs` ms, default `requestTimeoutMs`), VALIDATION
     * `REQUEST_CANCELLED`, `DUPLICATE_CORRELATION_ID` (an explicit `headers.correlationId`
     * already in flight), WEBSOCKET `CONNECTION_CLOSED`.
     */
    interactionAsync(params: InteractionParams, options?: RequestOptions): Promise<SuperpowerEvent>;
    /**
     * Sends a `reception` request: intake and routing of a new contact (seed 001).
     *
     * `params` (`ReceptionParams`: the fields the action requires, protocol.md section 4,
     * are required) is merged onto the default payload (objects recursively, arrays whole).
     * Returns the correlationId sent (a fresh UUID v7 when `request.requestId` is already
     * in flight, protocol.md section 8), or `undefined` when refused; the refusal goes to
     * `error`: VALIDATION `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming
     * every path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes); WEBSOCKET
     * `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`. Same as `send('reception', params)`.
     */
    reception(params: ReceptionParams): string | undefined;
    /**
     * Sends a `reception` request and resolves with the first frame that carries its
     * correlationId. Rejects with an `OptaveError`: the refusals of `reception()`,
     * ORCHESTRATOR (the server's error frame), WEBSOCKET `REQUEST_TIMEOUT` (after
     * `options.timeoutMs` ms, default `requestTimeoutMs`), VALIDATION
     * `REQUEST_CANCELLED`, `DUPLICATE_CORRELATION_ID` (an explicit `headers.correlationId`
     * already in flight), WEBSOCKET `CONNECTION_CLOSED`.
     */
    receptionAsync(params: ReceptionParams, options?: RequestOptions): Promise<SuperpowerEvent>;
    /**
     * Sends a `elevate` request: escalate to a human agent; needs `attributes.content` and `connections.parentId`.
     *
     * `params` (`ElevateParams`: the fields the action requires, protocol.md section 4,
     * are required) is merged onto the default payload (objects recursively, arrays whole).
     * Returns the correlationId sent (a fresh UUID v7 when `request.requestId` is already
     * in flight, protocol.md section 8), or `undefined` when refused; the refusal goes to
     * `error`: VALIDATION `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming
     * every path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes); WEBSOCKET
     * `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`. Same as `send('elevate', params)`.
     */
    elevate(params: ElevateParams): string | undefined;
    /**
     * Sends a `elevate` request and resolves with the first frame that carries its
     * correlationId. Rejects with an `OptaveError`: the refusals of `elevate()`,
     * ORCHESTRATOR (the server's error frame), WEBSOCKET `REQUEST_TIMEOUT` (after
     * `options.timeoutMs` ms, default `requestTimeoutMs`), VALIDATION
     * `REQUEST_CANCELLED`, `DUPLICATE_CORRELATION_ID` (an explicit `headers.correlationId`
     * already in flight), WEBSOCKET `CONNECTION_CLOSED`.
     */
    elevateAsync(params: ElevateParams, options?: RequestOptions): Promise<SuperpowerEvent>;
    /**
     * Sends a `adjust` request: rewrite a suggestion; needs `attributes.content`, `attributes.instruction`, `connections.parentId`.
     *
     * `params` (`AdjustParams`: the fields the action requires, protocol.md section 4,
     * are required) is merged onto the default payload (objects recursively, arrays whole).
     * Returns the correlationId sent (a fresh UUID v7 when `request.requestId` is already
     * in flight, protocol.md section 8), or `undefined` when refused; the refusal goes to
     * `error`: VALIDATION `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming
     * every path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes); WEBSOCKET
     * `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`. Same as `send('adjust', params)`.
     */
    adjust(params: AdjustParams): string | undefined;
    /**
     * Sends a `adjust` request and resolves with the first frame that carries its
     * correlationId. Rejects with an `OptaveError`: the refusals of `adjust()`,
     * ORCHESTRATOR (the server's error frame), WEBSOCKET `REQUEST_TIMEOUT` (after
     * `options.timeoutMs` ms, default `requestTimeoutMs`), VALIDATION
     * `REQUEST_CANCELLED`, `DUPLICATE_CORRELATION_ID` (an explicit `headers.correlationId`
     * already in flight), WEBSOCKET `CONNECTION_CLOSED`.
     */
    adjustAsync(params: AdjustParams, options?: RequestOptions): Promise<SuperpowerEvent>;
    /**
     * Sends a `summarize` request: summarise the conversation.
     *
     * `params` (`SummarizeParams`: the fields the action requires, protocol.md section 4,
     * are required) is merged onto the default payload (objects recursively, arrays whole).
     * Returns the correlationId sent (a fresh UUID v7 when `request.requestId` is already
     * in flight, protocol.md section 8), or `undefined` when refused; the refusal goes to
     * `error`: VALIDATION `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming
     * every path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes); WEBSOCKET
     * `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`. Same as `send('summarize', params)`.
     */
    summarize(params: SummarizeParams): string | undefined;
    /**
     * Sends a `summarize` request and resolves with the first frame that carries its
     * correlationId. Rejects with an `OptaveError`: the refusals of `summarize()`,
     * ORCHESTRATOR (the server's error frame), WEBSOCKET `REQUEST_TIMEOUT` (after
     * `options.timeoutMs` ms, default `requestTimeoutMs`), VALIDATION
     * `REQUEST_CANCELLED`, `DUPLICATE_CORRELATION_ID` (an explicit `headers.correlationId`
     * already in flight), WEBSOCKET `CONNECTION_CLOSED`.
     */
    summarizeAsync(params: SummarizeParams, options?: RequestOptions): Promise<SuperpowerEvent>;
    /**
     * Sends a `translate` request: translate the conversation.
     *
     * `params` (`TranslateParams`: the fields the action requires, protocol.md section 4,
     * are required) is merged onto the default payload (objects recursively, arrays whole).
     * Returns the correlationId sent (a fresh UUID v7 when `request.requestId` is already
     * in flight, protocol.md section 8), or `undefined` when refused; the refusal goes to
     * `error`: VALIDATION `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming
     * every path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes); WEBSOCKET
     * `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`. Same as `send('translate', params)`.
     */
    translate(params: TranslateParams): string | undefined;
    /**
     * Sends a `translate` request and resolves with the first frame that carries its
     * correlationId. Rejects with an `OptaveError`: the refusals of `translate()`,
     * ORCHESTRATOR (the server's error frame), WEBSOCKET `REQUEST_TIMEOUT` (after
     * `options.timeoutMs` ms, default `requestTimeoutMs`), VALIDATION
     * `REQUEST_CANCELLED`, `DUPLICATE_CORRELATION_ID` (an explicit `headers.correlationId`
     * already in flight), WEBSOCKET `CONNECTION_CLOSED`.
     */
    translateAsync(params: TranslateParams, options?: RequestOptions): Promise<SuperpowerEvent>;
    /**
     * Sends a `recommend` request: rank `request.resources.offers` (required, non-empty) against the conversation (seed 004).
     *
     * `params` (`RecommendParams`: the fields the action requires, protocol.md section 4,
     * are required) is merged onto the default payload (objects recursively, arrays whole).
     * Returns the correlationId sent (a fresh UUID v7 when `request.requestId` is already
     * in flight, protocol.md section 8), or `undefined` when refused; the refusal goes to
     * `error`: VALIDATION `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming
     * every path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes); WEBSOCKET
     * `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`. Same as `send('recommend', params)`.
     */
    recommend(params: RecommendParams): string | undefined;
    /**
     * Sends a `recommend` request and resolves with the first frame that carries its
     * correlationId. Rejects with an `OptaveError`: the refusals of `recommend()`,
     * ORCHESTRATOR (the server's error frame), WEBSOCKET `REQUEST_TIMEOUT` (after
     * `options.timeoutMs` ms, default `requestTimeoutMs`), VALIDATION
     * `REQUEST_CANCELLED`, `DUPLICATE_CORRELATION_ID` (an explicit `headers.correlationId`
     * already in flight), WEBSOCKET `CONNECTION_CLOSED`.
     */
    recommendAsync(params: RecommendParams, options?: RequestOptions): Promise<SuperpowerEvent>;
    /**
     * Sends a `insights` request: agent performance criteria and sentiment (seed 003).
     *
     * `params` (`InsightsParams`: the fields the action requires, protocol.md section 4,
     * are required) is merged onto the default payload (objects recursively, arrays whole).
     * Returns the correlationId sent (a fresh UUID v7 when `request.requestId` is already
     * in flight, protocol.md section 8), or `undefined` when refused; the refusal goes to
     * `error`: VALIDATION `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming
     * every path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes); WEBSOCKET
     * `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`. Same as `send('insights', params)`.
     */
    insights(params: InsightsParams): string | undefined;
    /**
     * Sends a `insights` request and resolves with the first frame that carries its
     * correlationId. Rejects with an `OptaveError`: the refusals of `insights()`,
     * ORCHESTRATOR (the server's error frame), WEBSOCKET `REQUEST_TIMEOUT` (after
     * `options.timeoutMs` ms, default `requestTimeoutMs`), VALIDATION
     * `REQUEST_CANCELLED`, `DUPLICATE_CORRELATION_ID` (an explicit `headers.correlationId`
     * already in flight), WEBSOCKET `CONNECTION_CLOSED`.
     */
    insightsAsync(params: InsightsParams, options?: RequestOptions): Promise<SuperpowerEvent>;
    /**
     * Sends a `customerInteraction` request: @deprecated use `interaction`. Sent as `customerinteraction` (seed 000); warns once.
     *
     * `params` (`InteractionParams`: the fields the action requires, protocol.md section 4,
     * are required) is merged onto the default payload (objects recursively, arrays whole).
     * Returns the correlationId sent (a fresh UUID v7 when `request.requestId` is already
     * in flight, protocol.md section 8), or `undefined` when refused; the refusal goes to
     * `error`: VALIDATION `PAYLOAD_SCHEMA_MISMATCH`, `REQUIRED_FIELDS_MISSING` (naming
     * every path), `PAYLOAD_TOO_LARGE` (over 131,072 bytes); WEBSOCKET
     * `WEBSOCKET_NOT_IN_OPEN_STATE`, `SEND_FAILED`. Same as `send('customerInteraction', params)`.
     */
    customerInteraction(params: InteractionParams): string | undefined;
    /**
     * Sends a `customerInteraction` request and resolves with the first frame that carries its
     * correlationId. Rejects with an `OptaveError`: the refusals of `customerInteraction()`,
     * ORCHESTRATOR (the server's error frame), WEBSOCKET `REQUEST_TIMEOUT` (after
     * `options.timeoutMs` ms, default `requestTimeoutMs`), VALIDATION
     * `REQUEST_CANCELLED`, `DUPLICATE_CORRELATION_ID` (an explicit `headers.correlationId`
     * already in flight), WEBSOCKET `CONNECTION_CLOSED`.
     */
    customerInteractionAsync(params: InteractionParams, options?: RequestOptions): Promise<SuperpowerEvent>;
    /**
     * Sends `params` as `action` (a method or wire name, e.g. `'insights'`): the one
     * sender behind the named senders. `params` is the action's params type,
     * `ParamsFor<A>` (`ActionParams`; e.g. `AdjustParams` for `'adjust'`), so the
     * fields the action requires (protocol.md section 4) are required here too.
     * Returns the correlationId, or `undefined` when refused (the reason goes to
     * `error`; an unknown action is VALIDATION `INVALID_ACTION`).
     */
    send<A extends Action>(action: A, params: ParamsFor<A>): string | undefined;
    /** Like `send()`, resolving with the first frame for the request (see `interactionAsync`). */
    sendAsync<A extends Action>(action: A, params: ParamsFor<A>, options?: RequestOptions): Promise<SuperpowerEvent>;
    /**
     * Sends `params` as `action` now (queued while reconnecting) and returns a
     * handle on that one request (docs/api.md, "API" (request handles)):
     * `for await (const ev of req)` yields every frame of the request in order
     * (`started`, `completed`, error frames), and `settled()` resolves once every
     * superpower that started has completed or failed and no frame came for
     * `settleMs`. The handle survives a reconnect: the request is resent and no
     * frame repeats.
     * @example
     * const req = client.request('insights', params, { timeoutMs: 10_000 });
     * for await (const ev of req) render(ev.actionType, ev.state, ev.message.results);
     * const { results, errors } = await req.settled();
     */
    request<A extends Action>(action: A, params: ParamsFor<A>, options?: RequestHandleOptions): RequestHandle;
    /** Alias of `connect(token?)` (the official client's name). */
    openConnection(token?: string): Promise<void>;
    /** Alias of `close()` (the official client's name). */
    closeConnection(): void;
    /** Sets the session id (same as the `sessionId` setter). */
    setSessionId(id?: string): void;
    /** Returns the session id (same as the `sessionId` getter). */
    getSessionId(): string | undefined;
    /**
     * Registers `listener` for `event`; returns a function that removes it.
     * @example
     * const off = client.on('superpower.response', (ev) => render(ev.actionType, ev.message.results));
     * off();
     * @throws {OptaveError} VALIDATION `INVALID_ARGUMENT` for an unknown event or a non-function listener.
     */
    on<K extends keyof OptaveEventMap>(event: K, listener: OptaveEventMap[K]): () => void;
    /** Like `on()`, but the listener is removed after its first call. */
    once<K extends keyof OptaveEventMap>(event: K, listener: OptaveEventMap[K]): () => void;
    /** Removes `listener` from `event`. */
    off<K extends keyof OptaveEventMap>(event: K, listener: OptaveEventMap[K]): void;
}

/** Options of `client.request(action, params, options)`. */
export interface RequestHandleOptions {
    /** How long the request may take to settle, in ms (default: the client's `requestTimeoutMs`); then `REQUEST_TIMEOUT`. */
    timeoutMs?: number;
    /** The quiet period, in ms, after the last superpower completed before the request is settled (default 400; 0 to 2,147,483,647). */
    settleMs?: number;
}

/** What `RequestHandle.settled()` resolves with. */
export interface SettledRequest {
    /** The request's `headers.correlationId`. */
    correlationId: string;
    /** The `completed` frame of each superpower, keyed by `actionType` (`results.summary` is a `SuperpowerEvent<'summary'>`). */
    results: { [K in SuperpowerName]?: SuperpowerEvent<K> };
    /** The errors of the request's error frames (ORCHESTRATOR); one superpower's error does not reject `settled()`. */
    errors: OptaveError[];
}

/**
 * One request, from `client.request(...)`: its frames as an async iterator
 * (several readers may iterate; each sees every frame, a late reader first
 * gets those already received; breaking out of a loop does not cancel), and
 * its settlement. Frames are kept for readers until `settleMs` after the
 * request settled or failed, and at most 60,000 ms. An error frame that names
 * no `actionType` (an error envelope) is not yielded: its `OptaveError` is in
 * `settled()`'s `errors`.
 */
export interface RequestHandle extends AsyncIterable<SuperpowerEvent> {
    /** The request's correlationId; `undefined` when the request was refused (`settled()` rejects with the reason, which also went to `error`). */
    readonly correlationId: string | undefined;
    /**
     * Resolves once settled. Rejects with an `OptaveError`: WEBSOCKET
     * `REQUEST_TIMEOUT`, `CONNECTION_CLOSED` (`close()`), `CONNECTION_LOST`
     * (`resendOnReconnect: false`); VALIDATION `REQUEST_CANCELLED`; or the
     * refusal of the request (as `send()` reports it).
     */
    settled(): Promise<SettledRequest>;
    /** Cancels the request: `settled()` rejects and readers end with VALIDATION `REQUEST_CANCELLED`. Returns whether it was still pending. */
    cancel(): boolean;
    [Symbol.asyncIterator](): AsyncIterator<SuperpowerEvent>;
}
