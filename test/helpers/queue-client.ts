/**
 * A test playing a hostile coordinator: it publishes jobs of its own straight to the queue
 * (BullMQ, as flagfetch's coordinator does) and waits for each to end, with no checks of ours.
 */
import type { Redis } from 'ioredis';

/** How a job ended: its return value, or the reason it failed. */
export type JobEnd = { readonly value: unknown } | { readonly failed: string };

/** A direct client of the flagfetch queue. */
export interface QueueClient {
  /** A plain connection to the same Redis. */
  readonly redis: Redis;
  /** Publish `data` as job `jobId` (after `delayMs`, when given); resolves once the job has ended. */
  run(jobId: string, data: unknown, delayMs?: number): Promise<JobEnd>;
  /** Publish as run() does; resolves once published, with how the job will end. */
  publish(jobId: string, data: unknown, delayMs?: number): Promise<{ ended: Promise<JobEnd> }>;
  /** Redis key of a job's hash (where BullMQ keeps its data). */
  jobKey(jobId: string): string;
  close(): Promise<void>;
}

/** Open a QueueClient on the queue at `url`. */
export async function openQueue(url: string): Promise<QueueClient> {
  const { Queue, QueueEvents } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue('flagfetch-shards', { connection: redis });
  const blocking = redis.duplicate();
  const events = new QueueEvents('flagfetch-shards', { connection: blocking, lastEventId: '$' });
  await events.waitUntilReady();
  const ends = new Map<string, (end: JobEnd) => void>();
  events.on('completed', ({ jobId, returnvalue }) => ends.get(jobId)?.({ value: returnvalue }));
  events.on('failed', ({ jobId, failedReason }) => ends.get(jobId)?.({ failed: failedReason }));
  const publish: QueueClient['publish'] = async (jobId, data, delayMs) => {
    const ended = new Promise<JobEnd>((resolve) => ends.set(jobId, resolve)).then(async (end) => {
      ends.delete(jobId);
      await queue.remove(jobId);
      return end;
    });
    await queue.add('shard', data, { jobId, ...(delayMs === undefined ? {} : { delay: delayMs }) });
    return { ended };
  };
  return {
    redis,
    publish,
    run: async (jobId, data, delayMs) => (await publish(jobId, data, delayMs)).ended,
    jobKey: (jobId) => queue.toKey(jobId),
    close: async () => {
      await events.close();
      await queue.close();
      redis.disconnect();
      blocking.disconnect();
    },
  };
}
