/** bench --rates as logic: the matrix over rates, the run's arguments, the curve and its knee (hand-built reports). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMatrix, configKey } from '../src/compare/matrix.js';
import { downloadArgs } from '../src/compare/run-once.js';
import { runBench } from '../src/compare/run-bench.js';
import { kneeOf } from '../src/compare/curve.js';
import type { CurvePoint } from '../src/compare/curve-types.js';
import type { BenchConfig, Runner } from '../src/compare/types.js';
import { benchTextLines } from '../src/report/bench-table.js';
import { benchCsv } from '../src/report/bench-csv.js';
import { fakeReport, LOCAL_TARGET } from './helpers/bench-fixtures.js';
import type { LatencySummary } from '../src/stats/latency.js';

const lat = (p99: number, p50 = p99 / 4): LatencySummary => ({
  count: 400,
  min: 1,
  mean: p50,
  p50,
  p90: p99 / 2,
  p99,
  max: p99 * 1.2,
});

const point = (offeredPerSec: number, over: Partial<CurvePoint> = {}): CurvePoint => ({
  key: `loop m100 r${offeredPerSec}`,
  offeredPerSec,
  achievedPerSec: offeredPerSec,
  lateShare: 0,
  responseTimeMs: lat(10),
  serviceTimeMs: lat(10),
  spectrumMs: [],
  ...over,
});

void test('--rates multiplies every configuration, the added loop baselines included, and keys carry the rate', () => {
  const { configs } = buildMatrix({
    models: ['workers'],
    workers: [2],
    maxReq: [10],
    split: 'dynamic',
    rates: [100, 400],
  });
  assert.deepEqual(configs.map(configKey), [
    'workers w2 m10 dynamic r100',
    'workers w2 m10 dynamic r400',
    'loop m10 r100',
    'loop m10 r400',
  ]);
});

void test('a run at a rate asks download for --rate and --duration, not --repeat', () => {
  const config: BenchConfig = { model: 'loop', workers: 1, maxReq: 10, split: 'dynamic', rate: 250 };
  const args = downloadArgs(config, { ...LOCAL_TARGET, rateDurationMs: 1500 });
  assert.deepEqual(args.slice(args.indexOf('--rate'), args.indexOf('--rate') + 4), [
    '--rate',
    '250',
    '--duration',
    '1500ms',
  ]);
  assert.equal(args.includes('--repeat'), false);
  const closed = downloadArgs({ ...config, rate: undefined }, LOCAL_TARGET);
  assert.equal(closed.includes('--rate'), false);
  assert.equal(closed.includes('--repeat'), true);
});

void test('the knee: the first rate below 99 % achieved, too late, or whose p99 jumped', () => {
  const held = [point(100), point(200, { responseTimeMs: lat(19) })];
  assert.deepEqual(kneeOf(held), { knee: null, sustainedPerSec: 200 });
  const behind = kneeOf([...held, point(400, { achievedPerSec: 390 }), point(800)]);
  assert.equal(behind.knee?.offeredPerSec, 400);
  assert.equal(behind.knee?.reason, 'achieved');
  assert.equal(behind.sustainedPerSec, 200);
  assert.equal(kneeOf([point(100), point(200, { lateShare: 0.02 })]).knee?.reason, 'late');
  const jumped = kneeOf([point(100), point(200, { responseTimeMs: lat(25) })]);
  assert.equal(jumped.knee?.reason, 'p99');
  assert.match(jumped.knee?.words ?? '', /p99 jumped to 25 ms from 10 ms at 100 req\/s/);
  // Doubled but only a few ms above: scheduling noise, not a knee.
  assert.equal(kneeOf([point(100, { responseTimeMs: lat(1) }), point(200, { responseTimeMs: lat(3) })]).knee, null);
  assert.deepEqual(kneeOf([point(100, { achievedPerSec: 50 })]), {
    knee: {
      key: 'loop m100 r100',
      offeredPerSec: 100,
      reason: 'achieved',
      words: 'achieved 50 req/s, 50 % of offered',
    },
    sustainedPerSec: null,
  });
});

/** A runner whose loop keeps up to 200 req/s and falls behind above; workers keep up everywhere. */
const saturating: Runner = (config) => {
  const offered = config.rate ?? 0;
  const cap = config.model === 'loop' ? 200 : Infinity;
  const achieved = Math.min(offered, cap);
  const p99 = achieved < offered ? 900 : 12;
  return Promise.resolve(
    fakeReport({
      latencyMs: lat(p99),
      responseTimeMs: lat(p99),
      serviceTimeMs: lat(11),
      rate: {
        targetPerSec: offered,
        achievedPerSec: achieved,
        arrival: 'constant',
        seed: null,
        durationMs: 1000,
        started: offered,
        late: achieved < offered ? offered / 2 : 0,
        lateShare: achieved < offered ? 0.5 : 0,
        lateByMs: lat(0),
        startDelayMs: lat(0),
        responseTimeSpectrumMs: [
          { percentile: 0, ms: 1 },
          { percentile: 50, ms: p99 / 4 },
          { percentile: 99, ms: p99 },
          { percentile: 100, ms: p99 * 1.2 },
        ],
      },
    }),
  );
};

void test('a bench over rates gives one curve per configuration, its knee, and says it', async () => {
  const { configs, notes } = buildMatrix({
    models: ['loop', 'workers'],
    workers: [2],
    maxReq: [100],
    split: 'dynamic',
    rates: [100, 200, 400],
  });
  const target = { ...LOCAL_TARGET, rateDurationMs: 1000 };
  const plan = { title: 't', configs, notes, target, delayMs: null, runs: 3, warmup: 0, command: '' };
  const result = await runBench(plan, saturating, { readLoad: null });
  const curves = result.curves ?? [];
  assert.deepEqual(
    curves.map((c) => [c.name, c.sustainedPerSec, c.knee?.offeredPerSec ?? null]),
    [
      ['loop m100', 200, 400],
      ['workers w2 m100 dynamic', 400, null],
    ],
  );
  const loop400 = curves[0]?.points[2];
  assert.equal(loop400?.achievedPerSec, 200);
  assert.equal(loop400?.responseTimeMs.p99, 900);
  assert.equal(loop400?.serviceTimeMs.p99, 11);
  assert.deepEqual(
    loop400?.spectrumMs.map((p) => p.percentile),
    [0, 50, 99, 100],
  );
  assert.match(
    result.verdict.join('\n'),
    /loop m100 held up to 200 req\/s \(p99 12 ms\); its knee: at 400 req\/s achieved 200/,
  );
  assert.match(result.verdict.join('\n'), /Highest rate held: 400 req\/s, by workers w2 m100 dynamic\./);
  const text = benchTextLines(result).join('\n');
  assert.match(text, /194 codes repeated for 1 s at each offered rate/);
  assert.match(text, /loop m100 +100 +100 +0\.0%/);
  assert.match(text, / 400 +200 +50\.0% .* knee \(achieved\)/);
  const csv = benchCsv(result).split('\n');
  const header = (csv[0] ?? '').split(',');
  const row = (csv.find((l) => l.startsWith('loop m100 r400,')) ?? '').split(',');
  assert.equal(row[header.indexOf('rate.achievedPerSec')], '200');
  assert.equal(row[header.indexOf('curves.knee.reason')], 'achieved');
});
