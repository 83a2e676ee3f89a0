/**
 * Plain data passed between layers: what to run (RunPlan), how one download behaves
 * (FetchSettings), and what came back (RunResult). Everything here is structured-cloneable
 * so it can cross into worker threads and out to JSON unchanged.
 */
import type { Counters } from '../stats/counters.js';
import type { LatencySummary } from '../stats/latency.js';
import type { Outcome } from '../download/outcome.js';
import type { FetchSettings, Protocol } from '../download/settings.js';
import type { WorkerReport } from '../stats/worker-report.js';
import type { WorkKind } from '../cpu-work/kind.js';
import type { WorkRecords } from '../cpu-work/step.js';
import type { RateSchedule } from '../download/schedule.js';
import type { RateReport } from '../stats/rate.js';

export type { WorkerReport };

/** The four concurrency models. */
export type ModelName = 'sequential' | 'loop' | 'threads' | 'workers';
export const MODEL_NAMES: readonly ModelName[] = ['sequential', 'loop', 'threads', 'workers'];

/** How the workers model hands codes to workers. */
export type SplitMode = 'static' | 'dynamic';

/** One run: which model, which codes, how much concurrency. */
export interface RunPlan {
  readonly model: ModelName;
  /** Codes of one pass, upper case, sorted. */
  readonly codes: readonly string[];
  /** How many passes over `codes` (for benchmarks); total = codes × repeat. */
  readonly repeat: number;
  /**
   * Requests in all when a run ends mid-pass (an agent's shard, its codes starting where its
   * range does; a --duration run's slots): the first `requests` of `codes` repeated.
   * Undefined: codes × repeat.
   */
  readonly requests?: number | undefined;
  /** Requests in flight in total, across all workers. */
  readonly maxReq: number;
  /** Pool threads of the threads and workers models (--workers). */
  readonly workers: number;
  readonly split: SplitMode;
  readonly fetch: FetchSettings;
  /**
   * Connections carrying the requests in flight, in total (--connections); undefined: one per
   * request over HTTP/1.1, one per event loop (the loop, or each worker thread) over HTTP/2.
   */
  readonly connections?: number | undefined;
  /** --rate: requests start on this schedule (an open model); absent: each lane sends when its last one answered. */
  readonly rate?: RateSchedule | undefined;
}

/** The result of one run, plain and serialisable. */
export interface RunResult {
  readonly model: ModelName;
  readonly baseUrl: string;
  /** Threads that downloaded, as started: concurrencyOf(plan).threads (1 for sequential and loop). */
  readonly workers: number;
  /** Requests in flight in total, as run: the sum of concurrencyOf(plan).lanes (never more than requests). */
  readonly maxReq: number;
  readonly split: SplitMode;
  /** Passes over the code list (total = codes × repeat). */
  readonly repeat: number;
  readonly counters: Counters;
  /** Wall time from the first request to the last outcome, in milliseconds. */
  readonly elapsedMs: number;
  /** Start-up before the clock started, in milliseconds: threads (threads, workers) and connections. */
  readonly startupMs: number;
  /** The part of startupMs spent opening connections (TCP, and TLS handshakes for https). */
  readonly connectMs: number;
  /** HTTP/1.1 or HTTP/2, as the connections negotiated it (ALPN): HTTP/1.1 when --http2 met a server without it. */
  readonly protocol: Protocol;
  /** Connections opened ahead, before the clock (all threads). */
  readonly connections: number;
  readonly requestsPerSec: number;
  readonly latencyMs: LatencySummary;
  readonly perWorker: readonly WorkerReport[];
  /** True when SIGINT/SIGTERM stopped the run early. */
  readonly interrupted: boolean;
  /** Set when the run itself failed (a worker died); the message says what happened. */
  readonly failure?: string | undefined;
  /** The --work kind each body went through (absent: none). */
  readonly work?: WorkKind | undefined;
  /** CPU time of the --work step, summed over all threads, in milliseconds (absent: 0). */
  readonly workMs?: number | undefined;
  /** What the work found (colours, hashes), gathered from every thread; only when files are saved. */
  readonly workRecords?: WorkRecords | undefined;
  /** --rate: the schedule against what was achieved, lateness, response and service time. */
  readonly rate?: RateReport | undefined;
}

/** Callbacks a model calls while it runs. Models never print. */
export interface RunHooks {
  /** Aborting stops dispatching new codes; in-flight requests get a grace period. */
  readonly signal?: AbortSignal | undefined;
  /** Every outcome, when the caller wants them (verbose). */
  readonly onOutcome?: ((o: Outcome) => void) | undefined;
  /** Called at most ~10 times a second with codes finished so far, one entry per lane/worker. */
  readonly onProgress?: ((donePerWorker: readonly number[]) => void) | undefined;
  /** Called with onProgress: the counts so far, one entry per lane/worker (errorsByReason left empty). */
  readonly onCounters?: ((perWorker: readonly Counters[]) => void) | undefined;
}

/** Which server a run talks to: a label of the original site's, or a URL given by the user. */
export interface ServerTarget {
  readonly label: 'LOCAL' | 'DELAY' | 'ERROR' | 'REMOTE' | 'URL';
  /** Base URL of the flags, no trailing slash. */
  readonly url: string;
}

/** CPU and memory of the whole process over a run (measured by the CLI, not the model). */
export interface ProcessUsage {
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
  readonly peakRssBytes: number;
}
