/**
 * `flagfetch serve`: the original site's three servers — LOCAL, DELAY and ERROR — with
 * optional faults, over HTTP or (--tls) HTTPS with HTTP/2, until Ctrl-C or SIGTERM. With
 * `--processes N`, node:cluster runs N processes sharing each port.
 */
import type { Command } from 'commander';
import type { RawServeOptions } from '../server/serve-options.js';

const SEED_HELP =
  'make every random choice reproducible: an answer depends on the seed, the path and how many times the run asked ' +
  'for it (runs that send an x-flagfetch-run header are counted apart; other clients share one count from the start)';

/** Add `serve` to the program. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve flags like the original site: LOCAL (:8001), DELAY (:8002) and ERROR (:8003)')
    .option('--port <N>', 'LOCAL port (0 = any free one)', '8001')
    .option('--delay-port <N>', 'DELAY port', '8002')
    .option('--error-port <N>', 'ERROR port', '8003')
    .option(
      '--host <ADDR>',
      'address to listen on (default: localhost = 127.0.0.1 and ::1; others are reachable from the network)',
    )
    .option('--delay <MS>', 'delay of every DELAY response (and of half the ERROR ones)', '500')
    .option('--error-rate <R>', 'share of ERROR requests answered 500–503 with the connection closed', '0.25')
    .option('--seed <N>', SEED_HELP)
    .option(
      '--root <DIR>',
      'serve a flags folder (DIR/<cc>/<cc>.gif + metadata.json, files up to 16 MB) instead of the built-in flags',
    )
    .option(
      '--fault <KIND[:RATE]>',
      'inject faults: reset, truncate, stall, slow, status, jitter, refuse, goaway, goaway-error (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--pause-after <N>', 'pause each server once, as its N-th request arrives: nothing is answered meanwhile')
    .option('--pause-ms <MS>', 'how long the --pause-after pause lasts (default: 1000)')
    .option('--processes <N>', 'processes sharing each port (node:cluster)', '1')
    .option(
      '--max-connections <N>',
      'connections open at once per server and address; more are closed as they arrive (default: 10000, less under a low descriptor limit)',
    )
    .option(
      '--max-streams <N>',
      'HTTP/2 streams one connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS; more are refused)',
      '1000',
    )
    .option(
      '--tls',
      'serve HTTPS, HTTP/2 and HTTP/1.1 on each port, with a certificate for localhost, 127.0.0.1 and ::1 made at start',
    )
    .option('--h2c', 'without --tls: answer cleartext HTTP/2 by prior knowledge (h2c) instead of HTTP/1.1')
    .option('--cert <FILE>', 'serve HTTPS with this certificate chain (PEM) instead of a generated one (with --key)')
    .option('--key <FILE>', 'private key (PEM) of --cert')
    .option(
      '--write-ca <FILE>',
      'with --tls: write the certificate clients should trust (curl --cacert FILE, SSL_CERT_FILE=FILE)',
    )
    .action(async (raw: RawServeOptions) => {
      const { resolveServeOptions } = await import('../server/serve-options.js');
      const opts = resolveServeOptions(raw);
      const { serve } = await import('./serve-run.js');
      await serve(opts);
    });
}
