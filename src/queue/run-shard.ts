/**
 * An agent running one shard: the job becomes a RunPlan for the local workers model (the
 * agent's threads, its connections, its --dest), and the model's result becomes a
 * ShardResult (counters, encoded histograms, per-thread rows).
 */
import { performance } from 'node:perf_hooks';
import { runWorkers } from '../models/workers.js';
import type { PoolSource } from '../models/pool.js';
import type { RunPlan, RunResult } from '../models/types.js';
import { combineEncoded } from '../stats/latency.js';
import { PROTOCOL } from './names.js';
import type { AllowList } from './allow.js';
import type { ShardJob, ShardResult } from './protocol.js';

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

/** The plan an agent runs for `job`: the shard's codes, one pass, the agent's bounds. */
export function shardPlan(job: ShardJob, agent: AgentSettings): RunPlan {
  const codes: string[] = [];
  for (let i = job.start; i < job.end; i += 1) codes.push(job.codes[i % job.codes.length] ?? '');
  const ceiling = agent.maxReq === null ? job.maxReq : Math.min(job.maxReq, agent.maxReq);
  return {
    model: 'workers',
    codes,
    repeat: 1,
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
  const result = await runWorkers(shardPlan(job, agent), { signal }, pools);
  return toShardResult(job, agent.name, attempt, result, { startedAt, elapsedMs: performance.now() - t0 });
}

/** A model's result as the shard result sent back (pure). */
export function toShardResult(
  job: ShardJob,
  agent: string,
  attempt: number,
  result: RunResult,
  time: { startedAt: number; elapsedMs: number },
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
  };
}
