/**
 * The HTTP/2 path gets the fault matrix HTTP/1.1 has: resets, truncated bodies, refused
 * streams, GOAWAY with and without an error, and a server's stream limit, against the flag
 * server over TLS; each held against the server's own counters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../src/models/index.js';
import { ALL_CODES } from '../src/countries.js';
import { type FaultKind, type FlagServer, type FlagServerOptions } from '../src/server/index.js';
import { planFor, settingsFor } from './helpers/plans.js';
import { withServer } from './helpers/flag-server.js';
import { testCertificate } from './helpers/tls-cert.js';

/** A TLS flag server (HTTP/2 by ALPN) with `options`, and the CA that trusts it. */
async function withH2Server(
  options: FlagServerOptions,
  body: (s: FlagServer, caPem: string) => Promise<void>,
): Promise<void> {
  const cert = await testCertificate();
  await withServer({ ...options, tls: { key: cert.keyPem, cert: cert.certPem } }, (s) => body(s, cert.caPem));
}

/** Each fault and its rate: the GOAWAYs take a connection (and goaway-error its streams in flight) with them, so they hit seldom. */
const MATRIX: readonly (readonly [FaultKind, number])[] = [
  ['reset', 0.15],
  ['truncate', 0.15],
  ['refuse', 0.15],
  ['goaway', 0.05],
  ['goaway-error', 0.03],
];
const TIMEOUT_MS = 5000;

for (const model of ['loop', 'workers'] as const) {
  test(`HTTP/2 fault matrix, ${model}: with --retries the faults are recovered, none waits out --timeout`, async () => {
    for (const [kind, rate] of MATRIX) {
      await withH2Server({ seed: 7, faults: [{ kind, rate }], delayMs: 5 }, async (s, caPem) => {
        const codes = ALL_CODES.slice(0, 60);
        const fetch = settingsFor(s.url, { caPem, protocol: 'h2', timeoutMs: TIMEOUT_MS, retries: 4 });
        const r = await runPlan(planFor(model, codes, s.url, { maxReq: 20, workers: 2, fetch }));
        const what = `${model} ${kind}: ${JSON.stringify(r.counters.errorsByReason)}`;
        if (kind === 'goaway-error') {
          // Every stream in flight (up to 20) dies with the session, and their retries go out
          // together on the next one: under load a few can use up their retries on dying sessions.
          assert.ok(r.counters.ok >= codes.length * 0.9, what);
          for (const reason of Object.keys(r.counters.errorsByReason))
            assert.match(reason, /^(reset|truncated)$/, what);
        } else assert.equal(r.counters.ok, codes.length, what);
        assert.ok((s.stats.byStatus[kind] ?? 0) > 0, `${what}: the fault never hit`);
        // A request left behind by a lost connection would wait the whole --timeout.
        assert.ok(r.latencyMs.max < TIMEOUT_MS, `${what}: a request waited ${r.latencyMs.max} ms`);
        if (kind === 'goaway' || kind === 'goaway-error')
          assert.ok(s.stats.sessions > r.connections, `${what}: the client connected again`);
      });
    }
  });
}

test('HTTP/2 without --retries: each fault is an error with its reason, never a hang', async () => {
  const want: Partial<Record<FaultKind, RegExp>> = {
    reset: /^(reset|truncated)$/,
    truncate: /^truncated$/,
    refuse: /^(reset|refused)$/,
    'goaway-error': /^(reset|truncated)$/,
  };
  for (const [kind, reason] of Object.entries(want)) {
    await withH2Server({ seed: 7, faults: [{ kind: kind as FaultKind, rate: 0.3 }] }, async (s, caPem) => {
      const fetch = settingsFor(s.url, { caPem, protocol: 'h2', timeoutMs: TIMEOUT_MS });
      const r = await runPlan(planFor('loop', ALL_CODES.slice(0, 40), s.url, { maxReq: 10, fetch }));
      const reasons = Object.keys(r.counters.errorsByReason);
      assert.ok(r.counters.errors > 0 && reasons.every((x) => reason.test(x)), `${kind}: ${reasons.join(', ')}`);
      assert.ok(r.latencyMs.max < TIMEOUT_MS, `${kind}: a request waited ${r.latencyMs.max} ms`);
    });
  }
});

test("HTTP/2: streams a server's limit refuses (SETTINGS_MAX_CONCURRENT_STREAMS 2, 12 in flight) are retried, never lost", async () => {
  await withH2Server({ limits: { maxStreams: 2 }, delayMs: 20 }, async (s, caPem) => {
    const fetch = settingsFor(s.url, { caPem, protocol: 'h2', timeoutMs: TIMEOUT_MS, retries: 8 });
    const r = await runPlan(planFor('loop', ALL_CODES.slice(0, 30), s.url, { maxReq: 12, fetch }));
    assert.equal(r.counters.ok, 30, JSON.stringify(r.counters.errorsByReason));
    assert.ok(s.stats.peakStreamsPerSession <= 2, `peak ${s.stats.peakStreamsPerSession} streams on one session`);
  });
});
