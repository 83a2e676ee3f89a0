/**
 * How a pool hands tasks to its threads: Piscina's own least-busy choice (an idle thread
 * first, else the one with the fewest tasks under the ceiling), with a ceiling that can be
 * raised. It is 1 while the start-up barrier runs, so each thread gets exactly one warm-up
 * task even when only some are ready; the pool then raises it to its tasks per thread (the
 * threads model's lanes). With `n` tasks in flight over `t` threads, least-busy never puts
 * more than ceil(n / t) on one thread: the lanes concurrencyOf gives (test/threads.test.ts).
 */
import type { Piscina } from 'piscina';

type Balancer = NonNullable<NonNullable<ConstructorParameters<typeof Piscina>[0]>['loadBalancer']>;

/** A least-busy balancer and the ceiling it obeys (tasks per thread at most). */
export interface RaisableBalancer {
  readonly balance: Balancer;
  /** Most tasks a thread runs at once from now on. */
  raise(ceiling: number): void;
}

/** A least-busy balancer with ceiling 1 until raised. */
export function raisableBalancer(): RaisableBalancer {
  let ceiling = 1;
  const balance: Balancer = (task, workers) => {
    let candidate: ReturnType<Balancer> = null;
    let fewest = ceiling;
    for (const worker of workers) {
      if (worker.currentUsage === 0) return worker;
      if (worker.isRunningAbortableTask || !(worker.currentUsage < fewest)) continue;
      if (task.isAbortable) continue;
      candidate = worker;
      fewest = worker.currentUsage;
    }
    return candidate;
  };
  return { balance, raise: (c) => void (ceiling = Math.max(1, c)) };
}
