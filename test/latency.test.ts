import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyRecorder, mergeEncoded, type LatencySummary } from '../src/stats/latency.js';

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
