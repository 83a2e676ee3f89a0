/**
 * Gathering a run's shard results from BullMQ's event stream (QueueEvents): the first valid
 * result of each shard counts, anything later or for another run is ignored. BullMQ itself
 * refuses to complete a job whose lock an agent lost, so a stalled agent's late result never
 * arrives as a completion; the check here is the second lock on the door.
 */
import type { QueueEvents } from 'bullmq';
import { terminalSafe } from './untrusted-json.js';
import { readShardResult, type ShardJob, type ShardResult } from './protocol.js';

/** What became of one shard. */
export type ShardOutcome =
  { readonly kind: 'done'; readonly result: ShardResult } | { readonly kind: 'failed'; readonly reason: string };

/** Collects outcomes by shard index; `done` resolves when every shard has one. */
export class Gather {
  readonly outcomes = new Map<number, ShardOutcome>();
  /** Results that came too late or twice, ignored. */
  ignored = 0;
  readonly done: Promise<void>;
  private finish: () => void = () => undefined;
  private readonly byJobId: Map<string, ShardJob>;

  constructor(jobs: readonly ShardJob[], jobIdOf: (job: ShardJob) => string) {
    this.byJobId = new Map(jobs.map((j) => [jobIdOf(j), j]));
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
    if (jobs.length === 0) this.finish();
  }

  /** Listen to `events` (call before publishing, once the QueueEvents connection is ready). */
  listen(events: QueueEvents): void {
    events.on('completed', ({ jobId, returnvalue }) => this.completed(jobId, returnvalue));
    events.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason));
  }

  /** A completion event: keep the result if it is the first valid one for its shard. */
  completed(jobId: string, value: unknown): void {
    const job = this.byJobId.get(jobId);
    if (job === undefined) return;
    if (this.outcomes.has(job.shard)) {
      this.ignored += 1;
      return;
    }
    try {
      this.settle(job, { kind: 'done', result: readShardResult(value, job) });
    } catch (err) {
      this.settle(job, { kind: 'failed', reason: `malformed result (${terminalSafe((err as Error).message, 500)})` });
    }
  }

  /** A failure event (refused, or stalled too often): final, jobs are not retried. Its reason is escaped for a terminal. */
  failed(jobId: string, reason: string): void {
    const job = this.byJobId.get(jobId);
    if (job === undefined || this.outcomes.has(job.shard)) return;
    this.settle(job, { kind: 'failed', reason: terminalSafe(String(reason), 500) });
  }

  /** Shards without an outcome yet. */
  pending(): number {
    return this.byJobId.size - this.outcomes.size;
  }

  private settle(job: ShardJob, outcome: ShardOutcome): void {
    this.outcomes.set(job.shard, outcome);
    if (this.outcomes.size === this.byJobId.size) this.finish();
  }
}
