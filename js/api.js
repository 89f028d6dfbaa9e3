
// The thin JavaScript layer of optave-client (appended to the generated glue
// by `make pkg`, so it shares the module of the `OptaveClient` class): the nine
// named senders and their `...Async` forms over the one exported sender pair
// `send(action, params)` / `sendAsync(action, params, options)`, and the
// official client's aliases. Typed in optave_client.d.ts (js/surface.d.ts).
for (const action of ['interaction', 'reception', 'elevate', 'adjust', 'summarize', 'translate',
  'recommend', 'insights', 'customerInteraction']) {
  OptaveClient.prototype[action] = function (params) { return this.send(action, params); };
  OptaveClient.prototype[action + 'Async'] = function (params, options) {
    return this.sendAsync(action, params, options);
  };
}
Object.assign(OptaveClient.prototype, {
  openConnection(token) { return this.connect(token); },
  closeConnection() { this.close(); },
  setSessionId(id) { this.sessionId = id; },
  getSessionId() { return this.sessionId; },
});
