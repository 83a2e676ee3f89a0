/** A run's progress as the API reports it: per worker, what is done, ok and failed, and the rate. */
import { performance } from 'node:perf_hooks';
import type { Counters } from '../stats/counters.js';

/** One worker's (or lane's) part of the progress. */
export interface WorkerProgress {
  /** Requests finished (ok + not found + errors + cancelled). */
  readonly done: number;
  /** Files downloaded. */
  readonly ok: number;
  /** Answered 404. */
  readonly notFound: number;
  /** Failed: HTTP errors, timeouts, network errors, files not saved. */
  readonly errors: number;
  /** Requests finished per second since the run started. */
  readonly ratePerSec: number;
}

/** The progress of a run: totals, and one entry per worker thread (one for the loop models). */
export interface DownloadProgress {
  /** Requests the run will make. */
  readonly total: number;
  /** Requests finished so far, in all workers. */
  readonly done: number;
  /** Files downloaded so far. */
  readonly ok: number;
  /** Requests failed so far. */
  readonly errors: number;
  /** Time since the run started, in milliseconds. */
  readonly elapsedMs: number;
  /** Each worker's part, by worker. */
  readonly workers: readonly WorkerProgress[];
}

/** A function turning the models' counters into progress, timed from its own creation. */
export function progressMeter(total: number): (counters: readonly Counters[]) => DownloadProgress {
  const t0 = performance.now();
  return (counters) => {
    const elapsedMs = performance.now() - t0;
    const seconds = elapsedMs / 1000;
    const workers = counters.map((c) => ({
      done: c.total,
      ok: c.ok,
      notFound: c.notFound,
      errors: c.errors,
      ratePerSec: seconds > 0 ? c.total / seconds : 0,
    }));
    const sum = (f: (w: WorkerProgress) => number): number => workers.reduce((s, w) => s + f(w), 0);
    return { total, done: sum((w) => w.done), ok: sum((w) => w.ok), errors: sum((w) => w.errors), elapsedMs, workers };
  };
}
