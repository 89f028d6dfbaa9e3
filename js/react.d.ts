// optave-client/react: React bindings (React 18 and 19, a peer dependency).
// The user guide is docs/react.md of the repository.
import type { ReactElement, ReactNode } from 'react';
import type {
  Action,
  ConnectionState,
  OptaveClient,
  OptaveClientOptions,
  OptaveError,
  ParamsFor,
  RequestHandleOptions,
  SuperpowerEvent,
  SuperpowerName,
} from './optave_client.js';

/** Props common to both forms of `<OptaveProvider>`. */
interface OptaveProviderBaseProps {
  /**
   * Receives what goes wrong while the provider starts its own client:
   * `OptaveClient.create()` rejecting (VALIDATION `WASM_LOAD_FAILED`,
   * `INVALID_WEBSOCKET_URL`, `INVALID_OPTION`, ...) and the first
   * `connect()` rejecting (AUTHENTICATION `TOKEN_PROVIDER_FAILED`, WEBSOCKET
   * `CONNECTION_ERROR`, ...). Default: `console.error`. Later failures reach
   * `useConnectionState()` (the client reconnects by itself).
   */
  onError?: (error: OptaveError) => void;
  /** The subtree whose hooks use this provider's client. */
  children?: ReactNode;
}

/**
 * The props of `<OptaveProvider>`: either `options`, from which the provider
 * makes, connects, closes and frees its own client, or `client`, one the page
 * made itself and keeps owning.
 */
export type OptaveProviderProps = OptaveProviderBaseProps & (
  | {
    /**
     * The options of the client the provider creates (`OptaveClientOptions`,
     * as `OptaveClient.create(options)` takes them). A new object with the
     * same values keeps the client; a changed value (`websocketUrl`,
     * `tenantId`, `organizationId`, a timeout, ...) closes and frees it and
     * creates another. Only plain objects and arrays are compared by value:
     * functions (`tokenProvider`, the methods of a plain-object `logger`)
     * count by their presence only, and the client always calls the latest
     * ones; any other object (a class-instance `logger`) also counts by its
     * presence only, whatever its fields hold, and is used as first given.
     */
    options: OptaveClientOptions;
    client?: undefined;
  }
  | {
    /**
     * A client the page made (`await OptaveClient.create(options)`). The
     * provider hands it to its subtree and never connects, closes or frees
     * it: the page does.
     */
    client: OptaveClient;
    options?: undefined;
  }
);

/**
 * Gives its subtree one `OptaveClient`. With `options` it creates the client
 * (`await OptaveClient.create(options)`) and connects it in an effect, so a
 * server render (`react-dom/server`) touches no `window`, `WebSocket` or
 * wasm: there the children render with the state `'initialized'` and no
 * client. StrictMode's mount, unmount, mount keeps one client and one socket
 * (the client is released 250 ms after the last unmount unless the provider
 * mounts again); the final unmount closes and frees it.
 *
 * Throws an `OptaveError` while rendering: VALIDATION `INVALID_OPTION` when
 * neither `options` (an object) nor `client` is given, `INVALID_ARGUMENT`
 * when `client` is not an `OptaveClient`.
 * @example
 * <OptaveProvider options={{ websocketUrl: 'wss://oco.example.com/ws', tokenProvider }}>
 *   <App />
 * </OptaveProvider>
 */
export function OptaveProvider(props: OptaveProviderProps): ReactElement;

/**
 * The provider's client, or `null` while it is being created (and on the
 * server). Throws an `OptaveError` VALIDATION `NO_PROVIDER` outside an
 * `<OptaveProvider>`.
 */
export function useOptaveClient(): OptaveClient | null;

/**
 * The client's connection state (`client.state`: `'initialized'`,
 * `'connecting'`, `'connected'`, `'disconnected'`, `'suspended'`,
 * `'closing'`, `'closed'`, `'failed'`); the component renders again on every
 * `stateChange`. `'initialized'` while there is no client yet and on the
 * server; `'failed'` when the provider's `create()` failed (until options
 * with other values make another client). Throws an `OptaveError` VALIDATION `NO_PROVIDER` outside an
 * `<OptaveProvider>`.
 */
export function useConnectionState(): ConnectionState;

/**
 * The superpowers (`actionType`s) that answer each action, as the seeds and
 * the local OCO server have them: the keys `useRequest(action).results` may
 * hold. A server that answers an action with another superpower still
 * delivers it (in `events`, and in `results` at run time); name it with
 * `useRequest`'s second type argument to read it from `results`.
 */
export interface ActionSuperpowers {
  interaction: 'sentiment_analysis' | 'risk_assessment' | 'escalation_need' | 'language_identification' | 'search_requirements';
  reception: 'sentiment_analysis' | 'risk_assessment' | 'escalation_need' | 'language_identification' | 'search_requirements';
  customerInteraction: 'sentiment_analysis' | 'risk_assessment' | 'escalation_need' | 'language_identification' | 'search_requirements';
  customerinteraction: 'sentiment_analysis' | 'risk_assessment' | 'escalation_need' | 'language_identification' | 'search_requirements';
  insights: 'performance_criteria' | 'sentiment_analysis';
  recommend: 'recommend' | 'sentiment_analysis';
  summarize: 'summary';
  translate: 'translation';
  adjust: 'adjust_suggestion';
  elevate: 'escalation_need' | 'elevate_suggestion';
}

/** The superpowers that answer `A` (`ActionSuperpowers`), e.g. `'summary'` for `'summarize'`. */
export type SuperpowersOf<A extends Action> = A extends keyof ActionSuperpowers ? ActionSuperpowers[A] & SuperpowerName : SuperpowerName;

/**
 * Where a `useRequest` request is: `'idle'` (nothing sent yet), `'pending'`
 * (sent, or waiting for the client), `'settled'` (`settled()` resolved:
 * `results` and `errors` are in), `'failed'` (`error` says why).
 */
export type RequestStatus = 'idle' | 'pending' | 'settled' | 'failed';

/** What `useRequest(action)` returns; each render gets the latest values. */
export interface UseRequestResult<A extends Action, K extends SuperpowerName = SuperpowersOf<A>> {
  /**
   * Sends `params` as the hook's action through `client.request(action,
   * params, options)` (`options`: `timeoutMs`, `settleMs`, in ms), once the
   * provider has its client (a send made before waits for it; if the
   * provider's `create()` fails, `status` becomes `'failed'` with that
   * error, e.g. VALIDATION `INVALID_WEBSOCKET_URL`). Cancels the
   * hook's previous request first. Resets `events`, `results`, `errors` and
   * `error`; `status` becomes `'pending'`. Returns nothing: the outcome
   * arrives in the hook's fields.
   */
  send(params: ParamsFor<A>, options?: RequestHandleOptions): void;
  /**
   * Cancels the pending request: `status` becomes `'failed'` with `error`
   * VALIDATION `REQUEST_CANCELLED`. Returns whether there was one to cancel.
   * Unmounting the component cancels it too (with no update).
   */
  cancel(): boolean;
  /** Where the request is. */
  status: RequestStatus;
  /** Every frame of the request so far, in order (`started`, `completed`, error frames), each once; grows as they arrive. */
  events: readonly SuperpowerEvent[];
  /** Once `'settled'`: the `completed` frame of each superpower, keyed by `actionType` (as `settled().results`). Empty before. */
  results: { [P in K]?: SuperpowerEvent<P> };
  /** Once `'settled'`: the `OptaveError`s of the request's error frames (ORCHESTRATOR); one superpower's error does not fail the request. */
  errors: readonly OptaveError[];
  /**
   * Once `'failed'`: why, as `settled()` rejects (WEBSOCKET `REQUEST_TIMEOUT`,
   * `CONNECTION_CLOSED`, `CONNECTION_LOST`; VALIDATION `REQUEST_CANCELLED`;
   * the refusal of the params, e.g. VALIDATION `REQUIRED_FIELDS_MISSING`).
   * `null` otherwise.
   */
  error: OptaveError | null;
  /** The request's correlationId once it is sent (`undefined` before, and when the params were refused). */
  correlationId: string | undefined;
}

/**
 * A request of `action` (a method name, e.g. `'insights'`) whose state the
 * component renders: `send(params)`, then `status`, `events` as frames
 * arrive, and `results` keyed by the superpowers of that action
 * (`SuperpowersOf<A>`; a second type argument names others). A new `send`
 * cancels the previous request; unmounting cancels. Throws an `OptaveError`
 * VALIDATION `NO_PROVIDER` outside an `<OptaveProvider>`.
 * @example
 * const { send, status, events, results, error } = useRequest('summarize');
 * // <button onClick={() => send(params)}>Summarize</button>
 * // results.summary?.message.results
 */
export function useRequest<A extends Action, K extends SuperpowerName = SuperpowersOf<A>>(action: A): UseRequestResult<A, K>;

/** Which events `useSuperpowerEvents()` keeps. */
export interface SuperpowerEventFilter {
  /**
   * Only the events of this request. Given as `undefined` (a `useRequest`'s
   * `correlationId` before its send), the hook shows no events yet.
   */
  correlationId?: string;
  /** Only the `superpower.response` frames of this superpower (errors are kept: an error frame may name none). */
  actionType?: SuperpowerName;
  /** How many events are kept, the newest (a whole number above 0; default 100). */
  limit?: number;
}

/**
 * The client's `superpower.response` frames and `superpower.error` errors
 * (`OptaveError`, category ORCHESTRATOR) since the component mounted, in
 * arrival order, for fire-and-forget sends (`client.summarize(params)`). The
 * filter is applied at each render to the client's newest 1,000 events (or
 * `limit`, if more), so an event that arrived before the render that names
 * its `correlationId` is shown, and a changed filter shows what matches it.
 * The list starts again when the provider's client changes. The listeners
 * go with the component. Throws an
 * `OptaveError`: VALIDATION `NO_PROVIDER` outside an `<OptaveProvider>`,
 * `INVALID_ARGUMENT` for a `limit` that is not a whole number above 0.
 */
export function useSuperpowerEvents(filter?: SuperpowerEventFilter): ReadonlyArray<SuperpowerEvent | OptaveError>;
