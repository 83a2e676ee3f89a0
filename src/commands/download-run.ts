/** What `flagfetch download` does once its options are resolved: run (the API's engine), report, exit code. */
import { EXIT_INTERRUPTED } from '../errors.js';
import { type Options } from '../options.js';
import { verboseLine } from '../download/outcome.js';
import { checkDestination, removeOwnTempsSync } from '../download/save.js';
import { concurrencyOf, requestsOf } from '../models/concurrency.js';
import type { RunPlan, RunResult } from '../models/types.js';
import { headerLines, summaryLines, concurrencyLine, protocolWarning, scheduleLine } from '../report/text.js';
import type { JsonReport } from '../compare/json-report.js';
import { createProgressView, shouldShowProgress } from '../report/progress.js';
import { trapSignals } from '../signals.js';
import { checkOutputFolders, jsonText, writeOutput } from './write-output.js';
import { EXIT_STDOUT_CLOSED, guardRun, stdoutClosed, writeLine } from '../stdout.js';
import { overloadHint } from '../report/hints.js';
import { jsonReportOf, runDownload, settled, type Started } from '../api/engine.js';

/** Run one download as the options say; returns the exit code (141, silently, once stdout has closed). */
export async function download(opts: Options): Promise<number> {
  // The pool's threads (workers and threads models) boot while this thread checks the
  // destination, finds the server and loads the model; the run takes the pool over
  // (models/pool.ts startEarly).
  const threads = opts.model === 'threads';
  const pool = opts.model === 'workers' || threads ? await import('../models/pool.js') : undefined;
  pool?.startEarly(threads ? pool.threadsPool(opts) : pool.workersPool(opts));
  try {
    return await guardRun(() => downloadAndReport(opts));
  } finally {
    await pool?.discardEarly();
  }
}

async function downloadAndReport(opts: Options): Promise<number> {
  if (opts.fetch.dest !== null) await checkDestination(opts.fetch.dest);
  await checkOutputFolders({ '--export-json': opts.exportJson }, { dest: opts.fetch.dest });
  const note = (line: string): void => void (opts.quiet ? undefined : process.stderr.write(`${line}\n`));
  if (opts.fetch.insecure === true) process.stderr.write('warning: --insecure: TLS certificates are not verified\n');
  const { plan, result, report } = await runDownload(opts, {
    note,
    onStart: (plan) => {
      const items = opts.fetch.targets === undefined ? 'flags' : 'files';
      if (!opts.json) {
        headerLines(opts.server, opts.codes, opts.repeat, concurrencyLine(plan), items).forEach(writeLine);
        const schedule = scheduleLine(plan);
        if (schedule !== undefined) writeLine(schedule);
      }
      return terminalHooks(plan, opts);
    },
  });
  const fellBack = protocolWarning(plan, result);
  if (fellBack !== undefined) process.stderr.write(`${fellBack}\n`);
  return reportRun(result, opts, note, {}, report);
}

/** What a report adds for runs beyond one machine: text lines, JSON fields, what start-up was. */
export interface ReportExtras {
  readonly lines?: readonly string[];
  readonly json?: object;
  readonly startupOf?: string;
}

/** Print a finished run's report (text or --json, and --export-json); returns the exit code. */
export async function reportRun(
  run: RunResult,
  opts: Options,
  note: (line: string) => void,
  extras: ReportExtras = {},
  report?: JsonReport,
): Promise<number> {
  const done = settled(run, opts);
  const { result } = done;
  const c = result.counters;
  const wanted = opts.json || opts.exportJson !== undefined;
  const json = wanted ? { ...(report ?? jsonReportOf(done, opts.server)), ...extras.json } : null;
  const items = opts.targetKind === 'flags' ? 'flags' : 'files';
  const overload = opts.server.label === 'ERROR' ? undefined : overloadHint(c, result.maxReq);
  if (opts.json) writeLine(JSON.stringify(json));
  else
    [
      ...summaryLines(result, extras.startupOf, items),
      ...(extras.lines ?? []),
      ...(overload === undefined ? [] : [overload]),
    ].forEach(writeLine);
  if (opts.exportJson !== undefined) {
    await writeOutput('--export-json', opts.exportJson, jsonText(json, 2));
    note(`wrote ${opts.exportJson}`);
  }
  const nothing = done.nothingDownloaded;
  return exitCode(nothing === undefined ? result : { ...result, failure: result.failure ?? nothing }, opts);
}

/** The run's hooks for a terminal: signals trapped, progress bars or verbose lines as asked, until done(). */
function terminalHooks(plan: RunPlan, opts: Options): Started {
  const dest = opts.fetch.dest;
  const showBars = shouldShowProgress({
    verbose: opts.verbose,
    json: opts.json || !opts.progress,
    isTTY: process.stderr.isTTY,
  });
  const c = concurrencyOf(plan);
  const view = showBars
    ? createProgressView({ total: requestsOf(plan), workers: c.threads, perWorkerTotals: c.shares })
    : undefined;
  // A signal's line clears the bars first: none is left stale on screen, and the line is its own.
  const signals = trapSignals(
    (line) => {
      view?.stop();
      process.stderr.write(`${line}\n`);
    },
    undefined,
    dest === null ? undefined : () => removeOwnTempsSync(dest),
  );
  // With --json stdout holds the one JSON document: the verbose lines go to stderr.
  const verbose = opts.json ? (line: string) => void process.stderr.write(`${line}\n`) : writeLine;
  return {
    hooks: {
      signal: signals.signal,
      onOutcome: opts.verbose ? (o) => verbose(verboseLine(o)) : undefined,
      onProgress: view === undefined ? undefined : (done) => view.update(done),
    },
    done: () => {
      view?.stop();
      signals.release();
    },
  };
}

/** The run's exit code; a failure of the run itself is said on stderr. */
function exitCode(result: RunResult, opts: Options): number {
  if (stdoutClosed()) return EXIT_STDOUT_CLOSED;
  if (result.interrupted) return EXIT_INTERRUPTED;
  if (result.failure !== undefined) {
    process.stderr.write(`error: ${result.failure}\n`);
    return 1;
  }
  return opts.failOnError && result.counters.errors > 0 ? 1 : 0;
}
