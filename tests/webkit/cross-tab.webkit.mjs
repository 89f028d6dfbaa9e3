// One connection across tabs (`crossTab: { key }`) in WebKitGTK: several
// windows of one MiniBrowser session (WebKitWebDriver, tests/lib/webkit.mjs;
// `driver.switchTo().newWindow('window')`) against a local OCO server of this
// file's own: five windows with one key share one socket and one leader, a
// sixth key makes a second socket, and closing the leader window hands its
// followers' requests over once (tests/lib/cross-tab-webdriver.mjs). Once
// with a window per tab (each visible), once with tabs of one window
// (`newWindow('tab')`: MiniBrowser's background tabs report
// `document.visibilityState` 'hidden').
//
//   make test-webkit      (xvfb-run; scripts/test-webkit.sh)
//
// Environment: WEBKITDRIVER, MINIBROWSER.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/local-server.mjs';
import { inStartTab } from '../lib/cross-tab.mjs';
import { crossTabScenarios } from '../lib/cross-tab-webdriver.mjs';
import { startWebKit } from '../lib/webkit.mjs';

crossTabScenarios('WebKit', startWebKit, 'window');
crossTabScenarios('WebKit', startWebKit, 'tab');

describe('the role of a lone client in WebKit', () => {
  let server;
  let wk;

  before(async () => {
    [server, wk] = await Promise.all([startServer([], { maxLifetimeSecs: 120 }), startWebKit()]);
  });

  after(async () => {
    await wk?.quit();
    await server?.stop();
  });

  test('the first client with crossTab leads; one without it is solo', async () => {
    await wk.driver.get(`${server.url}/healthz`);
    await wk.evaluate(inStartTab, { key: 'lone' });
    const first = await wk.waitFor(() => window.__tab.client.crossTabRole === 'leader' && { role: window.__tab.client.crossTabRole, state: window.__tab.client.state }, null, { message: 'the lone client leads' });
    assert.deepEqual(first, { role: 'leader', state: 'connected' });
    const solo = await wk.evaluate(async () => {
      const { OptaveClient } = await import('/pkg/optave_client.js');
      const c = new OptaveClient({ websocketUrl: location.origin.replace(/^http/, 'ws') + '/ws', tokenProvider: async () => 'unused' });
      const role = c.crossTabRole;
      c.free();
      window.__tab.client.free();
      return role;
    });
    assert.equal(solo, 'solo');
  });
});
