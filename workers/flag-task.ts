/**
 * Piscina task file of the threads model: one task per flag, each thread doing one
 * download at a time with its own one-connection client (the classic thread-per-request
 * pool). The settings and the abort channel's name come in workerData.
 */
import { threadId } from 'node:worker_threads';
import { createFlagClient } from '../src/download/client.js';
import { arriveAndWait } from './warm-up.js';
import { hardStopSignal, isWarmUp, poolData, type FlagTaskResult, type WarmUpTask } from './protocol.js';

const data = poolData();
const client = createFlagClient(data.settings, 1);
const hardStop = hardStopSignal(data.abortChannel);

/** Download one flag (or take part in the start-up barrier). */
export default async function flagTask(task: string | WarmUpTask): Promise<FlagTaskResult | null> {
  if (isWarmUp(task)) {
    await client.connect(task.connect);
    arriveAndWait(task);
    return null;
  }
  return { outcome: await client.fetchFlag(task, hardStop), thread: threadId };
}
