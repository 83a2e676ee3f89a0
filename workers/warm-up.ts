/**
 * The thread side of the start-up barrier: each thread opens its connections, arrives, and
 * waits until all have arrived, so every thread is up before the clock starts.
 */
import type { WarmUpTask } from './protocol.js';

/** In a worker: arrive at the barrier and wait (at most 10 s) for the others; returns the order of arrival, from 1. */
export function arriveAndWait(task: WarmUpTask): number {
  const count = new Int32Array(task.warmUp);
  const arrival = Atomics.add(count, 0, 1) + 1;
  Atomics.notify(count, 0);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const seen = Atomics.load(count, 0);
    if (seen >= task.threads || Date.now() > deadline) return arrival;
    Atomics.wait(count, 0, seen, 50);
  }
}
