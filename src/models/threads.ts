/**
 * The threads model: a Piscina pool used as Node runs async tasks on one, one task per flag.
 * The main thread hands out the flags (pool.run(cc), --max-req in flight in total); each of
 * the --workers threads runs up to its lane of them at once (Piscina's tasks per thread) on
 * its own client. The same threads and lanes as the workers model (concurrencyOf), so the two
 * differ only in dispatch: a message round trip through the main thread per flag, against
 * each worker's own loop. (It began as a copy of flags2_threadpool: a thread per request.)
 */
import { performance } from 'node:perf_hooks';
import type { Piscina } from 'piscina';
import { countUnfinished, emptyCounters, mergeCounters } from '../stats/counters.js';
import { mergeEncoded } from '../stats/latency.js';
import { runBounded } from '../download/run-bounded.js';
import type { Outcome } from '../download/outcome.js';
import type { FlagTaskResult } from '../../workers/protocol.js';
import { emptyRecords, mergeRecords } from '../cpu-work/step.js';
import { startPool, threadsPool } from './pool.js';
import { concurrencyOf, inFlightOf, requestsOf } from './concurrency.js';
import { pacedResult, startPacer } from './paced.js';
import { notSent, type Pacer } from '../download/pacer.js';
import { startProgress } from './progress-timer.js';
import { resultOf } from './result.js';
import { CodeCursor, Tally } from '../download/tally.js';
import { watchStop } from '../download/stop.js';
import type { RunHooks, RunPlan, RunResult, WorkerReport } from './types.js';

/** Run a plan with one task per flag, on the threads and lanes concurrencyOf gives it. */
export async function runThreads(plan: RunPlan, hooks: RunHooks): Promise<RunResult> {
  const concurrency = concurrencyOf(plan);
  const { threads } = concurrency;
  const inFlight = inFlightOf(concurrency);
  const spec = threadsPool(plan);
  const widest = spec.tasksPerThread ?? 1;
  const ready = await startPool(spec, widest, spec.data.client);
  const cursor = new CodeCursor(plan.codes, requestsOf(plan), hooks.signal);
  const d = new Dispatcher(ready.pool, cursor, hooks.onOutcome);
  const stop = watchStop(hooks.signal, { onSoft: () => ready.softStop(), onHard: () => ready.hardStop() });
  // One count per thread, in the order the threads first finished a flag (a bar each).
  const progress = startProgress(hooks, () =>
    Array.from({ length: threads }, (_, i) => [...d.tallies.values()][i]?.counters ?? emptyCounters()),
  );
  let elu: Map<number, number>;
  try {
    const eluStart = threadsElu(ready.pool);
    d.start(plan, hooks.signal);
    await runBounded(inFlight, cursor.nextIndex, d.one, hooks.signal);
    d.overall.stop();
    elu = eluBetween(eluStart, threadsElu(ready.pool));
  } finally {
    progress.finish();
    stop.dispose();
    await ready.close();
  }
  const perWorker = [...d.tallies.entries()].map(([thread, t], i): WorkerReport => ({
    ...t.report(i + 1),
    elapsedMs: d.overall.stop(),
    eventLoopUtilization: elu.get(thread) ?? 0,
  }));
  const counters = mergeCounters(perWorker.map((w) => w.counters));
  // Slots claimed but never sent (the run stopped first) are in no thread's tally: cancelled.
  countUnfinished(counters, cursor.total - cursor.claimed + d.unsent);
  const latency = mergeEncoded([...d.tallies.values()].map((t) => t.latency.encode()));
  return resultOf(plan, {
    workers: threads,
    maxReq: inFlight,
    counters,
    latency,
    perWorker,
    elapsedMs: d.overall.stop(),
    startupMs: ready.startupMs,
    connectMs: ready.connectMs,
    connections: ready.connections,
    protocol: ready.protocol,
    interrupted: hooks.signal?.aborted === true,
    workRecords: plan.fetch.dest === null ? undefined : d.records,
    rate: pacedResult(plan, d.pacer === undefined ? [] : [d.pacer.recorder.tally()], latency),
  });
}

/**
 * The main thread's side of a threads run: hands each claimed flag to the pool (at its slot,
 * under --rate) and tallies what comes back, in all and per thread.
 */
class Dispatcher {
  readonly tallies = new Map<number, Tally>();
  readonly records = emptyRecords();
  readonly overall: Tally;
  pacer: Pacer | undefined;
  /** Slots claimed but never sent: the run stopped first. */
  unsent = 0;

  constructor(
    private readonly pool: Piscina,
    private readonly cursor: CodeCursor,
    onOutcome: RunHooks['onOutcome'],
  ) {
    this.overall = new Tally(onOutcome);
  }

  /** Start the clock, and the schedule under --rate. */
  start(plan: RunPlan, signal: AbortSignal | undefined): void {
    this.overall.start();
    this.pacer = startPacer(plan, signal);
  }

  /** Run request `i` on the pool and count its outcome. */
  readonly one = async (i: number): Promise<void> => {
    const cc = this.cursor.codeAt(i);
    const slot = this.pacer === undefined ? undefined : await this.pacer.start(i);
    if (this.pacer !== undefined && slot === undefined) {
      this.unsent += 1;
      return this.overall.add(notSent(cc));
    }
    const { outcome, thread, work } = await runTask(this.pool.run(cc) as Promise<FlagTaskResult>, cc);
    mergeRecords(this.records, work);
    this.overall.add(outcome);
    tallyFor(this.tallies, thread).add(outcome);
    if (slot !== undefined) this.pacer?.answered(slot, outcome);
  };
}

/** A task's result, or an error outcome when its thread died under it. */
async function runTask(task: Promise<FlagTaskResult>, cc: string): Promise<FlagTaskResult> {
  try {
    return await task;
  } catch (err) {
    const detail = `worker thread died: ${err instanceof Error ? err.message : String(err)}`;
    const outcome: Outcome = {
      cc,
      kind: 'local',
      reason: 'worker died',
      detail,
      bytes: 0,
      latencyMs: 0,
      attempts: 1,
    };
    return { outcome, thread: -1 };
  }
}

function tallyFor(tallies: Map<number, Tally>, thread: number): Tally {
  let t = tallies.get(thread);
  if (t === undefined) {
    t = new Tally();
    t.start();
    tallies.set(thread, t);
  }
  return t;
}

type Elu = ReturnType<typeof performance.eventLoopUtilization>;

/** Event-loop utilization of each of the pool's threads, by thread id. */
function threadsElu(pool: Piscina): Map<number, Elu> {
  return new Map(pool.threads.map((w) => [w.threadId, w.performance.eventLoopUtilization()]));
}

/** Utilization of each thread between two threadsElu() readings, by thread id (0..1). */
function eluBetween(start: Map<number, Elu>, end: Map<number, Elu>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [id, e] of end) {
    const s = start.get(id);
    out.set(id, s === undefined ? e.utilization : performance.eventLoopUtilization(e, s).utilization);
  }
  return out;
}
