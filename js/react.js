// optave-client/react: React bindings of the package (React 18 and 19, an
// optional peer dependency, never bundled). `make pkg` minifies this file into
// pkg/react.js; its types are js/react.d.ts; docs/react.md is the user guide.
//
// - <OptaveProvider options> creates one client for its subtree (in an effect:
//   nothing runs on the server) and connects it. The client it made is
//   released (close(), free()) GRACE_MS after the provider's effect is cleaned
//   up, unless the same provider mounts again first: StrictMode's mount ->
//   unmount -> mount keeps one client and one socket. A change of the options'
//   values (functions aside: the latest ones are called) replaces the client
//   at once. A `client` prop is the page's own: never connected, closed or
//   freed here.
// - The hooks read the provider's context; outside one they throw an
//   OptaveError (VALIDATION NO_PROVIDER).
// - useRequest() drives a request handle (client.request); its errors land in
//   the hook's `error`, never in an unhandled rejection.
import { createContext, createElement, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { OptaveClient, OptaveError } from './optave_client.js';

const GRACE_MS = 250;
// useSuperpowerEvents: how many of a client's newest events are kept to filter.
const STORE = 1000;
const Ctx = createContext(null);
const NONE = [];
const IDLE = { status: 'idle', events: NONE, results: {}, errors: NONE, error: null, correlationId: undefined };

const invalid = (code, message, suggestions) => new OptaveError({ category: 'VALIDATION', code, message, suggestions });

const plain = (v) => Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null;

// The options' values as a string: a new object with the same values gives the
// same key. Only plain objects and arrays are read: a function, or any other
// object (a logger that is a class instance, whatever its fields hold), counts
// only by its presence, and a cycle ends where it starts again.
function optionsKey(v, seen = []) {
  if (typeof v === 'function') return 'f';
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || typeof v !== 'object') {
    return typeof v === 'number' && !Number.isFinite(v) ? String(v) : (JSON.stringify(v) ?? 'u');
  }
  if (!Array.isArray(v) && !plain(v)) return 'o';
  if (seen.includes(v)) return 'c';
  seen.push(v);
  const key = Array.isArray(v)
    ? `[${v.map((x) => optionsKey(x, seen)).join()}]`
    : `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${optionsKey(v[k], seen)}`).join()}}`;
  seen.pop();
  return key;
}

// A copy of `value` whose functions call the ones at the same place of the
// latest options (`read()` gives the object at this place), with their `this`.
// Only plain objects are copied: an instance (a logger class) is kept as given.
function live(value, read) {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !plain(value)) return value;
  const out = {};
  for (const k of Object.keys(value)) {
    out[k] = typeof value[k] === 'function' ? (...args) => read()?.[k]?.(...args) : live(value[k], () => read()?.[k]);
  }
  return out;
}

// One client the provider made: created and connected at once, released by
// release() (a client that arrives after its release is freed on arrival).
// `ready` resolves with the client, or null (create() failed: `error`).
function open(options, report) {
  const box = { client: null, released: false, timer: undefined, error: null };
  box.ready = OptaveClient.create(options).then((client) => {
    if (box.released) {
      client.free();
      return null;
    }
    box.client = client;
    client.connect().catch((e) => box.released || report(e));
    return client;
  }, (e) => {
    box.error = e;
    if (!box.released) report(e);
    return null;
  });
  return box;
}

function release(box) {
  clearTimeout(box.timer);
  box.released = true;
  const client = box.client;
  box.client = null;
  if (client) {
    try {
      client.close();
      client.free();
    } catch { /* already freed by the page */ }
  }
}

const stateOf = (client) => {
  try {
    return client ? client.state : 'initialized';
  } catch {
    return 'closed'; // freed
  }
};

// Removes a listener; the client may have been freed (free() removed it already).
const quietly = (off) => () => {
  try {
    off();
  } catch { /* freed */ }
};

/**
 * Gives its subtree one client: made from `options` (created and connected in
 * an effect, closed and freed after the last unmount) or the page's own
 * `client` (never connected, closed or freed here). `onError` gets the
 * failures of create() and of the first connect(). Throws an OptaveError,
 * VALIDATION INVALID_OPTION / INVALID_ARGUMENT, for bad props. Types and
 * details: react.d.ts.
 */
export function OptaveProvider({ options, client: given, onError, children }) {
  if (given != null && !(given instanceof OptaveClient)) {
    throw invalid('INVALID_ARGUMENT', 'OptaveProvider: the client prop must be an OptaveClient', ['Pass `await OptaveClient.create(options)`, or leave `client` out and pass `options`']);
  }
  if (given == null && (options === null || typeof options !== 'object')) {
    throw invalid('INVALID_OPTION', 'OptaveProvider: options must be an object of client options (websocketUrl, tokenProvider, ...)', ['<OptaveProvider options={{ websocketUrl, tokenProvider }}>', 'Or pass a client of your own: <OptaveProvider client={client}>']);
  }
  const key = given == null ? optionsKey(options) : '';
  const [made, setMade] = useState(null);
  const [failure, setFailure] = useState(null);
  const latest = useRef(null);
  const held = useRef(null);
  const current = useRef(null);
  // The client once there is one (a send made before it waits; after a
  // failed create() it rejects with that error, until other options make
  // another client); one function for the provider's life, so that no hook
  // sees it change.
  const [waiting] = useState(() => {
    const w = {
      waiters: [],
      failed: null,
      wait: () => {
        if (current.current) return Promise.resolve(current.current);
        if (w.failed) return Promise.reject(w.failed);
        return new Promise((resolve, reject) => w.waiters.push({ resolve, reject }));
      },
      fail: (error) => {
        w.failed = error;
        for (const { reject } of w.waiters.splice(0)) reject(error);
      },
    };
    return w;
  });
  const client = given ?? made;

  useEffect(() => {
    latest.current = { options, onError };
  });

  useEffect(() => {
    if (given != null) return undefined;
    let box = held.current;
    if (box && box.key === key && !box.released) {
      clearTimeout(box.timer); // mounted again within the grace period (StrictMode)
    } else {
      if (box) release(box);
      const report = (e) => (latest.current.onError ?? console.error)(e);
      box = held.current = open(live(options, () => latest.current.options), report);
      box.key = key;
      waiting.failed = null;
      setMade(null);
      setFailure(null);
    }
    box.ready.then((c) => {
      if (held.current !== box || box.released) return;
      if (c) {
        setMade(c);
      } else {
        waiting.fail(box.error);
        setFailure(box.error);
      }
    });
    return () => {
      // Released after the grace period: the subtree then has no client (a
      // provider kept alive, e.g. in a hidden <Activity>, or given a
      // `client` meanwhile, never hands out a freed one).
      box.timer = setTimeout(() => {
        const freed = box.client;
        release(box);
        if (held.current !== box) return;
        held.current = null;
        if (current.current === freed) current.current = null;
        setMade(null);
      }, GRACE_MS);
    };
  }, [key, given]);

  useEffect(() => {
    current.current = client;
    if (client) for (const { resolve } of waiting.waiters.splice(0)) resolve(client);
  }, [client]);

  const failed = given == null && made == null ? failure : null;
  const value = useMemo(() => ({ client, failed, wait: waiting.wait }), [client, failed]);
  return createElement(Ctx.Provider, { value }, children);
}

function useOptave(hook) {
  const ctx = useContext(Ctx);
  if (!ctx) {
    throw invalid('NO_PROVIDER', `${hook}() was called outside <OptaveProvider>: it reads the client an OptaveProvider above it creates`, [
      'Render this component inside <OptaveProvider options={...}>',
      "In Next.js (App Router), put <OptaveProvider> in a 'use client' component that wraps the tree",
    ]);
  }
  return ctx;
}

/** The provider's client, or null while it is made (and on the server). Throws VALIDATION NO_PROVIDER outside a provider. */
export function useOptaveClient() {
  return useOptave('useOptaveClient').client;
}

/**
 * client.state, rendered again on every stateChange; without a client,
 * 'initialized', or 'failed' when the provider's create() failed. Throws
 * VALIDATION NO_PROVIDER outside a provider.
 */
export function useConnectionState() {
  const { client, failed } = useOptave('useConnectionState');
  const subscribe = useMemo(
    () => (onChange) => (client ? quietly(client.on('stateChange', onChange)) : () => {}),
    [client],
  );
  const none = failed ? 'failed' : 'initialized';
  return useSyncExternalStore(subscribe, () => (client ? stateOf(client) : none), () => 'initialized');
}

// Cancels a request handle; false when there was nothing to cancel (or its client was freed).
const stop = (handle) => {
  try {
    return handle ? handle.cancel() : false;
  } catch {
    return false;
  }
};

/**
 * A request of `action` over client.request(): { send(params, options?),
 * cancel(), status, events, results, errors, error, correlationId }. A new
 * send cancels the previous one, unmounting cancels; what the client rejects
 * with lands in `error`. Throws VALIDATION NO_PROVIDER outside a provider.
 */
export function useRequest(action) {
  const { wait } = useOptave('useRequest');
  const [result, setResult] = useState(IDLE);
  const run = useRef(null);

  const api = useMemo(() => {
    // Drops the current run: its updates are ignored from now on.
    const drop = () => {
      const r = run.current;
      run.current = null;
      if (r) {
        r.dropped = true;
        stop(r.handle);
      }
    };
    const send = (params, options) => {
      drop();
      const r = { dropped: false, handle: null };
      run.current = r;
      const set = (update) => run.current === r && setResult(update);
      setResult({ ...IDLE, status: 'pending' });
      wait().then((c) => {
        if (r.dropped) return undefined;
        const handle = r.handle = c.request(action, params, options);
        set((s) => ({ ...s, correlationId: handle.correlationId }));
        (async () => {
          for await (const ev of handle) set((s) => ({ ...s, events: [...s.events, ev] }));
        })().catch(() => { /* settled() reports it */ });
        return handle.settled().then(({ correlationId, results, errors }) => set((s) => ({ ...s, status: 'settled', correlationId, results, errors })));
      }).catch((error) => set((s) => ({ ...s, status: 'failed', error })));
    };
    const cancel = () => {
      const r = run.current;
      if (!r) return false;
      if (r.handle) return stop(r.handle); // settled() rejects: status 'failed'
      if (r.dropped) return false;
      r.dropped = true; // not sent yet: it never will be
      setResult((s) => ({ ...s, status: 'failed', error: invalid('REQUEST_CANCELLED', `useRequest('${action}'): cancel() before the request was sent`, []) }));
      return true;
    };
    return { send, cancel, drop };
  }, [action, wait]);

  useEffect(() => api.drop, [api]);
  return { send: api.send, cancel: api.cancel, ...result };
}

/**
 * The client's superpower.response frames and superpower.error errors since
 * the component mounted, in arrival order: the newest `filter.limit` (default
 * 100) of those that match `correlationId` / `actionType` as they are at this
 * render (a `correlationId` key that is undefined matches nothing yet). The
 * list starts again when the client changes; the listeners go with the
 * component. Throws VALIDATION NO_PROVIDER outside a provider,
 * INVALID_ARGUMENT for a bad limit.
 */
export function useSuperpowerEvents(filter) {
  const { client } = useOptave('useSuperpowerEvents');
  const limit = filter?.limit ?? 100;
  if (!(Number.isInteger(limit) && limit > 0)) {
    throw invalid('INVALID_ARGUMENT', `useSuperpowerEvents(): filter.limit must be a whole number above 0, got ${String(limit)}`, ['Leave limit out (100 newest events kept) or pass e.g. { limit: 50 }']);
  }
  // Every event of `client`, the newest STORE (or `limit`, if more): the
  // filter is applied when rendering, so an event that arrives before the
  // render that names its correlationId is not lost.
  const [seen, setSeen] = useState({ client: null, list: NONE });
  const keep = Math.max(limit, STORE);
  const keepRef = useRef(keep);
  useEffect(() => {
    keepRef.current = keep;
  });
  useEffect(() => {
    if (!client) return undefined;
    const push = (ev) => setSeen((s) => ({ client, list: [...(s.client === client ? s.list : NONE), ev].slice(-keepRef.current) }));
    const offs = [client.on('superpower.response', push), client.on('superpower.error', push)].map(quietly);
    return () => offs.forEach((off) => off());
  }, [client]);
  const list = seen.client === client ? seen.list : NONE;
  const waitsForId = filter != null && typeof filter === 'object' && 'correlationId' in filter;
  const correlationId = filter?.correlationId;
  const actionType = filter?.actionType;
  return useMemo(() => {
    if (waitsForId && correlationId === undefined) return NONE;
    const matches = list.filter((ev) => (!waitsForId || ev.correlationId === correlationId)
      && (actionType === undefined || ev instanceof OptaveError || ev.actionType === actionType));
    return matches.length > limit ? matches.slice(-limit) : matches;
  }, [list, waitsForId, correlationId, actionType, limit]);
}
