/**
 * What a plan really runs, decided once: how many threads, how many requests in flight on
 * each, and (when fixed in advance) how many codes each gets. The models start exactly this,
 * and the report's concurrency line prints it; nothing re-derives it.
 */
import { evenShares } from './shares.js';
import type { RunPlan } from './types.js';

/** The concurrency of a plan, as the model runs it. */
export interface Concurrency {
  /** Threads that download: 1 (the main thread) for sequential and loop, pool threads otherwise. */
  readonly threads: number;
  /** Requests in flight on each thread; their sum is the run's requests in flight in total. */
  readonly lanes: readonly number[];
  /** Codes each thread gets, when fixed before the run (one loop, static split); null when claimed as it goes. */
  readonly shares: readonly number[] | null;
}

/**
 * Threads and lanes of a plan: never more requests in flight than `maxReq` or than requests
 * to make (as the original caps by the list's length), never more threads than either. The
 * threads and workers models run the same threads and lanes (--workers threads sharing
 * --max-req); they differ only in who hands out the codes.
 */
export function concurrencyOf(plan: RunPlan): Concurrency {
  const total = Math.max(1, requestsOf(plan));
  const inFlight = Math.max(1, Math.min(plan.maxReq, total));
  switch (plan.model) {
    case 'sequential':
      return { threads: 1, lanes: [1], shares: [total] };
    case 'loop':
      return { threads: 1, lanes: [inFlight], shares: [total] };
    case 'threads':
    case 'workers': {
      const threads = Math.max(1, Math.min(plan.workers, inFlight));
      // The threads model hands out one flag at a time as lanes free up: never fixed shares.
      const shares = plan.model === 'workers' && plan.split === 'static' ? evenShares(total, threads) : null;
      return { threads, lanes: evenShares(inFlight, threads), shares };
    }
  }
}

/** Requests a plan makes in all: codes × repeat, or a --duration run's slots. */
export function requestsOf(plan: Pick<RunPlan, 'codes' | 'repeat' | 'requests'>): number {
  return plan.requests ?? plan.codes.length * plan.repeat;
}

/** Requests in flight in total. */
export function inFlightOf(c: Concurrency): number {
  return c.lanes.reduce((a, b) => a + b, 0);
}

/** Each thread's connections (per origin) out of `total` (--connections): the widest even share, at least 1. */
export function connectionsPerThread(total: number | undefined, threads: number): number | undefined {
  return total === undefined ? undefined : Math.max(1, Math.ceil(total / threads));
}
