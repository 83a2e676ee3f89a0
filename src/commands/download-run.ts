/** What `flagfetch download` does once its options are resolved: run, report, exit code. */
import { EXIT_INTERRUPTED, RunFailure } from '../errors.js';
import { type Options } from '../options.js';
import { verboseLine } from '../download/outcome.js';
import { checkDestination, removeStaleTemps } from '../download/save.js';
import { writeWorkFiles } from '../download/work-files.js';
import { printable } from '../countries.js';
import { runPlan } from '../models/index.js';
import type { ProcessUsage, RunPlan, RunResult } from '../models/types.js';
import { headerLines, summaryLines, concurrencyLine } from '../report/text.js';
import { toJsonReport } from '../report/json.js';
import { createProgressView, shouldShowProgress } from '../report/progress.js';
import { ensureServer } from '../server/ensure-server.js';
import { trapSignals } from '../signals.js';

/** Run one download as the options say; returns the exit code. */
export async function download(opts: Options): Promise<number> {
  if (opts.fetch.dest !== null) await checkDestination(opts.fetch.dest);
  const server = await ensureServer(opts.server, opts.embedded, (line) => process.stderr.write(`${line}\n`));
  try {
    const plan: RunPlan = {
      model: opts.model,
      codes: opts.codes,
      repeat: opts.repeat,
      maxReq: opts.maxReq,
      workers: opts.workers,
      split: opts.split,
      fetch: opts.fetch,
    };
    const say = (line: string): boolean => process.stdout.write(`${line}\n`);
    if (!opts.json) headerLines(opts.server, opts.codes, opts.repeat, concurrencyLine(plan)).forEach(say);
    const result = await runWithTerminal(plan, opts);
    const usage = processUsage();
    await saveWorkFiles(result, opts.fetch.dest);
    if (opts.json) say(JSON.stringify(toJsonReport(result, opts.server, usage)));
    else summaryLines(result).forEach(say);
    return exitCode(result, opts);
  } finally {
    if (opts.fetch.dest !== null) await removeStaleTemps(opts.fetch.dest);
    await server.stop();
  }
}

/** Run the plan with signals trapped and progress bars or verbose lines as asked. */
async function runWithTerminal(plan: RunPlan, opts: Options): Promise<RunResult> {
  const signals = trapSignals((line) => process.stderr.write(`${line}\n`));
  const showBars = shouldShowProgress({ verbose: opts.verbose, json: opts.json, isTTY: process.stderr.isTTY });
  const total = plan.codes.length * plan.repeat;
  const view = showBars
    ? createProgressView({ total, perWorkerTotals: plan.model === 'workers' ? undefined : [total] })
    : undefined;
  try {
    return await runPlan(plan, {
      signal: signals.signal,
      onOutcome: opts.verbose ? (o) => process.stdout.write(`${verboseLine(o)}\n`) : undefined,
      onProgress: view === undefined ? undefined : (done) => view.update(done),
    });
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
      `cannot write the --work ${result.work ?? ''} results in '${printable(dest)}' (${typeof code === 'string' ? code : String(err)}): check the folder, or --no-save`,
    );
  }
}

function exitCode(result: RunResult, opts: Options): number {
  if (result.interrupted) return EXIT_INTERRUPTED;
  if (result.failure !== undefined) {
    process.stderr.write(`error: ${result.failure}\n`);
    return 1;
  }
  const c = result.counters;
  if (c.total > 0 && c.ok + c.notFound === 0 && Object.keys(c.errorsByReason).every((r) => UNREACHABLE.has(r))) {
    throw new RunFailure(
      `no server answered at ${result.baseUrl} (${Object.keys(c.errorsByReason).join(', ')}): start one with 'flagfetch serve' or check --server`,
    );
  }
  return opts.failOnError && c.errors > 0 ? 1 : 0;
}

const UNREACHABLE = new Set(['refused', 'dns', 'unreachable']);

function processUsage(): ProcessUsage {
  const u = process.resourceUsage();
  return { cpuUserMs: u.userCPUTime / 1000, cpuSystemMs: u.systemCPUTime / 1000, peakRssBytes: u.maxRSS * 1024 };
}
