// The thin JavaScript layer of optave-client: `defineApi(OptaveClient)`
// defines it on the class wasm-bindgen generates (js/entry.js calls it on the
// glue's class; the browser tests, on the class of their own build). It uses
// only the class's public members.
//
// 1. The nine named senders and their `...Async` forms over the one exported
//    sender pair `send(action, params)` / `sendAsync(action, params, options)`,
//    the official client's aliases, and request handles (`request()`) over
//    `trackRequest`.
// 2. A freed client: every member throws the SDK's own error (VALIDATION
//    `CLIENT_FREED`) rather than the glue's "null pointer passed to rust", and
//    a second `free()` does nothing.
// 3. `free()` from inside a listener that runs while a method of the same
//    client is still on the stack: the release waits until that method returns
//    (the glue cannot take the client while a method borrows it).
// Typed in optave_client.d.ts (js/surface.d.ts). Defining it twice on one
// class does nothing the second time.
export function defineApi(OptaveClient) {
  if (!Object.prototype.hasOwnProperty.call(OptaveClient.prototype, 'interaction')) {
    const proto = OptaveClient.prototype;
    for (const action of ['interaction', 'reception', 'elevate', 'adjust', 'summarize', 'translate',
      'recommend', 'insights', 'customerInteraction']) {
      proto[action] = function (params) { return this.send(action, params); };
      proto[action + 'Async'] = function (params, options) {
        return this.sendAsync(action, params, options);
      };
    }
    // Request handles: `client.request(action, params, { timeoutMs, settleMs })`
    // sends now (or queues) and gives every frame of that one request as an
    // async iterator, and `settled()` once every superpower that started has
    // completed or failed and nothing new came for `settleMs` (that rule is the
    // core's; this class only keeps the frames for the page's readers).
    class RequestHandle {
      constructor(client, keepMs) {
        this.correlationId = undefined;
        Object.defineProperties(this, {
          _client: { value: client },
          _keepMs: { value: keepMs },
          _frames: { value: [], writable: true },
          _errors: { value: [] },
          _results: { value: {} },
          _end: { value: null, writable: true },
          _wake: { value: [], writable: true },
          _readers: { value: 0, writable: true },
          _dropAt: { value: undefined, writable: true },
        });
        const settled = new Promise((resolve, reject) => {
          Object.defineProperties(this, { _resolve: { value: resolve }, _reject: { value: reject } });
        });
        settled.catch(() => {}); // a failure nobody awaits is not an unhandled rejection
        Object.defineProperty(this, '_settled', { value: settled });
      }
      /** Resolves `{ correlationId, results, errors }` once settled; rejects on timeout, cancel, close or loss. */
      settled() { return this._settled; }
      /** Cancels the request: `settled()` rejects and readers end with REQUEST_CANCELLED. */
      cancel() {
        if (this._end || this.correlationId === undefined) return false;
        try { return this._client.cancelRequest(this.correlationId); } catch (_) { return false; }
      }
      [Symbol.asyncIterator]() {
        const self = this;
        let i = 0;
        let open = true;
        let waiting = null; // this reader's next() waiting for a frame
        self._readers++;
        const finish = () => {
          if (!open) return;
          open = false;
          self._readers--;
          if (self._readers === 0 && self._dropAt !== undefined && Date.now() >= self._dropAt) self._frames = null;
        };
        return {
          next() {
            return new Promise((resolve, reject) => {
              const step = () => {
                if (!open) return resolve({ value: undefined, done: true });
                if (self._frames && i < self._frames.length) return resolve({ value: self._frames[i++], done: false });
                if (self._end) {
                  finish();
                  return self._end.error ? reject(self._end.error) : resolve({ value: undefined, done: true });
                }
                waiting = step;
                self._wake.push(step);
              };
              step();
            });
          },
          return() {
            finish();
            // A next() still waiting ends now, as done.
            const w = waiting;
            waiting = null;
            if (w) w();
            return Promise.resolve({ value: undefined, done: true });
          },
          [Symbol.asyncIterator]() { return this; },
        };
      }
      _notify() {
        const wake = this._wake;
        this._wake = [];
        for (const step of wake) step();
      }
      _frame(ev) {
        if (this._end) return;
        if (this._frames) this._frames.push(ev);
        if (ev && typeof ev.actionType === 'string' && ev.state !== 'started') this._results[ev.actionType] = ev;
        this._notify();
      }
      _error(err, ev) {
        if (this._end) return;
        this._errors.push(err);
        // Readers get superpower events: an error frame without an
        // actionType (an error envelope) is in settled()'s errors only.
        if (this._frames && ev && typeof ev.actionType === 'string') this._frames.push(ev);
        this._notify();
      }
      _finish(end) {
        this._end = end;
        this._notify();
        // Late readers get the frames for `settleMs` more; then they are let go.
        this._dropAt = Date.now() + this._keepMs;
        setTimeout(() => { if (this._readers === 0) this._frames = null; }, this._keepMs);
      }
      _settle() {
        if (this._end) return;
        this._resolve({ correlationId: this.correlationId, results: this._results, errors: this._errors });
        this._finish({});
      }
      _fail(err) {
        if (this._end) return;
        this._reject(err);
        this._finish({ error: err });
      }
    }
    proto.request = function (action, params, options) {
      let keep = 400;
      try {
        if (options && typeof options.settleMs === 'number' && options.settleMs >= 0) keep = options.settleMs;
      } catch (_) { /* a throwing getter: trackRequest refuses these options */ }
      const handle = new RequestHandle(this, Math.min(keep, 60000));
      handle.correlationId = this.trackRequest(action, params, options, handle);
      return handle;
    };

    Object.assign(proto, {
      openConnection(token) { return this.connect(token); },
      closeConnection() { this.close(); },
      setSessionId(id) { this.sessionId = id; },
      getSessionId() { return this.sessionId; },
    });

    const depth = new WeakMap();
    const pendingFree = new WeakSet();
    const freed = new WeakSet();
    const release = proto.free;
    // A member used without its client (`const { interaction } = client`):
    // an OptaveError (the class of clientFreedError's), not the glue's TypeError.
    const unbound = (name) => new (OptaveClient.clientFreedError().constructor)({
      category: 'VALIDATION',
      code: 'INVALID_ARGUMENT',
      message: `${name} was used without its client (a detached method or accessor)`,
      suggestions: [`Call it on the client: client.${name}`, `Or bind it: client.${name}.bind(client)`],
    });
    const guard = (name, f) => function (...args) {
      if (!(this instanceof OptaveClient)) throw unbound(name);
      if (freed.has(this)) throw OptaveClient.clientFreedError();
      depth.set(this, (depth.get(this) ?? 0) + 1);
      try {
        return f.apply(this, args);
      } finally {
        const d = depth.get(this) - 1;
        depth.set(this, d);
        if (d === 0 && pendingFree.has(this)) {
          pendingFree.delete(this);
          freed.add(this);
          release.call(this);
        }
      }
    };
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name === 'free' || name.startsWith('__')) continue;
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof d.value === 'function') d.value = guard(name, d.value);
      if (d.get) d.get = guard(name, d.get);
      if (d.set) d.set = guard(name, d.set);
      Object.defineProperty(proto, name, d);
    }
    proto.free = function () {
      if (!(this instanceof OptaveClient)) throw unbound('free');
      if (freed.has(this)) return;
      if ((depth.get(this) ?? 0) > 0) pendingFree.add(this);
      else {
        freed.add(this);
        release.call(this);
      }
    };
    if (typeof Symbol.dispose === 'symbol' && proto[Symbol.dispose]) proto[Symbol.dispose] = proto.free;
  }
}
