/**
 * `flagfetch download [CC...]` (the default command): parse → resolve options → make sure a
 * server is there → run the model → report → exit code. Prints only here and in cli.ts.
 */
import { Command, Option } from 'commander';
import { EXIT_INTERRUPTED, RunFailure } from '../errors.js';
import { DEFAULTS, resolveOptions, type Options, type RawDownloadOptions } from '../options.js';
import { verboseLine } from '../download/outcome.js';
import { checkDestination, removeStaleTemps } from '../download/save.js';
import { runPlan } from '../models/index.js';
import type { ProcessUsage, RunPlan, RunResult } from '../models/types.js';
import { headerLines, summaryLines, concurrencyLine } from '../report/text.js';
import { toJsonReport } from '../report/json.js';
import { createProgressView, shouldShowProgress } from '../report/progress.js';
import { ensureServer } from '../server/ensure-server.js';
import { trapSignals } from '../signals.js';

/** Add the download command (the program's default) to `program`. */
export function registerDownloadCommand(program: Command): void {
  program
    .command('download', { isDefault: true })
    .description('download flags and report how many were found, not found and failed (flags2)')
    .argument('[CC...]', 'country codes: two letters (BR), or one letter for its 26 codes (B)')
    .option('-a, --all', 'all 194 countries')
    .option('-e, --every', 'every code from AA to ZZ (676)')
    .option('-l, --limit <N>', 'download at most N codes')
    .option('-m, --max-req <N>', `requests in flight in total, across all workers (default ${DEFAULTS.maxReq})`)
    .addOption(new Option('--max_req <N>', 'alias of --max-req (flags2)').hideHelp())
    .option('-s, --server <LABEL|URL>', 'LOCAL, DELAY, ERROR, REMOTE or a base URL', DEFAULTS.server)
    .option('-v, --verbose', 'one line per code, as flags2')
    .option('--model <name>', 'sequential | loop | threads | workers', DEFAULTS.model)
    .option(
      '-w, --workers <N>',
      `worker threads for the workers model (default ${DEFAULTS.workers}: available parallelism)`,
    )
    .option('--split <mode>', 'static | dynamic: how codes are handed to workers', DEFAULTS.split)
    .option('-o, --dest <dir>', 'folder to save flags in', DEFAULTS.dest)
    .option('--no-save', 'download but do not save (for benchmarks)')
    .option('--names', 'also fetch metadata.json and save as <Country_Name>-<CC>.gif (flags3)')
    .option('--repeat <N>', 'download the list N times (for benchmarks)')
    .option('--timeout <MS>', `bound on headers and body of one request (default ${DEFAULTS.timeoutMs})`)
    .option('--retries <N>', 'retry resets, timeouts, 5xx and 429 up to N times (default 0)')
    .option('--max-bytes <N>', `largest response accepted (default ${DEFAULTS.maxBytes})`)
    .option('--follow-redirects <mode>', 'same-origin | any (at most 3 redirects)', 'same-origin')
    .option('--json', 'print one JSON object on stdout instead of the text report')
    .option('--no-embedded', 'fail instead of starting the embedded server when nothing listens')
    .option('--fail-on-error', 'exit with 1 when any download failed')
    .action(async (codes: string[], raw: RawDownloadOptions & { max_req?: string }) => {
      const opts = resolveOptions(codes, { ...raw, maxReq: raw.maxReq ?? raw.max_req });
      process.exitCode = await download(opts);
    });
}

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
