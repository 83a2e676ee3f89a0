import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CODES } from '../src/countries.js';
import { MODEL_NAMES, type RunResult } from '../src/models/types.js';
import { runPlan } from '../src/models/index.js';
import { countsAddUp } from '../src/stats/counters.js';
import type { RateReport } from '../src/stats/rate.js';
import { SlotClock, poissonGapMs, slotsWithin, type RateSchedule } from '../src/download/schedule.js';
import { planFor } from './helpers/plans.js';
import { withServer } from './helpers/flag-server.js';

const constant = (perSec: number): RateSchedule => ({ perSec, arrival: 'constant', seed: 0, durationMs: null });
const poisson = (perSec: number, seed: number): RateSchedule => ({
  perSec,
  arrival: 'poisson',
  seed,
  durationMs: null,
});

function rateOf(r: RunResult): RateReport {
  assert.ok(r.rate !== undefined, 'a --rate run reports its rate');
  return r.rate;
}

test('constant arrivals: slot i starts at i/R, and a duration holds ceil(R × D) slots', () => {
  const clock = new SlotClock(constant(400));
  assert.equal(clock.offsetMs(0), 0);
  assert.equal(clock.offsetMs(1), 2.5);
  assert.equal(clock.offsetMs(1000), 2500);
  assert.equal(slotsWithin(constant(400), 1000), 400);
  assert.equal(slotsWithin(constant(3), 1000), 3);
  assert.equal(slotsWithin(constant(3), 1001), 4);
});

test('Poisson arrivals: reproducible from the seed, any order of asking, exponential gaps of mean 1/R', () => {
  const a = new SlotClock(poisson(1000, 7));
  const b = new SlotClock(poisson(1000, 7));
  const c = new SlotClock(poisson(1000, 8));
  const at500 = a.offsetMs(500);
  assert.equal(b.offsetMs(499) + poissonGapMs(poisson(1000, 7), 499), at500);
  assert.equal(a.offsetMs(10), b.offsetMs(10), 'asking for an earlier slot sums again, the same');
  assert.notEqual(c.offsetMs(500), at500);
  const n = 200_000;
  const gaps = Array.from({ length: n }, (_, i) => poissonGapMs(poisson(1000, 3), i));
  const mean = gaps.reduce((s, g) => s + g, 0) / n;
  assert.ok(Math.abs(mean - 1) < 0.01, `mean gap ${mean} ms, 1 ms asked`);
  // An exponential distribution: P(gap > mean) = 1/e.
  const above = gaps.filter((g) => g > 1).length / n;
  assert.ok(Math.abs(above - Math.exp(-1)) < 0.005, `share above the mean ${above}`);
  const within = slotsWithin(poisson(1000, 3), 5000);
  assert.ok(new SlotClock(poisson(1000, 3)).offsetMs(within - 1) < 5000);
  assert.ok(new SlotClock(poisson(1000, 3)).offsetMs(within) >= 5000);
});

/*
 * wrk2's demonstration. The server pauses PAUSE_MS once, at its 20th request; RATE a second
 * are scheduled over two lanes. Every slot that falls in the pause waits for its end: the
 * k-th one after the pause began is answered no sooner than PAUSE_MS − k/RATE after its
 * intended start. So at least the N/100 + 1 slots nearest the pause's start take at least
 * PAUSE_MS − (N/100 + 1)/RATE each, and p99 of the response time can be no less; the
 * service time sees the pause only on the two requests in flight when it came (< 1 %).
 */
const PAUSE_MS = 300;
const RATE = 500;
const N = 500;

for (const model of MODEL_NAMES) {
  test(`${model}: a server pause shows in the response time's p99, not in the service time's`, async () => {
    await withServer({ pause: { afterRequests: 20, ms: PAUSE_MS } }, async (s) => {
      const plan = planFor(model, ALL_CODES, s.url, { maxReq: 2, workers: 2, rate: constant(RATE), requests: N });
      const r = await runPlan(plan);
      assert.equal(r.counters.total, N);
      assert.equal(r.counters.ok, N);
      assert.ok(countsAddUp(r.counters));
      const rate = rateOf(r);
      assert.equal(rate.started, N);
      const slotMs = 1000 / RATE;
      const floorMs = PAUSE_MS - (N / 100 + 1) * slotMs;
      assert.ok(rate.responseTimeMs.p99 >= floorMs, `response p99 ${rate.responseTimeMs.p99} ms < ${floorMs}`);
      assert.ok(rate.serviceTimeMs.p99 < PAUSE_MS / 2, `service p99 ${rate.serviceTimeMs.p99} ms shows the pause`);
      assert.ok(rate.serviceTimeMs.max >= PAUSE_MS - 1, `the request held by the pause: ${rate.serviceTimeMs.max} ms`);
      assert.deepEqual(rate.serviceTimeMs, r.latencyMs, 'the service time is the latency of a closed run');
      // The slots in the pause, less the two lanes' worth, came while no lane was free.
      const pausedSlots = PAUSE_MS / slotMs;
      assert.ok(rate.late >= pausedSlots - 2 - 5, `${rate.late} late, ${pausedSlots} slots in the pause`);
      assert.ok(rate.lateByMs.max >= PAUSE_MS - 3 * slotMs, `latest by ${rate.lateByMs.max} ms`);
      assert.equal(rate.lateShare, rate.late / rate.started);
    });
  });
}

/*
 * A server slower than the rate: DELAY answers in DELAY_MS, two lanes carry at most
 * 2000/DELAY_MS requests a second, fewer than asked. Each request starts later than the one
 * before by the difference of the gaps: the k-th about k × (DELAY_MS/2 − 1000/R) ms late.
 */
for (const model of ['loop', 'workers'] as const) {
  test(`${model}: a server slower than the rate makes late requests grow, all reported and counted`, async () => {
    const delayMs = 50;
    const perSec = 100;
    const n = 60;
    await withServer({ delayMs }, async (s) => {
      const plan = planFor(model, ALL_CODES, s.url, { maxReq: 2, workers: 2, rate: constant(perSec), requests: n });
      const r = await runPlan(plan);
      assert.equal(r.counters.ok, n);
      assert.ok(countsAddUp(r.counters));
      const rate = rateOf(r);
      assert.equal(rate.started, n);
      const capacity = 2000 / delayMs;
      assert.ok(rate.achievedPerSec <= capacity * 1.1, `achieved ${rate.achievedPerSec}/s over ${capacity}/s`);
      assert.ok(rate.late >= n - 2 - 5, `${rate.late} late of ${n}`);
      const lastLateMs = (n - 2) * (delayMs / 2 - 1000 / perSec);
      assert.ok(rate.lateByMs.max >= 0.8 * lastLateMs, `latest by ${rate.lateByMs.max} ms, ~${lastLateMs} expected`);
      assert.ok(rate.lateByMs.p50 < rate.lateByMs.p99, 'lateness grows over the run');
      assert.ok(rate.responseTimeMs.max >= rate.lateByMs.max + delayMs - 1, 'the response time carries the lateness');
      assert.ok(rate.serviceTimeMs.p99 < rate.responseTimeMs.p99);
    });
  });
}

for (const model of MODEL_NAMES) {
  test(`${model}: a stop releases lanes waiting for their slots; unsent slots count as cancelled`, async () => {
    await withServer({}, async (s) => {
      const stop = new AbortController();
      let stoppedAt = 0;
      let seen = 0;
      const onOutcome = (): void => {
        seen += 1;
        if (seen !== 2) return;
        stoppedAt = performance.now();
        stop.abort();
      };
      const plan = planFor(model, ALL_CODES, s.url, { maxReq: 4, workers: 2, rate: constant(20), requests: 100 });
      const r = await runPlan(plan, { signal: stop.signal, onOutcome });
      // Four lanes wait for slots up to 200 ms ahead; a stop ends the wait (no request takes long on LOCAL).
      assert.ok(performance.now() - stoppedAt < 1000, 'lanes waiting on their slots are released');
      assert.equal(r.counters.total, 100);
      assert.ok(countsAddUp(r.counters));
      const rate = rateOf(r);
      assert.ok(rate.started < 100 && rate.started >= 2, `${rate.started} sent`);
      assert.equal(r.counters.ok, rate.started);
      assert.equal(r.counters.cancelled, 100 - rate.started);
    });
  });
}

test('without --rate nothing changes: no rate report', async () => {
  await withServer({}, async (s) => {
    const r = await runPlan(planFor('loop', ALL_CODES.slice(0, 20), s.url));
    assert.equal(r.rate, undefined);
    assert.equal(r.counters.ok, 20);
  });
});
