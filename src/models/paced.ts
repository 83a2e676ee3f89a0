/**
 * The open model's glue for every model (--rate): a pacer for the event loop that schedules
 * (stopped with the run), the start of the schedule, and the merged report of its tallies.
 */
import { Pacer, sharedNowMs } from '../download/pacer.js';
import { rateReport, type RateReport, type RateTally } from '../stats/rate.js';
import type { LatencySummary } from '../stats/latency.js';
import type { RunPlan } from './types.js';

/**
 * How far ahead of now a schedule starts, in milliseconds: time for the lanes (or the worker
 * threads, told by a message) to claim their first slots, so that slot 0 is not late by
 * construction.
 */
export const START_LEAD_MS = { mainThread: 1, workers: 10 } as const;

/** The shared-clock start of a schedule beginning `leadMs` from now. */
export function scheduleStart(leadMs: number): number {
  return sharedNowMs() + leadMs;
}

/** A pacer for `plan`'s schedule starting at `t0SharedMs` (default: the main thread's lead from now), stopped when `signal` aborts; undefined without --rate. */
export function startPacer(
  plan: Pick<RunPlan, 'rate'>,
  signal: AbortSignal | undefined,
  t0SharedMs = scheduleStart(START_LEAD_MS.mainThread),
): Pacer | undefined {
  if (plan.rate === undefined) return undefined;
  const pacer = new Pacer(plan.rate, t0SharedMs);
  if (signal?.aborted === true) pacer.stop();
  else signal?.addEventListener('abort', () => pacer.stop(), { once: true });
  return pacer;
}

/** The run's RateReport from its event loops' tallies; undefined without --rate. */
export function pacedResult(
  plan: Pick<RunPlan, 'rate'>,
  tallies: readonly RateTally[],
  serviceTimeMs: LatencySummary,
): RateReport | undefined {
  return plan.rate === undefined ? undefined : rateReport(plan.rate, tallies, serviceTimeMs);
}
