import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CODES } from '../src/countries.js';
import { runPlan } from '../src/models/index.js';
import { countsAddUp } from '../src/stats/counters.js';
import { startFlagServer } from '../src/server/index.js';
import { planFor, settingsFor } from './helpers/plans.js';
import { testCertificate } from './helpers/tls-cert.js';
import { startTlsFlagServer } from './helpers/tls-server.js';

// The threads model: --workers threads, --max-req in flight in total, one task per flag
// handed out by the main thread; each thread runs up to its lane at once (Piscina's tasks
// per thread, spread by the least-busy balancer).

test('threads over HTTP/2: one connection per thread, never more streams on it than its lane', async () => {
  const cert = await testCertificate();
  // The delay keeps a thread's requests open until the others have arrived.
  const server = await startTlsFlagServer(cert, 50);
  try {
    for (const [workers, lanes] of [
      [2, [10, 10]],
      [3, [7, 7, 6]],
    ] as const) {
      server.stats.connections = 0;
      server.stats.peakStreamsPerConnection = 0;
      const fetch = settingsFor(server.url, { caPem: cert.caPem, protocol: 'h2' });
      const r = await runPlan(planFor('threads', ALL_CODES.slice(0, 60), server.url, { workers, maxReq: 20, fetch }));
      const what = `-w ${workers} -m 20`;
      assert.equal(r.counters.ok, 60, what);
      assert.deepEqual([r.workers, r.maxReq, r.connections], [workers, 20, workers], what);
      assert.equal(server.stats.connections, workers, `${what}: each thread's own connection`);
      // Each session is one thread's: its peak of open streams is that thread's peak in flight.
      const peak = server.stats.peakStreamsPerConnection;
      assert.ok(peak <= Math.max(...lanes), `${what}: ${peak} streams at once on one thread, lanes ${lanes.join(',')}`);
      assert.ok(peak >= 2, `${what}: a thread runs several flags at once (peak ${peak})`);
      assert.equal(r.perWorker.length, workers, `${what}: every thread downloaded`);
      for (const w of r.perWorker) assert.ok(w.counters.ok > 0 && countsAddUp(w.counters), what);
    }
  } finally {
    await server.close();
  }
});

test('threads over HTTP/1.1: a connection per request in flight, and never more than --max-req in flight', async () => {
  const server = await startFlagServer({ delayMs: 20 });
  try {
    const r = await runPlan(planFor('threads', ALL_CODES, server.url, { workers: 2, maxReq: 16 }));
    assert.equal(r.counters.ok, 194);
    assert.ok(countsAddUp(r.counters));
    assert.deepEqual([r.workers, r.maxReq, r.connections], [2, 16, 16]);
    assert.ok(server.stats.peakInFlight <= 16, `peak ${server.stats.peakInFlight}`);
    assert.equal(server.stats.connections, 16, 'each thread opened its lane of connections, and kept them');
    assert.equal(server.stats.requests, 194);
  } finally {
    await server.close();
  }
});

test('threads: progress counts per thread (one bar each), adding up to the run', async () => {
  const server = await startFlagServer({ delayMs: 5 });
  try {
    let last: readonly number[] = [];
    const r = await runPlan(planFor('threads', ALL_CODES, server.url, { workers: 2, maxReq: 8 }), {
      onProgress: (done) => (last = done),
    });
    assert.equal(last.length, 2, 'one count per thread');
    assert.ok(
      last.every((n) => n > 0),
      `each thread counted its own flags: ${last.join(', ')}`,
    );
    assert.equal(last[0]! + last[1]!, 194);
    assert.deepEqual(
      [...last].sort((a, b) => a - b),
      r.perWorker.map((w) => w.counters.total).sort((a, b) => a - b),
    );
  } finally {
    await server.close();
  }
});

test('threads: a thread that dies mid-run fails only the flags it had in flight, as "worker died"; counts add up', async () => {
  const server = await startFlagServer({ delayMs: 20 });
  process.env['FLAGFETCH_CRASH_WORKER'] = '1:5';
  try {
    const seen = new Map<string, number>();
    const r = await runPlan(planFor('threads', ALL_CODES, server.url, { workers: 2, maxReq: 8 }), {
      onOutcome: (o) => seen.set(o.cc, (seen.get(o.cc) ?? 0) + 1),
    });
    const died = r.counters.errorsByReason['worker died'] ?? 0;
    assert.ok(died >= 1 && died <= 4, `the dead thread's lane at most: ${JSON.stringify(r.counters)}`);
    assert.equal(r.counters.total, 194);
    assert.equal(r.counters.ok + died, 194, JSON.stringify(r.counters));
    assert.ok(countsAddUp(r.counters));
    assert.equal(seen.size, 194, 'every flag had its outcome');
  } finally {
    delete process.env['FLAGFETCH_CRASH_WORKER'];
    await server.close();
  }
});
