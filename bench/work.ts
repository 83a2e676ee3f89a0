/**
 * Where worker threads pay (issue 11, CPU work per download): ratios measured side by side
 * in one run, rounds alternating, every run a fresh process:
 *  1. DELAY 20 ms, `-a --repeat 5 -m 100 --no-save --work decode` on the real flags: workers
 *     `-w 2` ≥ 1.6 × the loop's requests/s, and threads `-w 2` > loop;
 *  2. `--work none` costs nothing measurable: LOCAL `--model loop -a --repeat 50 -m 100 --no-save`
 *     within 3 % of the same command on the build before --work (built from git beside it).
 * Run: `npm run build && node dist/bench/work.js` (FLAGFETCH_BASELINE_REV picks another baseline).
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { startEmbeddedServers } from '../src/server/embedded.js';
import { buildBaseline, commitBefore, commitsSince, type BaselineBuild } from './lib/baseline.js';
import { median, report, RESULTS_DIR, runDownload, spread, writeSuite, type Target } from './lib/run.js';
import type { JsonReport } from '../src/compare/json-report.js';

const SHARED = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.resolve(process.cwd(), '../shared/flags');
const REPO = path.resolve(RESULTS_DIR, '../..');
const ROUNDS = 5;
const DELAY_MS = 20;
const DECODE = ['-a', '--repeat', '5', '-m', '100', '--no-save', '--work', 'decode'];
const LOCAL = ['--model', 'loop', '-a', '--repeat', '50', '-m', '100', '--no-save'];

/** The baseline build, or why there is none. */
async function baseline(): Promise<BaselineBuild | string> {
  try {
    const commit = commitBefore(REPO, 'src/download/work-kind.ts', process.env['FLAGFETCH_BASELINE_REV']);
    return await buildBaseline(REPO, commit);
  } catch (err) {
    return `no baseline build (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
}

/** Median of the per-round ratios a[i] / b[i]. */
function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((v, i) => v / (b[i] ?? Number.NaN)));
}

const eluOf = (r: JsonReport): string =>
  r.perWorker.map((w) => `${Math.round(w.eventLoopUtilization * 100)} %`).join(' · ');

/** Run the suite; returns its markdown. */
export async function runWork(): Promise<string> {
  const real = existsSync(path.join(SHARED, 'br', 'br.gif'));
  const root = real ? SHARED : undefined;
  const base = await baseline();
  const loadBefore = loadavg()[0] ?? 0;
  const servers = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, root, delayMs: DELAY_MS });
  const rps = { loop: [] as number[], workers: [] as number[], threads: [] as number[] };
  const local = { now: [] as number[], before: [] as number[] };
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
      if (typeof base !== 'string') {
        const args = [...LOCAL, '-s', servers.urls.LOCAL];
        const pair = round % 2 === 0 ? ['now', 'before'] : ['before', 'now'];
        for (const which of pair) {
          const r = await runDownload(args, {}, which === 'now' ? undefined : base.cli);
          local[which as 'now' | 'before'].push(r.report.requestsPerSec);
        }
      }
      process.stderr.write(
        `round ${round + 1}/${ROUNDS}: decode loop ${Math.round(loop.requestsPerSec)}, workers ${Math.round(workers.requestsPerSec)}, threads ${Math.round(threads.requestsPerSec)} req/s; LOCAL loop ${Math.round(local.now.at(-1) ?? 0)} vs before --work ${Math.round(local.before.at(-1) ?? 0)} req/s\n`,
      );
    }
  } finally {
    await servers.stop();
    if (typeof base !== 'string') await rm(base.dir, { recursive: true, force: true });
  }
  const load = Math.max(loadBefore, loadavg()[0] ?? 0);
  const workersToLoop = pairedRatio(rps.workers, rps.loop);
  const threadsToLoop = pairedRatio(rps.threads, rps.loop);
  const noneCost = typeof base === 'string' ? Number.NaN : pairedRatio(local.now, local.before);
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
    {
      name: 'LOCAL loop with --work none ÷ the build before --work',
      measured: typeof base === 'string' ? base : noneCost.toFixed(3),
      target: '0.97–1.03',
      pass: Number.isNaN(noneCost) ? null : Math.abs(1 - noneCost) <= 0.03,
    },
  ];
  const details = [
    `Content: ${real ? `the real flags (${SHARED})` : 'the synthetic flags (../shared/flags not found): their pixels are fewer than the real ones, so decoding costs less'}. ${ROUNDS} rounds; each runs loop, workers -w 2 and threads -w 2 (\`flagfetch download ${DECODE.join(' ')}\` on the embedded DELAY server, ${DELAY_MS} ms), then the LOCAL loop (\`flagfetch download ${LOCAL.join(' ')}\`) with this build and with ${typeof base === 'string' ? 'no baseline' : `commit ${base.commit.slice(0, 10)} (the one before --work), alternating which goes first`}. Ratios are medians of the per-round ratios.`,
    '',
    '| what | median (min–max) |',
    '|---|---|',
    `| decode: loop req/s | ${spread(rps.loop)} |`,
    `| decode: workers -w 2 req/s | ${spread(rps.workers)} |`,
    `| decode: threads -w 2 req/s | ${spread(rps.threads)} |`,
    `| decode: CPU per flag on the loop, ms | ${spread(workMsPerFlag, 2)} |`,
    `| decode: ELU of the loop, by round | ${elu.loop.join(', ')} |`,
    `| decode: ELU of each worker, by round | ${elu.workers.join('; ')} |`,
    `| LOCAL loop req/s, this build | ${local.now.length > 0 ? spread(local.now) : 'n/a'} |`,
    `| LOCAL loop req/s, before --work | ${local.before.length > 0 ? spread(local.before) : 'n/a'} |`,
    '',
    `Load average (1 min) at the start and end, the higher: ${load.toFixed(1)} on ${availableParallelism()} cores${load > availableParallelism() ? ' — the machine was loaded by other programs: these figures are distorted, rerun on a quiet machine' : ''}.`,
    '',
    typeof base === 'string'
      ? ''
      : `The baseline lacks the ${commitsSince(REPO, base.commit)} commits since it, not only --work: the ratio bounds the cost of --work together with every other change merged since (run with FLAGFETCH_BASELINE_REV=<a later commit> to narrow it).`,
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
      baseline: typeof base === 'string' ? base : base.commit,
      content: real ? 'real' : 'synthetic',
      loadAverage: load,
    },
  );
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) report(await runWork());
