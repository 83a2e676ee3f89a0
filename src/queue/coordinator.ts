/**
 * The coordinator of a run over the queue: the workers model's coordinator carried across
 * machines. It waits for enough agents, publishes the run as shard jobs (job id = run id +
 * shard index), gathers one result per shard, merges them with the same pure merges as the
 * local model, and removes the run's jobs from Redis. It never hangs: a lost Redis, or no
 * agent left for --agent-wait, ends the run with a one-line reason.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { RunFailure, UsageError } from '../errors.js';
import { shareRanges } from '../models/shares.js';
import { requestsOf } from '../models/concurrency.js';
import { GRACE_MS } from '../download/stop.js';
import type { RunPlan } from '../models/types.js';
import { Gather } from './gather.js';
import { RedisLink, loadQueueLib } from './redis.js';
import { mergeShards, type QueueRunResult } from './merge.js';
import { LEFTOVER_TTL_S, PROTOCOL, QUEUE_NAME, cancelKey, shardJobId } from './names.js';
import type { AgentInfo } from './presence.js';
import { MAX_SHARD_REQUESTS, MAX_SHARDS, type ShardJob } from './protocol.js';
import type { QueueTarget } from './target.js';
import { shardSchedule } from './shard-rate.js';
import { watchAgents, waitForAgents } from './wait-agents.js';

/** How a run uses the queue. */
export interface QueueRunOptions {
  readonly target: QueueTarget;
  /** Shard jobs to publish; null: from the agents connected (see shardCount). */
  readonly shards: number | null;
  /** Agents to wait for before publishing. */
  readonly agents: number;
  /** How long to wait for them (and how long a run may go on with none left), in ms. */
  readonly agentWaitMs: number;
  /** Worker threads per agent; null: each agent's own -w. */
  readonly workers: number | null;
}

/** Callbacks of a run over the queue. */
export interface QueueRunHooks {
  readonly signal?: AbortSignal | undefined;
  /** A note for stderr (waiting for agents). */
  readonly note?: ((line: string) => void) | undefined;
  /** Called once the agents are there and the shards are decided, before publishing. */
  readonly onReady?: ((agents: readonly AgentInfo[], shards: number) => void) | undefined;
}

/**
 * Shards when --shards is not given: one per agent slot (static, and --rate: every shard of a
 * rate run runs at once, or the shards would not offer R together), or four (dynamic: small
 * shards, no stragglers); never more than the requests or MAX_SHARDS, never so few that a
 * shard holds more than an agent runs. Under --rate, more shards than slots is a UsageError.
 */
export function shardCount(plan: RunPlan, agents: readonly AgentInfo[], given: number | null): number {
  const total = requestsOf(plan);
  const slots = agents.reduce((n, a) => n + Math.max(1, a.concurrency), 0);
  if (plan.rate !== undefined && given !== null && given > slots)
    throw new UsageError(
      `--shards ${given} with --rate: the agents run ${slots} shards at once, and under --rate every shard runs at once: lower --shards or add agents`,
    );
  const wanted = given ?? (plan.split === 'static' || plan.rate !== undefined ? slots : slots * 4);
  return Math.max(1, Math.ceil(total / MAX_SHARD_REQUESTS), Math.min(total, MAX_SHARDS, wanted));
}

/** Run `plan` on the agents of the queue and merge what they return. */
export async function runOverQueue(
  plan: RunPlan,
  q: QueueRunOptions,
  hooks: QueueRunHooks = {},
): Promise<QueueRunResult> {
  const t0 = performance.now();
  const lib = await loadQueueLib();
  const link = new RedisLink(lib, q.target);
  const main = link.client(false, 'flagfetch-coordinator');
  const queue = new lib.bullmq.Queue(QUEUE_NAME, { connection: main });
  queue.on('error', () => undefined); // reported once, through link.lost
  let events: QueueEvents | undefined;
  try {
    await link.ready(main, '--queue');
    const agents = await failOnLoss(link, waitForAgents(main, q, hooks.signal, hooks.note));
    const jobs = shardJobs(plan, q, shardCount(plan, agents, q.shards));
    const timing = { queue: q.target.shown, elapsedMs: 0, startupMs: performance.now() - t0, interrupted: true };
    if (hooks.signal?.aborted === true) return mergeShards(plan, jobs, new Map(), timing); // nothing published
    hooks.onReady?.(agents, jobs.length);
    const gather = new Gather(jobs, (j) => shardJobId(j.runId, j.shard));
    // Read events from the stream's current end, not from whenever the blocking read starts ('$'):
    // a shard finishing before that read would otherwise be missed and the run wait forever.
    const [last] = await failOnLoss(link, main.xrevrange(queue.keys['events'] ?? '', '+', '-', 'COUNT', 1));
    events = new lib.bullmq.QueueEvents(QUEUE_NAME, { connection: link.client(true), lastEventId: last?.[0] ?? '0-0' });
    events.on('error', () => undefined);
    gather.listen(events);
    await failOnLoss(link, events.waitUntilReady());
    const t1 = performance.now();
    await failOnLoss(link, publish(queue, jobs));
    const ending = await waitForEnd(link, main, gather, q, hooks.signal);
    const elapsedMs = performance.now() - t1;
    await failOnLoss(link, cleanUp(queue, main, jobs, gather));
    return mergeShards(plan, jobs, gather.outcomes, { ...timing, elapsedMs, startupMs: t1 - t0, ...ending });
  } finally {
    await link.close([events, queue]);
  }
}

/** The run as shard jobs: contiguous ranges of its requests that add back up to it, each with its share of --rate. */
function shardJobs(plan: RunPlan, q: QueueRunOptions, shards: number): ShardJob[] {
  const runId = `${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
  const total = requestsOf(plan);
  return shareRanges(total, shards).map(([start, end], shard) => ({
    protocol: PROTOCOL,
    runId,
    shard,
    shards,
    codes: plan.codes,
    start,
    end,
    maxReq: plan.maxReq,
    workers: q.workers,
    split: plan.split,
    fetch: {
      baseUrl: plan.fetch.baseUrl,
      timeoutMs: plan.fetch.timeoutMs,
      retries: plan.fetch.retries,
      maxBytes: plan.fetch.maxBytes,
      names: plan.fetch.names,
      save: plan.fetch.dest !== null,
    },
    rate: plan.rate === undefined ? null : shardSchedule(plan.rate, end - start, total, shard),
  }));
}

async function publish(queue: Queue, jobs: readonly ShardJob[]): Promise<void> {
  const keep = { age: LEFTOVER_TTL_S };
  await queue.addBulk(
    jobs.map((data) => ({
      name: 'shard',
      data,
      opts: { jobId: shardJobId(data.runId, data.shard), attempts: 1, removeOnComplete: keep, removeOnFail: keep },
    })),
  );
}

/**
 * Wait for every shard, no agent left (`lost` says so), or an interrupt (then a grace period
 * for the shards in hand). A lost queue rejects with RunFailure.
 */
async function waitForEnd(
  link: RedisLink,
  main: Redis,
  gather: Gather,
  q: QueueRunOptions,
  signal: AbortSignal | undefined,
): Promise<{ interrupted: boolean; lost?: string }> {
  const watch = watchAgents(main, q.agentWaitMs, () => gather.pending());
  try {
    const first = await failOnLoss(
      link,
      Promise.race([gather.done.then(() => 'done' as const), watch.gone, interrupted(signal)]),
    );
    if (first === 'done') return { interrupted: false };
    if (first !== 'interrupt') return { interrupted: false, lost: first };
    await failOnLoss(link, Promise.race([gather.done, new Promise((resolve) => setTimeout(resolve, GRACE_MS))]));
    return { interrupted: true };
  } finally {
    watch.stop();
  }
}

/** Remove the run's jobs (finished ones; others are cancelled for agents and expire). */
async function cleanUp(queue: Queue, main: Redis, jobs: readonly ShardJob[], gather: Gather): Promise<void> {
  const first = jobs[0];
  if (first === undefined) return;
  if (gather.pending() > 0) await main.set(cancelKey(first.runId), '1', 'EX', LEFTOVER_TTL_S);
  await Promise.all(jobs.map((j) => queue.remove(shardJobId(j.runId, j.shard)).catch(() => 0)));
}

/** Rejects with the lost-queue message if the connection is lost before `p` settles. */
async function failOnLoss<T>(link: RedisLink, p: Promise<T>): Promise<T> {
  const lost = link.lost.then((why) => Promise.reject(new RunFailure(link.lostMessage(why))));
  return Promise.race([p, lost]);
}

function interrupted(signal: AbortSignal | undefined): Promise<'interrupt'> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) resolve('interrupt');
    else signal?.addEventListener('abort', () => resolve('interrupt'), { once: true });
  });
}
