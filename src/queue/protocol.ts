/**
 * The contract between a coordinator and its agents, carried as BullMQ job data and job
 * results: one shard job per slice of the run, one shard result per job. The queue is a
 * trust boundary both ways, so each side validates what it reads like command-line input
 * (pure): a bad payload is refused with a reason, never trusted.
 */
import type { Counters } from '../stats/counters.js';
import type { SplitMode } from '../models/types.js';
import type { RateSchedule } from '../download/schedule.js';
import type { RateTally } from '../stats/rate.js';
import { LIMITS } from '../options.js';
import { PROTOCOL } from './names.js';
import { checkCounters, checkShape, terminalSafe, wholeNumber, type Reader } from './untrusted-json.js';
import { AGENT_NAME } from './presence.js';
import { readRateTally, readShardRate } from './shard-rate.js';

/**
 * The most requests one shard may hold: the workers model's shared board keeps code indices
 * as 32-bit integers. An agent refuses a larger shard; a coordinator publishes more shards.
 */
export const MAX_SHARD_REQUESTS = 2 ** 31 - 1;

/** The most shards a run may have (--shards, or as many as the agents' slots ask). */
export const MAX_SHARDS = 100_000;

/** What an agent may be asked about one download, besides where it saves (its own --dest). */
export interface ShardFetch {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly maxBytes: number;
  readonly names: boolean;
  /** False for --no-save runs; an agent with --no-save never saves anyway. */
  readonly save: boolean;
}

/** One shard: indices [start, end) of codes × repeat, and how to fetch them. */
export interface ShardJob {
  readonly protocol: typeof PROTOCOL;
  readonly runId: string;
  /** 0-based index of this shard, and how many the run has. */
  readonly shard: number;
  readonly shards: number;
  /** The codes of one pass, upper case. */
  readonly codes: readonly string[];
  readonly start: number;
  readonly end: number;
  /** Requests in flight on the agent. */
  readonly maxReq: number;
  /** Worker threads on the agent; null: the agent's own -w. */
  readonly workers: number | null;
  readonly split: SplitMode;
  readonly fetch: ShardFetch;
  /** --rate: this shard's schedule (its share of R, its own seed); null: a closed-model run. */
  readonly rate: RateSchedule | null;
}

/** One worker thread of a shard as its agent ran it; latency is an encoded histogram. */
export interface ThreadRow {
  readonly id: number;
  readonly counters: Counters;
  readonly latency: string;
  readonly elapsedMs: number;
  readonly eventLoopUtilization: number;
}

/** What an agent returns for a shard. */
export interface ShardResult {
  readonly protocol: typeof PROTOCOL;
  readonly runId: string;
  readonly shard: number;
  /** The agent's --name. */
  readonly agent: string;
  /** Which attempt at this shard this was (1 the first; more after a stalled agent). */
  readonly attempt: number;
  readonly counters: Counters;
  /** Encoded latency histogram of the whole shard (stats/latency encode()). */
  readonly latency: string;
  readonly threads: readonly ThreadRow[];
  /** When the agent took the shard, in ms since the epoch on the agent's clock. */
  readonly startedAt: number;
  /** Wall time on the agent, from taking the shard to its result (start-up included). */
  readonly elapsedMs: number;
  /** Set when the agent's run failed (a worker thread died): the codes are still counted. */
  readonly failure: string | null;
  /** --rate: the shard's threads' tallies combined (histograms encoded); null for a closed-model shard. */
  readonly rate: RateTally | null;
}

/** Validate job data read from the queue; throws an Error whose message is the reason. */
export function readShardJob(data: unknown): ShardJob {
  const r = checkShape(data, 'job');
  if (r.value('protocol') !== PROTOCOL)
    throw new Error(
      `job protocol ${String(r.value('protocol'))} is not ${PROTOCOL}: upgrade flagfetch on the coordinator or the agent`,
    );
  const codes = r.array(
    'codes',
    (v) => typeof v === 'string' && /^[A-Z]{2}$/.test(v),
    'two-letter upper-case codes',
    676,
  ) as string[];
  const shards = wholeNumber(r, 'shards', 1, 1_000_000);
  const total = codes.length * LIMITS.repeat;
  const start = wholeNumber(r, 'start', 0, total - 1);
  return {
    protocol: PROTOCOL,
    runId: r.string('runId', /^[a-z0-9]{8,40}$/),
    shard: wholeNumber(r, 'shard', 0, shards - 1),
    shards,
    codes,
    start,
    end: wholeNumber(r, 'end', start + 1, total),
    maxReq: wholeNumber(r, 'maxReq', 1, LIMITS.maxReq),
    workers: r.value('workers') === null ? null : wholeNumber(r, 'workers', 1, LIMITS.workers),
    split: r.choice('split', ['static', 'dynamic'] as const),
    fetch: readFetch(checkShape(r.value('fetch'), 'job.fetch')),
    rate: readShardRate(r.value('rate') ?? null),
  };
}

function readFetch(r: Reader): ShardFetch {
  return {
    baseUrl: r.string('baseUrl', /^https?:\/\/[^\s]{1,2000}$/),
    timeoutMs: wholeNumber(r, 'timeoutMs', 1, LIMITS.timeoutMs),
    retries: wholeNumber(r, 'retries', 0, LIMITS.retries),
    maxBytes: wholeNumber(r, 'maxBytes', 1, Number.MAX_SAFE_INTEGER),
    names: r.boolean('names'),
    save: r.boolean('save'),
  };
}

/** Validate a shard result against the job it answers; throws with the reason. */
export function readShardResult(value: unknown, job: ShardJob): ShardResult {
  const r = checkShape(value, 'result');
  if (r.value('protocol') !== PROTOCOL || r.value('runId') !== job.runId || r.value('shard') !== job.shard) {
    throw new Error('result does not answer this shard');
  }
  const counters = checkCounters(r.value('counters'), 'result.counters');
  if (counters.total !== job.end - job.start)
    throw new Error(`result counts ${counters.total} codes, the shard has ${job.end - job.start}`);
  const threads = r
    .array('threads', (t) => typeof t === 'object' && t !== null, 'thread rows', 1024)
    .map((t, i) => readThread(t, `result.threads[${i}]`));
  const failure = r.value('failure');
  if (((r.value('rate') ?? null) === null) !== (job.rate === null))
    throw new Error(
      job.rate === null ? 'result has a rate tally, the shard had no --rate' : 'result has no rate tally',
    );
  return {
    protocol: PROTOCOL,
    runId: job.runId,
    shard: job.shard,
    agent: r.string('agent', AGENT_NAME),
    attempt: wholeNumber(r, 'attempt', 1, 1000),
    counters,
    latency: r.string('latency', /^\[.*\]$/s),
    threads,
    startedAt: wholeNumber(r, 'startedAt', 0, Number.MAX_SAFE_INTEGER),
    elapsedMs: r.number('elapsedMs'),
    failure: typeof failure === 'string' ? terminalSafe(failure, 500) : null,
    rate: job.rate === null ? null : readRateTally(r.value('rate'), job.end - job.start),
  };
}

function readThread(value: unknown, what: string): ThreadRow {
  const r = checkShape(value, what);
  return {
    id: wholeNumber(r, 'id', 1, 1_000_000),
    counters: checkCounters(r.value('counters'), `${what}.counters`),
    latency: r.string('latency', /^\[.*\]$/s),
    elapsedMs: r.number('elapsedMs'),
    eventLoopUtilization: r.number('eventLoopUtilization'),
  };
}
