import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickCheapest, withinNoise } from '../src/compare/tune-pick.js';
import { runTune, workerSpace, type TunePlan } from '../src/compare/tune-run.js';
import type { Trial } from '../src/compare/tune-search.js';
import { costWords, recommendationLines, tuneTextLines } from '../src/report/bench-tune.js';
import type { BenchConfig, Runner } from '../src/compare/types.js';
import { spreadOf } from '../src/compare/sample-stats.js';
import { fakeReport, LOCAL_TARGET } from './helpers/bench-fixtures.js';

const trial = (workers: number, maxReq: number, samples: number[]): Trial => ({
  point: { workers, maxReq },
  phase: 'confirm',
  samples,
  failures: 0,
  score: spreadOf(samples),
});

void test('the cheapest within noise of the best: the loop first, then fewest threads, then fewest in flight', () => {
  const best = trial(2, 200, [1000, 1010, 990]);
  const sameW1 = trial(1, 300, [995, 1005, 1000]);
  const sameW1Low = trial(1, 50, [1002, 990, 1008]);
  const slower = trial(0, 100, [700, 710, 690]);
  const few = trial(1, 10, [1000]);
  assert.equal(withinNoise(best, sameW1), true);
  assert.equal(withinNoise(best, slower), false, 'its interval excludes 1');
  assert.equal(withinNoise(best, few), false, 'one run proves nothing');
  const ran = {
    '2×200': { threads: 2, inFlight: 200, connections: 200, cpuMs: 300 },
    '1×50': { threads: 1, inFlight: 50, connections: 50, cpuMs: 200 },
  };
  const choice = pickCheapest([best, sameW1, sameW1Low, slower, few], best, ran);
  assert.deepEqual(choice?.point, { workers: 1, maxReq: 50 });
  assert.deepEqual(choice?.bestCosts, { threads: 1, inFlight: 150, connections: 150, cpuShare: 0.5 });
  assert.equal(choice?.overLoop?.decision, 'faster', '-w 1 -m 50 beat the loop at -m 100');
  assert.equal(costWords(choice?.bestCosts ?? null), '1 more thread, 150 more requests in flight and 50 % more CPU');
  const loopTies = trial(0, 14, [1000, 995, 1003]);
  const withLoop = pickCheapest([best, sameW1, loopTies], best, {
    ...ran,
    '0×14': { threads: 1, inFlight: 14, connections: 14, cpuMs: 150 },
  });
  assert.deepEqual(withLoop?.point, { workers: 0, maxReq: 14 }, 'the loop when it is as good');
  assert.deepEqual(withLoop?.bestCosts, { threads: 2, inFlight: 186, connections: 186, cpuShare: 1 });
  assert.equal(
    costWords({ threads: 0, inFlight: 0, connections: 1, cpuShare: null }),
    '1 more connection',
    'over HTTP/2 connections follow threads',
  );
  assert.equal(costWords({ threads: -1, inFlight: -20, connections: -20, cpuShare: -0.1 }), '', 'fewer is no cost');
  assert.equal(pickCheapest([], null, {}), null);
});

/** A tune whose runs give `rate(config)` req/s, the n-th run of every point jittering alike by up to 1 %. */
async function tuneWith(rate: (c: BenchConfig) => number): Promise<Awaited<ReturnType<typeof runTune>>> {
  let clock = 0;
  const seen = new Map<string, number>();
  const runner: Runner = (c) => {
    clock += 1000;
    const key = `${c.model} ${c.workers} ${c.maxReq}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const rps = rate(c) * ([1, 1.01, 0.99, 1.005, 0.995][n % 5] ?? 1);
    const cpu = c.model === 'loop' ? 100 : 100 + 30 * c.workers;
    return Promise.resolve(
      fakeReport({ elapsedMs: (194 * 1000) / rps, workers: c.workers, maxReq: c.maxReq, cpuUserMs: cpu }),
    );
  };
  const plan: TunePlan = {
    model: 'workers',
    split: 'dynamic',
    target: LOCAL_TARGET,
    delayMs: 500,
    budgetMs: 120_000,
    space: { workers: workerSpace('workers', 4), maxReqMin: 1, maxReqMax: 2000 },
  };
  return runTune(plan, runner, { now: () => clock, readLoad: null });
}

void test('tune on a waiting-bound server: use the loop, and what the best costs more', async () => {
  // Throughput is requests in flight ÷ delay up to 194 in flight; threads add nothing.
  const report = await tuneWith((c) => Math.min(c.maxReq, 194) * 2);
  assert.equal(report.choice?.point.workers, 0);
  const text = tuneTextLines(report).join('\n');
  assert.match(text, /^Recommended: flagfetch download --model loop -m \d+ {2}\(/m);
  assert.match(
    text,
    /^Use the loop: threads add nothing here: the best, -w \d -m \d+, ran 1\.0\d× \([\d.]+–[\d.]+\) its throughput, within noise, and costs \d more threads? and \d+ % more CPU\.$/m,
  );
  assert.match(text, /more threads?|more requests in flight/);
  assert.match(text, /the single loop measured beside the threads/);
  assert.ok(
    report.trials.some((t) => t.point.workers === 0 && t.samples.length >= 3),
    'the loop measured 3 times',
  );
});

void test('tune where threads pay: the fewest threads as good as the best, and how much they beat the loop', async () => {
  // CPU-bound client: two threads double the loop, more add nothing.
  const report = await tuneWith((c) => Math.min(c.maxReq, 50) * 20 * (c.model === 'loop' ? 1 : Math.min(c.workers, 2)));
  assert.equal(report.choice?.point.workers, 2);
  const lines = recommendationLines(report);
  assert.match(lines[0] ?? '', /^Recommended: flagfetch download --model workers -w 2 -m \d+ /);
  assert.match(
    lines.join('\n'),
    /Worker threads help here: -w 2 -m \d+ ran 2\.0\d× \([\d.]+–[\d.]+\) the loop's best \(loop -m \d+\)\./,
  );
});

void test('tune where the loop itself is the fastest: use the loop, and what the best with threads did', async () => {
  const report = await tuneWith((c) => Math.min(c.maxReq, 194) * 2 * (c.model === 'loop' ? 1 : 0.996));
  assert.equal(report.best?.point.workers, 0);
  const text = recommendationLines(report).join('\n');
  assert.match(text, /^Recommended: flagfetch download --model loop -m \d+ /);
  assert.match(
    text,
    /^Use the loop: threads add nothing here: the best with threads, -w \d -m \d+, ran [01]\.\d\d× \([\d.]+–[\d.]+\) its throughput, within noise\.$/m,
  );
});
