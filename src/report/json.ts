/** The `--json` report of one download run: schema 1, as the bench reads it (pure). */
import { availableParallelism } from 'node:os';
import type { JsonCounts, JsonReport, JsonWorkerReport } from '../compare/json-report.js';
import { requestsPerSec } from '../models/result.js';
import type { ProcessUsage, RunResult, ServerTarget, WorkerReport } from '../models/types.js';
import type { Counters } from '../stats/counters.js';

const round1 = (v: number): number => Math.round(v * 10) / 10;
const round2 = (v: number): number => Math.round(v * 100) / 100;

/** The JSON object `download --json` prints. */
export function toJsonReport(result: RunResult, server: ServerTarget, usage: ProcessUsage): JsonReport {
  const c = result.counters;
  const seconds = result.elapsedMs / 1000;
  return {
    schema: 1,
    model: result.model,
    server: server.label,
    url: result.baseUrl,
    workers: result.workers,
    maxReq: result.maxReq,
    split: result.split,
    repeat: result.repeat,
    ...countsJson(c),
    elapsedMs: round1(result.elapsedMs),
    startupMs: round1(result.startupMs),
    connectMs: round1(result.connectMs),
    work: result.work ?? 'none',
    workMs: round1(result.workMs ?? 0),
    protocol: result.protocol,
    connections: result.connections,
    connectMsPerConnection: result.connections > 0 ? round2(result.connectMs / result.connections) : 0,
    requestsPerSec: round1(result.requestsPerSec),
    megabytesPerSec: seconds > 0 ? Math.round((c.bytes / 1e6 / seconds) * 100) / 100 : 0,
    latencyMs: result.rate?.responseTimeMs ?? result.latencyMs,
    ...rateJson(result),
    errorsByReason: Object.fromEntries(Object.entries(c.errorsByReason).sort()),
    perWorker: result.perWorker.map(workerJson),
    interrupted: result.interrupted,
    failure: result.failure ?? null,
    cpuUserMs: round1(usage.cpuUserMs),
    cpuSystemMs: round1(usage.cpuSystemMs),
    peakRssBytes: usage.peakRssBytes,
    node: process.version,
    cores: availableParallelism(),
  };
}

function workerJson(w: WorkerReport): JsonWorkerReport {
  const c = w.counters;
  return {
    id: w.id,
    ...countsJson(c),
    elapsedMs: round1(w.elapsedMs),
    requestsPerSec: round1(requestsPerSec(c, w.elapsedMs)),
    eventLoopUtilization: Math.round(w.eventLoopUtilization * 1000) / 1000,
    workMs: round1(w.workMs ?? 0),
    latencyMs: w.latency,
  };
}

/** The counts of a run, a worker or an agent, in the report's order. */
export function countsJson(c: Counters): JsonCounts {
  return { total: c.total, ok: c.ok, notFound: c.notFound, errors: c.errors, cancelled: c.cancelled, bytes: c.bytes };
}

/**
 * Under --rate: latencyMs is the response time (from each request's intended start), and both
 * distributions are there by name, with the schedule against what was achieved.
 */
function rateJson(result: RunResult): Pick<JsonReport, 'responseTimeMs' | 'serviceTimeMs' | 'rate'> {
  if (result.rate === undefined) return {};
  const { responseTimeMs, serviceTimeMs, ...r } = result.rate;
  const rate = { ...r, achievedPerSec: round1(r.achievedPerSec), lateShare: Math.round(r.lateShare * 10_000) / 10_000 };
  return { responseTimeMs, serviceTimeMs, rate };
}
