import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CODES, everyCode } from '../src/countries.js';
import { MODEL_NAMES, type RunResult } from '../src/models/types.js';
import { runPlan } from '../src/models/index.js';
import { countsAddUp } from '../src/stats/counters.js';
import { startFlagServer } from '../src/server/index.js';
import { planFor } from './helpers/plans.js';

const EVERY = everyCode();

function counts(r: RunResult): string {
  const c = r.counters;
  return JSON.stringify({
    total: c.total,
    ok: c.ok,
    notFound: c.notFound,
    errors: c.errors,
    cancelled: c.cancelled,
    bytes: c.bytes,
    reasons: Object.entries(c.errorsByReason).sort(),
  });
}

test('all four models give the same counts on LOCAL, and never exceed --max-req in flight', async () => {
  const server = await startFlagServer({});
  try {
    const seen = new Set<string>();
    for (const model of MODEL_NAMES) {
      server.stats.reset();
      const r = await runPlan(planFor(model, EVERY, server.url, { maxReq: 8, workers: 3 }));
      assert.equal(r.counters.ok, 194, model);
      assert.equal(r.counters.notFound, 676 - 194, model);
      assert.ok(countsAddUp(r.counters), model);
      assert.ok(
        server.stats.peakInFlight <= (model === 'sequential' ? 1 : 8),
        `${model}: peak ${server.stats.peakInFlight}`,
      );
      assert.equal(server.stats.requests, 676, model);
      seen.add(counts(r));
    }
    assert.equal(seen.size, 1, [...seen].join('\n'));
  } finally {
    await server.close();
  }
});

test('all four models give the same counts on DELAY', async () => {
  const server = await startFlagServer({ delayMs: 40 });
  try {
    const seen = new Set<string>();
    for (const model of MODEL_NAMES) {
      const codes = model === 'sequential' ? ALL_CODES.slice(0, 10) : ALL_CODES.slice(0, 40);
      const r = await runPlan(planFor(model, codes, server.url, { maxReq: 20, workers: 2 }));
      assert.ok(r.latencyMs.p50 >= 40, `${model} p50 ${r.latencyMs.p50}`);
      seen.add(JSON.stringify({ ok: r.counters.ok / codes.length, errors: r.counters.errors }));
    }
    assert.equal(seen.size, 1, [...seen].join('\n'));
  } finally {
    await server.close();
  }
});

test('all four models give the same counts on a seeded ERROR server', async () => {
  const server = await startFlagServer({ errorRate: 0.25, errorDelayMs: 5, seed: 42 });
  try {
    const seen = new Set<string>();
    for (const model of MODEL_NAMES) {
      server.reset();
      const r = await runPlan(planFor(model, ALL_CODES, server.url, { maxReq: 10, workers: 2 }));
      assert.ok(r.counters.errors > 20 && r.counters.errors < 80, `${model}: ${r.counters.errors} errors`);
      assert.ok(countsAddUp(r.counters));
      seen.add(counts(r));
    }
    assert.equal(seen.size, 1, [...seen].join('\n'));
  } finally {
    await server.close();
  }
});

test('static and dynamic splits cover every code exactly once, with repeat', async () => {
  const server = await startFlagServer({});
  try {
    for (const split of ['static', 'dynamic'] as const) {
      const seen = new Map<string, number>();
      const r = await runPlan(planFor('workers', EVERY, server.url, { split, workers: 3, maxReq: 7, repeat: 2 }), {
        onOutcome: (o) => seen.set(o.cc, (seen.get(o.cc) ?? 0) + 1),
      });
      assert.equal(r.counters.total, 676 * 2);
      assert.equal(seen.size, 676, split);
      assert.ok(
        [...seen.values()].every((n) => n === 2),
        split,
      );
      assert.equal(r.perWorker.length, 3);
      assert.equal(
        r.perWorker.reduce((a, w) => a + w.counters.total, 0),
        676 * 2,
      );
      for (const w of r.perWorker) assert.ok(countsAddUp(w.counters));
      if (split === 'static')
        assert.deepEqual(
          r.perWorker.map((w) => w.counters.total),
          [451, 451, 450],
        );
    }
  } finally {
    await server.close();
  }
});

test('workers divide --max-req among them: the total in flight never exceeds it', async () => {
  const server = await startFlagServer({ delayMs: 20 });
  try {
    const r = await runPlan(planFor('workers', ALL_CODES, server.url, { workers: 3, maxReq: 10 }));
    assert.equal(r.counters.ok, 194);
    assert.ok(server.stats.peakInFlight <= 10, `peak ${server.stats.peakInFlight}`);
    assert.ok(server.stats.peakInFlight >= 8, `peak ${server.stats.peakInFlight}: the budget should be used`);
    assert.ok(r.startupMs > 0);
    for (const w of r.perWorker) assert.ok(w.eventLoopUtilization > 0 && w.eventLoopUtilization <= 1);
  } finally {
    await server.close();
  }
});

test('a worker that dies never hangs the run: its codes are run again and the failure is reported', async () => {
  const server = await startFlagServer({ delayMs: 5 });
  process.env['FLAGFETCH_CRASH_WORKER'] = '2:10';
  try {
    for (const split of ['dynamic', 'static'] as const) {
      const seen = new Map<string, number>();
      const r = await runPlan(planFor('workers', ALL_CODES, server.url, { split, workers: 3, maxReq: 9 }), {
        onOutcome: (o) => seen.set(o.cc, (seen.get(o.cc) ?? 0) + 1),
      });
      assert.match(r.failure ?? '', /worker 2 died/, split);
      assert.equal(r.counters.total, 194, split);
      assert.equal(r.counters.ok, 194, `${split}: ${JSON.stringify(r.counters)}`);
      assert.equal(r.perWorker.length, 4, 'three workers and the one that ran the leftovers');
      for (const w of r.perWorker) assert.ok(countsAddUp(w.counters));
    }
  } finally {
    delete process.env['FLAGFETCH_CRASH_WORKER'];
    await server.close();
  }
});

test('dynamic split: when the only worker dies, every code nobody had claimed is still run, and the message says so', async () => {
  const server = await startFlagServer({});
  process.env['FLAGFETCH_CRASH_WORKER'] = '1:3';
  try {
    const r = await runPlan(planFor('workers', ALL_CODES, server.url, { split: 'dynamic', workers: 1, maxReq: 1 }));
    assert.equal(r.counters.ok, 194, JSON.stringify(r.counters));
    assert.ok(countsAddUp(r.counters));
    assert.match(r.failure ?? '', /worker 1 died .*191 codes nobody had claimed were run by worker 2/);
    assert.equal(server.stats.requests, 194, 'each code asked once');
  } finally {
    delete process.env['FLAGFETCH_CRASH_WORKER'];
    await server.close();
  }
});

test('an aborted run stops dispatching, reports what it did and counts the rest as cancelled', async () => {
  const server = await startFlagServer({ delayMs: 50 });
  try {
    for (const model of MODEL_NAMES) {
      const controller = new AbortController();
      // Abort on an event, never on a wall-clock guess: after the fifth outcome.
      let outcomes = 0;
      const r = await runPlan(planFor(model, EVERY, server.url, { maxReq: 4, workers: 2 }), {
        signal: controller.signal,
        onOutcome: () => {
          outcomes += 1;
          if (outcomes === 5) controller.abort();
        },
      });
      assert.equal(r.interrupted, true, model);
      assert.ok(r.counters.cancelled > 0, model);
      assert.ok(r.counters.ok + r.counters.notFound > 0, model);
      assert.equal(r.counters.total, 676, model);
      assert.ok(countsAddUp(r.counters), model);
    }
  } finally {
    await server.close();
  }
});
