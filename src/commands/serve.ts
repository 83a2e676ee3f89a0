/**
 * `flagfetch serve`: the original site's three servers — LOCAL, DELAY and ERROR — with
 * optional faults, until Ctrl-C or SIGTERM. With `--processes N`, node:cluster runs N
 * processes sharing each port.
 */
import type { Command } from 'commander';
import { resolveServeOptions, type RawServeOptions } from '../server/serve-options.js';

/** Add `serve` to the program. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve flags like the original site: LOCAL (:8001), DELAY (:8002) and ERROR (:8003)')
    .option('--port <N>', 'LOCAL port (0 = any free one)', '8001')
    .option('--delay-port <N>', 'DELAY port', '8002')
    .option('--error-port <N>', 'ERROR port', '8003')
    .option('--host <ADDR>', 'address to listen on (default: localhost = 127.0.0.1 and ::1)')
    .option('--delay <MS>', 'delay of every DELAY response (and of half the ERROR ones)', '500')
    .option('--error-rate <R>', 'share of ERROR requests answered 500–503 with the connection closed', '0.25')
    .option('--seed <N>', 'make every random choice reproducible')
    .option('--root <DIR>', 'serve a flags folder (DIR/<cc>/<cc>.gif + metadata.json) instead of the built-in flags')
    .option(
      '--fault <KIND[:RATE]>',
      'inject faults: reset, truncate, stall, slow, status, jitter (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--processes <N>', 'processes sharing each port (node:cluster)', '1')
    .action(async (raw: RawServeOptions) => {
      const opts = resolveServeOptions(raw);
      const { serve } = await import('./serve-run.js');
      await serve(opts);
    });
}

/** Start the three servers in this process; returns once they are closed by a signal. */
