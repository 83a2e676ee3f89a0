/**
 * A whole tune as the command and the API run it: the server started, one search per work
 * kind × protocol × connection count (each with an equal share of the budget), the server
 * stopped; and the one document the reports make (`--json`, `--export-json`, the API's result).
 * Measures and returns plain data; never prints: progress lines go to `onProgress`.
 */
import { everyRunFailedLine } from './failed-configs.js';
import { runOnce } from './run-once.js';
import { formatDuration } from './run-bench.js';
import { startBenchServer, writeUrlsFile, type BenchServer } from './servers.js';
import type { TuneSettings } from './bench-settings.js';
import type { TunePoint } from './tune-search.js';
import { runTune, workerSpace, type TunePlan, type TuneReport } from './tune-run.js';
import type { WorkKind } from '../cpu-work/kind.js';
import type { Protocol } from '../download/settings.js';
import type { TargetKind } from '../targets/url-list.js';
import type { BenchTarget } from './types.js';

/** Largest max-req tune tries. */
export const TUNE_MAX_REQ = 2000;

/** Several searches (--works, --protocols, --connections with more than one value) as one document. */
export interface TuneReports {
  /** The version of this document's shape. */
  readonly schema: 1;
  /** Several searches in one document. */
  readonly kind: 'tune-works';
  /** One report per work kind × protocol × connection count, in that order. */
  readonly reports: readonly TuneReport[];
}

/** What a tune gives: one search's report as it is, several as one document holding them. */
export type TuneDocument = TuneReport | TuneReports;

/** Progress lines and a stop signal: a stopped tune ends the run in progress and returns what it found. */
export interface TuneAllHooks {
  readonly onProgress?: ((line: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** What one search tunes besides workers and max-req: its work kind, protocol and connection count. */
interface Variant {
  readonly work: WorkKind;
  readonly protocol: Protocol;
  readonly connections: number | undefined;
}

/** Run every search of a tune against its server; the reports in order (fewer when stopped). */
export async function tuneAll(opts: TuneSettings, hooks: TuneAllHooks = {}): Promise<TuneReport[]> {
  const server = await startBenchServer(opts.server, opts.delayMs, opts.tls);
  const urls = await writeUrlsFile(opts.urls);
  try {
    const variants = tuneVariants(opts);
    const budgetMs = Math.floor(opts.budgetMs / variants.length);
    const reports: TuneReport[] = [];
    const at = { ...server, urlsFile: urls.file };
    for (const variant of variants) {
      if (hooks.signal?.aborted === true) break;
      reports.push(await tuneVariant(opts, at, variant, budgetMs, hooks));
    }
    return reports;
  } finally {
    await urls.remove();
    await server.stop();
  }
}

/** The one document of a tune's reports. */
export function tuneDocument(reports: readonly TuneReport[]): TuneDocument {
  const [single] = reports;
  return reports.length === 1 && single !== undefined ? single : { schema: 1, kind: 'tune-works', reports };
}

/** One search on `server` within `budgetMs`, saying what it tunes and each trial on `onProgress`. */
async function tuneVariant(
  opts: TuneSettings,
  server: BenchServer & { readonly urlsFile: string | undefined },
  { work, protocol, connections }: Variant,
  budgetMs: number,
  { onProgress: progress, signal }: TuneAllHooks,
): Promise<TuneReport> {
  const target = tuneTarget(opts, server);
  const plan: TunePlan = {
    protocol,
    connections,
    model: opts.model,
    split: opts.split,
    target,
    delayMs: server.delayMs,
    budgetMs,
    space: { workers: workerSpace(opts.model, opts.maxWorkers), maxReqMin: 1, maxReqMax: TUNE_MAX_REQ },
    work,
  };
  const budget = formatDuration(budgetMs);
  const withWork =
    (work === 'none' ? '' : ` with --work ${work}`) +
    (protocol === 'h2' ? ' over HTTP/2' : '') +
    (connections === undefined ? '' : ` on ${connections} connections`);
  progress?.(
    `tune: ${opts.model} model on ${server.label} ${server.url}${withWork}, budget ${budget}; each run a fresh process`,
  );
  const onTrial = (p: TunePoint, rps: number | null, spentMs: number, runs: number): void => {
    // Runs so far, and about how many the budget holds at their pace; the ETA is the budget left.
    const total = Math.max(runs, Math.floor((runs * budgetMs) / Math.max(1, spentMs)));
    const eta = formatDuration(Math.max(0, budgetMs - spentMs));
    const what = p.workers === 0 ? `loop -m ${p.maxReq}` : `-w ${p.workers} -m ${p.maxReq}`;
    progress?.(
      `tune [${runs}/~${total}, ETA ${eta}]: ${what}: ${rps === null ? 'failed' : `${Math.round(rps)} req/s`} ` +
        `(${formatDuration(spentMs)} of ${budget})`,
    );
  };
  return runTune(plan, runOnce, { onTrial, signal });
}

/** What every run of a tune fetches, from the settings and the server started for them. */
export function tuneTarget(
  opts: TuneSettings,
  server: BenchServer & { readonly urlsFile: string | undefined },
): BenchTarget {
  return {
    serverLabel: server.label,
    baseUrl: server.url,
    codeArgs: opts.codeArgs,
    codeCount: opts.codeCount,
    repeat: opts.repeat,
    caFile: server.caFile ?? opts.caFile,
    insecure: opts.insecure,
    kind: opts.kind,
    urlsFile: server.urlsFile,
    maxFailed: opts.maxFailed,
    ...(opts.rateDurationMs === undefined ? {} : { rateDurationMs: opts.rateDurationMs }),
  };
}

/** Every work kind × protocol × connection count to tune, each a search of its own. */
function tuneVariants(opts: TuneSettings): Variant[] {
  return opts.works.flatMap((work) =>
    opts.protocols.flatMap((protocol) =>
      (opts.connections ?? [undefined]).map((connections) => ({ work, protocol, connections })),
    ),
  );
}

/**
 * Why a tune found nothing, or undefined when every search found a best point: its trials'
 * failure (`every run failed: 194 of 194 not found, e.g. URL — check -s`), or time.
 */
export function tuneFailure(reports: readonly TuneReport[], kind: TargetKind): string | undefined {
  const report = reports.find((r) => r.best === null);
  if (report === undefined) return undefined;
  const f = report.trials.find((t) => t.failed !== undefined)?.failed;
  if (f !== undefined) return everyRunFailedLine(f, kind);
  const why = report.failures.length > 0 ? 'every run failed (see "Left out" above)' : 'no run finished in time';
  return `no tune run succeeded against ${report.target.baseUrl}: ${why}; check --server, or give --budget more time`;
}
