/**
 * An agent running one shard: the job becomes a RunPlan for the local workers model (the
 * agent's threads, its connections, its --dest), and the model's result becomes a
 * ShardResult (counters, encoded histograms, per-thread rows).
 */
import { performance } from 'node:perf_hooks';
import { runWorkersTallied } from '../models/workers.js';
import type { PoolSource } from '../models/pool.js';
import type { RunPlan, RunResult } from '../models/types.js';
import { combineEncoded } from '../stats/latency.js';
import { combineTallies, type RateTally } from '../stats/rate.js';
import { PROTOCOL } from './names.js';
import type { AllowList } from './allowed-origins.js';
import { MAX_SHARD_REQUESTS, type ShardJob, type ShardResult } from './protocol.js';

/** An agent's own settings, from its command line. */
export interface AgentSettings {
  readonly name: string;
  /** Shards run at once. */
  readonly concurrency: number;
  /** Its -w: worker threads per shard when the coordinator gives none. */
  readonly workers: number;
  /** Its -m: a ceiling on requests in flight on this agent (all its shards at once); null: none. */
  readonly maxReq: number | null;
  readonly allow: AllowList;
  /** Its own --dest, or null for --no-save: a job never chooses where files go. */
  readonly dest: string | null;
}

/** Undefined when this agent can run `job`, else the reason it cannot. */
export function sizeRefusal(job: ShardJob): string | undefined {
  const n = job.end - job.start;
  if (n <= MAX_SHARD_REQUESTS) return undefined;
  return `a shard of ${n} requests is more than an agent runs at once (${MAX_SHARD_REQUESTS}): publish more shards (--shards)`;
}

/**
 * The plan an agent runs for `job`: the shard's range of codes × repeat, never written out
 * (the codes turned to start where the range does, as many passes as it spans, cut at its
 * length), within the agent's bounds.
 */
export function shardPlan(job: ShardJob, agent: AgentSettings): RunPlan {
  const n = job.codes.length;
  const from = job.start % n;
  const codes = [...job.codes.slice(from), ...job.codes.slice(0, from)];
  const requests = job.end - job.start;
  const ceiling = agent.maxReq === null ? job.maxReq : Math.min(job.maxReq, agent.maxReq);
  return {
    model: 'workers',
    codes,
    repeat: Math.ceil(requests / n),
    requests,
    maxReq: Math.max(1, Math.floor(ceiling / agent.concurrency)),
    workers: job.workers ?? agent.workers,
    split: job.split,
    fetch: {
      baseUrl: job.fetch.baseUrl,
      timeoutMs: job.fetch.timeoutMs,
      retries: job.fetch.retries,
      maxBytes: job.fetch.maxBytes,
      followRedirects: 'same-origin',
      dest: job.fetch.save ? agent.dest : null,
      names: job.fetch.names,
    },
    ...(job.rate === null ? {} : { rate: job.rate }),
  };
}

/** Run `job` on this agent (attempt = BullMQ's attemptsStarted) on its warm pools, and summarise it. */
export async function runShard(
  job: ShardJob,
  agent: AgentSettings,
  attempt: number,
  pools: PoolSource,
  signal?: AbortSignal,
): Promise<ShardResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const { result, rateTallies } = await runWorkersTallied(shardPlan(job, agent), { signal }, pools);
  const time = { startedAt, elapsedMs: performance.now() - t0 };
  return toShardResult(job, agent.name, attempt, result, time, job.rate === null ? [] : rateTallies);
}

/** A model's result as the shard result sent back (pure). */
export function toShardResult(
  job: ShardJob,
  agent: string,
  attempt: number,
  result: RunResult,
  time: { startedAt: number; elapsedMs: number },
  rateTallies: readonly RateTally[] = [],
): ShardResult {
  const threads = result.perWorker.map((w) => ({
    id: w.id,
    counters: w.counters,
    latency: w.latencyEncoded ?? '[]',
    elapsedMs: w.elapsedMs,
    eventLoopUtilization: w.eventLoopUtilization,
  }));
  return {
    protocol: PROTOCOL,
    runId: job.runId,
    shard: job.shard,
    agent,
    attempt,
    counters: result.counters,
    latency: combineEncoded(threads.map((t) => t.latency)),
    threads,
    startedAt: time.startedAt,
    elapsedMs: time.elapsedMs,
    failure: result.failure ?? (result.interrupted ? 'the agent was interrupted' : null),
    rate: job.rate === null ? null : combineTallies(rateTallies),
  };
}
