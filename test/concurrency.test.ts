import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concurrencyOf, inFlightOf } from '../src/models/concurrency.js';
import { ALL_CODES } from '../src/countries.js';
import type { ModelName, RunPlan } from '../src/models/types.js';
import { planFor } from './helpers/plans.js';

const plan = (model: ModelName, n: number, over: Partial<RunPlan> = {}): RunPlan =>
  planFor(model, ALL_CODES.slice(0, n), 'http://127.0.0.1:9/flags', over);

test('concurrencyOf: never more requests in flight than requests to make, nor threads than either', () => {
  for (const model of ['sequential', 'loop', 'threads', 'workers'] as const) {
    for (const n of [1, 2, 3, 7, 194]) {
      for (const maxReq of [1, 2, 5, 50, 1000]) {
        for (const workers of [1, 2, 4, 64]) {
          for (const split of ['static', 'dynamic'] as const) {
            const c = concurrencyOf(plan(model, n, { maxReq, workers, split }));
            const what = `${model} n${n} m${maxReq} w${workers} ${split}`;
            assert.equal(c.lanes.length, c.threads, what);
            assert.ok(
              c.lanes.every((l) => l >= 1),
              what,
            );
            assert.ok(inFlightOf(c) <= Math.min(n, model === 'sequential' ? 1 : maxReq), what);
            assert.ok(c.threads <= n, what);
            if (c.shares !== null)
              assert.equal(
                c.shares.reduce((a, b) => a + b, 0),
                n,
                `${what}: shares add up`,
              );
            if (model === 'workers' || model === 'threads') assert.equal(c.threads, Math.min(workers, maxReq, n), what);
            if (model === 'threads') assert.equal(c.shares, null, `${what}: flags are handed out as lanes free up`);
          }
        }
      }
    }
  }
});

test('concurrencyOf: the shapes each model runs', () => {
  assert.deepEqual(concurrencyOf(plan('loop', 194, { maxReq: 100 })), { threads: 1, lanes: [100], shares: [194] });
  assert.deepEqual(concurrencyOf(plan('sequential', 194, { maxReq: 100 })), { threads: 1, lanes: [1], shares: [194] });
  assert.deepEqual(concurrencyOf(plan('threads', 194, { workers: 2, maxReq: 100 })), {
    threads: 2,
    lanes: [50, 50],
    shares: null,
  });
  assert.deepEqual(concurrencyOf(plan('threads', 194, { workers: 3, maxReq: 100, split: 'static' })), {
    threads: 3,
    lanes: [34, 33, 33],
    shares: null,
  });
  assert.deepEqual(concurrencyOf(plan('workers', 194, { workers: 2, maxReq: 100, split: 'static' })), {
    threads: 2,
    lanes: [50, 50],
    shares: [97, 97],
  });
  assert.deepEqual(concurrencyOf(plan('workers', 1, { workers: 2, maxReq: 100 })), {
    threads: 1,
    lanes: [1],
    shares: null,
  });
  assert.deepEqual(concurrencyOf(plan('workers', 3, { workers: 2, maxReq: 100, repeat: 2 })).lanes, [3, 3]);
});
