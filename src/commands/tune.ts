/**
 * `flagfetch tune [CC...]`: find the best --workers × --max-req for a server within a time
 * budget, each trial a fresh process; prints what it tried, the recommendation and how sure it is.
 */
import { Command, Option } from 'commander';
import { guardRun } from '../stdout.js';
import { addTrustOptions } from '../flags.js';
import { resolveTuneSettings, type RawTuneFlags } from '../compare/bench-settings.js';
import { readUrlsInput, TARGET_OPTIONS } from './target-flags.js';
import { WORK_HELP } from '../cpu-work/kind.js';
import { addOutputOptions, resolveOutputs, type RawOutputOptions } from './output-flags.js';
import type { TuneOptions } from './tune-run.js';

/** Machine output of tune: --json on stdout, and every file format. */
const TUNE_OUTPUTS = { exports: ['json', 'csv', 'markdown', 'html'] } as const;

/** Raw flags of the tune command: its run flags and its output flags. */
type RawTuneOptions = RawTuneFlags & RawOutputOptions;

/** Validate the tune flags; throws UsageError. `inputs`: the --urls file. */
export function resolveTuneOptions(
  args: readonly string[],
  raw: RawTuneOptions,
  inputs: { readonly urlsText?: string | undefined } = {},
): TuneOptions {
  return { ...resolveTuneSettings(args, raw, inputs), outputs: resolveOutputs('tune', raw, TUNE_OUTPUTS) };
}

/** Add `tune` to the program. */
export function registerTuneCommand(program: Command): void {
  const cmd = program
    .command('tune')
    .description('find the best --workers × --max-req for a server within a time budget (each run a fresh process)')
    .argument('[CC...]', 'country codes as for download (default: all 194)')
    .option('--budget <SECONDS>', 'time to spend searching', '60')
    .option('--models <name>', 'workers | loop (loop tunes max-req only) (default: workers)')
    .addOption(new Option('--model <name>', 'old spelling of --models').hideHelp())
    .option('--max-workers <N>', 'most worker threads to try (default: 2 × cores)')
    .option(
      '--slo <TARGET>',
      "a latency target, e.g. 'p99<=50ms' (p50, p90, p99 or max): the highest rate each configuration holds within it, " +
        'and the cheapest that comes close to the best',
    )
    .option('--rate <R>', 'with --slo: the cheapest configuration that holds R requests/s within the target')
    .option('--duration <TIME>', 'with --slo: the length of every run, the codes repeated (default: 1s)')
    .option(...TARGET_OPTIONS.server)
    .option(...TARGET_OPTIONS.urls)
    .option('-a, --all', 'all 194 countries (the default)')
    .option('-e, --every', 'every code from AA to ZZ (676)')
    .option('-l, --limit <N>', 'at most N codes (or URLs)')
    .option(...TARGET_OPTIONS.maxFailed)
    .option('--repeat <N>', 'passes over the codes in every run', '20')
    .option('--split <mode>', 'static | dynamic (workers model)', 'dynamic')
    .option('--delay <MS>', 'delay of the embedded DELAY server (default: 500)')
    .option('--work <KIND>', `${WORK_HELP}: CPU work per download in every run (default: none)`)
    .option('--works <list>', 'tune once per work kind, e.g. none,decode, each with an equal share of the budget')
    .option('--protocols <list>', 'tune once per protocol, e.g. h1,h2 (h2 = HTTP/2 over TLS), each with an equal share')
    .option('--connections <list>', 'tune once per connection count, e.g. 1,4, each with an equal share of the budget')
    .option('--tls', 'the embedded servers over HTTPS (implied by h2)')
    .option('--http2', 'HTTP/2 over TLS in every run: the same as --protocols h2');
  addOutputOptions(addTrustOptions(cmd), TUNE_OUTPUTS).action(async (codes: string[], raw: RawTuneOptions) => {
    const opts = resolveTuneOptions(codes, raw, await readUrlsInput(raw));
    const { tune } = await import('./tune-run.js');
    process.exitCode = await guardRun(() => tune(opts));
  });
}
