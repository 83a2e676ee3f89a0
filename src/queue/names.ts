/**
 * The names flagfetch uses in Redis, and the timings of its queue, in one place. A test hook
 * (FLAGFETCH_QUEUE_LOCK_MS) shortens the lock so the stalled-shard test runs in seconds.
 */

/** The BullMQ queue every coordinator publishes to and every agent takes shards from. */
export const QUEUE_NAME = 'flagfetch-shards';

/** Version of the job and result payloads; an agent refuses any other. */
export const PROTOCOL = 2;

/** Key of an agent's announcement (a TTL key the agent keeps refreshing). */
export function agentKey(name: string): string {
  return `flagfetch:agent:${name}`;
}

/** Pattern matching every agent announcement. */
export const AGENT_KEY_PATTERN = 'flagfetch:agent:*';

/** Key marking a run the coordinator gave up on (agents skip its shards). */
export function cancelKey(runId: string): string {
  return `flagfetch:cancelled:${runId}`;
}

/** BullMQ job id of one shard: run id and shard index, so a retried shard keeps its id. */
export function shardJobId(runId: string, shard: number): string {
  return `${runId}-${shard}`;
}

/**
 * How long a shard's lock lasts without renewal, in ms (BullMQ's lockDuration and
 * stalledInterval; its default is 30 s). An agent killed mid-shard loses its lock after
 * this long, and the next stalled check of any other agent hands the shard on: a short
 * value suits a benchmark tool, where a shard takes seconds.
 */
export const LOCK_MS = testLockMs() ?? 5000;

/** How often an agent refreshes its announcement, in ms; it expires after three misses. */
export const ANNOUNCE_MS = 1000;

/** How long finished jobs may linger if a coordinator never removed them, in seconds. */
export const LEFTOVER_TTL_S = 3600;

/** A stalled shard is handed on at most this many times, then it fails. */
export const MAX_STALLS = 3;

function testLockMs(): number | undefined {
  const v = Number(process.env['FLAGFETCH_QUEUE_LOCK_MS']);
  return Number.isSafeInteger(v) && v >= 500 ? v : undefined;
}
