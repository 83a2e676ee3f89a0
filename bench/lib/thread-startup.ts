/**
 * Child process of bench/startup.ts: how long N threads take to come up, measured inside a
 * fresh process once its own imports are done, and printed as `{"ms": …}`.
 *   node dist/bench/lib/thread-startup.js bare N   N bare `new Worker` (eval'd one-liner that answers)
 *   node dist/bench/lib/thread-startup.js empty N  a Piscina pool of N threads whose task file is empty
 *                                                   (answers each task at once): Piscina's own part
 *   node dist/bench/lib/thread-startup.js pool N [DIST_SRC]   the workers model's pool: N fetch-loop
 *                                                   threads up (of the build in DIST_SRC when given)
 * All use the pool's resource limits, so the differences are Piscina's part and then what our
 * threads load and run.
 */
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { POOL_RESOURCE_LIMITS } from '../../src/models/pool.js';
import { fetchLoopPool } from './pool-of.js';
import { resolveOptions } from '../../src/options.js';

async function bare(threads: number): Promise<number> {
  const t0 = performance.now();
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker('require("node:worker_threads").parentPort.postMessage(0)', {
        eval: true,
        resourceLimits: POOL_RESOURCE_LIMITS,
      }),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const ms = performance.now() - t0;
  await Promise.all(workers.map((w) => w.terminate()));
  return ms;
}

async function emptyPool(threads: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'flagfetch-empty-task-'));
  try {
    const file = path.join(dir, 'empty.cjs');
    writeFileSync(file, 'module.exports = async () => 0;\n');
    const t0 = performance.now();
    const p = new Piscina({
      filename: file,
      minThreads: threads,
      maxThreads: threads,
      resourceLimits: POOL_RESOURCE_LIMITS,
      recordTiming: false,
    });
    await Promise.all(Array.from({ length: threads }, () => p.run(null)));
    const ms = performance.now() - t0;
    await p.destroy();
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pool(threads: number, distSrc: string | undefined): Promise<number> {
  const { fetch } = resolveOptions([], { server: 'http://127.0.0.1:9/flags', save: false });
  const ready = await (await fetchLoopPool(distSrc))(threads, fetch, 0);
  await ready.close();
  return ready.startupMs;
}

const [kind, n, distSrc] = process.argv.slice(2);
const threads = Number(n ?? 1);
const ms =
  kind === 'bare' ? await bare(threads) : kind === 'empty' ? await emptyPool(threads) : await pool(threads, distSrc);
process.stdout.write(`${JSON.stringify({ kind, threads, ms })}\n`);
