/**
 * --rate over a queue: R split across shards by their share (each Poisson shard its own seed,
 * derived and reproducible), the new job and result fields validated as untrusted input, the
 * agents' tallies merged (counts add, histograms merged, achieved rates summed); and a real
 * run: redis-server, two agents as processes, a DELAY server on a free port.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { shardCount } from '../src/queue/coordinator.js';
import { mergeShardRates, readRateTally, readShardRate, shardSchedule, shardSeed } from '../src/queue/shard-rate.js';
import { RateRecorder, type RateTally } from '../src/stats/rate.js';
import { LatencyRecorder } from '../src/stats/latency.js';
import type { RateSchedule } from '../src/download/schedule.js';
import type { RunPlan } from '../src/models/types.js';
import { runCli } from './helpers/run-cli.js';
import { skipWithoutRedis, startRedis, type TestRedis } from './helpers/redis.js';
import { startAgent } from './helpers/agents.js';
import { startServe, type Running } from './helpers/serve-process.js';

const POISSON: RateSchedule = { perSec: 300, arrival: 'poisson', seed: 42, durationMs: 2000 };

void test('each shard offers its share of R, the shares add up to R; Poisson seeds derived per shard', () => {
  const sizes = [100, 250, 250];
  const parts = sizes.map((n, i) => shardSchedule(POISSON, n, 600, i));
  assert.deepEqual(
    parts.map((p) => p.perSec),
    [50, 125, 125],
  );
  assert.ok(parts.every((p) => p.arrival === 'poisson' && p.durationMs === 2000));
  assert.equal(new Set(parts.map((p) => p.seed)).size, 3, 'no two shards share a seed');
  assert.deepEqual(
    parts.map((p) => p.seed),
    sizes.map((n, i) => shardSchedule(POISSON, n, 600, i).seed),
    'the same run seed gives the same shard seeds',
  );
  assert.notEqual(shardSeed(43, 0), shardSeed(42, 0));
  assert.ok(parts.every((p) => Number.isSafeInteger(p.seed) && p.seed >= 0 && p.seed < 2 ** 31));
  const constant = shardSchedule({ ...POISSON, arrival: 'constant' }, 300, 600, 1);
  assert.deepEqual(constant, { perSec: 150, arrival: 'constant', seed: 42, durationMs: 2000 });
});

void test("a job's rate and a result's tally are read like command-line input", () => {
  assert.deepEqual(readShardRate(JSON.parse(JSON.stringify(POISSON))), POISSON);
  assert.equal(readShardRate(null), null);
  for (const [bad, message] of [
    [{ ...POISSON, perSec: 0 }, /job\.rate\.perSec must be above 0/],
    [{ ...POISSON, perSec: 'fast' }, /job\.rate\.perSec must be a number/],
    [{ ...POISSON, arrival: 'bursty' }, /job\.rate\.arrival must be one of constant, poisson/],
    [{ ...POISSON, seed: -1 }, /seed must be a whole number from 0/],
    [{ ...POISSON, durationMs: 0 }, /durationMs must be a whole number from 1/],
    ['200', /job\.rate is not an object/],
  ] as const)
    assert.throws(() => readShardRate(bad), message);
  const good = tally(10, 2, 100);
  assert.deepEqual(readRateTally(JSON.parse(JSON.stringify(good)), 10), good);
  for (const [bad, message] of [
    [{ ...good, started: 11 }, /started must be a whole number from 0 to 10/],
    [{ ...good, late: 11 }, /late must be a whole number from 0 to 10/],
    [{ ...good, firstStartMs: -1 }, /first and last start do not fit/],
    [{ ...good, responseTime: 'rm -rf' }, /result\.rate\.responseTime must be a string matching/],
  ] as const)
    assert.throws(() => readRateTally(bad, 10), message);
});

/** A shard's tally: `started` sends 1000/perSec ms apart (`late` of them late by 5 ms), each answered in 20 ms. */
function tally(started: number, late: number, perSec: number): RateTally {
  const r = new RateRecorder();
  for (let i = 0; i < started; i += 1) {
    r.sent(i < late ? 5 : 0.2, (i * 1000) / perSec, i < late);
    r.answered(20 + i);
  }
  return r.tally();
}

void test('merged: counts add, percentiles from the histograms merged, achieved rates summed', () => {
  const service = new LatencyRecorder();
  for (let i = 0; i < 300; i += 1) service.record(10);
  const merged = mergeShardRates(
    { ...POISSON, arrival: 'constant' },
    [tally(100, 0, 100), tally(200, 50, 200)],
    service.summary(),
  );
  assert.equal(merged.targetPerSec, 300);
  assert.equal(merged.started, 300);
  assert.equal(merged.late, 50);
  assert.equal(merged.lateShare, 50 / 300);
  assert.equal(Math.round(merged.achievedPerSec), 300);
  assert.equal(merged.responseTimeMs.count, 300);
  assert.equal(Math.round(merged.responseTimeMs.max), 219, 'the slowest of both shards');
  assert.equal(merged.lateByMs.count, 50);
  assert.equal(merged.startDelayMs.count, 300);
  assert.equal(merged.serviceTimeMs.count, 300);
});

void test('shard count under --rate: one per agent slot, and never more shards than run at once', () => {
  const plan = { codes: ['BR', 'FR'], repeat: 100, split: 'dynamic', rate: POISSON } as unknown as RunPlan;
  const agents = [
    { name: 'a', concurrency: 1, workers: 1 },
    { name: 'b', concurrency: 2, workers: 1 },
  ];
  assert.equal(shardCount(plan, agents, null), 3);
  assert.equal(shardCount(plan, agents, 2), 2);
  assert.throws(
    () => shardCount(plan, agents, 4),
    /^UsageError: --shards 4 with --rate: the agents run 3 shards at once/,
  );
});

let redis: TestRedis | undefined;
let serve: Running | undefined;

before(async () => {
  if (skipWithoutRedis !== false) return;
  redis = await startRedis();
  serve = await startServe(); // DELAY: every response after 50 ms
});

after(async () => {
  if (skipWithoutRedis !== false) return;
  await redis?.stop();
  if (serve === undefined) return;
  serve.child.kill('SIGINT');
  await serve.exited;
});

interface RateJson {
  total: number;
  ok: number;
  notFound: number;
  errors: number;
  cancelled: number;
  agents: { name: string; total: number }[];
  rate: { targetPerSec: number; achievedPerSec: number; started: number; late: number; lateShare: number };
  responseTimeMs: { count: number };
  serviceTimeMs: { count: number };
}

void test(
  'two agents at --rate 200 --duration 1s: about 200 requests, 200 req/s achieved, both agents sent',
  { skip: skipWithoutRedis, timeout: 30_000 },
  async () => {
    if (redis === undefined || serve === undefined) throw new Error('redis-server or the DELAY server did not start');
    const { url } = redis;
    const agents = await Promise.all(
      ['r1', 'r2'].map((name) => startAgent(url, ['--name', name, '-w', '1', '--no-save'])),
    );
    try {
      const r = await runCli([
        '-e',
        '-s',
        serve.urls.DELAY,
        '--no-save',
        '--queue',
        url,
        '--agents',
        '2',
        '-m',
        '40',
        '--rate',
        '200',
        '--duration',
        '1s',
        '--json',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as RateJson;
      assert.equal(j.total, 200, 'R × duration');
      assert.equal(j.ok + j.notFound + j.errors + j.cancelled, j.total);
      assert.equal(j.rate.targetPerSec, 200);
      assert.equal(j.rate.started, 200);
      assert.ok(Math.abs(j.rate.achievedPerSec - 200) <= 200 * 0.03, `achieved ${j.rate.achievedPerSec} req/s`);
      assert.ok(j.rate.late <= j.rate.started && j.rate.lateShare === Math.round((j.rate.late / 200) * 1e4) / 1e4);
      assert.equal(j.responseTimeMs.count, 200);
      assert.equal(j.serviceTimeMs.count, 200);
      assert.deepEqual(
        j.agents.map((a) => [a.name, a.total]),
        [
          ['r1', 100],
          ['r2', 100],
        ],
        'each agent ran its shard of 100',
      );
    } finally {
      for (const a of agents) assert.equal(await a.stop(), 130, a.stderr());
    }
  },
);
