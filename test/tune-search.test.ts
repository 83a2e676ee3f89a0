import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closeToBest,
  coarseWorkers,
  verdictOf,
  logLevels,
  neighbours,
  tuneSearch,
  type TunePoint,
  type Trial,
} from '../src/compare/tune-search.js';

/**
 * A deterministic synthetic objective (the input of a pure search, not a stand-in for the
 * product): throughput peaks at `best` and falls off with log distance on both axes.
 * Each evaluation advances a virtual clock by `costMs`.
 */
function synthetic(
  best: TunePoint,
  costMs = 1000,
  noise?: () => number,
): { objective: (p: TunePoint) => Promise<number>; now: () => number; calls: TunePoint[] } {
  let clock = 0;
  const calls: TunePoint[] = [];
  const objective = (p: TunePoint): Promise<number> => {
    clock += costMs;
    calls.push(p);
    const dm = Math.log10(p.maxReq / best.maxReq);
    const dw = Math.log2(p.workers / best.workers);
    return Promise.resolve(10_000 * Math.exp(-dm * dm) * (1 - 0.15 * Math.abs(dw)) * (1 + (noise?.() ?? 0)));
  };
  return { objective, now: () => clock, calls };
}

/** A seeded PRNG (mulberry32) for reproducible noise. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPACE = { workers: [1, 2, 3, 4], maxReqMin: 1, maxReqMax: 2000 };

void test('logLevels and coarse workers', () => {
  assert.deepEqual(logLevels(1, 2000, 5), [1, 7, 45, 300, 2000]);
  assert.deepEqual(coarseWorkers([1, 2, 3, 4]), [1, 2, 4]);
  assert.deepEqual(coarseWorkers([1]), [1]);
});

void test('neighbours: max-req a factor either side (clamped), one worker count either side', () => {
  assert.deepEqual(neighbours({ workers: 2, maxReq: 100 }, 2, SPACE), [
    { workers: 2, maxReq: 50 },
    { workers: 2, maxReq: 200 },
    { workers: 1, maxReq: 100 },
    { workers: 3, maxReq: 100 },
  ]);
  assert.deepEqual(neighbours({ workers: 4, maxReq: 2000 }, 2, SPACE), [
    { workers: 4, maxReq: 1000 },
    { workers: 3, maxReq: 2000 },
  ]);
});

void test('finds the known best of a smooth objective within the budget, far fewer runs than a grid', async () => {
  const f = synthetic({ workers: 3, maxReq: 150 });
  const out = await tuneSearch(SPACE, f.objective, 60_000, f.now);
  assert.ok(out.best !== null);
  assert.equal(out.best.point.workers, 3);
  assert.ok(out.best.point.maxReq >= 120 && out.best.point.maxReq <= 190, `max-req ${out.best.point.maxReq}`);
  assert.ok(out.evaluations <= 60, `${out.evaluations} evaluations`);
  assert.ok(out.evaluations < 4 * 30, 'fewer than a 4 × 30 grid');
  assert.equal(out.trials.length, new Set(out.trials.map((t) => `${t.point.workers}×${t.point.maxReq}`)).size);
});

void test('stops when the budget would be exceeded', async () => {
  const f = synthetic({ workers: 2, maxReq: 50 }, 1000);
  const out = await tuneSearch(SPACE, f.objective, 7_500, f.now);
  assert.equal(out.stoppedBy, 'budget');
  assert.equal(out.evaluations, 7);
  assert.equal(f.calls.length, 7);
  // The first row measured is the middle worker count: a short budget still sweeps max-req.
  assert.deepEqual(
    f.calls.map((p) => p.workers),
    [2, 2, 2, 2, 2, 1, 1],
  );
});

void test('measures again what is too close to tell apart, and says how sure it is', async () => {
  const rand = seeded(7);
  const f = synthetic({ workers: 2, maxReq: 100 }, 1000, () => (rand() - 0.5) * 0.04);
  const out = await tuneSearch(SPACE, f.objective, 200_000, f.now);
  assert.equal(out.stoppedBy, 'converged');
  assert.ok(out.best !== null && out.runnerUp !== null);
  const close = closeToBest(out.trials);
  assert.ok(close.length >= 2, 'neighbours of the best are within 10 %');
  for (const t of close) assert.equal(t.samples.length, 5, `${t.point.workers}×${t.point.maxReq} measured 5 times`);
  assert.equal(f.calls.length, out.evaluations);
  assert.ok(['ahead', 'tie'].includes(out.verdict.level));
});

void test('a noisy objective still lands near the best', async () => {
  const rand = seeded(42);
  const f = synthetic({ workers: 2, maxReq: 300 }, 1000, () => (rand() - 0.5) * 0.1);
  const out = await tuneSearch(SPACE, f.objective, 80_000, f.now);
  assert.ok(out.best !== null);
  assert.ok(out.best.point.maxReq >= 150 && out.best.point.maxReq <= 600, `max-req ${out.best.point.maxReq}`);
  assert.ok(out.best.point.workers >= 1 && out.best.point.workers <= 3, `workers ${out.best.point.workers}`);
});

void test('failed runs count against the budget and are never the best', async () => {
  let clock = 0;
  const out = await tuneSearch(
    SPACE,
    (p) => {
      clock += 1000;
      return Promise.resolve(p.maxReq >= 300 ? null : p.maxReq);
    },
    30_000,
    () => clock,
  );
  assert.ok(out.best !== null);
  assert.ok(out.best.point.maxReq < 300);
  assert.ok(out.trials.some((t) => t.failures > 0));
});

void test('verdict from the one statistic: ahead where the interval excludes 1, tie, unconfirmed, single', () => {
  const t = (samples: number[]): Trial => ({
    point: { workers: 1, maxReq: 1 },
    phase: 'coarse',
    samples,
    failures: 0,
    score: {
      median: samples[Math.floor(samples.length / 2)] ?? 0,
      min: Math.min(...samples),
      max: Math.max(...samples),
    },
  });
  assert.equal(verdictOf(t([120, 125, 130]), t([100, 101, 102])).level, 'ahead');
  assert.equal(verdictOf(t([105, 106, 107]), t([100, 101, 102])).level, 'ahead');
  const v = verdictOf(t([105, 106, 107]), t([100, 101, 102]));
  assert.equal(v.ratio?.ratio, 106 / 101);
  assert.ok((v.ratio?.lo ?? 0) >= 105 / 102, 'every resampled ratio is at least min ÷ max');
  assert.equal(verdictOf(t([100, 106, 110]), t([95, 101, 104])).level, 'tie');
  assert.equal(verdictOf(t([100]), null).level, 'single');
  const c = verdictOf(t([172.7]), t([100]));
  assert.equal(c.level, 'unconfirmed', 'a 72.7 % lead from one run each decides nothing');
  assert.ok(c.lead !== null && Math.abs(c.lead - 0.727) < 1e-9);
});

void test('the best and the runner-up are measured again before a winner is called, even far apart', async () => {
  // One run per point puts the best 70 % ahead: the search must still confirm the top two.
  const f = synthetic({ workers: 2, maxReq: 100 }, 1000, () => 0);
  const out = await tuneSearch(SPACE, f.objective, 1_000_000, f.now);
  assert.ok(out.best !== null && out.runnerUp !== null);
  assert.ok(out.best.samples.length >= 3 && out.runnerUp.samples.length >= 3, 'top two measured 3 times at least');
  assert.notEqual(out.verdict.level, 'unconfirmed');
});
