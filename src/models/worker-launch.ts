/**
 * One worker of the workers model: its fetch-loop task launched on the pool, the messages
 * it sends while it runs (verbose outcomes, error reasons), and its row in the report —
 * its own summary, or what the shared board saw of it if it died.
 */
import { MessageChannel } from 'node:worker_threads';
import type { ClaimSource, LoopMessage, LoopTask, LoopTaskResult } from '../../workers/protocol.js';
import type { Board } from '../../workers/shared-memory.js';
import type { Counters } from '../stats/counters.js';
import { mergeEncoded } from '../stats/latency.js';
import type { ReadyPool } from './pool.js';
import type { RunHooks, RunPlan, WorkerReport } from './types.js';

/** One worker's task as launched, and what became of it. */
export interface Launched {
  readonly task: Omit<LoopTask, 'port'>;
  reasons: Record<string, number>;
  result?: LoopTaskResult;
  death?: string;
}

/** What one worker is given: its id and board slot, where its codes come from, its lanes and connections. */
export interface LaunchSpec {
  readonly id: number;
  readonly slot: number;
  readonly source: ClaimSource;
  readonly lanes: number;
  readonly connections?: number | undefined;
  readonly plan: RunPlan;
  readonly board: Board;
  readonly total: number;
  /** --rate: the schedule's start on the shared clock, the same for every worker of the run. */
  readonly t0SharedMs?: number | undefined;
}

/** Start one worker's task and wait for it; a death is recorded, not thrown. */
export async function launch(ready: ReadyPool, launched: Launched[], hooks: RunHooks, spec: LaunchSpec): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  const task: Omit<LoopTask, 'port'> = {
    id: spec.id,
    slot: spec.slot,
    codes: spec.plan.codes,
    total: spec.total,
    source: spec.source,
    lanes: spec.lanes,
    connections: spec.connections,
    board: spec.board.buffers,
    verbose: hooks.onOutcome !== undefined,
    rate: spec.plan.rate === undefined ? undefined : { schedule: spec.plan.rate, t0SharedMs: spec.t0SharedMs ?? 0 },
  };
  const entry: Launched = { task, reasons: {} };
  launched.push(entry);
  // The worker's last message says nothing follows; a dead worker's port closes instead.
  const drained = new Promise<void>((resolve) => {
    port1.on('message', (m: LoopMessage) => {
      if (m.reasons !== undefined) entry.reasons = m.reasons;
      for (const o of m.outcomes ?? []) hooks.onOutcome?.(o);
      if (m.last === true) resolve();
    });
    port1.once('close', () => resolve());
  });
  try {
    entry.result = (await ready.pool.run({ ...task, port: port2 }, { transferList: [port2] })) as LoopTaskResult;
    await drained;
  } catch (err) {
    entry.death = err instanceof Error ? err.message : String(err);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    port1.close();
  }
}

/** A launched worker as a report row: its own summary, or what the board saw of a dead one. */
export function workerReport(l: Launched, board: Board): WorkerReport {
  if (l.result !== undefined) {
    return {
      id: l.result.id,
      counters: l.result.counters,
      latency: mergeEncoded([l.result.latency]),
      latencyEncoded: l.result.latency,
      elapsedMs: l.result.elapsedMs,
      eventLoopUtilization: l.result.eventLoopUtilization,
      workMs: l.result.workMs,
    };
  }
  const counters: Counters = { ...board.counters(l.task.slot), errorsByReason: { ...l.reasons } };
  const known = Object.values(l.reasons).reduce((a, b) => a + b, 0);
  if (counters.errors > known) counters.errorsByReason['worker died'] = counters.errors - known;
  return { id: l.task.id, counters, latency: mergeEncoded([]), elapsedMs: 0, eventLoopUtilization: 0 };
}
