/**
 * The one JSON object `flagfetch download --json` prints, as the bench reads it, and a
 * validator for a child process's stdout. Only the fields the bench uses are checked.
 */
import type { LatencySummary } from '../stats/latency.js';
import type { RateReport } from '../stats/rate.js';

/** The counts of a run, a worker or an agent. */
export interface JsonCounts {
  readonly total: number;
  readonly ok: number;
  readonly notFound: number;
  readonly errors: number;
  readonly cancelled: number;
  readonly bytes: number;
}

/** One worker's part of a JSON report. */
export interface JsonWorkerReport extends JsonCounts {
  readonly id: number;
  readonly elapsedMs: number;
  readonly requestsPerSec: number;
  readonly eventLoopUtilization: number;
  /** CPU time of the --work step on this worker's thread (0 without --work); absent in older reports. */
  readonly workMs?: number;
  readonly latencyMs: LatencySummary;
}

/** The report of one download run (schema 1). */
export interface JsonReport {
  readonly schema: 1;
  readonly model: string;
  readonly server: string;
  readonly url: string;
  readonly workers: number;
  readonly maxReq: number;
  readonly split: string;
  readonly repeat: number;
  readonly total: number;
  readonly ok: number;
  readonly notFound: number;
  readonly errors: number;
  readonly cancelled: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly startupMs: number;
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
  readonly requestsPerSec: number;
  readonly megabytesPerSec: number;
  /** Latency as the run measured it: the response time under --rate, the service time otherwise. */
  readonly latencyMs: LatencySummary;
  /** --rate: from each request's intended start to its outcome (corrected for coordinated omission). */
  readonly responseTimeMs?: LatencySummary;
  /** --rate: from each request's actual send to its outcome. */
  readonly serviceTimeMs?: LatencySummary;
  /** --rate: the schedule asked for against what was achieved. */
  readonly rate?: JsonRate;
  readonly errorsByReason: Readonly<Record<string, number>>;
  readonly perWorker: readonly JsonWorkerReport[];
  readonly interrupted: boolean;
  readonly failure: string | null;
  /** The URL of one request not found or failed, when any was. */
  readonly failedUrl?: string;
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
  readonly peakRssBytes: number;
  readonly node: string;
  readonly cores: number;
  /** Runs over a queue (`--queue`): the queue, its agents and its shards. */
  readonly queue?: string;
  readonly agents?: readonly JsonAgentReport[];
  readonly shards?: readonly JsonShardReport[];
}

/** The open model's figures (--rate) besides the two latencies: the schedule against what was achieved, lateness. */
export type JsonRate = Omit<RateReport, 'responseTimeMs' | 'serviceTimeMs'>;

/** One agent's part of a run over the queue. */
export interface JsonAgentReport extends JsonCounts {
  readonly name: string;
  readonly shards: number;
  readonly elapsedMs: number;
  readonly requestsPerSec: number;
}

/** One shard of a run over the queue: who ran it, in how many attempts, how long it took. */
export interface JsonShardReport {
  readonly shard: number;
  readonly codes: number;
  readonly agent: string | null;
  readonly attempts: number;
  readonly elapsedMs: number;
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
