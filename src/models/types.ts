/**
 * Plain data passed between layers: what to run (RunPlan), how one download behaves
 * (FetchSettings), and what came back (RunResult). Everything here is structured-cloneable
 * so it can cross into worker threads and out to JSON unchanged.
 */
import type { Counters } from '../stats/counters.js';
import type { LatencySummary } from '../stats/latency.js';
import type { Outcome } from '../download/outcome.js';

/** The four concurrency models. */
export type ModelName = 'sequential' | 'loop' | 'threads' | 'workers';
export const MODEL_NAMES: readonly ModelName[] = ['sequential', 'loop', 'threads', 'workers'];

/** How the workers model hands codes to workers. */
export type SplitMode = 'static' | 'dynamic';

/** Everything one download needs besides its code. */
export interface FetchSettings {
  /** Base URL of the flags, no trailing slash: `http://localhost:8001/flags`. */
  readonly baseUrl: string;
  /** Bound on headers and body of one attempt, in milliseconds. */
  readonly timeoutMs: number;
  /** Extra attempts for errors worth retrying (reset, timeout, 5xx, 429). */
  readonly retries: number;
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Redirects: followed only to the same origin, or to any. At most 3. */
  readonly followRedirects: 'same-origin' | 'any';
  /** Folder to save flags in, or null for --no-save. */
  readonly dest: string | null;
  /** Also fetch metadata.json and save as `<Country_Name>-<CC>.gif` (flags3). */
  readonly names: boolean;
}

/** One run: which model, which codes, how much concurrency. */
export interface RunPlan {
  readonly model: ModelName;
  /** Codes of one pass, upper case, sorted. */
  readonly codes: readonly string[];
  /** How many passes over `codes` (for benchmarks); total = codes × repeat. */
  readonly repeat: number;
  /** Requests in flight in total, across all workers. */
  readonly maxReq: number;
  /** Worker threads (workers model) — threads model uses its own pool size. */
  readonly workers: number;
  readonly split: SplitMode;
  readonly fetch: FetchSettings;
}

/** What one worker (or the single loop) counted. */
export interface WorkerReport {
  readonly id: number;
  readonly counters: Counters;
  readonly latency: LatencySummary;
  readonly elapsedMs: number;
  /** Event-loop utilization over the run, 0..1. */
  readonly eventLoopUtilization: number;
}

/** The result of one run, plain and serialisable. */
export interface RunResult {
  readonly model: ModelName;
  readonly baseUrl: string;
  readonly workers: number;
  readonly maxReq: number;
  readonly split: SplitMode;
  /** Passes over the code list (total = codes × repeat). */
  readonly repeat: number;
  readonly counters: Counters;
  /** Wall time from the first request to the last outcome, in milliseconds. */
  readonly elapsedMs: number;
  /** Start-up before the clock started, in milliseconds: threads (threads, workers) and connections. */
  readonly startupMs: number;
  /** The part of startupMs spent opening connections. */
  readonly connectMs: number;
  readonly requestsPerSec: number;
  readonly latencyMs: LatencySummary;
  readonly perWorker: readonly WorkerReport[];
  /** True when SIGINT/SIGTERM stopped the run early. */
  readonly interrupted: boolean;
  /** Set when the run itself failed (a worker died); the message says what happened. */
  readonly failure?: string | undefined;
}

/** Callbacks a model calls while it runs. Models never print. */
export interface RunHooks {
  /** Aborting stops dispatching new codes; in-flight requests get a grace period. */
  readonly signal?: AbortSignal | undefined;
  /** Every outcome, when the caller wants them (verbose). */
  readonly onOutcome?: ((o: Outcome) => void) | undefined;
  /** Called at most ~10 times a second with codes finished so far, one entry per lane/worker. */
  readonly onProgress?: ((donePerWorker: readonly number[]) => void) | undefined;
}

/** A concurrency model: runs a plan and returns what happened. */
export interface Model {
  run(plan: RunPlan, hooks: RunHooks): Promise<RunResult>;
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
