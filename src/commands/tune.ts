/**
 * `flagfetch tune [CC...]`: find the best --workers × --max-req for a server within a time
 * budget, each trial a fresh process; prints what it tried, the recommendation and how sure it is.
 * Its flags only: resolving them and the run load when the command runs (tune-run.ts).
 */
import { Command, Option } from 'commander';
import { guardRun } from '../stdout.js';
import { addTrustOptions } from '../flags.js';
import { TARGET_OPTIONS } from './target-flags.js';
import { WORK_HELP } from '../cpu-work/kind.js';
import { addOutputOptions, TUNE_OUTPUTS } from './output-flags.js';
import type { RawTuneOptions } from './tune-run.js';

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
    const { readUrlsInput } = await import('./download-inputs.js');
    const { tune, resolveTuneOptions } = await import('./tune-run.js');
    const opts = resolveTuneOptions(codes, raw, await readUrlsInput(raw));
    process.exitCode = await guardRun(() => tune(opts));
  });
}
