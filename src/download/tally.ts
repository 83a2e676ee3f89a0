/**
 * A Tally counts the outcomes of one event loop: counters, a latency histogram and its
 * event-loop utilization. Nothing per request is kept once it is counted.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Outcome } from './outcome.js';
import { countOutcome, emptyCounters, type Counters } from '../stats/counters.js';
import { LatencyRecorder } from '../stats/latency.js';
import type { WorkerReport } from '../stats/worker-report.js';

/** Counters + latency of one event loop, with start/stop timing. */
export class Tally {
  readonly counters: Counters = emptyCounters();
  readonly latency = new LatencyRecorder();
  /** CPU time of the --work step over the outcomes counted, in milliseconds. */
  workMs = 0;
  private startMs = 0;
  private elapsed: number | undefined;
  private elu: EventLoopUtilization | undefined;

  constructor(private readonly onOutcome?: (o: Outcome) => void) {}

  /** Start the clock and the event-loop utilization window. */
  start(): void {
    this.startMs = performance.now();
    this.elu = performance.eventLoopUtilization();
  }

  /** Count one outcome. */
  add(o: Outcome): void {
    countOutcome(this.counters, o);
    if (o.kind !== 'cancelled') this.latency.record(o.latencyMs);
    if (o.workMs !== undefined) this.workMs += o.workMs;
    this.onOutcome?.(o);
  }

  /** Stop the clock (the first call counts); returns elapsed milliseconds. */
  stop(): number {
    this.elapsed ??= performance.now() - this.startMs;
    return this.elapsed;
  }

  /** Event-loop utilization since start(), 0..1. */
  utilization(): number {
    return this.elu === undefined ? 0 : performance.eventLoopUtilization(this.elu).utilization;
  }

  /** This tally as a WorkerReport row. */
  report(id: number): WorkerReport {
    return {
      id,
      counters: this.counters,
      latency: this.latency.summary(),
      elapsedMs: this.stop(),
      eventLoopUtilization: this.utilization(),
      workMs: this.workMs,
    };
  }
}

/**
 * Claims codes one at a time from a list repeated up to `total` requests, until they are
 * all handed out or `stop` is aborted. `claimed` says how many were handed out.
 */
export class CodeCursor {
  claimed = 0;

  constructor(
    private readonly codes: readonly string[],
    readonly total: number,
    private readonly stop?: AbortSignal,
  ) {}

  /** The next request's index (its code is codes[i % codes.length]), or undefined when done or stopped. */
  nextIndex = (): number | undefined => {
    if (this.claimed >= this.total || this.stop?.aborted === true) return undefined;
    this.claimed += 1;
    return this.claimed - 1;
  };

  /** The next code, or undefined when done or stopped. */
  next = (): string | undefined => {
    const i = this.nextIndex();
    return i === undefined ? undefined : this.codeAt(i);
  };

  /** The code of request `i`. */
  codeAt(i: number): string {
    return this.codes[i % this.codes.length] ?? '';
  }
}
