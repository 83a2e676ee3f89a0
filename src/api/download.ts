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
import { planOf, runDownload, type Finished } from './engine.js';
import { resolveQueueRun, runQueueDownload } from './queue-engine.js';
import type { QueueRunOptions } from '../queue/coordinator.js';
import { inApiTerms } from './terms.js';
import { protocolWarning } from '../report/text.js';
import {
  FIELDS,
  resolveApiOptions,
  type DownloadQueueOptions,
  type DownloadRunOptions,
  type DownloadTargetOptions,
} from './options.js';
import { OutcomeQueue } from './outcome-queue.js';
import { progressMeter, type DownloadProgress } from './progress.js';

/** The options of download(): what to fetch, how, and how to hear from the run. */
export interface DownloadOptions extends DownloadTargetOptions, DownloadRunOptions, DownloadQueueOptions {
  /** Aborting stops the run as Ctrl-C does: requests in flight get 2 s, then the partial report. */
  readonly signal?: AbortSignal | undefined;
  /** Called about ten times a second, and once at the end, with the run's progress. */
  readonly onProgress?: ((progress: DownloadProgress) => void) | undefined;
  /** Called with every request's outcome, on the caller's thread. */
  readonly onOutcome?: ((outcome: Outcome) => void) | undefined;
}

/** What a run is about to do, once its server is found: the `start` event. */
export interface DownloadStart {
  /** The concurrency model that runs. */
  readonly model: RunPlan['model'];
  /** Requests the run will make: codes (or URLs) × repeat. */
  readonly total: number;
  /** Requests in flight at most, in total. */
  readonly maxReq: number;
  /** Pool threads (1 for the loop models). */
  readonly workers: number;
  /** The server's base URL (the embedded one's when it was started). */
  readonly baseUrl: string;
}

/** The report of one download, the object `flagfetch download --json` prints. */
export type DownloadReport = JsonReport;

/** The events of a run and what each passes to its listeners. */
export interface DownloadRunEvents {
  /** Once the server is found, just before the first request. */
  start: [start: DownloadStart];
  /** About ten times a second, and once at the end. */
  progress: [progress: DownloadProgress];
  /** Every request's outcome, on the caller's thread. */
  outcome: [outcome: Outcome];
  /** A line for the user: an embedded server started, HTTP/2 fell back, nothing downloaded. */
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

/** The options resolved (a module's work step as its absolute path), and the queue's when there is one. */
function resolved(options: DownloadOptions, urls: readonly string[] | undefined): Resolved {
  const opts = withWorkModule(resolveApiOptions(options, urls), options.work);
  const text = (v: number | undefined): string | undefined => (v === undefined ? undefined : String(v));
  const password = options.queuePassword;
  try {
    const queue = resolveQueueRun(
      {
        queue: options.queue,
        shards: text(options.shards),
        agents: text(options.agents),
        agentWait: text(options.agentWaitSeconds),
        workers: text(options.workers),
        queuePasswordFile: password === undefined ? undefined : 'queuePassword',
      },
      opts,
      password === undefined ? null : { value: password, from: 'queuePassword' },
    );
    if (queue !== undefined && options.onOutcome !== undefined)
      throw new UsageError('onOutcome does not work with queue (agents return counts, not every outcome)', {
        field: 'onOutcome',
      });
    return { opts, queue };
  } catch (err) {
    throw inApiTerms(err, FIELDS);
  }
}

/** Resolved options of a download, and of its queue when it runs on agents. */
interface Resolved {
  readonly opts: Options;
  readonly queue: QueueRunOptions | undefined;
}

/** The options with a module's work step as its absolute path (which must exist). */
function withWorkModule(opts: Options, work: DownloadOptions['work']): Options {
  if (typeof work !== 'object' || work === null) return opts;
  const m = work.module;
  const file = m instanceof URL || String(m).startsWith('file:') ? fileURLToPath(m) : path.resolve(String(m));
  if (!existsSync(file))
    throw new UsageError(`work module '${file}' does not exist`, { field: 'work', expected: 'a module path' });
  return { ...opts, fetch: { ...opts.fetch, work: `module:${file}` } };
}

/** Run it here, or on the queue's agents. */
function execute(run: DownloadRun, { opts, queue }: Resolved, options: DownloadOptions): Promise<DownloadReport> {
  if (queue === undefined) return executeHere(run, opts, options);
  return settle(
    run,
    runQueueDownload(opts, queue, {
      signal: options.signal,
      note: (line) => run.emit('note', line),
      onReady: () => run.emit('start', startOf(planOf(opts))),
    }),
  );
}

/** What the `start` event says of a plan. */
function startOf(plan: RunPlan): DownloadStart {
  const total = plan.codes.length * plan.repeat;
  return { model: plan.model, total, maxReq: plan.maxReq, workers: plan.workers, baseUrl: plan.fetch.baseUrl };
}

/** The report of a finished run, its notes said and its outcomes ended (with its error, when it failed). */
async function settle(run: DownloadRun, finishing: Promise<Finished>): Promise<DownloadReport> {
  try {
    const { plan, result, report, nothingDownloaded } = await finishing;
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

function executeHere(run: DownloadRun, opts: Options, options: DownloadOptions): Promise<DownloadReport> {
  return settle(
    run,
    runDownload(opts, {
      note: (line) => run.emit('note', line),
      onStart: (plan) => {
        const start = startOf(plan);
        run.emit('start', start);
        const meter = progressMeter(start.total);
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
    }),
  );
}
