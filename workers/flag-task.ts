/**
 * Piscina task file of the threads model: one task per flag, each thread doing one
 * download at a time with its own one-connection client (the classic thread-per-request
 * pool). The settings and the abort channel's name come in workerData.
 */
import { BroadcastChannel, threadId, workerData } from 'node:worker_threads';
import { createFlagClient } from '../src/download/client.js';
import type { Outcome } from '../src/download/outcome.js';
import type { FetchSettings } from '../src/models/types.js';
import { arriveAndWait, isWarmUp, type WarmUpTask } from '../src/models/warm-up.js';

/** What the threads model passes as workerData. */
export interface FlagTaskData {
  readonly settings: FetchSettings;
  /** BroadcastChannel name on which the coordinator announces the hard stop. */
  readonly abortChannel: string;
}

/** A task's answer: the outcome and which thread produced it. */
export interface FlagTaskResult {
  readonly outcome: Outcome;
  readonly thread: number;
}

const data = workerData as FlagTaskData;
const client = createFlagClient(data.settings, 1);
const hardStop = new AbortController();
const channel = new BroadcastChannel(data.abortChannel);
channel.onmessage = () => hardStop.abort();
channel.unref();

/** Download one flag (or take part in the start-up barrier). */
export default async function flagTask(task: string | WarmUpTask): Promise<FlagTaskResult | null> {
  if (isWarmUp(task)) {
    await client.connect(task.connect);
    arriveAndWait(task);
    return null;
  }
  return { outcome: await client.fetchFlag(task, hardStop.signal), thread: threadId };
}
