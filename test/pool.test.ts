import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discardEarly, startEarly, startPool, threadsPool, workersPool } from '../src/models/pool.js';
import { planFor } from './helpers/plans.js';
import { ALL_CODES } from '../src/countries.js';

const plan = planFor('workers', ALL_CODES, 'http://127.0.0.1:9/flags', { workers: 2, maxReq: 10 });

test('a pool started early is the one the run takes over, with its threads up', async () => {
  const early = startEarly(workersPool(plan));
  const ready = await startPool(workersPool(plan), 0);
  try {
    assert.equal(ready.pool, early);
    assert.equal(ready.pool.threads.length, 2);
  } finally {
    await ready.close();
  }
});

test('the threads model pool is taken over the same way, its threads running their lanes once up', async () => {
  const threads = { ...plan, model: 'threads' as const };
  const spec = threadsPool(threads);
  assert.equal(spec.tasksPerThread, 5, '-m 10 over 2 threads');
  const early = startEarly(threadsPool(threads));
  const ready = await startPool(spec, 0);
  try {
    assert.equal(ready.pool, early);
    assert.equal(ready.pool.threads.length, 2);
  } finally {
    await ready.close();
  }
});

test('an early pool for another spec is destroyed, and the run gets a pool of its own', async () => {
  const early = startEarly(workersPool({ ...plan, workers: 1 }));
  const ready = await startPool(workersPool(plan), 0);
  try {
    assert.notEqual(ready.pool, early);
    assert.equal(early.threads.length, 0);
    assert.equal(ready.pool.threads.length, 2);
  } finally {
    await ready.close();
  }
});

test('discardEarly ends an early pool that no run took', async () => {
  const early = startEarly(workersPool(plan));
  await discardEarly();
  assert.equal(early.threads.length, 0);
  await discardEarly();
});
