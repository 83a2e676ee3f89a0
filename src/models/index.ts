/** The four concurrency models behind one function. */
import { runSingleLoop } from './single-loop.js';
import { runThreads } from './threads.js';
import { runWorkers } from './workers.js';
import type { RunHooks, RunPlan, RunResult } from './types.js';

/** Run a plan with the model it names. */
export function runPlan(plan: RunPlan, hooks: RunHooks = {}): Promise<RunResult> {
  switch (plan.model) {
    case 'sequential':
      return runSingleLoop(plan, hooks, 1);
    case 'loop':
      return runSingleLoop(plan, hooks, plan.maxReq);
    case 'threads':
      return runThreads(plan, hooks);
    case 'workers':
      return runWorkers(plan, hooks);
  }
}
