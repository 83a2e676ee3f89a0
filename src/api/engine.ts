/**
 * The one download path, under both the API's download() and `flagfetch download`: check the
 * destination, make sure a server is there, run the model, save what --work found, settle the
 * run's failure (and whether it downloaded nothing) and make its report, the `--json` object. Never prints: lines for the user go to `note`.
 */
import { RunFailure } from '../errors.js';
import { SETUP_REASONS } from '../download/classify.js';
import type { Options } from '../options.js';
import { checkDestination, removeStaleTemps } from '../download/save.js';
import { letSignalsIn } from '../download/stop.js';
import { writeWorkFiles } from '../cpu-work/files.js';
import { printable } from '../countries.js';
import { runPlan } from '../models/index.js';
import type { ProcessUsage, RunHooks, RunPlan, RunResult, ServerTarget } from '../models/types.js';
import { nothingDownloaded } from '../report/hints.js';
import { targetsFix, urlOfKey } from '../targets/url-list.js';
import { toJsonReport } from '../report/json.js';
import type { JsonReport } from '../compare/json-report.js';
import { ensureServer } from '../server/ensure-server.js';
import { SAVE_FAILED } from '../download/reasons.js';

/** What the download path calls as it goes; the API and the CLI each give their own. */
export interface EngineHooks {
  /** A line for the user (an embedded server started). */
  readonly note?: ((line: string) => void) | undefined;
  /** Called once the plan is known, just before the run: the run's hooks, and what to do once it ends. */
  readonly onStart?: ((plan: RunPlan) => Started) | undefined;
}

/** What onStart gives the run: its hooks (signal, progress, outcomes), and `done` called as the run ends. */
export interface Started {
  readonly hooks: RunHooks;
  done?(): void;
}

/** A finished download: its plan, the run's result (its failure settled) and its report, the `--json` object. */
export interface Finished {
  readonly plan: RunPlan;
  readonly result: RunResult;
  readonly report: JsonReport;
  /** `nothing downloaded: 194 of 194 not found, e.g. URL — check -s` when requests were made and none succeeded. */
  readonly nothingDownloaded: string | undefined;
}

/** A run settled: its failure said, one URL that failed, and the line for a run that downloaded nothing. */
export interface Settled {
  readonly result: RunResult;
  readonly failedUrl: string | undefined;
  readonly nothingDownloaded: string | undefined;
}

/** Run one download as the options say; throws UsageError (setup) or RunFailure (results not saved). */
export async function runDownload(opts: Options, hooks: EngineHooks = {}): Promise<Finished> {
  if (opts.fetch.dest !== null) await checkDestination(opts.fetch.dest);
  const server = await ensureServer(opts.server, opts.embedded, hooks.note ?? (() => undefined), opts.tls);
  try {
    const fetch = server.caPem === undefined ? opts.fetch : { ...opts.fetch, caPem: server.caPem };
    const plan = planOf({ ...opts, fetch });
    const started = hooks.onStart?.(plan);
    let run: RunResult;
    try {
      run = await runPlan(plan, started?.hooks ?? {});
      // A signal that came during the last item's work is read now: the run says it was stopped.
      await letSignalsIn();
      if (started?.hooks.signal?.aborted === true && !run.interrupted) run = { ...run, interrupted: true };
    } finally {
      started?.done?.();
    }
    await saveWorkFiles(run, opts.fetch.dest);
    const done = settled(run, opts);
    return {
      plan,
      result: done.result,
      report: jsonReportOf(done, opts.server),
      nothingDownloaded: done.nothingDownloaded,
    };
  } finally {
    if (opts.fetch.dest !== null) await removeStaleTemps(opts.fetch.dest);
    await server.stop();
  }
}

/** The plan the options describe. */
export function planOf(opts: Options): RunPlan {
  const { model, codes, repeat, maxReq, workers, split, fetch, connections, rate, requests } = opts;
  return { model, codes, repeat, maxReq, workers, split, fetch, connections, rate, requests };
}

/**
 * The run settled: its failure (the model's own, or no server answered, or files not saved), the
 * URL of its first failed request, and, when it downloaded nothing, the line that says so
 * (the CLI's exit 1; not the report's `failure`, which is the run's own).
 */
export function settled(run: RunResult, opts: Pick<Options, 'fetch' | 'targetKind'>): Settled {
  const result = { ...run, failure: run.failure ?? noServerFailure(run) ?? saveFailure(run) };
  const key = result.counters.firstFailedKey;
  const failedUrl = key === undefined ? undefined : urlOfKey(key, run.baseUrl, opts.fetch.targets);
  return {
    result,
    failedUrl,
    nothingDownloaded: nothingDownloaded(result.counters, failedUrl, targetsFix(opts.targetKind)),
  };
}

/** The `--json` report of a settled run, with the URL of its first failed request. */
export function jsonReportOf(done: Settled, server: ServerTarget): JsonReport {
  const report = toJsonReport(done.result, server, processUsage());
  return done.failedUrl === undefined ? report : { ...report, failedUrl: done.failedUrl };
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
