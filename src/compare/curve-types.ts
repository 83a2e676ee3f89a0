/**
 * Plain data of the latency–throughput curve (bench --rates): what a configuration did at one
 * offered rate (RateSummary), its points over the rates, and where it bends (Knee). Computed by
 * curve.ts; the reports draw and print them.
 */
import type { SpectrumPoint } from '../stats/latency.js';

/** Four percentiles of a latency distribution, in milliseconds (medians over the good runs). */
export interface Percentiles {
  /** The median, in milliseconds. */
  readonly p50: number;
  /** The 90th percentile, in milliseconds. */
  readonly p90: number;
  /** The 99th percentile, in milliseconds. */
  readonly p99: number;
  /** The most, in milliseconds. */
  readonly max: number;
}

/** What a configuration did at one offered rate, as medians over its good runs. */
export interface RateSummary {
  /** Requests per second asked for (`--rate`), in total. */
  readonly offeredPerSec: number;
  /** Starts per second achieved (each run's first start to its last). */
  readonly achievedPerSec: number;
  /** Requests started after their slot because no lane was free, as a share of those started. */
  readonly lateShare: number;
  /** From each request's intended start to its outcome (corrected for coordinated omission). */
  readonly responseTimeMs: Percentiles;
  /** From each request's actual send to its outcome. */
  readonly serviceTimeMs: Percentiles;
  /** The response time's percentile spectrum (per percentile, the median over the runs). */
  readonly spectrumMs: readonly SpectrumPoint[];
}

/** One offered rate of a curve: the configuration's key at that rate and what it did. */
export interface CurvePoint extends RateSummary {
  /** The configuration at this rate (ConfigSummary.key). */
  readonly key: string;
}

/** Where a curve bends: the first offered rate the configuration did not hold, and why. */
export interface Knee {
  /** The configuration's key at that rate. */
  readonly key: string;
  /** The first offered rate not held, requests per second. */
  readonly offeredPerSec: number;
  /** achieved: below 99 % of offered; late: too many late requests; p99: the response time's p99 jumped; failed: no good run. */
  readonly reason: 'achieved' | 'late' | 'p99' | 'failed';
  /** The reason in words, with the figures. */
  readonly words: string;
}

/** One configuration's latency–throughput curve over the offered rates. */
export interface Curve {
  /** The configuration without its rate, e.g. `loop m100`. */
  readonly name: string;
  /** Its points, lowest offered rate first. */
  readonly points: readonly CurvePoint[];
  /** The first offered rate it did not hold; null when it held every rate tried. */
  readonly knee: Knee | null;
  /** The highest offered rate held, every lower one held too; null when it held none. */
  readonly sustainedPerSec: number | null;
}
