/**
 * Slowloris (issue 9 item 13): a normal client's throughput against the flag server while
 * 1,000 silent connections are open beside it, as a ratio to the same run without them
 * (alternating rounds, each client run in a fresh process), and the server's CPU time per
 * request beside them (which a loaded machine disturbs far less); how long the server holds a
 * silent connection (Node's defaults: 60 s for headers, checked every 30 s, so 60–90 s);
 * and how long 1,000 connections opened at once take to be accepted (backlog 4096: no SYN
 * dropped and retried a second later).
 * Run: `npm run build && node dist/bench/slowloris.js`
 */
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { startEmbeddedServers, type EmbeddedServers } from '../src/server/embedded.js';
import { median, report, runDownload, spread, writeSuite, type Target } from './lib/run.js';

const ROUNDS = 6;
/** Linux's USER_HZ: /proc/PID/stat counts CPU time in these ticks. */
const CLOCK_TICKS = 100;
const SILENT = 1000;
/** The client: the loop model, 50 in flight, 194 × 25 = 4,850 requests (a few seconds, under the 10 s headers deadline). */
const CLIENT = ['-a', '--repeat', '25', '--model', 'loop', '-m', '50', '--no-save'];

/** CPU time (user + system) of process `pid` so far, in ms; NaN where /proc is missing. */
async function cpuMs(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid ?? 0}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** One client run in a fresh process: its requests/s, and the server's CPU per request (µs). */
async function measure(args: readonly string[], pid: number | undefined): Promise<Sample> {
  const before = await cpuMs(pid);
  const run = await runDownload(args);
  return { rate: run.report.requestsPerSec, cpuUs: (((await cpuMs(pid)) - before) * 1000) / run.report.total };
}

/** Open `count` sockets that never send a byte; resolves once all are connected, with the time that took. */
async function openSilent(port: number, count: number): Promise<{ sockets: net.Socket[]; connectMs: number }> {
  const t0 = performance.now();
  const sockets = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  for (const s of sockets) s.on('error', () => undefined).resume(); // read the 408, so 'close' follows the server's close
  return { sockets, connectMs: performance.now() - t0 };
}

/** Wait until the LOCAL server counts `wanted` open connections (it accepts them a little after the client connects). */
async function serverHolds(server: EmbeddedServers, wanted: (open: number) => boolean): Promise<number> {
  for (;;) {
    const open = (await server.stats()).LOCAL.openConnections;
    if (wanted(open)) return open;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Seconds until the server closes `count` silent connections by itself. */
async function heldSeconds(port: number, count: number): Promise<number> {
  const { sockets } = await openSilent(port, count);
  const t0 = performance.now();
  await Promise.all(sockets.map((s) => new Promise((resolve) => s.once('close', resolve))));
  return (performance.now() - t0) / 1000;
}

/** One client run's figures: requests/s, and the server's CPU per request (µs). */
interface Sample {
  readonly rate: number;
  readonly cpuUs: number;
}

/** The paired rounds: runs alone and beside the silent connections, how fast those were accepted, and whether the server held them all. */
interface Rounds {
  readonly without: Sample[];
  readonly beside: Sample[];
  readonly connectMs: number[];
  readonly heldThroughout: boolean;
}

/** Run the suite; returns its markdown. */
export async function runSlowloris(): Promise<string> {
  const server = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 } });
  const url = server.urls.LOCAL.replace('localhost', '127.0.0.1');
  let rounds: Rounds;
  let held: number;
  try {
    rounds = await measureRounds(server, url);
    held = await heldSeconds(Number(new URL(url).port), 100);
  } finally {
    await server.stop();
  }
  const { without, beside, connectMs, heldThroughout } = rounds;
  const details = [
    `Client: \`flagfetch download ${CLIENT.join(' ')} -s LOCAL\` in a fresh process; ${ROUNDS} rounds, alone then beside ${SILENT} silent TCP connections (opened by this script, held open by the server throughout: ${heldThroughout ? 'yes' : 'NO'}). The embedded server runs with its defaults (headers within 10 s, backlog 4096).`,
    '',
    '| | requests/s, median (min–max) | server CPU per request, µs |',
    '|---|---|---|',
    `| alone | ${spread(without.map((x) => x.rate))} | ${spread(
      without.map((x) => x.cpuUs),
      1,
    )} |`,
    `| beside ${SILENT} silent connections | ${spread(beside.map((x) => x.rate))} | ${spread(
      beside.map((x) => x.cpuUs),
      1,
    )} |`,
  ];
  return writeSuite(
    'slowloris',
    'Slowloris: the flag server beside 1,000 silent connections',
    'npm run build && node dist/bench/slowloris.js',
    slowlorisTargets(rounds, held),
    details,
    { without, beside, connectMs, heldSeconds: held, heldThroughout },
  );
}

/** ROUNDS rounds, each a run alone and one beside SILENT silent connections (A B, then B A: neither side always second). */
async function measureRounds(server: EmbeddedServers, url: string): Promise<Rounds> {
  const port = Number(new URL(url).port);
  const args = [...CLIENT, '-s', url];
  const r = { without: [] as Sample[], beside: [] as Sample[], connectMs: [] as number[], heldThroughout: true };
  for (let round = 0; round < ROUNDS; round += 1) {
    if (round % 2 === 0) r.without.push(await measure(args, server.pid));
    const silent = await openSilent(port, SILENT);
    r.connectMs.push(silent.connectMs);
    await serverHolds(server, (open) => open >= SILENT);
    r.beside.push(await measure(args, server.pid));
    r.heldThroughout &&= (await server.stats()).LOCAL.openConnections >= SILENT;
    for (const s of silent.sockets) s.destroy();
    await serverHolds(server, (open) => open === 0);
    if (round % 2 === 1) r.without.push(await measure(args, server.pid));
    process.stderr.write(
      `round ${round + 1}/${ROUNDS}: ${Math.round(r.without.at(-1)?.rate ?? 0)} req/s alone, ${Math.round(r.beside.at(-1)?.rate ?? 0)} beside ${SILENT} silent connections\n`,
    );
  }
  return r;
}

/** The verdicts: server CPU and client throughput beside the silent connections ÷ alone, the hold time, the accept time. */
function slowlorisTargets(rounds: Rounds, held: number): Target[] {
  const { without, beside, connectMs } = rounds;
  // Paired: each round's run beside the silent connections against the run alone next to it (drift cancels).
  const paired = (key: 'rate' | 'cpuUs'): number =>
    median(beside.map((b, i) => b[key] / (without[i]?.[key] ?? Number.NaN)));
  const ratio = paired('rate');
  const cpuRatio = paired('cpuUs');
  return [
    {
      name: `server CPU per request beside ${SILENT} silent connections ÷ alone (median of ${ROUNDS} paired rounds; steady under load)`,
      measured: Number.isNaN(cpuRatio) ? 'no /proc' : cpuRatio.toFixed(2),
      target: '≤ 1.10',
      pass: Number.isNaN(cpuRatio) ? null : cpuRatio <= 1.1,
    },
    {
      name: `client throughput beside ${SILENT} silent connections ÷ alone (median of ${ROUNDS} paired rounds)`,
      measured: ratio.toFixed(2),
      target: '≥ 0.90',
      pass: ratio >= 0.9,
    },
    {
      name: 'a silent connection is closed by the server after',
      measured: `${held.toFixed(1)} s`,
      target: '≤ 12 s (was 60–90 s)',
      pass: held <= 12,
    },
    {
      name: `${SILENT} connections opened at once, all accepted in`,
      measured: `${Math.round(median(connectMs))} ms (median)`,
      target: '< 1000 ms (no SYN retry)',
      pass: median(connectMs) < 1000,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runSlowloris());
