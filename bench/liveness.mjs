#!/usr/bin/env node
// Benchmark "recovery from a silent path" (BENCHMARKS.md): a connected client
// in headless Chromium with `staleAfterMs` set; one `summarizeAsync` tagged
// `fault:silent-connection` (the server, on reading it, stops reading and
// writing that connection and keeps its TCP connection open). Measured: from
// the send (the moment the path goes silent, within the server's read of the
// frame) to the request answered after the client found the connection
// stale, closed it (4000), reconnected and resent it. 20 runs (BENCH_RUNS);
// prints median and p90 against the target staleAfterMs + 1,000 ms.
//
//   node bench/liveness.mjs     (needs `make pkg` and `make server`)
//
// Environment: CHROMIUM, BENCH_RUNS (default 20), BENCH_STALE_MS (default 1500).

import { launchChromium } from '../tests/lib/chromium.mjs';
import { startServer } from '../tests/lib/local-server.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 20);
const STALE_MS = Number(process.env.BENCH_STALE_MS || 1500);
const TARGET_MS = STALE_MS + 1000;

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

const server = await startServer(['--no-auth', '--no-analysis'], { maxLifetimeSecs: 600 });
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/healthz`);
  const wsUrl = server.url.replace(/^http/, 'ws') + '/ws';
  const times = await page.evaluate(async ({ wsUrl, staleAfterMs, runs }) => {
    const { OptaveClient } = await import('/pkg/optave_client.js');
    const client = await OptaveClient.create({
      websocketUrl: wsUrl, authRequired: false, staleAfterMs, requestTimeoutMs: 30000,
      reconnect: { minDelayMs: 50, maxDelayMs: 400 },
    });
    await client.connect();
    const params = { request: { connections: { threadId: 'bench-live' }, context: { organizationId: 'org-1' },
      reference: { tags: ['fault:silent-connection=30000'] },
      scope: { conversations: [{ messages: [{ content: 'Where is my parcel?' }] }] } } };
    const out = [];
    for (let i = 0; i < runs; i += 1) {
      const t0 = performance.now();
      await client.summarizeAsync(params);
      out.push(performance.now() - t0);
      if (client.state !== 'connected') throw new Error(`run ${i}: ${client.state}`);
    }
    client.free();
    return out;
  }, { wsUrl, staleAfterMs: STALE_MS, runs: RUNS });
  const sorted = [...times].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const p90 = quantile(sorted, 0.9);
  const ok = p90 <= TARGET_MS;
  console.log('| row | staleAfterMs | runs | median | p90 | target | |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  console.log(`| recovery from a silent path | ${STALE_MS} ms | ${RUNS} | ${median.toFixed(0)} ms | ${p90.toFixed(0)} ms | ≤ ${TARGET_MS} ms | ${ok ? 'met' : 'missed'} |`);
  console.error(`runs (ms): ${times.map((t) => t.toFixed(0)).join(' ')}`);
} finally {
  await browser.close();
  await server.stop();
}
