/**
 * The API's bench() and tune(): typed options in, the report `--export-json` writes out, over
 * the same resolver and runners as `flagfetch bench` and `flagfetch tune`. Every run is a
 * fresh process, as on the command line; nothing printed, no signal trapped.
 */
import { benchAll } from '../compare/bench-all.js';
import { resolveBenchSettings, resolveTuneSettings } from '../compare/bench-settings.js';
import { tuneAll, tuneDocument, type TuneDocument } from '../compare/tune-all.js';
import type { BenchResult } from '../compare/types.js';
import { sloTuneAll } from '../compare/slo-all.js';
import type { SloReport } from '../compare/tune-slo.js';
import type { ModelName } from '../models/types.js';
import { listText, withWorkload, WORKLOAD_FIELDS, type WorkloadOptions } from './compare-options.js';

/** The options of bench(): the matrix to compare, how many runs, and the workload, with the CLI's defaults. */
export interface BenchOptions extends WorkloadOptions {
  /** Models to compare (default loop and workers). */
  readonly models?: readonly ModelName[] | undefined;
  /** Thread counts for the threads and workers models (default: the core count). */
  readonly workers?: number | readonly number[] | undefined;
  /** Requests in flight in total (default 100). */
  readonly maxReq?: number | readonly number[] | undefined;
  /** Exactly this many measured runs per configuration (instead of minRuns and maxRuns). */
  readonly runs?: number | undefined;
  /** Measured runs per configuration at least (default 5). */
  readonly minRuns?: number | undefined;
  /** Measured runs at most, while a ratio's 95 % interval is wider than ±5 % (default 10). */
  readonly maxRuns?: number | undefined;
  /** Warm-up runs per configuration, not counted (default 1). */
  readonly warmup?: number | undefined;
  /** Run the workers configurations on agents over this queue (`redis://HOST:PORT`); the others run here. */
  readonly queue?: string | undefined;
  /** With `queue`: agents each run waits for (default 1). */
  readonly agents?: number | undefined;
  /** With `queue`: seconds to wait for them (default 30). */
  readonly agentWaitSeconds?: number | undefined;
  /** Offered rates in requests/s (an open model): every configuration at each; the report gains `curves`. */
  readonly rates?: readonly number[] | undefined;
  /** With `rates`: the length of every run in milliseconds, the codes repeated (default 2000). */
  readonly durationMs?: number | undefined;
}

/** The options of tune(): the model searched, the time budget, and the workload, with the CLI's defaults. */
export interface TuneOptions extends WorkloadOptions {
  /** workers (default) or loop (loop tunes max-req only). */
  readonly model?: 'workers' | 'loop' | undefined;
  /** Time to spend searching, in seconds (default 60); several works, protocols or connection counts share it. */
  readonly budgetSeconds?: number | undefined;
  /** Most worker threads to try (default: twice the core count). */
  readonly maxWorkers?: number | undefined;
  /** A latency target, e.g. `'p99<=50ms'`: the highest rate each configuration holds within it (the result is an SloReport). */
  readonly slo?: string | undefined;
  /** With `slo`: the cheapest configuration that holds this many requests/s. */
  readonly rate?: number | undefined;
  /** With `slo`: the length of every run in milliseconds (default 1000). */
  readonly durationMs?: number | undefined;
}

/** The report of a bench, the object `flagfetch bench --export-json` writes. */
export type BenchReport = BenchResult;

const BENCH_FIELDS: Readonly<Record<string, string>> = {
  ...WORKLOAD_FIELDS,
  '--models': 'models',
  '--workers': 'workers',
  '--max-req': 'maxReq',
  '--runs': 'runs',
  '--min-runs': 'minRuns',
  '--max-runs': 'maxRuns',
  '--warmup': 'warmup',
  '--queue': 'queue',
  '--agents': 'agents',
  '--agent-wait': 'agentWaitSeconds',
  '--rates': 'rates',
  '--duration': 'durationMs',
};

const TUNE_FIELDS: Readonly<Record<string, string>> = {
  ...WORKLOAD_FIELDS,
  '--models': 'model',
  '--budget': 'budgetSeconds',
  '--max-workers': 'maxWorkers',
  '--slo': 'slo',
  '--rate': 'rate',
  '--duration': 'durationMs',
};

/**
 * Compare models × workers × max-req as `flagfetch bench` does: each configuration run several
 * times, interleaved, each run a fresh process. Resolves with the report (a bench whose every
 * configuration failed too: each says why in `failed`); rejects with UsageError for invalid options.
 */
export async function bench(options: BenchOptions = {}): Promise<BenchReport> {
  return withWorkload(
    options,
    BENCH_FIELDS,
    (codes, raw, inputs) =>
      resolveBenchSettings(
        codes,
        {
          ...raw,
          models: listText(options.models),
          workers: listText(options.workers),
          maxReq: listText(options.maxReq),
          runs: listText(options.runs),
          minRuns: listText(options.minRuns),
          maxRuns: listText(options.maxRuns),
          warmup: listText(options.warmup),
          queue: options.queue,
          agents: listText(options.agents),
          agentWait: listText(options.agentWaitSeconds),
          rates: listText(options.rates),
          duration: options.durationMs === undefined ? undefined : `${options.durationMs}ms`,
        },
        inputs,
      ),
    (settings) => benchAll(settings, options),
  );
}

/**
 * Find the best workers × max-req for a server within a time budget, as `flagfetch tune` does.
 * Resolves with the report `--export-json` writes: one search's report, or with several works,
 * protocols or connection counts, `{ kind: 'tune-works', reports }`, or with `slo` the
 * SloReport (`kind: 'tune-slo'`); rejects with UsageError.
 */
export async function tune(options: TuneOptions = {}): Promise<TuneDocument | SloReport> {
  return withWorkload(
    options,
    TUNE_FIELDS,
    (codes, raw, inputs) =>
      resolveTuneSettings(
        codes,
        {
          ...raw,
          models: options.model,
          budget: listText(options.budgetSeconds),
          maxWorkers: listText(options.maxWorkers),
          slo: options.slo,
          rate: listText(options.rate),
          duration: options.durationMs === undefined ? undefined : `${options.durationMs}ms`,
        },
        inputs,
      ),
    async (settings) =>
      settings.slo === undefined ? tuneDocument(await tuneAll(settings, options)) : sloTuneAll(settings, options),
  );
}
