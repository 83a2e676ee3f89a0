/** What `flagfetch download` does once its options are resolved: run, report, exit code. */
import { EXIT_INTERRUPTED, RunFailure } from '../errors.js';
import { SETUP_REASONS } from '../download/classify.js';
import { type Options } from '../options.js';
import { verboseLine } from '../download/outcome.js';
import { checkDestination, removeOwnTempsSync, removeStaleTemps } from '../download/save.js';
import { writeWorkFiles } from '../cpu-work/files.js';
import { printable } from '../countries.js';
import { runPlan } from '../models/index.js';
import { concurrencyOf } from '../models/concurrency.js';
import type { ProcessUsage, RunPlan, RunResult } from '../models/types.js';
import { headerLines, summaryLines, concurrencyLine, protocolWarning } from '../report/text.js';
import { toJsonReport } from '../report/json.js';
import { createProgressView, shouldShowProgress } from '../report/progress.js';
import { ensureServer } from '../server/ensure-server.js';
import { trapSignals } from '../signals.js';
import { letSignalsIn } from '../download/stop.js';
import { checkOutputFolders, jsonText, writeOutput } from './write-output.js';
import { EXIT_STDOUT_CLOSED, guardRun, stdoutClosed, writeLine } from '../stdout.js';
import { SAVE_FAILED } from '../download/reasons.js';
import { nothingDownloaded, overloadHint } from '../report/hints.js';
import { targetsFix, urlOfKey } from '../targets/url-list.js';

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
  const server = await ensureServer(opts.server, opts.embedded, note, opts.tls);
  try {
    const fetch = server.caPem === undefined ? opts.fetch : { ...opts.fetch, caPem: server.caPem };
    const plan = planOf({ ...opts, fetch });
    const items = opts.fetch.targets === undefined ? 'flags' : 'files';
    if (!opts.json) headerLines(opts.server, opts.codes, opts.repeat, concurrencyLine(plan), items).forEach(writeLine);
    const run = await runWithTerminal(plan, opts);
    const fellBack = protocolWarning(plan, run);
    if (fellBack !== undefined) process.stderr.write(`${fellBack}\n`);
    await saveWorkFiles(run, opts.fetch.dest);
    return await reportRun(run, opts, note);
  } finally {
    if (opts.fetch.dest !== null) await removeStaleTemps(opts.fetch.dest);
    await server.stop();
  }
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
): Promise<number> {
  const result: RunResult = { ...run, failure: run.failure ?? noServerFailure(run) ?? saveFailure(run) };
  const wanted = opts.json || opts.exportJson !== undefined;
  const c = result.counters;
  const failedUrl =
    c.firstFailedKey === undefined ? undefined : urlOfKey(c.firstFailedKey, run.baseUrl, opts.fetch.targets);
  const json = wanted
    ? {
        ...toJsonReport(result, opts.server, processUsage()),
        ...(failedUrl === undefined ? {} : { failedUrl }),
        ...extras.json,
      }
    : null;
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
  const nothing = nothingDownloaded(c, failedUrl, targetsFix(opts.targetKind));
  return exitCode(nothing === undefined ? result : { ...result, failure: result.failure ?? nothing }, opts);
}

/** The plan the options describe. */
export function planOf(opts: Options): RunPlan {
  const { model, codes, repeat, maxReq, workers, split, fetch, connections } = opts;
  return { model, codes, repeat, maxReq, workers, split, fetch, connections };
}

/** Run the plan with signals trapped and progress bars or verbose lines as asked. */
async function runWithTerminal(plan: RunPlan, opts: Options): Promise<RunResult> {
  const dest = opts.fetch.dest;
  const showBars = shouldShowProgress({
    verbose: opts.verbose,
    json: opts.json || !opts.progress,
    isTTY: process.stderr.isTTY,
  });
  const c = concurrencyOf(plan);
  const view = showBars
    ? createProgressView({ total: plan.codes.length * plan.repeat, workers: c.threads, perWorkerTotals: c.shares })
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
  try {
    const run = await runPlan(plan, {
      signal: signals.signal,
      onOutcome: opts.verbose ? (o) => verbose(verboseLine(o)) : undefined,
      onProgress: view === undefined ? undefined : (done) => view.update(done),
    });
    // A signal that came during the last item's work is read now: the run says it was stopped.
    await letSignalsIn();
    return signals.signal.aborted && !run.interrupted ? { ...run, interrupted: true } : run;
  } finally {
    view?.stop();
    signals.release();
  }
}

/** colors.json or SHA256SUMS in --dest, from what every thread's --work step found. */
async function saveWorkFiles(result: RunResult, dest: string | null): Promise<void> {
  if (dest === null || result.workRecords === undefined) return;
  try {
    await writeWorkFiles(dest, result.work ?? 'none', result.workRecords);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new RunFailure(
      `cannot write the --work ${result.work ?? ''} results in '${printable(dest)}' (${typeof code === 'string' ? code : String(err)}): ` +
        `check the folder, or --no-save`,
    );
  }
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

/** When a flag could not be saved (a full disk), the run failed: a local failure is not the server's answer. */
function saveFailure(result: RunResult): string | undefined {
  const unsaved = Object.entries(result.counters.errorsByReason).filter(([r]) => r.startsWith(SAVE_FAILED));
  if (unsaved.length === 0) return undefined;
  const n = unsaved.reduce((sum, [, k]) => sum + k, 0);
  const why = unsaved.map(([r]) => r).join('; ');
  const fixes = [...new Set(unsaved.map(([r]) => saveFix(/\((E[A-Z0-9]+)\)$/.exec(r)?.[1])))].join('; ');
  return `${n} flag${n === 1 ? '' : 's'} could not be saved (${why}): ${fixes}`;
}

/** What to do about a save that failed with the file system's `code`: the hint follows the cause. */
function saveFix(code: string | undefined): string {
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'free space in --dest or choose another folder';
  if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'ENOTEMPTY' || code === 'EEXIST') {
    return 'a folder in --dest has the name of a file to save: move it away or choose another --dest';
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'make --dest writable or choose another folder';
  return 'check --dest or choose another folder';
}

/**
 * When no request got any answer because nothing listened (or nothing could be trusted), the
 * run failed: say so and how to fix it.
 */
function noServerFailure(result: RunResult): string | undefined {
  const c = result.counters;
  const reasons = Object.keys(c.errorsByReason);
  if (c.total === 0 || c.ok + c.notFound > 0 || c.errors === 0 || !reasons.every((r) => r in SETUP_REASONS)) {
    return undefined;
  }
  const fixes = [...new Set(reasons.map((r) => SETUP_REASONS[r]))].join('; ');
  const what = reasons.some((r) => r.startsWith('certificate')) ? 'no server could be trusted' : 'no server answered';
  return `${what} at ${result.baseUrl} (${reasons.join(', ')}): ${fixes}`;
}

/** CPU and peak memory of this process so far. */
export function processUsage(): ProcessUsage {
  const u = process.resourceUsage();
  return { cpuUserMs: u.userCPUTime / 1000, cpuSystemMs: u.systemCPUTime / 1000, peakRssBytes: u.maxRSS * 1024 };
}
