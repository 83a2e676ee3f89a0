/** Event-loop utilization of a pool's threads, read from the main thread (Piscina's per-thread performance). */
import { performance } from 'node:perf_hooks';
import type { Piscina } from 'piscina';

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
