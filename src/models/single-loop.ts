/**
 * The sequential and loop models: one event loop (the main thread), at most `lanes`
 * requests in flight over one shared cursor. Sequential is the loop with one lane. Its
 * connections are opened before the clock starts (reported as start-up), as the workers'.
 */
import { performance } from 'node:perf_hooks';
import { createFlagClient, type FlagClient } from '../download/client.js';
import { createWorkStep } from '../cpu-work/step.js';
import { runBounded } from '../download/run-bounded.js';
import { countUnfinished } from '../stats/counters.js';
import { CodeCursor, Tally } from '../download/tally.js';
import { letSignalsIn, watchStop } from '../download/stop.js';
import { notSent, type Pacer } from '../download/pacer.js';
import type { RateTally } from '../stats/rate.js';
import { concurrencyOf, requestsOf } from './concurrency.js';
import { pacedResult, startPacer } from './paced.js';
import { startProgress } from './progress-timer.js';
import { resultOf } from './result.js';
import type { RunHooks, RunPlan, RunResult } from './types.js';

/** Run a plan (sequential or loop) on this event loop, with the lanes concurrencyOf gives it. */
export async function runSingleLoop(plan: RunPlan, hooks: RunHooks): Promise<RunResult> {
  const lanes = concurrencyOf(plan).lanes[0] ?? 1;
  const t0 = performance.now();
  const step = await createWorkStep(plan.fetch);
  const client = createFlagClient(plan.fetch, lanes, step, plan.connections);
  const cursor = new CodeCursor(plan.codes, requestsOf(plan), hooks.signal);
  const tally = new Tally(hooks.onOutcome);
  const stop = watchStop(hooks.signal);
  const progress = startProgress(hooks, () => [tally.counters]);
  let startupMs: number;
  let connectMs: number;
  let connections: number;
  let rate: RateTally | undefined;
  try {
    const t1 = performance.now();
    connections = await client.connect(lanes);
    connectMs = performance.now() - t1;
    startupMs = performance.now() - t0;
    tally.start();
    const pacer = startPacer(plan, hooks.signal);
    const stopping = (): boolean => hooks.signal?.aborted === true;
    await runBounded(
      lanes,
      cursor.nextIndex,
      oneRequest({ cursor, client, tally, pacer }, stop.hard, stopping),
      hooks.signal,
    );
    tally.stop();
    rate = pacer?.recorder.tally();
  } finally {
    progress.finish();
    stop.dispose();
    await client.close();
  }
  countUnfinished(tally.counters, cursor.total - cursor.claimed);
  const worker = tally.report(1);
  return resultOf(plan, {
    workers: 1,
    maxReq: lanes,
    perWorker: [worker],
    latency: worker.latency,
    counters: tally.counters,
    elapsedMs: worker.elapsedMs,
    startupMs,
    connectMs,
    connections,
    protocol: client.protocol(),
    interrupted: hooks.signal?.aborted === true,
    workRecords: step?.drain(),
    rate: pacedResult(plan, rate === undefined ? [] : [rate], worker.latency),
  });
}

/** What one loop's lanes share. */
interface Loop {
  readonly cursor: CodeCursor;
  readonly client: FlagClient;
  readonly tally: Tally;
  readonly pacer: Pacer | undefined;
}

/** The work of one lane on request `i`: at its slot under --rate, fetched and counted. */
function oneRequest(loop: Loop, hard: AbortSignal, stopping: () => boolean): (i: number) => Promise<void> {
  const { cursor, client, tally, pacer } = loop;
  return async (i) => {
    const cc = cursor.codeAt(i);
    const slot = pacer === undefined ? undefined : await pacer.start(i);
    if (pacer !== undefined && slot === undefined) return tally.add(notSent(cc));
    const outcome = await client.fetchFlag(cc, hard, stopping);
    tally.add(outcome);
    if (slot !== undefined) pacer?.answered(slot, outcome);
    // --work kept this thread busy: a Ctrl-C meanwhile must be seen before the next item is claimed.
    if (outcome.workMs !== undefined) await letSignalsIn();
  };
}
