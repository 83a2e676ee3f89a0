/**
 * Piscina task file of the workers model: each task is one worker's whole share of the run,
 * a bounded async fetch loop with its own undici client. It claims codes (shared cursor,
 * its own range, or a list), publishes live counters on the shared board, posts error
 * reasons and (when verbose) outcomes over its MessagePort, and returns its summary.
 */
import { createFlagClient, type FlagClient } from '../src/download/client.js';
import { createWorkStep, type WorkStep } from '../src/cpu-work/step.js';
import { runBounded } from '../src/download/run-bounded.js';
import type { Outcome } from '../src/download/outcome.js';
import { Tally } from '../src/download/tally.js';
import { Pacer, notSent } from '../src/download/pacer.js';
import { Board } from './shared-memory.js';
import { arriveAndWait } from './warm-up.js';
import { crashPoint } from './crash-hook.js';
import {
  stopSignals,
  isWarmUp,
  poolData,
  type LoopMessage,
  type LoopTask,
  type LoopTaskResult,
  type WarmUpResult,
  type WarmUpTask,
} from './protocol.js';

const data = poolData();
const hardStop = stopSignals(data.abortChannel).hard;
const crashAfter = crashPoint();
// The --work step, loaded in this thread as the pool starts (decode loads its decoder here).
// A promise, not a top-level await: a failure then rejects the first task (the start-up
// barrier), where the pool reports it, instead of failing the thread's load.
const stepLoading = createWorkStep(data.settings);
stepLoading.catch(() => undefined);
/** This thread's client, with its connections opened during the start-up barrier. */
let opened: FlagClient | undefined;

/** Run one worker's share (or take part in the start-up barrier). */
export default async function fetchLoop(task: LoopTask | WarmUpTask): Promise<LoopTaskResult | WarmUpResult> {
  const step = await stepLoading;
  if (isWarmUp(task)) return warmUp(task, step);
  const board = new Board(task.board);
  const pending: Outcome[] = [];
  const tally = new Tally(task.verbose ? (o) => pending.push(o) : undefined);
  const client = opened ?? createFlagClient(data.settings, task.lanes, step, task.connections);
  opened = undefined;
  const lanes = laneClaimer(board, task);
  const pacer = task.rate === undefined ? undefined : new Pacer(task.rate.schedule, task.rate.t0SharedMs);
  const reporter = startReporter(task, tally, pending, () => (board.stopped() ? pacer?.stop() : undefined));
  tally.start();
  try {
    await runBounded(task.lanes, lanes.claim, async ({ i, lane }) => {
      const cc = task.codes[i % task.codes.length] ?? '';
      const slot = pacer === undefined ? undefined : await pacer.start(i);
      const o =
        pacer !== undefined && slot === undefined
          ? notSent(cc)
          : await client.fetchFlag(cc, hardStop, () => board.stopped());
      tally.add(o);
      if (slot !== undefined) pacer?.answered(slot, o);
      board.publish(task.slot, tally.counters);
      lanes.release(lane);
      if (tally.counters.total === crashAfter.count && task.id === crashAfter.worker) process.exit(70);
    });
    tally.stop();
  } finally {
    reporter.stop();
    task.port.postMessage({ last: true } satisfies LoopMessage);
    task.port.close();
    // Closing hundreds of keep-alive connections takes a while (and waits for the server's
    // side): the result goes back first, so closing never counts in the coordinator's time.
    setImmediate(() => void client.close());
  }
  return {
    id: task.id,
    counters: tally.counters,
    latency: tally.latency.encode(),
    elapsedMs: tally.stop(),
    eventLoopUtilization: tally.utilization(),
    workMs: tally.workMs,
    work: step === undefined || data.settings.dest === null ? undefined : step.drain(),
    rate: pacer?.recorder.tally(),
  };
}

/** The start-up barrier: open this thread's connections (kept for its task), arrive, wait for the others. */
async function warmUp(task: WarmUpTask, step: WorkStep | undefined): Promise<WarmUpResult> {
  let connections = 0;
  if (task.connect > 0) {
    opened = createFlagClient(data.settings, task.lanes, step, task.connections);
    connections = await opened.connect(task.connect);
  }
  arriveAndWait(task);
  return { connections, protocol: opened?.protocol() };
}

/**
 * Hands out the task's next index with a free lane, and says on the board which index each
 * lane has in flight (a dead worker's unfinished codes are read from there).
 */
function laneClaimer(
  board: Board,
  task: LoopTask,
): { claim: () => { i: number; lane: number } | undefined; release: (lane: number) => void } {
  const freeLanes = Array.from({ length: task.lanes }, (_, lane) => task.lanes - 1 - lane);
  return {
    claim: () => {
      if (board.stopped()) return undefined;
      const i = nextIndex(board, task);
      const lane = freeLanes.pop();
      if (i < 0 || lane === undefined) return undefined;
      board.setInflight(task.slot, lane, i);
      return { i, lane };
    },
    release: (lane) => {
      board.setInflight(task.slot, lane, -1);
      freeLanes.push(lane);
    },
  };
}

/**
 * Every 100 ms, post what the coordinator has not heard yet: the error reasons when they
 * changed, and (verbose) the outcomes in `pending`; and call `poll` (the pacer's lanes learn
 * of a stop there). stop() posts the last of them.
 */
function startReporter(task: LoopTask, tally: Tally, pending: Outcome[], poll: () => void): { stop(): void } {
  let reasonsSent = 0;
  const flush = (): void => {
    poll();
    const message: { reasons?: Record<string, number>; outcomes?: Outcome[] } = {};
    if (tally.counters.errors !== reasonsSent) {
      message.reasons = { ...tally.counters.errorsByReason };
      reasonsSent = tally.counters.errors;
    }
    if (pending.length > 0) message.outcomes = pending.splice(0);
    if (message.reasons !== undefined || message.outcomes !== undefined) task.port.postMessage(message);
  };
  const flusher = setInterval(flush, 100);
  return {
    stop: () => {
      clearInterval(flusher);
      flush();
    },
  };
}

/** The next index of the task's source: the shared cursor, its own range, or its list (then, maybe, the cursor); -1 when none is left. */
function nextIndex(board: Board, task: LoopTask): number {
  const src = task.source;
  if (src.kind === 'dynamic') return board.claimShared(task.total);
  const pos = board.position(task.slot);
  if (src.kind === 'range') {
    if (src.start + pos >= src.end) return -1;
    return src.start + board.advance(task.slot);
  }
  if (pos >= src.indices.length) return src.thenShared === true ? board.claimShared(task.total) : -1;
  return src.indices[board.advance(task.slot)] ?? -1;
}
