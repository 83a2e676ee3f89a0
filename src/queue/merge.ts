/**
 * One run's shard outcomes merged into the usual RunResult plus per-agent and per-shard rows
 * (pure). Counters add exactly: each shard is counted once, and a shard that never came back
 * counts as cancelled (interrupted) or as errors with its reason, so ok + not found + errors
 * + cancelled is still the codes asked for.
 */
import { countUnfinished, emptyCounters, mergeCounters, type Counters } from '../stats/counters.js';
import { combineEncoded, mergeEncoded } from '../stats/latency.js';
import { requestsPerSec, resultOf } from '../models/result.js';
import type { RunPlan, RunResult, WorkerReport } from '../models/types.js';
import type { ShardOutcome } from './gather.js';
import type { ShardJob, ShardResult, ThreadRow } from './protocol.js';
import { mergeShardRates } from './shard-rate.js';

/** One shard as the report shows it. */
export interface ShardRow {
  /** 1-based. */
  readonly shard: number;
  readonly codes: number;
  /** The agent whose result counted, or null when none did. */
  readonly agent: string | null;
  readonly attempts: number;
  readonly elapsedMs: number;
  readonly counters: Counters;
  readonly failure: string | null;
}

/** One agent's part of the run. */
export interface AgentRow {
  readonly name: string;
  readonly shards: number;
  readonly counters: Counters;
  /** From its first shard's start to its last shard's end, on its own clock. */
  readonly elapsedMs: number;
  readonly requestsPerSec: number;
  /** Its rows in perWorker (ids `first`…`last`). */
  readonly threads: readonly [number, number];
}

/** A run over the queue: the usual result, and the agents and shards behind it. */
export interface QueueRunResult extends RunResult {
  readonly queue: string;
  readonly agents: readonly AgentRow[];
  readonly shards: readonly ShardRow[];
}

/** What the coordinator measured around the shards. */
export interface QueueTiming {
  readonly queue: string;
  readonly elapsedMs: number;
  readonly startupMs: number;
  readonly interrupted: boolean;
  /** Why shards without an outcome are missing (a lost queue, agents gone); undefined: cancelled. */
  readonly lost?: string | undefined;
}

/** Merge the outcomes of `jobs` into one result. */
export function mergeShards(
  plan: RunPlan,
  jobs: readonly ShardJob[],
  outcomes: ReadonlyMap<number, ShardOutcome>,
  t: QueueTiming,
): QueueRunResult {
  const shards = jobs.map((job) => shardRow(job, outcomes.get(job.shard), t.lost));
  const done = jobs.flatMap((job) => {
    const o = outcomes.get(job.shard);
    return o?.kind === 'done' ? [o.result] : [];
  });
  const { agents, perWorker } = agentRows(done);
  const failures = shards.flatMap((s) => (s.failure === null ? [] : [`shard ${s.shard}: ${s.failure}`]));
  const latency = mergeEncoded(done.map((r) => r.latency));
  const tallies = done.flatMap((r) => (r.rate === null ? [] : [r.rate]));
  const base = resultOf(plan, {
    workers: perWorker.length,
    maxReq: plan.maxReq,
    counters: mergeCounters(shards.map((s) => s.counters)),
    latency,
    perWorker,
    elapsedMs: t.elapsedMs,
    startupMs: t.startupMs,
    connectMs: 0,
    connections: 0,
    interrupted: t.interrupted,
    failure: failures.length === 0 ? undefined : summarizeFailures(failures),
    rate: plan.rate === undefined ? undefined : mergeShardRates(plan.rate, tallies, latency),
  });
  return { ...base, queue: t.queue, agents, shards };
}

function shardRow(job: ShardJob, o: ShardOutcome | undefined, lost: string | undefined): ShardRow {
  const codes = job.end - job.start;
  if (o?.kind === 'done') {
    const r = o.result;
    return {
      shard: job.shard + 1,
      codes,
      agent: r.agent,
      attempts: r.attempt,
      elapsedMs: r.elapsedMs,
      counters: r.counters,
      failure: r.failure,
    };
  }
  const counters = emptyCounters();
  const reason = o?.kind === 'failed' ? o.reason : lost;
  countUnfinished(counters, codes, reason === undefined ? undefined : reasonOf(reason));
  return { shard: job.shard + 1, codes, agent: null, attempts: 0, elapsedMs: 0, counters, failure: reason ?? null };
}

/** The reason (download/reasons.ts) counted in errorsByReason for a shard that failed as a whole. */
function reasonOf(reason: string): string {
  return /refused/.test(reason) ? 'shard refused' : 'shard lost';
}

function summarizeFailures(failures: readonly string[]): string {
  const more = failures.length > 2 ? `; and ${failures.length - 2} more` : '';
  return `${failures.slice(0, 2).join('; ')}${more}`;
}

/** Per-agent rows and their threads, agents in name order, thread rows merged across shards. */
function agentRows(done: readonly ShardResult[]): { agents: AgentRow[]; perWorker: WorkerReport[] } {
  const names = [...new Set(done.map((r) => r.agent))].sort();
  const agents: AgentRow[] = [];
  const perWorker: WorkerReport[] = [];
  for (const name of names) {
    const mine = done.filter((r) => r.agent === name);
    const first = perWorker.length + 1;
    perWorker.push(
      ...threadRows(
        mine.flatMap((r) => r.threads),
        first,
      ),
    );
    const counters = mergeCounters(mine.map((r) => r.counters));
    const startMs = Math.min(...mine.map((r) => r.startedAt));
    const elapsedMs = Math.max(...mine.map((r) => r.startedAt + r.elapsedMs)) - startMs;
    agents.push({
      name,
      shards: mine.length,
      counters,
      elapsedMs,
      requestsPerSec: requestsPerSec(counters, elapsedMs),
      threads: [first, perWorker.length],
    });
  }
  return { agents, perWorker };
}

/** Thread rows of one agent merged by thread id, renumbered from `firstId`. */
function threadRows(rows: readonly ThreadRow[], firstId: number): WorkerReport[] {
  const ids = [...new Set(rows.map((t) => t.id))].sort((a, b) => a - b);
  return ids.map((id, i) => {
    const same = rows.filter((t) => t.id === id);
    const elapsedMs = same.reduce((sum, t) => sum + t.elapsedMs, 0);
    const busyMs = same.reduce((sum, t) => sum + t.elapsedMs * t.eventLoopUtilization, 0);
    const encoded = combineEncoded(same.map((t) => t.latency));
    return {
      id: firstId + i,
      counters: mergeCounters(same.map((t) => t.counters)),
      latency: mergeEncoded([encoded]),
      latencyEncoded: encoded,
      elapsedMs,
      eventLoopUtilization: elapsedMs > 0 ? busyMs / elapsedMs : 0,
    };
  });
}
