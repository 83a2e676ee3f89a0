/**
 * Connection storm (issue 9 item 12): `flagfetch -e -m 1000 --model workers` against a DELAY
 * server (500 ms) opens a thousand connections at start-up. Sent as one burst, SYNs overflow
 * a listen backlog of 511 (nginx's default; Node's too) and the kernel drops them, to be
 * retried a second later. The client opens them in waves of at most 256 connecting at once.
 * Each round runs both side by side (a fresh process each: waves, then one burst through the
 * FLAGFETCH_CONNECT_WAVE hook), against a server with backlog 511 and one with 4096.
 * Run: `npm run build && node dist/bench/connect-storm.js`
 */
import { startFlagServer } from '../src/server/index.js';
import { median, report, runDownload, spread, writeSuite, type Target } from './lib/run.js';

const ROUNDS = 5;
const ARGS = ['-e', '-m', '1000', '--model', 'workers', '--no-save'];
const BURST = '100000';

/** connectMs of each round, waves and one burst, against a DELAY server listening with `backlog`. */
async function storms(backlog: number): Promise<{ waves: number[]; burst: number[] }> {
  const server = await startFlagServer({ delayMs: 500, limits: { backlog } });
  const waves: number[] = [];
  const burst: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      waves.push((await runDownload([...ARGS, '-s', server.url])).report.connectMs);
      burst.push((await runDownload([...ARGS, '-s', server.url], { FLAGFETCH_CONNECT_WAVE: BURST })).report.connectMs);
      process.stderr.write(
        `backlog ${backlog}, round ${round + 1}/${ROUNDS}: connectMs waves ${Math.round(waves.at(-1) ?? 0)}, burst ${Math.round(burst.at(-1) ?? 0)}\n`,
      );
    }
  } finally {
    await server.close();
  }
  return { waves, burst };
}

/** Run the suite; returns its markdown. */
export async function runConnectStorm(): Promise<string> {
  const small = await storms(511);
  const large = await storms(4096);
  const worst = Math.max(...small.waves, ...large.waves);
  const targets: Target[] = [
    {
      name: `connectMs of \`${ARGS.join(' ')}\` against DELAY, waves of 256, every run (backlog 511 and 4096)`,
      measured: `max ${Math.round(worst)} ms`,
      target: '< 300 ms every run',
      pass: worst < 300,
    },
  ];
  const details = [
    `${ROUNDS} rounds per backlog; each round one run with waves of 256 and one sent as one burst, each a fresh process. connectMs (ms), median (min–max):`,
    '',
    '| server backlog | waves of 256 | one burst |',
    '|---|---|---|',
    `| 511 (nginx's default) | ${spread(small.waves)} | ${spread(small.burst)} |`,
    `| 4096 (flagfetch serve) | ${spread(large.waves)} | ${spread(large.burst)} |`,
    '',
    `Median ratio burst ÷ waves at backlog 511: ${(median(small.burst) / median(small.waves)).toFixed(2)}.`,
  ];
  return writeSuite(
    'connect-storm',
    'Connection storm: -e -m 1000 against DELAY, waves of 256 against one burst',
    'npm run build && node dist/bench/connect-storm.js',
    targets,
    details,
    { rounds: ROUNDS, backlog511: small, backlog4096: large },
  );
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runConnectStorm());
