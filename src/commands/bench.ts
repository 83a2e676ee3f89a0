/**
 * `flagfetch bench [CC...]`: a matrix of models × workers × max-req, each configuration run
 * several times in fresh processes, interleaved; a table on stdout, JSON/CSV/HTML files.
 * Its flags only: resolving them and the run load when the command runs (bench-run.ts).
 */
import { Command, Option } from 'commander';
import { guardRun } from '../stdout.js';
import { addTrustOptions } from '../flags.js';
import { TARGET_OPTIONS } from './target-flags.js';
import { WORK_HELP } from '../cpu-work/kind.js';
import { addOutputOptions, BENCH_OUTPUTS } from './output-flags.js';
import type { RawBenchOptions } from './bench-run.js';

/** Add `bench` to the program. */
export function registerBenchCommand(program: Command): void {
  const cmd = program
    .command('bench')
    .description('compare models × workers × max-req: each configuration run several times, each run a fresh process')
    .argument('[CC...]', 'country codes as for download (default: all 194)')
    .option('--models <list>', 'models to compare: sequential,loop,threads,workers (default: loop,workers)')
    .addOption(new Option('--model <list>', 'the same as --models').hideHelp())
    .option(
      '-w, --workers <list>',
      'thread counts for the threads and workers models, e.g. 1,2,4 (default: the core count)',
    )
    .option('-m, --max-req <list>', 'requests in flight in total, e.g. 10,100,1000', '100')
    .option('--split <mode>', 'static | dynamic (workers model)', 'dynamic')
    .option(...TARGET_OPTIONS.server)
    .option(...TARGET_OPTIONS.urls)
    .option('-a, --all', 'all 194 countries (the default)')
    .option('-e, --every', 'every code from AA to ZZ (676)')
    .option('-l, --limit <N>', 'at most N codes (or URLs)')
    .option(...TARGET_OPTIONS.maxFailed)
    .option('--repeat <N>', 'passes over the codes in every run', '20')
    .option('--delay <MS>', 'delay of the embedded DELAY server (default: 500)')
    .option('--work <KIND>', `${WORK_HELP}: CPU work per download in every run (default: none)`)
    .option('--works <list>', 'work kinds to compare, e.g. none,decode (a dimension, like --models)')
    .option('--protocols <list>', 'protocols to compare: h1,h2 (h2 = HTTP/2 over TLS; a dimension)', 'h1')
    .option(
      '--connections <list>',
      'connection counts to compare, e.g. 1,100 (default: one per request for h1, per thread for h2)',
    )
    .option('--tls', 'the embedded servers over HTTPS (implied by h2)')
    .option('--http2', 'HTTP/2 over TLS in every run: the same as --protocols h2')
    .option('--runs <N>', 'exactly N measured runs per configuration (instead of --min-runs/--max-runs)')
    .option('--min-runs <N>', 'measured runs per configuration at least (default: 5)')
    .option(
      '--max-runs <N>',
      "measured runs at most: more runs while a ratio's 95 % interval is wider than ±5 % (default: 10)",
    )
    .option('--warmup <N>', 'warm-up runs per configuration, not counted', '1')
    .option(
      '--rates <list>',
      'offered rates to compare, requests/s in total, e.g. 100,200,400: every configuration at each (an open model; ' +
        'the latency–throughput curve and its knee)',
    )
    .option('--duration <TIME>', 'with --rates: the length of every run, the codes repeated, e.g. 5s (default: 2s)')
    .option(
      '--queue <URL>',
      'run the workers configurations on agents over a queue (see flagfetch agent); the others run here',
    )
    .option('--agents <N>', 'with --queue: agents each run waits for (default: 1)')
    .option('--agent-wait <S>', 'with --queue: seconds to wait for them (default: 30)');
  addOutputOptions(addTrustOptions(cmd), BENCH_OUTPUTS).action(async (codes: string[], raw: RawBenchOptions) => {
    const { readUrlsInput } = await import('./download-inputs.js');
    const { bench, resolveBenchOptions } = await import('./bench-run.js');
    const opts = resolveBenchOptions(codes, raw, await readUrlsInput(raw));
    process.exitCode = await guardRun(() => bench(opts));
  });
}
