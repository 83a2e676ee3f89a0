import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIGITS, HIGHEST_US, LatencyRecorder, mergeEncoded, type LatencySummary } from '../src/stats/latency.js';

function assertOrdered(s: LatencySummary, what: string): void {
  const chain = [s.min, s.p50, s.p90, s.p99, s.max];
  for (let i = 1; i < chain.length; i++)
    assert.ok((chain[i - 1] as number) <= (chain[i] as number), `${what}: ${JSON.stringify(s)}`);
  assert.ok(s.min <= s.mean && s.mean <= s.max, `${what}: mean within min–max: ${JSON.stringify(s)}`);
}

test('latency: min ≤ p50 ≤ p90 ≤ p99 ≤ max for one recorder and for merged workers (one source: the histogram)', () => {
  // Values in the hundreds of ms land in buckets ~0.5 ms wide: the bucket's top can lie above the max.
  const recorders = [new LatencyRecorder(), new LatencyRecorder(), new LatencyRecorder(), new LatencyRecorder()];
  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 4000; i++) (recorders[i % 4] as LatencyRecorder).record(400 + random() * 139.4);
  for (const [i, r] of recorders.entries()) assertOrdered(r.summary(), `worker ${i + 1}`);
  assertOrdered(mergeEncoded(recorders.map((r) => r.encode())), 'merged');
  for (const ms of [538.7, 0.001, 3_599_999]) {
    const one = new LatencyRecorder();
    one.record(ms);
    assertOrdered(one.summary(), `one value ${ms}`);
    assertOrdered(mergeEncoded([one.encode()]), `one value ${ms}, merged`);
  }
});

test('latency: the same figures as hdr-histogram-js for the same values, recorded and merged', async () => {
  const { default: hdr } = await import('hdr-histogram-js/dist/Int32Histogram.js');
  const Hdr = hdr.default as unknown as new (
    lo: number,
    hi: number,
    digits: number,
  ) => {
    recordValue(v: number): void;
    readonly mean: number;
    readonly minNonZeroValue: number;
    readonly maxValue: number;
    getValueAtPercentile(p: number): number;
  };
  let seed = 11;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const spread of [1, 40, 3_000, 900_000]) {
    const parts = [new LatencyRecorder(), new LatencyRecorder(), new LatencyRecorder()];
    const whole = new LatencyRecorder();
    const theirs = new Hdr(1, HIGHEST_US, DIGITS);
    for (let i = 0; i < 2_000; i += 1) {
      const ms = 0.05 + random() * spread;
      (parts[i % 3] as LatencyRecorder).record(ms);
      whole.record(ms);
      theirs.recordValue(Math.max(1, Math.round(ms * 1000)));
    }
    const lo = theirs.minNonZeroValue;
    const hi = theirs.maxValue;
    const ms = (us: number): number => Math.round(Math.min(hi, Math.max(lo, us))) / 1000;
    const expected = {
      count: 2_000,
      min: ms(lo),
      mean: ms(theirs.mean),
      p50: ms(theirs.getValueAtPercentile(50)),
      p90: ms(theirs.getValueAtPercentile(90)),
      p99: ms(theirs.getValueAtPercentile(99)),
      max: ms(hi),
    };
    assert.deepEqual(whole.summary(), expected, `spread ${spread} ms`);
    const merged = mergeEncoded(parts.map((p) => p.encode()));
    // Merged buckets carry each bucket's lowest value: the extremes are those of the buckets.
    assert.deepEqual({ ...merged, min: expected.min, max: expected.max }, expected, `merged, spread ${spread} ms`);
  }
});
