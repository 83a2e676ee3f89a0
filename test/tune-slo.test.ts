/** tune --slo as logic: the target's syntax, a run judged against it, and the search over simulated configurations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSlo, type SloTrial } from '../src/compare/slo.js';
import { RESOLUTION, sloSearch, type SloObjective } from '../src/compare/slo-search.js';
import { sloCandidates } from '../src/compare/tune-slo.js';
import { UsageError } from '../src/errors.js';

void test('--slo reads p50/p90/p99/max, <= and a time; anything else is a UsageError naming --slo', () => {
  assert.deepEqual(parseSlo('p99<=50ms'), { percentile: 'p99', maxMs: 50, text: 'p99<=50ms' });
  assert.deepEqual(parseSlo(' max <= 1.5s '), { percentile: 'max', maxMs: 1500, text: 'max<=1500ms' });
  assert.equal(parseSlo('P90<20').maxMs, 20);
  for (const bad of ['p95<=50ms', 'p99>=50ms', 'p99<=', 'p99<=0ms', '50ms', 'p99<=5m'])
    assert.throws(
      () => parseSlo(bad),
      (e: unknown) => e instanceof UsageError && /^--slo takes/.test(e.message),
      bad,
    );
});

/** Candidates that meet p99 <= 50 ms up to `caps[i]` req/s and fall behind above; a fake clock of 1 s a run. */
function simulated(
  caps: readonly number[],
  serviceMs = 10,
): { objective: SloObjective; clock: () => number; runs: () => number } {
  let t = 0;
  let n = 0;
  const objective: SloObjective = (i, perSec) => {
    t += 1000;
    n++;
    const ok = perSec <= (caps[i] ?? 0);
    const trial: SloTrial = {
      offeredPerSec: perSec,
      achievedPerSec: ok ? perSec : (caps[i] ?? 0),
      lateShare: ok ? 0 : 0.4,
      responseMs: ok ? serviceMs : 900,
      serviceMs,
      missed: ok && serviceMs <= 50 ? null : ok ? `p99 ${serviceMs} ms` : 'achieved less',
      floor: ok && serviceMs > 50,
    };
    return Promise.resolve(trial);
  };
  return { objective, clock: () => t, runs: () => n };
}

void test('the search brackets each candidate within its resolution and recommends the cheapest within it of the best', async () => {
  const sim = simulated([150, 700, 760, 300]);
  const out = await sloSearch(4, sim.objective, { budgetMs: 1e9, now: sim.clock });
  assert.equal(out.stoppedBy, 'done');
  const held = out.candidates.map((c) => c.heldPerSec ?? 0);
  assert.ok((held[0] ?? 0) > 0 && (held[0] ?? 0) <= 150, `candidate 0 held ${held[0]} of 150`);
  for (const [i, cap] of [
    [1, 700],
    [2, 760],
  ] as const) {
    const h = held[i] ?? 0;
    // Rates are rounded to two digits: the bracket is within the resolution, give or take that rounding.
    assert.ok(h <= cap && h * RESOLUTION * 1.05 >= cap, `candidate ${i}: held ${h} for a cap of ${cap}`);
  }
  assert.ok(out.best === 1 || out.best === 2, `best ${out.best}`);
  // 700 is within the resolution of 760: the cheaper one is recommended, not the best.
  assert.equal(out.choice, 1);
  assert.equal(out.candidates[3]?.stop, 'behind', 'a candidate far behind the best is left early');
});

void test('a target no configuration meets gives no recommendation; a slow service time ends the search at once', async () => {
  const sim = simulated([100, 200], 80);
  const out = await sloSearch(2, sim.objective, { budgetMs: 1e9, now: sim.clock });
  assert.equal(out.choice, null);
  assert.equal(out.best, null);
  assert.deepEqual(
    out.candidates.map((c) => c.stop),
    ['floor', 'floor'],
  );
  assert.equal(sim.runs(), 2, 'one run each: no lower rate brings the service time under the target');
});

void test('a service time over the target under load, above a rate held, does not end the search', async () => {
  // Up to 300 req/s the service time is 10 ms; above, the loaded client's own service time is 80 ms.
  let t = 0;
  const out = await sloSearch(
    1,
    (_i, perSec) => {
      t += 1000;
      const loaded = perSec > 300;
      return Promise.resolve({
        offeredPerSec: perSec,
        achievedPerSec: perSec,
        lateShare: 0,
        responseMs: loaded ? 90 : 12,
        serviceMs: loaded ? 80 : 10,
        missed: loaded ? 'p99 90 ms' : null,
        floor: loaded,
      });
    },
    { budgetMs: 1e9, now: () => t },
  );
  const [c] = out.candidates;
  assert.equal(c?.stop, 'bracketed');
  assert.ok((c?.heldPerSec ?? 0) * RESOLUTION >= 300 && (c?.heldPerSec ?? 0) <= 300, `held ${c?.heldPerSec}`);
});

void test('with a rate: the cheapest candidate that holds it (most of its runs), or none', async () => {
  const sim = simulated([100, 500, 900]);
  const out = await sloSearch(3, sim.objective, { budgetMs: 1e9, now: sim.clock, holdPerSec: 400 });
  assert.equal(out.choice, 1);
  assert.equal(out.candidates[2]?.trials.length, 0, 'a dearer candidate is not tried once a cheaper one holds');
  assert.equal(out.candidates[2]?.stop, 'unneeded');
  const none = await sloSearch(3, simulated([100, 200, 300]).objective, {
    budgetMs: 1e9,
    now: () => 0,
    holdPerSec: 400,
  });
  assert.equal(none.choice, null);
  assert.equal(none.stoppedBy, 'done');
});

void test("runs that keep failing end a candidate's search instead of looping on it", async () => {
  let runs = 0;
  const out = await sloSearch(
    2,
    () => {
      runs++;
      return Promise.resolve(null);
    },
    { budgetMs: 1e9, now: () => runs * 1000 },
  );
  assert.deepEqual(
    out.candidates.map((c) => [c.stop, c.failures]),
    [
      ['failed', 3],
      ['failed', 3],
    ],
  );
  assert.equal(out.choice, null);
  assert.equal(out.stoppedBy, 'done');
});

void test('the budget ends the search and says so', async () => {
  const sim = simulated([700, 760]);
  const out = await sloSearch(2, sim.objective, { budgetMs: 3500, now: sim.clock });
  assert.equal(out.stoppedBy, 'budget');
  assert.ok(sim.runs() <= 3);
});

void test('candidates come cheapest first: the loop, then fewer threads, then fewer requests in flight', () => {
  const keys = sloCandidates({ model: 'workers', maxWorkers: 4, base: { split: 'dynamic' } }).map(
    (c) => `${c.model} ${c.workers} ${c.maxReq}`,
  );
  assert.deepEqual(keys, [
    'loop 1 10',
    'loop 1 100',
    'loop 1 1000',
    'workers 2 10',
    'workers 2 100',
    'workers 2 1000',
    'workers 4 10',
    'workers 4 100',
    'workers 4 1000',
  ]);
});
