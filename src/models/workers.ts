/**
 * The workers model, flagfetch's engine: a coordinator splits the codes among Piscina
 * worker threads, each running its own bounded async fetch loop (workers/fetch-loop.ts)
 * with its own undici client; the --max-req budget is divided among them. It gathers their
 * counters and latency histograms and merges them. A worker that dies never hangs the run:
 * what it had not finished is run again on a fresh thread, and the run reports the failure.
 */
import { performance } from 'node:perf_hooks';
import type { ClaimSource } from '../../workers/protocol.js';
import { countUnfinished, mergeCounters } from '../stats/counters.js';
import { mergeEncoded } from '../stats/latency.js';
import { shareRanges } from './shares.js';
import { concurrencyOf, connectionsPerThread, inFlightOf, requestsOf } from './concurrency.js';
import { pacedResult, scheduleStart, START_LEAD_MS } from './paced.js';
import { startProgress } from './progress-timer.js';
import { Board, createBoard } from '../../workers/shared-memory.js';
import { FRESH_POOLS, workersPool, type PoolSource, type ReadyPool } from './pool.js';
import { resultOf } from './result.js';
import { watchStop } from '../download/stop.js';
import { emptyRecords, mergeRecords } from '../cpu-work/step.js';
import type { RunHooks, RunPlan, RunResult } from './types.js';
import type { RateTally } from '../stats/rate.js';
import { launch, workerReport, type Launched } from './worker-launch.js';

/**
 * Run a plan on the worker threads and lanes concurrencyOf gives it (--workers sharing
 * --max-req), on a pool from `pools` (a fresh one unless a caller keeps pools warm).
 */
export async function runWorkers(plan: RunPlan, hooks: RunHooks, pools: PoolSource = FRESH_POOLS): Promise<RunResult> {
  return (await runWorkersTallied(plan, hooks, pools)).result;
}

/**
 * runWorkers, and under --rate its threads' rate tallies as they came (histograms encoded):
 * for a caller that merges them with other runs' (an agent's shard, merged by its coordinator).
 */
export async function runWorkersTallied(
  plan: RunPlan,
  hooks: RunHooks,
  pools: PoolSource = FRESH_POOLS,
): Promise<{ result: RunResult; rateTallies: RateTally[] }> {
  const concurrency = concurrencyOf(plan);
  const { threads: workers, lanes } = concurrency;
  const spec = workersPool(plan);
  const total = requestsOf(plan);
  const widest = Math.max(...lanes);
  const connections = connectionsPerThread(plan.connections, workers);
  const ready = await pools.acquire(spec, widest, { lanes: widest, connections });
  const board = new Board(createBoard(workers * 2, widest));
  const sources: ClaimSource[] =
    plan.split === 'dynamic'
      ? lanes.map(() => ({ kind: 'dynamic' }))
      : shareRanges(total, workers).map(([start, end]) => ({ kind: 'range', start, end }));
  const launched: Launched[] = [];
  const stop = watchStop(hooks.signal, { onSoft: () => board.stop(), onHard: () => ready.hardStop() });
  const progress = startProgress(hooks, () => launched.map((l) => board.counters(l.task.slot)));
  const t0 = performance.now();
  const t0SharedMs = scheduleStart(START_LEAD_MS.workers);
  try {
    await Promise.all(
      sources.map((source, w) =>
        launch(ready, launched, hooks, {
          id: w + 1,
          slot: w,
          source,
          lanes: lanes[w] ?? 1,
          connections,
          plan,
          board,
          total,
          t0SharedMs,
        }),
      ),
    );
    const failure = await recover(ready, launched, hooks, plan, board, { total, t0SharedMs });
    const elapsedMs = performance.now() - t0;
    progress.finish();
    const result = summarise(plan, hooks, { ready, launched, board, total }, { elapsedMs, failure });
    return { result, rateTallies: rateTalliesOf(launched) };
  } finally {
    progress.finish();
    stop.dispose();
    await pools.release(ready, hooks.signal?.aborted !== true);
  }
}

/** What a finished run holds: its pool, its workers as launched, the board they shared, the codes × passes asked for. */
interface Finished {
  readonly ready: ReadyPool;
  readonly launched: readonly Launched[];
  readonly board: Board;
  readonly total: number;
}

/** The run's result: each worker's row, their merged counters (what nobody finished counted) and latency, and start-up. */
function summarise(
  plan: RunPlan,
  hooks: RunHooks,
  { ready, launched, board, total }: Finished,
  end: { elapsedMs: number; failure: string | undefined },
): RunResult {
  const concurrency = concurrencyOf(plan);
  const perWorker = launched.map((l) => workerReport(l, board));
  const counters = mergeCounters(perWorker.map((w) => w.counters));
  countUnfinished(counters, total - counters.total, hooks.signal?.aborted === true ? undefined : 'lost');
  const latency = mergeEncoded(launched.flatMap((l) => (l.result === undefined ? [] : [l.result.latency])));
  const rates = rateTalliesOf(launched);
  return resultOf(plan, {
    workers: concurrency.threads,
    maxReq: inFlightOf(concurrency),
    counters,
    latency,
    perWorker,
    elapsedMs: end.elapsedMs,
    startupMs: ready.startupMs,
    connectMs: ready.connectMs,
    connections: ready.connections,
    protocol: ready.protocol,
    interrupted: hooks.signal?.aborted === true,
    failure: end.failure,
    workRecords:
      plan.fetch.dest === null
        ? undefined
        : launched.reduce((all, l) => mergeRecords(all, l.result?.work), emptyRecords()),
    rate: pacedResult(plan, rates, latency),
  });
}

/** The rate tallies of the workers that returned one. */
function rateTalliesOf(launched: readonly Launched[]): RateTally[] {
  return launched.flatMap((l) => (l.result?.rate === undefined ? [] : [l.result.rate]));
}

/**
 * After a death: run what the dead workers left (codes in flight, what was left of a static
 * range, and in the dynamic split every code nobody had claimed) on a fresh thread; if that
 * dies too, they count as errors. Returns the failure message, which says what was re-run.
 */
async function recover(
  ready: ReadyPool,
  launched: Launched[],
  hooks: RunHooks,
  plan: RunPlan,
  board: Board,
  { total, t0SharedMs }: { total: number; t0SharedMs: number },
): Promise<string | undefined> {
  const dead = launched.filter((l) => l.death !== undefined);
  if (dead.length === 0) return undefined;
  const leftovers = dead.flatMap((l) => unfinished(l, board));
  const unclaimed = plan.split === 'dynamic' ? total - board.claimedShared(total) : 0;
  const names = dead.map((l) => `worker ${l.task.id} died (${l.death ?? ''})`).join('; ');
  if ((leftovers.length === 0 && unclaimed === 0) || board.stopped()) return `${names}; no code was left undone`;
  const first = launched.length;
  await launch(ready, launched, hooks, {
    id: first + 1,
    slot: first,
    source: { kind: 'list', indices: leftovers, thenShared: unclaimed > 0 },
    lanes: Math.max(1, Math.min(board.buffers.lanesMax, leftovers.length + unclaimed)),
    plan,
    board,
    total,
    t0SharedMs,
  });
  const what = rerunText(leftovers.length, unclaimed);
  if (launched[first]?.death === undefined) return `${names}; ${what} were run by worker ${first + 1} on a new thread`;
  return `${names}; ${what} could not be run again and count as errors`;
}

/** `2 codes it had unfinished and 191 nobody had claimed`, leaving out a zero part. */
function rerunText(leftovers: number, unclaimed: number): string {
  const parts: string[] = [];
  if (leftovers > 0) parts.push(`${leftovers} code${leftovers === 1 ? '' : 's'} left unfinished`);
  if (unclaimed > 0) parts.push(`${unclaimed} code${unclaimed === 1 ? '' : 's'} nobody had claimed`);
  return parts.join(' and ');
}

/** Indices a dead worker claimed but never counted, and (static) what was left of its range. */
function unfinished(l: Launched, board: Board): number[] {
  const left = board.inflightOf(l.task.slot);
  const src = l.task.source;
  if (src.kind === 'range') {
    for (let i = src.start + board.position(l.task.slot); i < src.end; i += 1) left.push(i);
  }
  return left;
}
