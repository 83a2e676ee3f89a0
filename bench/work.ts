/**
 * Where worker threads pay (issue 11, CPU work per download): ratios measured side by side
 * in one run, rounds alternating, every run a fresh process:
 *  1. DELAY 20 ms, `-a --repeat 5 -m 100 --no-save --work decode` on the real flags: workers
 *     `-w 2` ≥ 1.6 × the loop's requests/s, and threads `-w 2` > loop;
 *  2. `--work none` costs nothing measurable: LOCAL `--model loop -a --repeat 50 -m 100 --no-save`
 *     on the commit that brought --work within 3 % of its parent, both built from git beside
 *     this build (bench/lib/work-cost.ts; this build is measured too, as context).
 * Run: `npm run build && node dist/bench/work.js` (FLAGFETCH_BASELINE_REV picks another parent).
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { startEmbeddedServers } from '../src/server/embedded.js';
import { commitsSince } from './lib/baseline.js';
import { report, RESULTS_DIR, runDownload, spread, writeSuite, type Target } from './lib/run.js';
import {
  buildCostBuilds,
  COST_COMMAND,
  costRows,
  costTargets,
  emptyCostSamples,
  measureCostRound,
  pairedRatio,
  removeCostBuilds,
  type CostBuilds,
  type CostSamples,
} from './lib/work-cost.js';
import type { JsonReport } from '../src/compare/json-report.js';

const SHARED = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.resolve(process.cwd(), '../shared/flags');
const REPO = path.resolve(RESULTS_DIR, '../..');
const ROUNDS = 5;
const DELAY_MS = 20;
const DECODE = ['-a', '--repeat', '5', '-m', '100', '--no-save', '--work', 'decode'];

const eluOf = (r: JsonReport): string =>
  r.perWorker.map((w) => `${Math.round(w.eventLoopUtilization * 100)} %`).join(' · ');

/** What the decode runs gave, one entry per round. */
interface DecodeSamples {
  readonly rps: { loop: number[]; workers: number[]; threads: number[] };
  readonly elu: { loop: string[]; workers: string[] };
  readonly workMsPerFlag: number[];
}

/** One round of the decode runs: loop, workers -w 2, threads -w 2 on the DELAY server at `url`. */
async function decodeRound(url: string, s: DecodeSamples): Promise<void> {
  const decode = [...DECODE, '-s', url];
  const loop = (await runDownload(['--model', 'loop', ...decode])).report;
  const workers = (await runDownload(['--model', 'workers', '-w', '2', ...decode])).report;
  const threads = (await runDownload(['--model', 'threads', '-w', '2', ...decode])).report;
  s.rps.loop.push(loop.requestsPerSec);
  s.rps.workers.push(workers.requestsPerSec);
  s.rps.threads.push(threads.requestsPerSec);
  s.elu.loop.push(eluOf(loop));
  s.elu.workers.push(eluOf(workers));
  s.workMsPerFlag.push((loop.workMs ?? 0) / Math.max(1, loop.ok));
}

function decodeTargets(s: DecodeSamples): Target[] {
  const workersToLoop = pairedRatio(s.rps.workers, s.rps.loop);
  const threadsToLoop = pairedRatio(s.rps.threads, s.rps.loop);
  return [
    {
      name: `workers -w 2 ÷ loop, DELAY ${DELAY_MS} ms, --work decode`,
      measured: workersToLoop.toFixed(2),
      target: '≥ 1.6',
      pass: workersToLoop >= 1.6,
    },
    {
      name: `threads -w 2 ÷ loop, DELAY ${DELAY_MS} ms, --work decode`,
      measured: threadsToLoop.toFixed(2),
      target: '> 1',
      pass: threadsToLoop > 1,
    },
  ];
}

/** Everything a run measured, for its text. */
interface Measured {
  readonly real: boolean;
  readonly base: CostBuilds | string;
  readonly decode: DecodeSamples;
  readonly local: CostSamples;
  readonly load: number;
}

function details(m: Measured): string[] {
  const { base, decode: s, load } = m;
  const how =
    typeof base === 'string'
      ? 'could not be compared'
      : `on commit ${base.commits.change.slice(0, 10)} (the one that brought --work), on ${base.commits.before.slice(0, 10)} (its parent) and on this build, in an order rotated each round`;
  const loaded = load > availableParallelism();
  return [
    `Content: ${m.real ? `the real flags (${SHARED})` : 'the synthetic flags (../shared/flags not found), made to cost what the real ones cost to decode'}. ${ROUNDS} rounds; each runs loop, workers -w 2 and threads -w 2 (\`flagfetch download ${DECODE.join(' ')}\` on the embedded DELAY server, ${DELAY_MS} ms), then the LOCAL loop (\`${COST_COMMAND}\`, and at --repeat 5 for the CPU per request) ${how}. Ratios are medians of the per-round ratios.`,
    '',
    '| what | median (min–max) |',
    '|---|---|',
    `| decode: loop req/s | ${spread(s.rps.loop)} |`,
    `| decode: workers -w 2 req/s | ${spread(s.rps.workers)} |`,
    `| decode: threads -w 2 req/s | ${spread(s.rps.threads)} |`,
    `| decode: CPU per flag on the loop, ms | ${spread(s.workMsPerFlag, 2)} |`,
    `| decode: ELU of the loop, by round | ${s.elu.loop.join(', ')} |`,
    `| decode: ELU of each worker, by round | ${s.elu.workers.join('; ')} |`,
    ...(typeof base === 'string' ? [] : costRows(m.local, base)),
    '',
    `Load average (1 min) at the start and end, the higher: ${load.toFixed(1)} on ${availableParallelism()} cores${loaded ? ' — the machine was loaded by other programs: these figures are distorted, rerun on a quiet machine' : ''}.`,
    '',
    typeof base === 'string'
      ? ''
      : `The --work targets compare the commit that brought --work with its parent: the change alone. This build is ${commitsSince(REPO, base.commits.before)} commits after that parent; its ratio to it is what all of them cost together (no target; FLAGFETCH_BASELINE_REV=<commit> compares with another parent).`,
    '',
    'The server answers after the delay and needs little CPU; the client decodes every flag on the thread that downloaded it. One loop is CPU-bound (ELU near 100 %); two workers decode on both cores, and so do two threads given one flag per task by the main thread.',
  ];
}

/** Run the suite; returns its markdown. */
export async function runWork(): Promise<string> {
  const real = existsSync(path.join(SHARED, 'br', 'br.gif'));
  const base = await buildCostBuilds(REPO, process.env['FLAGFETCH_BASELINE_REV']);
  const loadBefore = loadavg()[0] ?? 0;
  const servers = await startEmbeddedServers({
    ports: { local: 0, delay: 0, error: 0 },
    root: real ? SHARED : undefined,
    delayMs: DELAY_MS,
  });
  const decode: DecodeSamples = {
    rps: { loop: [], workers: [], threads: [] },
    elu: { loop: [], workers: [] },
    workMsPerFlag: [],
  };
  const local = emptyCostSamples();
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      await decodeRound(servers.urls.DELAY, decode);
      if (typeof base !== 'string') await measureCostRound(base, servers.urls.LOCAL, round, local);
      const last = (a: readonly number[]): number => Math.round(a.at(-1) ?? 0);
      process.stderr.write(
        `round ${round + 1}/${ROUNDS}: decode loop ${last(decode.rps.loop)}, workers ${last(decode.rps.workers)}, threads ${last(decode.rps.threads)} req/s; LOCAL loop ${last(local.rps.change)} (--work commit) vs ${last(local.rps.before)} (before) req/s\n`,
      );
    }
  } finally {
    await servers.stop();
    if (typeof base !== 'string') await removeCostBuilds(base);
  }
  const load = Math.max(loadBefore, loadavg()[0] ?? 0);
  const targets = [...decodeTargets(decode), ...costTargets(typeof base === 'string' ? base : local)];
  const data = {
    ...decode,
    local,
    baseline: typeof base === 'string' ? base : base.commits,
    content: real ? 'real' : 'synthetic',
    loadAverage: load,
  };
  return writeSuite(
    'work',
    'CPU work per download (--work)',
    'npm run build && node dist/bench/work.js',
    targets,
    details({ real, base, decode, local, load }),
    data,
  );
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runWork());
