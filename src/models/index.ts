/**
 * The four concurrency models behind one function. Each model's module is imported when a
 * plan names it: a loop run never loads Piscina, and a workers run never loads undici on
 * the main thread (its threads do).
 */
import type { RunHooks, RunPlan, RunResult } from './types.js';

/** Run a plan with the model it names. */
export async function runPlan(plan: RunPlan, hooks: RunHooks = {}): Promise<RunResult> {
  switch (plan.model) {
    case 'sequential':
    case 'loop':
      return (await import('./single-loop.js')).runSingleLoop(plan, hooks);
    case 'threads':
      return (await import('./threads.js')).runThreads(plan, hooks);
    case 'workers':
      return (await import('./workers.js')).runWorkers(plan, hooks);
  }
}
