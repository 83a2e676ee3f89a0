/**
 * The main thread's side of the start-up barrier (the threads' side: workers/warm-up.ts):
 * one warm-up task per thread, each opening its connections and waiting for all the others.
 */
import type { Piscina } from 'piscina';
import type { WarmUpResult, WarmUpTask } from '../../workers/protocol.js';
import type { ClientShape } from './pool.js';

/** Run the start-up barrier on every thread of `pool`; resolves when all are up, with the connections they opened. */
export async function warmUp(
  pool: Piscina,
  threads: number,
  connect: number,
  shape: ClientShape = { lanes: connect },
): Promise<number> {
  const task: WarmUpTask = { warmUp: new SharedArrayBuffer(4), threads, connect, ...shape };
  const waits: Promise<WarmUpResult>[] = [];
  for (let i = 0; i < threads; i += 1) waits.push(pool.run(task) as Promise<WarmUpResult>);
  const opened = await Promise.all(waits);
  return opened.reduce((a, b) => a + b, 0);
}
