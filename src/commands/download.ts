/**
 * `flagfetch download [CC...]` (the default command): parse → resolve options → make sure a
 * server is there → run the model → report → exit code. Prints only here and in cli.ts.
 * Defining the flags needs commander, their defaults and parsers (what every help loads); the
 * run, and the queue's options, load when the action runs.
 */
import { Command, Option } from 'commander';
import { DEFAULTS, resolveOptions } from '../options.js';
import type { RawDownloadOptions } from '../raw-options.js';
import { WORK_HELP } from '../cpu-work/kind.js';
import { addTrustOptions } from '../flags.js';
import { rejectContradictions } from './contradictions.js';
import { checkQueueFlagsNeedQueue, type RawQueueFlags } from '../queue/queue-flags.js';

/** Add the download command (the program's default unless `isDefault` is false) to `program`. */
export function registerDownloadCommand(program: Command, isDefault = true): void {
  const cmd = program
    .command('download', { isDefault })
    .description('download flags and report how many were found, not found and failed (flags2)')
    .argument('[CC...]', 'country codes: two letters (BR), or one letter for its 26 codes (B)');
  addQueueOptions(addReportOptions(addRateOptions(addRunOptions(addTransportOptions(addWorkOptions(cmd)))))).action(
    runDownload,
  );
}

/** What to fetch: codes, the server or a URL list, and how many requests in flight. */
function addWorkOptions(cmd: Command): Command {
  return cmd
    .option('-a, --all', 'all 194 countries')
    .option('-e, --every', 'every code from AA to ZZ (676)')
    .option('-l, --limit <N>', 'download at most N codes')
    .option('-m, --max-req <N>', `requests in flight in total, across all workers (default: ${DEFAULTS.maxReq})`)
    .addOption(new Option('--max_req <N>', 'alias of --max-req (flags2)').hideHelp())
    .option(
      '-s, --server <LABEL|URL>',
      'LOCAL, DELAY, ERROR, REMOTE, a base URL, or a URL template with {cc} / {CC}',
      DEFAULTS.server,
    )
    .option(
      '--urls <FILE>',
      "download the URLs listed in FILE (one a line, '#' comments; '-' = stdin) instead of flags",
    );
}

/** TLS, trust, HTTP/2 and connections. */
function addTransportOptions(cmd: Command): Command {
  return addTrustOptions(
    cmd.option('--tls', 'LOCAL/DELAY/ERROR over HTTPS: embedded servers with their certificate trusted'),
  )
    .option('--http2', 'HTTP/2 over TLS: requests share connections as streams')
    .option(
      '--connections <N>',
      'connections carrying the requests in flight (default: one per request for HTTP/1.1, one per thread for HTTP/2)',
    );
}

/** The model, saving, and how each request behaves. */
function addRunOptions(cmd: Command): Command {
  return cmd
    .option('-v, --verbose', 'one line per code, as flags2')
    .option('--model <name>', 'sequential | loop | threads | workers', DEFAULTS.model)
    .option(
      '-w, --workers <N>',
      `pool threads of the threads and workers models (default: ${DEFAULTS.workers}, the available parallelism)`,
    )
    .option('--split <mode>', 'static | dynamic: how codes are handed to workers', DEFAULTS.split)
    .option('-o, --dest <dir>', 'folder to save flags in', DEFAULTS.dest)
    .option('--no-save', 'download but do not save (for benchmarks)')
    .option('--names', 'also fetch metadata.json and save as <Country_Name>-<CC>.gif (flags3)')
    .option('--repeat <N>', 'download the list N times (for benchmarks)')
    .option(
      '--timeout <MS>',
      `bound on one request, connect to last byte, as curl --max-time (default: ${DEFAULTS.timeoutMs})`,
    )
    .option('--retries <N>', `retry resets, timeouts, 5xx and 429 up to N times (default: ${DEFAULTS.retries})`)
    .option('--max-bytes <N>', `largest response accepted (default: ${DEFAULTS.maxBytes})`)
    .option('--follow-redirects <mode>', 'same-origin | any (at most 3 redirects)', 'same-origin')
    .option(
      '--work <KIND>',
      `${WORK_HELP}: CPU work on each flag after its download, on the thread that downloaded it (default: none)`,
    );
}

/** The open model (issue 20): requests start on a schedule instead of when the last one answered. */
function addRateOptions(cmd: Command): Command {
  return cmd
    .option(
      '--rate <R>',
      'start R requests per second in total, on a schedule (an open model; -m still bounds in flight)',
    )
    .option('--arrival <KIND>', 'with --rate: constant (every 1/R s, the default) or poisson (random gaps of mean 1/R)')
    .option(
      '--seed <N>',
      'with --arrival poisson: the seed of the gaps (reproducible; default: a random one, reported)',
    )
    .option('--duration <TIME>', 'with --rate: run for TIME (30s, 500ms, 2m), the code list repeated, then stop');
}

/** What is printed and when the exit code says failure. */
function addReportOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON document on stdout instead of the text report (-v lines go to stderr)')
    .option('--export-json <FILE>', 'also write the JSON report to FILE')
    .option('-q, --quiet', 'only the result: no progress bars and no notes on stderr')
    .option('--no-progress', 'no progress bars')
    .option('--no-embedded', 'fail instead of starting the embedded server when nothing listens')
    .option('--fail-on-error', 'exit with 1 when any download failed');
}

/** Running on agents over a queue (issue 13). */
function addQueueOptions(cmd: Command): Command {
  return cmd
    .option('--queue <URL>', 'run on agents over a queue (BullMQ on Redis): redis://HOST:PORT (see flagfetch agent)')
    .option('--shards <N>', 'with --queue: shard jobs to publish (default: per agent slot 1 static, 4 dynamic)')
    .option('--agents <N>', 'with --queue: agents to wait for before publishing (default: 1)')
    .option('--agent-wait <S>', 'with --queue: seconds to wait for them (default: 30)')
    .option(
      '--queue-password-file <FILE>',
      'with --queue: the Redis password, from a file (or FLAGFETCH_QUEUE_PASSWORD)',
    );
}

/** The action: read the input files, resolve the options, run here or over the queue; sets the exit code. */
async function runDownload(
  codes: string[],
  raw: RawDownloadOptions & RawQueueFlags & { max_req?: string },
  cmd: Command,
): Promise<void> {
  rejectContradictions(cmd);
  checkQueueFlagsNeedQueue(raw);
  // Only a run that names files (--ca, --urls) loads the module that reads them.
  const named = raw.ca !== undefined || raw.urls !== undefined;
  const inputs = named ? await (await import('./download-inputs.js')).readInputs(raw) : {};
  const opts = resolveOptions(codes, { ...raw, maxReq: raw.maxReq ?? raw.max_req }, inputs);
  if (raw.queue !== undefined) {
    const { downloadOverQueue } = await import('./download-queue.js');
    process.exitCode = await downloadOverQueue(opts, { ...raw, queue: raw.queue });
    return;
  }
  const { download } = await import('./download-run.js');
  process.exitCode = await download(opts);
}
