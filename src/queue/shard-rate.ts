/**
 * The open model (--rate) over a queue (pure): each shard gets its share of R (its share of
 * the requests, so the shards together offer R) and, for Poisson arrivals, a seed of its own
 * derived from the run's seed and its index (reproducible, yet no two shards send in step);
 * the agents' rate tallies are validated as untrusted JSON and merged into one RateReport.
 * Every shard of a rate run runs at once (coordinator.ts), each on its agent's own clock, so
 * the achieved rate is the sum of the shards' achieved rates; counts add, and the lateness,
 * start-delay and response-time percentiles come from the agents' histograms merged.
 */
import type { RateSchedule } from '../download/schedule.js';
import type { LatencySummary } from '../stats/latency.js';
import { achievedPerSec, rateReport, type RateReport, type RateTally } from '../stats/rate.js';
import { RATE_LIMITS } from '../rate-options.js';
import { checkShape, wholeNumber } from './untrusted-json.js';

/** Largest seed (--seed's range). */
const MAX_SEED = 2 ** 31 - 1;

/** Shard `shard`'s seed from the run's (a 32-bit mix of both, in --seed's range). */
export function shardSeed(seed: number, shard: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(shard + 1, 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % MAX_SEED;
}

/** The schedule of a shard holding `requests` of the run's `total`: its share of R, its own seed, the run's --duration. */
export function shardSchedule(rate: RateSchedule, requests: number, total: number, shard: number): RateSchedule {
  return {
    perSec: (rate.perSec * requests) / total,
    arrival: rate.arrival,
    seed: rate.arrival === 'poisson' ? shardSeed(rate.seed, shard) : rate.seed,
    durationMs: rate.durationMs,
  };
}

/** Validate a job's `rate` (null: a closed-model run); throws with the reason. */
export function readShardRate(value: unknown): RateSchedule | null {
  if (value === null) return null;
  const r = checkShape(value, 'job.rate');
  const perSec = r.number('perSec');
  if (perSec <= 0 || perSec > RATE_LIMITS.perSec)
    throw new Error(`job.rate.perSec must be above 0 and at most ${RATE_LIMITS.perSec}, not ${perSec}`);
  return {
    perSec,
    arrival: r.choice('arrival', ['constant', 'poisson'] as const),
    seed: wholeNumber(r, 'seed', 0, MAX_SEED),
    durationMs: r.value('durationMs') === null ? null : wholeNumber(r, 'durationMs', 1, RATE_LIMITS.durationMs),
  };
}

const HISTOGRAM = /^\[.*\]$/s;

/** Validate a result's rate tally against the requests of its shard; throws with the reason. */
export function readRateTally(value: unknown, requests: number): RateTally {
  const r = checkShape(value, 'result.rate');
  const started = wholeNumber(r, 'started', 0, requests);
  const firstStartMs = r.value('firstStartMs') === -1 ? -1 : r.number('firstStartMs');
  const lastStartMs = r.value('lastStartMs') === -1 ? -1 : r.number('lastStartMs');
  if (started > 0 && (firstStartMs < 0 || lastStartMs < firstStartMs))
    throw new Error('result.rate: its first and last start do not fit what it started');
  return {
    started,
    late: wholeNumber(r, 'late', 0, started),
    firstStartMs,
    lastStartMs,
    responseTime: r.string('responseTime', HISTOGRAM),
    lateBy: r.string('lateBy', HISTOGRAM),
    startDelay: r.string('startDelay', HISTOGRAM),
  };
}

/**
 * The run's RateReport from its shards' tallies: R as the target, counts added, histograms
 * merged, and the achieved rate the sum of the shards' (they run at the same time).
 */
export function mergeShardRates(
  rate: RateSchedule,
  tallies: readonly RateTally[],
  serviceTimeMs: LatencySummary,
): RateReport {
  const merged = rateReport(rate, tallies, serviceTimeMs);
  return { ...merged, achievedPerSec: tallies.reduce((sum, t) => sum + achievedPerSec(t), 0) };
}
