/**
 * The one JSON object `flagfetch download --json` prints, as the bench reads it, and a
 * validator for a child process's stdout. Only the fields the bench uses are checked.
 */
import type { LatencySummary } from '../stats/latency.js';
import type { RateReport } from '../stats/rate.js';

/** The counts of a run, a worker or an agent. */
export interface JsonCounts {
  /** Requests asked for: ok + notFound + errors + cancelled, always. */
  readonly total: number;
  /** Requests answered 2xx, the body downloaded (and saved, and through the work step). */
  readonly ok: number;
  /** Requests answered 404. */
  readonly notFound: number;
  /** Requests failed: HTTP errors, timeouts, network errors, files not saved (by reason in errorsByReason). */
  readonly errors: number;
  /** Requests never finished because the run was stopped. */
  readonly cancelled: number;
  /** Body bytes of the files downloaded. */
  readonly bytes: number;
}

/** One worker's part of a JSON report. */
export interface JsonWorkerReport extends JsonCounts {
  /** The worker, from 1 in every model. */
  readonly id: number;
  /** This worker's wall time, in milliseconds. */
  readonly elapsedMs: number;
  /** Finished requests (all but cancelled) per second of its elapsedMs. */
  readonly requestsPerSec: number;
  /** How busy its thread's event loop was, from 0 to 1. */
  readonly eventLoopUtilization: number;
  /** CPU time of the --work step on this worker's thread (0 without --work); absent in older reports. */
  readonly workMs?: number;
  /** Its requests' latency, in milliseconds. */
  readonly latencyMs: LatencySummary;
}

/** The report of one download run (schema 1). */
export interface JsonReport {
  /** The version of this shape. */
  readonly schema: 1;
  /** The concurrency model: sequential, loop, threads or workers. */
  readonly model: string;
  /** The server label: LOCAL, DELAY, ERROR, REMOTE, or URL. */
  readonly server: string;
  /** The server's base URL. */
  readonly url: string;
  /** Threads started (pool threads of the threads and workers models; 1 otherwise), not the option asked for. */
  readonly workers: number;
  /** Requests in flight at most, in total, as used (never more than requests to make). */
  readonly maxReq: number;
  /** How codes were handed to workers: static or dynamic. */
  readonly split: string;
  /** Passes over the codes. */
  readonly repeat: number;
  /** Requests asked for: ok + notFound + errors + cancelled, always. */
  readonly total: number;
  /** Requests answered 2xx, the body downloaded (and saved, and through the work step). */
  readonly ok: number;
  /** Requests answered 404. */
  readonly notFound: number;
  /** Requests failed: HTTP errors, timeouts, network errors, files not saved (by reason in errorsByReason). */
  readonly errors: number;
  /** Requests never finished because the run was stopped. */
  readonly cancelled: number;
  /** Body bytes of the files downloaded. */
  readonly bytes: number;
  /** Wall time from the first request to the last outcome, in milliseconds; start-up is not in it. */
  readonly elapsedMs: number;
  /** Start-up before the clock started: threads up and every connection open, in milliseconds. */
  readonly startupMs: number;
  /** The part of startupMs spent opening connections, TLS handshakes included. */
  readonly connectMs: number;
  /** The --work kind (none, decode, sha256, spin:MS); absent in older reports. */
  readonly work?: string;
  /** CPU time of the --work step over all threads; absent in older reports. */
  readonly workMs?: number;
  /** HTTP/1.1 or HTTP/2. */
  readonly protocol: 'h1' | 'h2';
  /** Connections opened ahead (all threads). */
  readonly connections: number;
  /** connectMs ÷ connections: the start-up cost of one connection (its TLS handshake, on https). */
  readonly connectMsPerConnection: number;
  /** Finished requests (all but cancelled) per second of elapsedMs. */
  readonly requestsPerSec: number;
  /** bytes per second of elapsedMs, in MB (10^6 bytes). */
  readonly megabytesPerSec: number;
  /** Latency as the run measured it: the response time under --rate, the service time otherwise. */
  readonly latencyMs: LatencySummary;
  /** --rate: from each request's intended start to its outcome (corrected for coordinated omission). */
  readonly responseTimeMs?: LatencySummary;
  /** --rate: from each request's actual send to its outcome. */
  readonly serviceTimeMs?: LatencySummary;
  /** --rate: the schedule asked for against what was achieved. */
  readonly rate?: JsonRate;
  /** Errors by reason: `http 503`, `timeout`, `reset`, `not a GIF`… */
  readonly errorsByReason: Readonly<Record<string, number>>;
  /** One entry per worker (workers model), per pool thread (threads), or one (sequential, loop). */
  readonly perWorker: readonly JsonWorkerReport[];
  /** True when the run was stopped (Ctrl-C, SIGTERM, an aborted signal). */
  readonly interrupted: boolean;
  /** What went wrong with the run itself (a worker died, no server answered, files not saved), or null. */
  readonly failure: string | null;
  /** The URL of one request not found or failed, when any was. */
  readonly failedUrl?: string;
  /** CPU time in user mode of the whole process (all threads), in milliseconds. */
  readonly cpuUserMs: number;
  /** CPU time in the kernel of the whole process, in milliseconds. */
  readonly cpuSystemMs: number;
  /** Peak resident memory of the process, in bytes. */
  readonly peakRssBytes: number;
  /** The Node.js version that ran it. */
  readonly node: string;
  /** The machine's available parallelism. */
  readonly cores: number;
  /** Runs over a queue (`--queue`): the queue, its agents and its shards. */
  readonly queue?: string;
  /** Over a queue: one row per agent that ran shards. */
  readonly agents?: readonly JsonAgentReport[];
  /** Over a queue: one row per shard. */
  readonly shards?: readonly JsonShardReport[];
}

/** The open model's figures (--rate) besides the two latencies: the schedule against what was achieved, lateness. */
export type JsonRate = Omit<RateReport, 'responseTimeMs' | 'serviceTimeMs'>;

/** One agent's part of a run over the queue. */
export interface JsonAgentReport extends JsonCounts {
  /** The agent's name (`flagfetch agent --name`). */
  readonly name: string;
  /** Shards it ran. */
  readonly shards: number;
  /** Its wall time over its shards, in milliseconds. */
  readonly elapsedMs: number;
  /** Its finished requests per second of its elapsedMs. */
  readonly requestsPerSec: number;
}

/** One shard of a run over the queue: who ran it, in how many attempts, how long it took. */
export interface JsonShardReport {
  /** The shard, from 0. */
  readonly shard: number;
  /** Codes (requests of one pass) in it. */
  readonly codes: number;
  /** The agent that finished it, or null when none did. */
  readonly agent: string | null;
  /** Times it was taken (more than 1 when an agent was lost). */
  readonly attempts: number;
  /** How long its last attempt took, in milliseconds. */
  readonly elapsedMs: number;
  /** Why it did not finish, or null. */
  readonly failure: string | null;
}

const NUMBERS = [
  'workers',
  'maxReq',
  'repeat',
  'total',
  'ok',
  'notFound',
  'errors',
  'cancelled',
  'bytes',
  'elapsedMs',
  'startupMs',
  'connectMs',
  'requestsPerSec',
  'megabytesPerSec',
  'cpuUserMs',
  'cpuSystemMs',
  'peakRssBytes',
] as const;
const LATENCY = ['count', 'min', 'mean', 'p50', 'p90', 'p99', 'max'] as const;

/**
 * Parse and check a child's stdout: exactly one JSON object with schema 1 and the numeric
 * fields the bench needs. Throws an Error saying what is missing.
 */
export function parseJsonReport(stdout: string): JsonReport {
  let value: unknown;
  try {
    value = JSON.parse(stdout.trim());
  } catch {
    throw new Error(`download --json printed something that is not one JSON object: ${preview(stdout)}`);
  }
  if (!isRecord(value) || value['schema'] !== 1)
    throw new Error(`download --json printed no schema 1 report: ${preview(stdout)}`);
  const missing: string[] = NUMBERS.filter((k) => typeof value[k] !== 'number');
  const latency = value['latencyMs'];
  if (!isRecord(latency) || LATENCY.some((k) => typeof latency[k] !== 'number')) missing.push('latencyMs');
  if (!Array.isArray(value['perWorker'])) missing.push('perWorker');
  if (missing.length > 0) throw new Error(`download --json report lacks ${missing.join(', ')}`);
  return value as unknown as JsonReport;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function preview(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t === '' ? '(nothing)' : t.length > 120 ? `${t.slice(0, 120)}…` : t;
}
