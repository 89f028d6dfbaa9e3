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
const Ctx = createContext(null);
const NONE = [];
const IDLE = { status: 'idle', events: NONE, results: {}, errors: NONE, error: null, correlationId: undefined };

const invalid = (code, message, suggestions) => new OptaveError({ category: 'VALIDATION', code, message, suggestions });

// The options' values as a string: a new object with the same values gives the
// same key; a function counts only by its presence.
const optionsKey = (options) => JSON.stringify(options, (_, v) => {
  if (typeof v === 'function') return '\0fn';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const sorted = {};
    for (const k of Object.keys(v).sort()) sorted[k] = v[k];
    return sorted;
  }
  return v;
});

// A copy of `value` whose functions call the ones at the same place of the
// latest options (`read()` gives the object at this place), with their `this`.
// Only plain objects are copied: an instance (a logger class) is kept as given.
function live(value, read) {
  if (!value || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out = {};
  for (const k of Object.keys(value)) {
    out[k] = typeof value[k] === 'function' ? (...args) => read()?.[k]?.(...args) : live(value[k], () => read()?.[k]);
  }
  return out;
}

// One client the provider made: created and connected at once, released by
// release() (a client that arrives after its release is freed on arrival).
function open(options, report) {
  const box = { client: null, released: false, timer: undefined };
  box.ready = OptaveClient.create(options).then((client) => {
    if (box.released) {
      client.free();
      return null;
    }
    box.client = client;
    client.connect().catch((e) => box.released || report(e));
    return client;
  }, (e) => {
    report(e);
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
  const latest = useRef(null);
  const held = useRef(null);
  const current = useRef(null);
  // The client once there is one (a send made before it waits); one function
  // for the provider's life, so that no hook sees it change.
  const [waiting] = useState(() => {
    const waiters = [];
    return {
      waiters,
      wait: () => (current.current ? Promise.resolve(current.current) : new Promise((r) => waiters.push(r))),
    };
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
      setMade(null);
    }
    box.ready.then((c) => c && held.current === box && !box.released && setMade(c));
    return () => {
      box.timer = setTimeout(() => release(box), GRACE_MS);
    };
  }, [key, given]);

  useEffect(() => {
    current.current = client;
    if (client) for (const resolve of waiting.waiters.splice(0)) resolve(client);
  }, [client]);

  const value = useMemo(() => ({ client, wait: waiting.wait }), [client]);
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

/** client.state, rendered again on every stateChange; 'initialized' without a client. Throws VALIDATION NO_PROVIDER outside a provider. */
export function useConnectionState() {
  const { client } = useOptave('useConnectionState');
  const subscribe = useMemo(
    () => (onChange) => (client ? quietly(client.on('stateChange', onChange)) : () => {}),
    [client],
  );
  return useSyncExternalStore(subscribe, () => stateOf(client), () => 'initialized');
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
 * The client's superpower.response frames and superpower.error errors, newest
 * `filter.limit` (default 100), filtered by `correlationId` / `actionType`;
 * the listeners go with the component. Throws VALIDATION NO_PROVIDER outside
 * a provider, INVALID_ARGUMENT for a bad limit.
 */
export function useSuperpowerEvents(filter) {
  const { client } = useOptave('useSuperpowerEvents');
  const limit = filter?.limit ?? 100;
  if (!(Number.isInteger(limit) && limit > 0)) {
    throw invalid('INVALID_ARGUMENT', `useSuperpowerEvents(): filter.limit must be a whole number above 0, got ${String(limit)}`, ['Leave limit out (100 newest events kept) or pass e.g. { limit: 50 }']);
  }
  const [events, setEvents] = useState(NONE);
  const latest = useRef(filter);
  useEffect(() => {
    latest.current = filter;
  });
  useEffect(() => {
    if (!client) return undefined;
    const push = (ev) => {
      const f = latest.current ?? {};
      if (f.correlationId !== undefined && ev.correlationId !== f.correlationId) return;
      if (f.actionType !== undefined && !(ev instanceof OptaveError) && ev.actionType !== f.actionType) return;
      setEvents((list) => [...list, ev].slice(-(f.limit ?? 100)));
    };
    const offs = [client.on('superpower.response', push), client.on('superpower.error', push)].map(quietly);
    return () => offs.forEach((off) => off());
  }, [client]);
  return events;
}
