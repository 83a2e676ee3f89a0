/** The showcase's same-rate scenario as logic: its rate, its configurations, and its words (hand-built reports). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configKey } from '../src/compare/matrix.js';
import { runBench } from '../src/compare/run-bench.js';
import { explainRate, rateSuite, sameRate } from '../src/compare/showcase-rate.js';
import { explainShowcase } from '../src/compare/showcase-scenarios.js';
import type { BenchResult, Runner } from '../src/compare/types.js';
import type { LatencySummary } from '../src/stats/latency.js';
import { fakeReport, LOCAL_TARGET } from './helpers/bench-fixtures.js';

const lat = (p99: number): LatencySummary => ({
  count: 300,
  min: 20,
  mean: p99 / 2,
  p50: p99 / 2,
  p90: p99,
  p99,
  max: p99,
});

/** Each model keeps up to its capacity (req/s) and queues beyond it, its threads busy as given. */
function atCapacity(capacity: Record<string, number>, elu: Record<string, number[]>): Runner {
  return (c) => {
    const offered = c.rate ?? 0;
    const achieved = Math.min(offered, capacity[c.model] ?? 0);
    const behind = achieved < offered;
    return Promise.resolve(
      fakeReport({
        elu: elu[c.model] ?? [0.5],
        responseTimeMs: lat(behind ? 640 : 31),
        serviceTimeMs: lat(29),
        rate: {
          targetPerSec: offered,
          achievedPerSec: achieved,
          arrival: 'constant',
          seed: null,
          durationMs: 1500,
          started: 300,
          late: behind ? 180 : 0,
          lateShare: behind ? 0.6 : 0,
          lateByMs: lat(0),
          startDelayMs: lat(0),
          responseTimeSpectrumMs: [],
        },
      }),
    );
  };
}

async function sameRateResult(capacity: Record<string, number>, elu: Record<string, number[]>): Promise<BenchResult> {
  const spec = rateSuite(250, 3, 2, 'decode', 20);
  const target = { ...LOCAL_TARGET, serverLabel: 'DELAY', rateDurationMs: spec.rateDurationMs };
  return runBench({ ...spec, target, delayMs: 20, command: '' }, atCapacity(capacity, elu), { readLoad: null });
}

void test('the same-rate scenario offers every model 1.25× what the loop managed closed', () => {
  const cpu = { configs: [{ config: { model: 'loop' }, goodRuns: 3, requestsPerSec: { median: 203 } }] };
  assert.equal(sameRate(cpu as unknown as BenchResult), 250);
  const spec = rateSuite(250, 3, 2, 'decode', 20);
  assert.deepEqual(spec.configs.map(configKey), [
    'loop m100 decode r250',
    'threads w2 m100 decode r250',
    'workers w2 m100 dynamic decode r250',
  ]);
  assert.equal(spec.server.label, 'DELAY');
});

void test('in words: the loop falls behind (late, p99 against service time, its ELU), workers hold it', async () => {
  const r = await sameRateResult({ loop: 200, threads: 400, workers: 400 }, { loop: [0.99], workers: [0.71, 0.69] });
  const text = explainRate(r).join('\n');
  assert.match(text, /^At the same offered rate of 250 req\/s/);
  assert.match(
    text,
    /loop -m 100 fell behind: it achieved 200 req\/s \(80 % of offered\), 60 % of requests started late and its p99 response time was 640 ms \(service time p99 29\.0 ms: the difference is time spent waiting for a free lane; its event loop busy 99 %\)/,
  );
  assert.match(
    text,
    /workers -w 2 -m 100 held it: p99 31\.0 ms \(service time p99 29\.0 ms\), 0\.0 % of requests late, its threads busy 71 % · 69 %/,
  );
  assert.match(text, /Worker threads split the decoding over the cores and keep the schedule\./);
  const all = explainShowcase([r, r, r, r]).join('\n');
  assert.match(all, /At the same offered rate of 250 req\/s/, 'the showcase explains its fourth scenario');
  const none = await sameRateResult({ loop: 100, threads: 100, workers: 100 }, {});
  assert.match(explainRate(none).join('\n'), /No model kept 250 req\/s on this machine/);
});
