/**
 * The API's download(): a run handle over the one download path (engine.ts). `await run` gives
 * the report `--json` prints; progress and outcomes come as events, callbacks or an async
 * iterable; `signal` stops the run as Ctrl-C does. Nothing printed, no signal trapped.
 */
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import type { Options } from '../options.js';
import type { Outcome } from '../download/outcome.js';
import type { RunPlan } from '../models/types.js';
import type { JsonReport } from '../compare/json-report.js';
import { runDownload } from './engine.js';
import { protocolWarning } from '../report/text.js';
import { resolveApiOptions, type DownloadRunOptions, type DownloadTargetOptions } from './options.js';
import { OutcomeQueue } from './outcome-queue.js';
import { progressMeter, type DownloadProgress } from './progress.js';

/** The options of download(): what to fetch, how, and how to hear from the run. */
export interface DownloadOptions extends DownloadTargetOptions, DownloadRunOptions {
  /** Aborting stops the run as Ctrl-C does: requests in flight get 2 s, then the partial report. */
  readonly signal?: AbortSignal | undefined;
  /** Called about ten times a second, and once at the end, with the run's progress. */
  readonly onProgress?: ((progress: DownloadProgress) => void) | undefined;
  /** Called with every request's outcome, on the caller's thread. */
  readonly onOutcome?: ((outcome: Outcome) => void) | undefined;
}

/** What a run is about to do, once its server is found: the `start` event. */
export interface DownloadStart {
  readonly model: RunPlan['model'];
  /** Requests the run will make: codes (or URLs) × repeat. */
  readonly total: number;
  readonly maxReq: number;
  readonly workers: number;
  readonly baseUrl: string;
}

/** The report of one download, the object `flagfetch download --json` prints. */
export type DownloadReport = JsonReport;

/** The events of a run and what each passes to its listeners. */
export interface DownloadRunEvents {
  start: [start: DownloadStart];
  progress: [progress: DownloadProgress];
  outcome: [outcome: Outcome];
  note: [line: string];
}

/**
 * A running download. `await run` (or `run.result`) gives its report; events `start`,
 * `progress`, `outcome` and `note` (a line such as "started the embedded server"). Ask for
 * `run.outcomes` (or listen to `outcome`) before the current tick ends: outcomes are sent
 * from the threads only when someone wants them.
 */
export class DownloadRun extends EventEmitter<DownloadRunEvents> implements PromiseLike<DownloadReport> {
  /** The report, once the run has ended (interrupted runs included); rejects with UsageError or RunFailure. */
  readonly result: Promise<DownloadReport>;
  private queue: OutcomeQueue | undefined;

  constructor(start: (run: DownloadRun) => Promise<DownloadReport>) {
    super();
    // Started on the next tick, so that listeners and `outcomes` set up now are seen.
    this.result = Promise.resolve().then(() => start(this));
    // A run nobody awaits must not crash the process with an unhandled rejection of its own.
    this.result.catch(() => undefined);
  }

  /** Every request's outcome as it comes, ending with the run (a failed run throws its error here). */
  get outcomes(): AsyncIterable<Outcome> {
    this.queue ??= new OutcomeQueue();
    return this.queue;
  }

  /** True when someone asked for outcomes. */
  wantsOutcomes(): boolean {
    return this.queue !== undefined || this.listenerCount('outcome') > 0;
  }

  /** Hand an outcome to the iterable and the listeners. */
  deliver(o: Outcome): void {
    this.queue?.push(o);
    this.emit('outcome', o);
  }

  /** End the outcomes iterable. */
  endOutcomes(error?: Error): void {
    this.queue?.end(error);
  }

  then<A = DownloadReport, B = never>(
    onFulfilled?: ((report: DownloadReport) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.result.then(onFulfilled, onRejected);
  }
}

/**
 * Download as the options say, with the CLI's defaults: returns the run at once. Invalid
 * options throw a UsageError here (with an async iterable of URLs, the run rejects with it).
 */
export function download(options: DownloadOptions = {}): DownloadRun {
  const urls = options.urls;
  if (urls !== undefined && Symbol.asyncIterator in Object(urls)) {
    return new DownloadRun(async (run) => {
      const list: string[] = [];
      for await (const u of urls as AsyncIterable<string>) list.push(u);
      return execute(run, resolved(options, list), options);
    });
  }
  const opts = resolved(options, urls === undefined ? undefined : [...(urls as Iterable<string>)]);
  return new DownloadRun((run) => execute(run, opts, options));
}

/** The options resolved, with a module's work step as its absolute path. */
function resolved(options: DownloadOptions, urls: readonly string[] | undefined): Options {
  const opts = resolveApiOptions(options, urls);
  const work = options.work;
  if (typeof work !== 'object' || work === null) return opts;
  const m = work.module;
  const file = m instanceof URL || String(m).startsWith('file:') ? fileURLToPath(m) : path.resolve(String(m));
  if (!existsSync(file))
    throw new UsageError(`work module '${file}' does not exist`, { field: 'work', expected: 'a module path' });
  return { ...opts, fetch: { ...opts.fetch, work: `module:${file}` } };
}

async function execute(run: DownloadRun, opts: Options, options: DownloadOptions): Promise<DownloadReport> {
  try {
    const { plan, result, report, nothingDownloaded } = await runDownload(opts, {
      note: (line) => run.emit('note', line),
      onStart: (plan) => {
        const total = plan.codes.length * plan.repeat;
        run.emit('start', {
          model: plan.model,
          total,
          maxReq: plan.maxReq,
          workers: plan.workers,
          baseUrl: plan.fetch.baseUrl,
        } satisfies DownloadStart);
        const meter = progressMeter(total);
        const outcomes = run.wantsOutcomes() || options.onOutcome !== undefined;
        return {
          hooks: {
            signal: options.signal,
            onOutcome: outcomes
              ? (o) => {
                  options.onOutcome?.(o);
                  run.deliver(o);
                }
              : undefined,
            onCounters: (counters) => {
              const p = meter(counters);
              options.onProgress?.(p);
              run.emit('progress', p);
            },
          },
        };
      },
    });
    const fellBack = protocolWarning(plan, result);
    if (fellBack !== undefined) run.emit('note', fellBack);
    if (nothingDownloaded !== undefined) run.emit('note', nothingDownloaded);
    run.endOutcomes();
    return report;
  } catch (err) {
    run.endOutcomes(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}
