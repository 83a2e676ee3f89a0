/**
 * A coordinator's queue flags as commander hands them over, and the check that they come with
 * --queue: what a download checks before it knows whether it runs over a queue, so that a run
 * without one loads nothing else of the queue.
 */
import { UsageError } from '../errors.js';

/** What commander hands over for a coordinator's queue flags. */
export interface RawQueueFlags {
  queue?: string;
  queuePasswordFile?: string;
  shards?: string;
  agents?: string;
  agentWait?: string;
  workers?: string;
}

/** Throw when queue-only flags come without --queue. */
export function checkQueueFlagsNeedQueue(raw: RawQueueFlags): void {
  for (const [flag, value] of [
    ['--shards', raw.shards],
    ['--agents', raw.agents],
    ['--agent-wait', raw.agentWait],
    ['--queue-password-file', raw.queuePasswordFile],
  ] as const) {
    if (value !== undefined && raw.queue === undefined)
      throw new UsageError(`${flag} only applies to runs over a queue: add --queue redis://HOST:PORT or drop ${flag}`);
  }
}
