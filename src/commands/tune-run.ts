/** What `flagfetch tune` does once its options are resolved. */
import type { Workload } from '../compare/bench-options.js';
import { tuneHeading, tuneTextLines } from '../report/bench-tune.js';
import { tuneCsv, tuneHtml, tuneMarkdown } from '../report/tune-files.js';
import { EXIT_INTERRUPTED, RunFailure } from '../errors.js';
import { runOnce } from '../compare/run-once.js';
import { formatDuration } from '../compare/run-bench.js';
import { startBenchServer, writeUrlsFile, type BenchServer } from '../compare/servers.js';
import { stopOnInterrupt } from '../compare/suite.js';
import type { TunePoint } from '../compare/tune-search.js';
import { runTune, workerSpace, type TunePlan, type TuneReport } from '../compare/tune-run.js';
import { FILE_FLAGS, filesByFlag, noteSayers, type OutputChoice, type OutputFiles } from './output-flags.js';
import { checkOutputFolders, jsonText, writeFiles } from './write-output.js';
import { checkTrustInputs } from './download-inputs.js';
import type { WorkKind } from '../cpu-work/kind.js';
import type { Protocol } from '../download/settings.js';
import type { TargetKind } from '../targets/url-list.js';
import { everyRunFailedLine } from '../compare/failed-configs.js';

/** Validated tune options. */
export interface TuneOptions extends Workload {
  readonly model: TunePlan['model'];
  readonly budgetMs: number;
  readonly maxWorkers: number;
  readonly outputs: OutputChoice;
}

/** Largest max-req tune tries. */
export const TUNE_MAX_REQ = 2000;

/**
 * Run the command with resolved options: one search per work kind, each with its share of the
 * budget; 130 when a signal stopped it (the run in progress is killed, the partial report printed).
 */
export async function tune(opts: TuneOptions): Promise<number> {
  const out = opts.outputs;
  await checkOutputFolders(filesByFlag(out.files));
  await checkTrustInputs(opts);
  const { note, progress, always } = noteSayers(out);
  const stop = stopOnInterrupt(always);
  try {
    const server = await startBenchServer(opts.server, opts.delayMs, opts.tls);
    const urls = await writeUrlsFile(opts.urls);
    try {
      const variants = tuneVariants(opts);
      const budgetMs = Math.floor(opts.budgetMs / variants.length);
      const reports: TuneReport[] = [];
      const at = { ...server, urlsFile: urls.file };
      for (const variant of variants) {
        if (stop.signal.aborted) break;
        reports.push(await tuneVariant(opts, at, variant, budgetMs, { progress, signal: stop.signal }));
      }
      const text = reports.map((r) => tuneTextLines(r).join('\n')).join('\n\n');
      process.stdout.write(out.stdoutJson ? jsonText(tuneJson(reports)) : `${text}\n`);
      await writeTuneOutputs(out.files, reports, note);
      if (stop.signal.aborted) return EXIT_INTERRUPTED;
      const failed = reports.find((r) => r.best === null);
      if (failed !== undefined) throw new RunFailure(noResultLine(failed, server.url, opts.kind));
      return 0;
    } finally {
      await urls.remove();
      await server.stop();
    }
  } finally {
    stop.release();
  }
}

/** What one search tunes besides workers and max-req: its work kind, protocol and connection count. */
interface Variant {
  readonly work: WorkKind;
  readonly protocol: Protocol;
  readonly connections: number | undefined;
}

/** One search on `server` within `budgetMs`, saying what it tunes and each trial on `progress`. */
async function tuneVariant(
  opts: TuneOptions,
  server: BenchServer & { readonly urlsFile: string | undefined },
  { work, protocol, connections }: Variant,
  budgetMs: number,
  { progress, signal }: { progress: ((line: string) => void) | undefined; signal: AbortSignal },
): Promise<TuneReport> {
  const target = {
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
  };
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

/** Every work kind × protocol × connection count to tune, each a search of its own. */
function tuneVariants(opts: TuneOptions): Variant[] {
  return opts.works.flatMap((work) =>
    opts.protocols.flatMap((protocol) =>
      (opts.connections ?? [undefined]).map((connections) => ({ work, protocol, connections })),
    ),
  );
}

/** One report as it is; several (--works) as one document holding them. */
function tuneJson(reports: readonly TuneReport[]): unknown {
  return reports.length === 1 ? reports[0] : { schema: 1, kind: 'tune-works', reports };
}

/** Write the tune files asked for (one after another for several reports); says each path written. */
async function writeTuneOutputs(
  files: OutputFiles,
  reports: readonly TuneReport[],
  say: (line: string) => void,
): Promise<void> {
  const each = (f: (r: TuneReport) => string): string => reports.map(f).join('\n');
  const texts: Record<keyof OutputFiles, () => string> = {
    json: () => jsonText(tuneJson(reports), 2),
    csv: () => tuneCsv(reports),
    markdown: () => each((r) => tuneMarkdown(r, tuneHeading(r))),
    html: () => tuneHtml(reports),
  };
  await writeFiles(files, FILE_FLAGS, texts, say);
}

/** Why a search found nothing: its trials' failure (`every run failed: 194 of 194 not found, e.g. URL — check -s`), or time. */
function noResultLine(report: TuneReport, url: string, kind: TargetKind): string {
  const f = report.trials.find((t) => t.failed !== undefined)?.failed;
  if (f !== undefined) return everyRunFailedLine(f, kind);
  const why = report.failures.length > 0 ? 'every run failed (see "Left out" above)' : 'no run finished in time';
  return `no tune run succeeded against ${url}: ${why}; check --server, or give --budget more time`;
}
