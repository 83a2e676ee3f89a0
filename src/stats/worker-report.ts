/** One worker's (or the single loop's) summary row: plain data, merged by the coordinator. */
import type { Counters } from './counters.js';
import type { LatencySummary } from './latency.js';

/** What one worker (or the single loop) counted. */
export interface WorkerReport {
  readonly id: number;
  readonly counters: Counters;
  readonly latency: LatencySummary;
  /** The latency histogram encoded (latency.ts encode()), where a model keeps it: to merge across processes. */
  readonly latencyEncoded?: string | undefined;
  readonly elapsedMs: number;
  /** Event-loop utilization over the run, 0..1. */
  readonly eventLoopUtilization: number;
  /** CPU time of the --work step on this worker's thread, in milliseconds (0 or absent without --work). */
  readonly workMs?: number;
}
