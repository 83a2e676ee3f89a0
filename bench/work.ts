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
} from './lib/work-cost.js';
import type { JsonReport } from '../src/compare/json-report.js';

const SHARED = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.resolve(process.cwd(), '../shared/flags');
const REPO = path.resolve(RESULTS_DIR, '../..');
const ROUNDS = 5;
const DELAY_MS = 20;
const DECODE = ['-a', '--repeat', '5', '-m', '100', '--no-save', '--work', 'decode'];

const eluOf = (r: JsonReport): string =>
  r.perWorker.map((w) => `${Math.round(w.eventLoopUtilization * 100)} %`).join(' · ');

/** Run the suite; returns its markdown. */
export async function runWork(): Promise<string> {
  const real = existsSync(path.join(SHARED, 'br', 'br.gif'));
  const root = real ? SHARED : undefined;
  const base = await buildCostBuilds(REPO, process.env['FLAGFETCH_BASELINE_REV']);
  const loadBefore = loadavg()[0] ?? 0;
  const servers = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, root, delayMs: DELAY_MS });
  const rps = { loop: [] as number[], workers: [] as number[], threads: [] as number[] };
  const local = emptyCostSamples();
  const elu = { loop: [] as string[], workers: [] as string[] };
  const workMsPerFlag: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      const decode = [...DECODE, '-s', servers.urls.DELAY];
      const loop = (await runDownload(['--model', 'loop', ...decode])).report;
      const workers = (await runDownload(['--model', 'workers', '-w', '2', ...decode])).report;
      const threads = (await runDownload(['--model', 'threads', '-w', '2', ...decode])).report;
      rps.loop.push(loop.requestsPerSec);
      rps.workers.push(workers.requestsPerSec);
      rps.threads.push(threads.requestsPerSec);
      elu.loop.push(eluOf(loop));
      elu.workers.push(eluOf(workers));
      workMsPerFlag.push((loop.workMs ?? 0) / Math.max(1, loop.ok));
      if (typeof base !== 'string') await measureCostRound(base, servers.urls.LOCAL, round, local);
      process.stderr.write(
        `round ${round + 1}/${ROUNDS}: decode loop ${Math.round(loop.requestsPerSec)}, workers ${Math.round(workers.requestsPerSec)}, threads ${Math.round(threads.requestsPerSec)} req/s; LOCAL loop ${Math.round(local.rps.change.at(-1) ?? 0)} (--work commit) vs ${Math.round(local.rps.before.at(-1) ?? 0)} (before) req/s\n`,
      );
    }
  } finally {
    await servers.stop();
    if (typeof base !== 'string') await removeCostBuilds(base);
  }
  const load = Math.max(loadBefore, loadavg()[0] ?? 0);
  const workersToLoop = pairedRatio(rps.workers, rps.loop);
  const threadsToLoop = pairedRatio(rps.threads, rps.loop);
  const targets: Target[] = [
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
    ...costTargets(typeof base === 'string' ? base : local),
  ];
  const details = [
    `Content: ${real ? `the real flags (${SHARED})` : 'the synthetic flags (../shared/flags not found), made to cost what the real ones cost to decode'}. ${ROUNDS} rounds; each runs loop, workers -w 2 and threads -w 2 (\`flagfetch download ${DECODE.join(' ')}\` on the embedded DELAY server, ${DELAY_MS} ms), then the LOCAL loop (\`${COST_COMMAND}\`, and at --repeat 5 for the CPU per request) ${typeof base === 'string' ? 'could not be compared' : `on commit ${base.commits.change.slice(0, 10)} (the one that brought --work), on ${base.commits.before.slice(0, 10)} (its parent) and on this build, in an order rotated each round`}. Ratios are medians of the per-round ratios.`,
    '',
    '| what | median (min–max) |',
    '|---|---|',
    `| decode: loop req/s | ${spread(rps.loop)} |`,
    `| decode: workers -w 2 req/s | ${spread(rps.workers)} |`,
    `| decode: threads -w 2 req/s | ${spread(rps.threads)} |`,
    `| decode: CPU per flag on the loop, ms | ${spread(workMsPerFlag, 2)} |`,
    `| decode: ELU of the loop, by round | ${elu.loop.join(', ')} |`,
    `| decode: ELU of each worker, by round | ${elu.workers.join('; ')} |`,
    ...(typeof base === 'string' ? [] : costRows(local, base)),
    '',
    `Load average (1 min) at the start and end, the higher: ${load.toFixed(1)} on ${availableParallelism()} cores${load > availableParallelism() ? ' — the machine was loaded by other programs: these figures are distorted, rerun on a quiet machine' : ''}.`,
    '',
    typeof base === 'string'
      ? ''
      : `The --work targets compare the commit that brought --work with its parent: the change alone. This build is ${commitsSince(REPO, base.commits.before)} commits after that parent; its ratio to it is what all of them cost together (no target; FLAGFETCH_BASELINE_REV=<commit> compares with another parent).`,
    '',
    'The server answers after the delay and needs little CPU; the client decodes every flag on the thread that downloaded it. One loop is CPU-bound (ELU near 100 %); two workers decode on both cores.',
  ];
  return writeSuite(
    'work',
    'CPU work per download (--work)',
    'npm run build && node dist/bench/work.js',
    targets,
    details,
    {
      rps,
      local,
      elu,
      workMsPerFlag,
      baseline: typeof base === 'string' ? base : base.commits,
      content: real ? 'real' : 'synthetic',
      loadAverage: load,
    },
  );
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runWork());
