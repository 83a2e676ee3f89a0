/**
 * What an open-model run (--rate) measures besides counts: per event loop, how many requests
 * started and when, which were late (no lane was free at their slot), and three histograms:
 * response time (from each request's intended start), how late the late ones were, and every
 * request's start delay (actual send − intended start: the scheduler's accuracy). Threads
 * send theirs encoded; one pure merge makes the run's RateReport.
 */
import {
  LatencyRecorder,
  combineEncoded,
  mergeEncoded,
  spectrumOf,
  type LatencySummary,
  type SpectrumPoint,
} from './latency.js';

/** One event loop's share of a rate run, plain and structured-cloneable. */
export interface RateTally {
  /** Requests sent on the schedule (not those cancelled before their slot). */
  readonly started: number;
  /** Of them, those claimed after their slot had passed: no lane was free when it came. */
  readonly late: number;
  /** First and last actual start, in ms after the run's start (the shared t0); -1 when none started. */
  readonly firstStartMs: number;
  readonly lastStartMs: number;
  /** Encoded histograms (latency.ts encode()). */
  readonly responseTime: string;
  readonly lateBy: string;
  readonly startDelay: string;
}

/** Records one event loop's requests against the schedule. */
export class RateRecorder {
  private started = 0;
  private late = 0;
  private firstStartMs = -1;
  private lastStartMs = -1;
  private readonly responseTime = new LatencyRecorder();
  private readonly lateBy = new LatencyRecorder();
  private readonly startDelay = new LatencyRecorder();

  /** A request sent `delayMs` after its slot, `sinceStartMs` after t0; `late` when no lane was free at the slot. */
  sent(delayMs: number, sinceStartMs: number, late: boolean): void {
    this.started += 1;
    this.startDelay.record(Math.max(0, delayMs));
    if (late) {
      this.late += 1;
      this.lateBy.record(Math.max(0, delayMs));
    }
    if (this.firstStartMs < 0 || sinceStartMs < this.firstStartMs) this.firstStartMs = sinceStartMs;
    if (sinceStartMs > this.lastStartMs) this.lastStartMs = sinceStartMs;
  }

  /** A request's response time: its outcome in hand, counted from its intended start. */
  answered(responseMs: number): void {
    this.responseTime.record(Math.max(0, responseMs));
  }

  /** What was recorded, encoded. */
  tally(): RateTally {
    return {
      started: this.started,
      late: this.late,
      firstStartMs: this.firstStartMs,
      lastStartMs: this.lastStartMs,
      responseTime: this.responseTime.encode(),
      lateBy: this.lateBy.encode(),
      startDelay: this.startDelay.encode(),
    };
  }
}

/** Tallies of event loops that shared one schedule's start, as one tally (counts added, histograms combined). */
export function combineTallies(parts: readonly RateTally[]): RateTally {
  const ran = parts.filter((p) => p.started > 0);
  return {
    started: parts.reduce((n, p) => n + p.started, 0),
    late: parts.reduce((n, p) => n + p.late, 0),
    firstStartMs: ran.length === 0 ? -1 : Math.min(...ran.map((p) => p.firstStartMs)),
    lastStartMs: ran.length === 0 ? -1 : Math.max(...ran.map((p) => p.lastStartMs)),
    responseTime: combineEncoded(parts.map((p) => p.responseTime)),
    lateBy: combineEncoded(parts.map((p) => p.lateBy)),
    startDelay: combineEncoded(parts.map((p) => p.startDelay)),
  };
}

/** Starts per second of a tally: (started − 1) over the time from its first start to its last. */
export function achievedPerSec(t: Pick<RateTally, 'started' | 'firstStartMs' | 'lastStartMs'>): number {
  const spanMs = t.lastStartMs - t.firstStartMs;
  return t.started > 1 && spanMs > 0 ? ((t.started - 1) * 1000) / spanMs : 0;
}

/** What the schedule asked for, as the report states it. */
export interface RateTarget {
  readonly perSec: number;
  readonly arrival: string;
  readonly seed: number;
  readonly durationMs: number | null;
}

/** The open model's report: target against achieved rate, lateness, and both latencies. */
export interface RateReport {
  /** Requests per second asked for (--rate), in total. */
  readonly targetPerSec: number;
  /** Starts per second achieved: (started − 1) over the time from the first start to the last. */
  readonly achievedPerSec: number;
  /** constant or poisson. */
  readonly arrival: string;
  /** Seed of the Poisson gaps; null for constant arrivals. */
  readonly seed: number | null;
  /** --duration in milliseconds; null when the run was the code list. */
  readonly durationMs: number | null;
  /** Requests sent. */
  readonly started: number;
  /** Requests sent after their slot because no lane was free. */
  readonly late: number;
  /** late ÷ started (0 when none started). */
  readonly lateShare: number;
  /** How late the late requests started, in milliseconds. */
  readonly lateByMs: LatencySummary;
  /** Actual send − intended start of every request started, in milliseconds. */
  readonly startDelayMs: LatencySummary;
  /** From each request's intended start to its outcome (corrected for coordinated omission). */
  readonly responseTimeMs: LatencySummary;
  /** From each request's actual send to its outcome (the latency of a run without --rate). */
  readonly serviceTimeMs: LatencySummary;
  /** The response time's percentile spectrum: min, 50, 75, 90… as far as the requests reach, max. */
  readonly responseTimeSpectrumMs: readonly SpectrumPoint[];
}

/** Merge every event loop's tally into the run's report (pure). */
export function rateReport(target: RateTarget, parts: readonly RateTally[], serviceTimeMs: LatencySummary): RateReport {
  const started = parts.reduce((n, p) => n + p.started, 0);
  const late = parts.reduce((n, p) => n + p.late, 0);
  const ran = parts.filter((p) => p.started > 0);
  const firstStartMs = Math.min(...ran.map((p) => p.firstStartMs));
  const lastStartMs = Math.max(...ran.map((p) => p.lastStartMs));
  return {
    targetPerSec: target.perSec,
    achievedPerSec: achievedPerSec({ started, firstStartMs, lastStartMs }),
    arrival: target.arrival,
    seed: target.arrival === 'poisson' ? target.seed : null,
    durationMs: target.durationMs,
    started,
    late,
    lateShare: started > 0 ? late / started : 0,
    lateByMs: mergeEncoded(parts.map((p) => p.lateBy)),
    startDelayMs: mergeEncoded(parts.map((p) => p.startDelay)),
    responseTimeMs: mergeEncoded(parts.map((p) => p.responseTime)),
    serviceTimeMs,
    responseTimeSpectrumMs: spectrumOf(parts.map((p) => p.responseTime)),
  };
}
