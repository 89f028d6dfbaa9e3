
// The thin JavaScript layer of optave-client (appended to the generated glue
// by `make pkg`, so it shares the module of the `OptaveClient` class).
//
// 1. The nine named senders and their `...Async` forms over the one exported
//    sender pair `send(action, params)` / `sendAsync(action, params, options)`,
//    and the official client's aliases.
// 2. A freed client: every member throws the SDK's own error (VALIDATION
//    `CLIENT_FREED`) rather than the glue's "null pointer passed to rust", and
//    a second `free()` does nothing.
// 3. `free()` from inside a listener that runs while a method of the same
//    client is still on the stack: the release waits until that method returns
//    (the glue cannot take the client while a method borrows it).
// Typed in optave_client.d.ts (js/surface.d.ts).
if (!Object.prototype.hasOwnProperty.call(OptaveClient.prototype, 'interaction')) {
  const proto = OptaveClient.prototype;
  for (const action of ['interaction', 'reception', 'elevate', 'adjust', 'summarize', 'translate',
    'recommend', 'insights', 'customerInteraction']) {
    proto[action] = function (params) { return this.send(action, params); };
    proto[action + 'Async'] = function (params, options) {
      return this.sendAsync(action, params, options);
    };
  }
  Object.assign(proto, {
    openConnection(token) { return this.connect(token); },
    closeConnection() { this.close(); },
    setSessionId(id) { this.sessionId = id; },
    getSessionId() { return this.sessionId; },
  });

  const depth = new WeakMap();
  const pendingFree = new WeakSet();
  const release = proto.free;
  const guard = (f) => function (...args) {
    if (!this.__wbg_ptr) throw OptaveClient.clientFreedError();
    depth.set(this, (depth.get(this) ?? 0) + 1);
    try {
      return f.apply(this, args);
    } finally {
      const d = depth.get(this) - 1;
      depth.set(this, d);
      if (d === 0 && pendingFree.has(this)) {
        pendingFree.delete(this);
        release.call(this);
      }
    }
  };
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor' || name === 'free' || name.startsWith('__')) continue;
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (typeof d.value === 'function') d.value = guard(d.value);
    if (d.get) d.get = guard(d.get);
    if (d.set) d.set = guard(d.set);
    Object.defineProperty(proto, name, d);
  }
  proto.free = function () {
    if (!this.__wbg_ptr) return;
    if ((depth.get(this) ?? 0) > 0) pendingFree.add(this);
    else release.call(this);
  };
  if (typeof Symbol.dispose === 'symbol' && proto[Symbol.dispose]) proto[Symbol.dispose] = proto.free;
}
