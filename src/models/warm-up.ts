/**
 * Start-up barrier for a Piscina pool: one warm-up task per thread, each opening its
 * connections and then waiting until all have arrived, so every thread is up (modules
 * loaded, connections open) before the clock starts.
 */
import type { Piscina } from 'piscina';

/** The task a pool runs to warm up: the barrier's shared counter and the thread count. */
export interface WarmUpTask {
  readonly warmUp: SharedArrayBuffer;
  readonly threads: number;
  /** Connections each thread opens before arriving. */
  readonly connect: number;
}

/** True when a task message is a warm-up task. */
export function isWarmUp(task: unknown): task is WarmUpTask {
  return typeof task === 'object' && task !== null && 'warmUp' in task;
}

/** In a worker: arrive at the barrier and wait (at most 10 s) for the others. */
export function arriveAndWait(task: WarmUpTask): void {
  const count = new Int32Array(task.warmUp);
  Atomics.add(count, 0, 1);
  Atomics.notify(count, 0);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const seen = Atomics.load(count, 0);
    if (seen >= task.threads || Date.now() > deadline) return;
    Atomics.wait(count, 0, seen, 50);
  }
}

/** In the coordinator: run the barrier on every thread of `pool`; resolves when all are up. */
export async function warmUp(pool: Piscina, threads: number, connect: number): Promise<void> {
  const task: WarmUpTask = { warmUp: new SharedArrayBuffer(4), threads, connect };
  const waits: Promise<unknown>[] = [];
  for (let i = 0; i < threads; i += 1) waits.push(pool.run(task));
  await Promise.all(waits);
}
