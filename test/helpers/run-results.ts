/** Hand-built RunResults for the report tests: every field spelled out once. */
import { emptyCounters, type Counters } from '../../src/stats/counters.js';
import type { LatencySummary } from '../../src/stats/latency.js';
import type { RunResult, WorkerReport } from '../../src/models/types.js';

/** A latency summary of `count` requests with round, recognisable values. */
export function latency(count: number): LatencySummary {
  return { count, min: 0.25, mean: 1.5, p50: 1.2, p90: 3.456, p99: 12.34, max: 150.6 };
}

/** Counters with the given fields; total is their sum. */
export function counters(over: Partial<Omit<Counters, 'total'>> = {}): Counters {
  const c = { ...emptyCounters(), ...over };
  return { ...c, total: c.ok + c.notFound + c.errors + c.cancelled };
}

/** One worker's report. */
export function workerReport(id: number, c: Counters, elapsedMs: number, eventLoopUtilization: number): WorkerReport {
  return { id, counters: c, latency: latency(c.total), elapsedMs, eventLoopUtilization };
}

/** A loop run of 676 codes: 194 downloaded (7.3 MB), 482 not found, in 310 ms. */
export function loopResult(over: Partial<RunResult> = {}): RunResult {
  const c = counters({ ok: 194, notFound: 482, bytes: 2_263_000 });
  return {
    model: 'loop',
    baseUrl: 'http://127.0.0.1:8001/flags',
    workers: 1,
    maxReq: 50,
    split: 'dynamic',
    repeat: 1,
    counters: c,
    elapsedMs: 310,
    startupMs: 0,
    connectMs: 0,
    protocol: 'h1',
    connections: 50,
    requestsPerSec: 2180.6,
    latencyMs: latency(c.total),
    perWorker: [workerReport(1, c, 310, 0.42)],
    interrupted: false,
    ...over,
  };
}

/** A workers run of 2 workers over 194 codes, with 3 errors of two kinds. */
export function workersResult(over: Partial<RunResult> = {}): RunResult {
  const w1 = counters({ ok: 96, errors: 1, bytes: 1_200_000, errorsByReason: { timeout: 1 } });
  const w2 = counters({ ok: 95, errors: 2, bytes: 1_140_000, errorsByReason: { 'http 503': 2 } });
  const all = counters({ ok: 191, errors: 3, bytes: 2_340_000, errorsByReason: { timeout: 1, 'http 503': 2 } });
  return {
    model: 'workers',
    baseUrl: 'http://127.0.0.1:8002/flags',
    workers: 2,
    maxReq: 100,
    split: 'static',
    repeat: 1,
    counters: all,
    elapsedMs: 1000,
    startupMs: 18.4,
    connectMs: 4.2,
    protocol: 'h1',
    connections: 100,
    requestsPerSec: 194,
    latencyMs: latency(194),
    perWorker: [workerReport(1, w1, 500, 0.123), workerReport(2, w2, 970, 0.9876)],
    interrupted: false,
    ...over,
  };
}
