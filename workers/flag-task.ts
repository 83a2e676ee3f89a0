/**
 * Piscina task file of the threads model: one task per flag, each thread doing one
 * download at a time with its own one-connection client (the classic thread-per-request
 * pool). The settings and the abort channel's name come in workerData.
 */
import { threadId } from 'node:worker_threads';
import { createFlagClient } from '../src/download/client.js';
import { createWorkStep } from '../src/download/work.js';
import { arriveAndWait } from './warm-up.js';
import {
  hardStopSignal,
  isWarmUp,
  poolData,
  type FlagTaskResult,
  type WarmUpResult,
  type WarmUpTask,
} from './protocol.js';

const data = poolData();
// The --work step, loaded in this thread as the pool starts (decode loads its decoder here),
// then the client. A promise, not a top-level await: the pool loads this file bundled as
// CommonJS (scripts/bundle.ts). A failure rejects the first task (the start-up barrier).
const ready = createWorkStep(data.settings).then((step) => ({
  step,
  client: createFlagClient(data.settings, 1, step),
  /** The step's findings go back with each task only when they will be saved. */
  returnsRecords: step !== undefined && data.settings.dest !== null,
}));
ready.catch(() => undefined);
const hardStop = hardStopSignal(data.abortChannel);

/** Download one flag (or take part in the start-up barrier). */
export default async function flagTask(task: string | WarmUpTask): Promise<FlagTaskResult | WarmUpResult> {
  const { step, client, returnsRecords } = await ready;
  if (isWarmUp(task)) {
    const connections = await client.connect(task.connect);
    arriveAndWait(task);
    return connections;
  }
  const outcome = await client.fetchFlag(task, hardStop);
  return returnsRecords ? { outcome, thread: threadId, work: step?.drain() } : { outcome, thread: threadId };
}
