/**
 * Piscina task file of the threads model: one task per flag. Each thread runs up to its lane
 * of tasks at once (the pool's tasks per thread) on its own client with as many requests in
 * flight; the main thread hands out the flags. The settings, the client's shape and the
 * abort channel's name come in workerData.
 */
import { threadId } from 'node:worker_threads';
import { createFlagClient } from '../src/download/client.js';
import { createWorkStep } from '../src/cpu-work/step.js';
import { arriveAndWait } from './warm-up.js';
import { crashPoint } from './crash-hook.js';
import {
  stopSignals,
  isWarmUp,
  poolData,
  type FlagTaskResult,
  type WarmUpResult,
  type WarmUpTask,
} from './protocol.js';

const data = poolData();
const shape = data.client ?? { lanes: 1 };
// The --work step, loaded in this thread as the pool starts (decode loads its decoder here),
// then the client. A promise, not a top-level await: a failure then rejects the first task
// (the start-up barrier), where the pool reports it, instead of failing the thread's load.
const ready = createWorkStep(data.settings).then((step) => ({
  step,
  client: createFlagClient(data.settings, shape.lanes, step, shape.connections),
  /** The step's findings go back with each task only when they will be saved. */
  returnsRecords: step !== undefined && data.settings.dest !== null,
}));
ready.catch(() => undefined);
const stops = stopSignals(data.abortChannel);
const crash = crashPoint();
/** This thread's place in the start-up barrier (1 = first to arrive), and the flags it finished. */
let arrival = 0;
let done = 0;

/** Download one flag (or take part in the start-up barrier). */
export default async function flagTask(task: string | WarmUpTask): Promise<FlagTaskResult | WarmUpResult> {
  const { step, client, returnsRecords } = await ready;
  if (isWarmUp(task)) {
    const connections = await client.connect(task.connect);
    arrival = arriveAndWait(task);
    return { connections, protocol: client.protocol() };
  }
  const outcome = await client.fetchFlag(task, stops.hard, stops.soft);
  done += 1;
  if (arrival === crash.worker && done === crash.count) process.exit(70);
  return returnsRecords ? { outcome, thread: threadId, work: step?.drain() } : { outcome, thread: threadId };
}
