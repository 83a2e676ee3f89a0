/**
 * Piscina pools for the threads and workers models: created with every thread started and
 * its connections open (measured as start-up), a hard-stop channel to their threads, and
 * their ELU.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { HARD_STOP_MESSAGE, type PoolData, type WarmUpTask } from '../../workers/protocol.js';

/** A pool whose threads are all up, and the time it took. */
export interface ReadyPool {
  readonly pool: Piscina;
  readonly startupMs: number;
  /** The part of startupMs spent opening connections (after every thread was up). */
  readonly connectMs: number;
  /** Name of the BroadcastChannel its threads listen on for a hard stop. */
  readonly abortChannel: string;
  /** Tell every thread to abort its in-flight requests. */
  hardStop(): void;
  /** Destroy the pool and close the channel. */
  close(): Promise<void>;
}

/** Resolve a task file in dist/workers/ by its base name. */
export function taskFile(name: string): string {
  return new URL(`../../workers/${name}.js`, import.meta.url).href;
}

/** Start a pool of `threads` threads running `file`, each opening `connect` connections, and wait until all are up. */
export async function startPool(
  file: string,
  threads: number,
  workerData: Omit<PoolData, 'abortChannel'>,
  connect: number,
): Promise<ReadyPool> {
  const abortChannel = `flagfetch-abort-${randomUUID()}`;
  const channel = new BroadcastChannel(abortChannel);
  const t0 = performance.now();
  const pool = new Piscina({
    filename: file,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    idleTimeout: 60_000,
    // A small young generation per thread: each isolate otherwise grows its own to ~50 MB
    // under this allocation rate. Measured here at one million requests (-w 2): 6 MB gives a
    // peak RSS of ~136 MB (8 MB: ~163 MB) at the same requests/s. (A process-wide
    // --max-semi-space-size=2 saves as much but slows every thread's start-up by ~10 ms.)
    resourceLimits: { maxYoungGenerationSizeMb: 6 },
    maxQueue: 'auto',
    workerData: { ...workerData, abortChannel } satisfies PoolData,
  });
  // A dead thread's task is rejected; 'error' only fires for errors outside any task.
  pool.on('error', () => undefined);
  // Two barriers: every thread up (modules loaded), then every thread's connections open.
  await warmUp(pool, threads, 0);
  const t1 = performance.now();
  if (connect > 0) await warmUp(pool, threads, connect);
  const t2 = performance.now();
  return {
    pool,
    startupMs: t2 - t0,
    connectMs: t2 - t1,
    abortChannel,
    hardStop: () => channel.postMessage(HARD_STOP_MESSAGE),
    close: async () => {
      channel.close();
      await pool.destroy();
    },
  };
}

type Elu = ReturnType<typeof performance.eventLoopUtilization>;

/** Event-loop utilization of each of the pool's threads, by thread id. */
export function threadsElu(pool: Piscina): Map<number, Elu> {
  return new Map(pool.threads.map((w) => [w.threadId, w.performance.eventLoopUtilization()]));
}

/** Utilization of each thread between two threadsElu() readings, by thread id (0..1). */
export function eluBetween(start: Map<number, Elu>, end: Map<number, Elu>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [id, e] of end) {
    const s = start.get(id);
    out.set(id, s === undefined ? e.utilization : performance.eventLoopUtilization(e, s).utilization);
  }
  return out;
}

/** Run the start-up barrier on every thread of `pool`; resolves when all are up. */
export async function warmUp(pool: Piscina, threads: number, connect: number): Promise<void> {
  const task: WarmUpTask = { warmUp: new SharedArrayBuffer(4), threads, connect };
  const waits: Promise<unknown>[] = [];
  for (let i = 0; i < threads; i += 1) waits.push(pool.run(task));
  await Promise.all(waits);
}
