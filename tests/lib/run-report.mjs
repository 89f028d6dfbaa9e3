// The check of tests/consumers/run.js's report (window.__consumer): the page
// connected, sent one insights request, got every superpower the local server
// sends for it completed (www-demo/server/README.md), and closed cleanly.
// Used by the consumer projects (Chromium) and the WebKit suite.

import assert from 'node:assert/strict';

export const RUN_JS = new URL('../consumers/run.js', import.meta.url);
const INSIGHTS_TYPES = ['performance_criteria', 'sentiment_analysis'];

export function assertRunReport(label, got) {
  assert.ok(got, `${label}: the page gave no report`);
  assert.equal(got.ok, true, `${label}: ${got.error}`);
  assert.equal(got.connectedState, 'connected');
  assert.deepEqual(got.completed, INSIGHTS_TYPES, `${label}: frames ${got.frames}`);
  for (const type of INSIGHTS_TYPES) {
    assert.ok(got.frames.includes(`${type}:started`), `${label}: frames ${got.frames}`);
    assert.ok(got.frames.includes(`${type}:completed`), `${label}: frames ${got.frames}`);
  }
  assert.deepEqual(got.errors, []);
  assert.deepEqual(got.close, { code: 1000, wasClean: true });
  assert.equal(got.closedState, 'closed');
}
