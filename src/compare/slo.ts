/**
 * A latency target (`tune --slo 'p99<=50ms'`) and whether one run at an offered rate met it
 * (pure): the rate held (achieved at least HELD_SHARE of it, at most LATE_SHARE_BOUND late)
 * and the response time's percentile within the target.
 */
import { printable } from '../countries.js';
import { UsageError } from '../errors.js';
import { HELD_SHARE, LATE_SHARE_BOUND } from './curve.js';
import type { JsonReport } from './json-report.js';

/** The percentiles a target can name. */
export const SLO_PERCENTILES = ['p50', 'p90', 'p99', 'max'] as const;

/** A latency target: the response time's percentile at most `maxMs`. */
export interface Slo {
  /** The response time percentile it bounds. */
  readonly percentile: (typeof SLO_PERCENTILES)[number];
  /** The bound, in milliseconds. */
  readonly maxMs: number;
  /** As the user wrote it, normalised: `p99<=50ms`. */
  readonly text: string;
}

/** Parse `p99<=50ms` (p50, p90, p99 or max; ms or s, ms when no unit); UsageError naming --slo otherwise. */
export function parseSlo(value: string): Slo {
  const m = /^\s*(p50|p90|p99|max)\s*(<=|<|≤)\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/i.exec(value);
  const maxMs = m === null ? Number.NaN : Number(m[3]) * ((m[4] ?? 'ms').toLowerCase() === 's' ? 1000 : 1);
  if (m === null || !(maxMs > 0) || maxMs > 3_600_000)
    throw new UsageError(
      `--slo takes a percentile, <= and a time, like 'p99<=50ms' (p50, p90, p99 or max; ms or s), not '${printable(value)}'`,
    );
  const percentile = (m[1] as string).toLowerCase() as Slo['percentile'];
  return { percentile, maxMs, text: `${percentile}<=${maxMs}ms` };
}

/** What one run at an offered rate did against the target. */
export interface SloTrial {
  /** The rate offered, requests per second. */
  readonly offeredPerSec: number;
  /** The rate achieved (starts per second). */
  readonly achievedPerSec: number;
  /** Share of requests sent after their slot. */
  readonly lateShare: number;
  /** The target's percentile of the response time (from each request's intended start), ms. */
  readonly responseMs: number;
  /** The same percentile of the service time (from the actual send), ms. */
  readonly serviceMs: number;
  /** Null when the target was met; else why not, in words. */
  readonly missed: string | null;
  /** The service time alone was over the target while the rate was kept: at the lowest rates, the server's own latency. */
  readonly floor: boolean;
}

/** How one run did against the target at the rate it was offered. */
export function judgeRun(slo: Slo, report: JsonReport): SloTrial {
  const rate = report.rate;
  const offeredPerSec = rate?.targetPerSec ?? 0;
  const achievedPerSec = rate?.achievedPerSec ?? 0;
  const lateShare = rate?.lateShare ?? 1;
  const responseMs = (report.responseTimeMs ?? report.latencyMs)[slo.percentile];
  const serviceMs = (report.serviceTimeMs ?? report.latencyMs)[slo.percentile];
  const kept = achievedPerSec >= HELD_SHARE * offeredPerSec && lateShare <= LATE_SHARE_BOUND;
  const missed = !kept
    ? achievedPerSec < HELD_SHARE * offeredPerSec
      ? `achieved ${Math.round(achievedPerSec)} req/s`
      : `${Math.round(lateShare * 1000) / 10} % late`
    : responseMs > slo.maxMs
      ? `${slo.percentile} ${Math.round(responseMs * 10) / 10} ms`
      : null;
  return {
    offeredPerSec,
    achievedPerSec,
    lateShare,
    responseMs,
    serviceMs,
    missed,
    floor: kept && serviceMs > slo.maxMs,
  };
}
