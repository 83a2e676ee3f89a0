/** Assembling a RunResult from what a model measured (pure). */
import type { Counters } from '../stats/counters.js';
import type { LatencySummary } from '../stats/latency.js';
import type { RunPlan, RunResult, WorkerReport } from './types.js';
import type { WorkRecords } from '../cpu-work/step.js';
import type { Protocol } from '../download/settings.js';
import type { RateReport } from '../stats/rate.js';

/** What a model measured, before rates are derived. */
export interface Measured {
  readonly workers: number;
  readonly maxReq: number;
  readonly counters: Counters;
  readonly latency: LatencySummary;
  readonly perWorker: readonly WorkerReport[];
  readonly elapsedMs: number;
  readonly startupMs: number;
  readonly connectMs: number;
  /** Connections opened ahead. */
  readonly connections: number;
  /** The protocol the connections negotiated (absent: none connected; the one asked for is reported). */
  readonly protocol?: Protocol | undefined;
  readonly interrupted: boolean;
  readonly failure?: string | undefined;
  readonly workRecords?: WorkRecords | undefined;
  readonly rate?: RateReport | undefined;
}

/** Requests completed (not cancelled) per second of elapsed time. */
export function requestsPerSec(counters: Counters, elapsedMs: number): number {
  const done = counters.total - counters.cancelled;
  return elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
}

/** The RunResult of a plan from what was measured. */
export function resultOf(plan: RunPlan, m: Measured): RunResult {
  return {
    model: plan.model,
    baseUrl: plan.fetch.baseUrl,
    workers: m.workers,
    maxReq: m.maxReq,
    split: plan.split,
    repeat: plan.repeat,
    counters: m.counters,
    elapsedMs: m.elapsedMs,
    startupMs: m.startupMs,
    connectMs: m.connectMs,
    protocol: m.protocol ?? plan.fetch.protocol ?? 'h1',
    connections: m.connections,
    requestsPerSec: requestsPerSec(m.counters, m.elapsedMs),
    latencyMs: m.latency,
    perWorker: m.perWorker,
    interrupted: m.interrupted,
    failure: m.failure,
    work: plan.fetch.work ?? 'none',
    workMs: m.perWorker.reduce((sum, w) => sum + (w.workMs ?? 0), 0),
    workRecords: m.workRecords,
    ...(m.rate === undefined ? {} : { rate: m.rate }),
  };
}
