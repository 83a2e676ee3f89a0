/**
 * `tune` as a library: the search over workers × max-req with each evaluation one run of
 * the injected runner (a fresh process for the real one). Returns plain data; never prints.
 */
import { performance } from 'node:perf_hooks';
import type { ModelName, SplitMode } from '../models/types.js';
import { machineInfo } from './run-bench.js';
import { runFlags } from './sample-stats.js';
import { tuneSearch, type TuneOutcome, type TunePoint, type TuneSpace } from './tune-search.js';
import type { BenchConfig, BenchTarget, MachineInfo, Runner } from './types.js';
import type { WorkKind } from '../cpu-work/kind.js';
import type { Protocol } from '../download/settings.js';

/** What to tune. */
export interface TunePlan {
  readonly model: Extract<ModelName, 'loop' | 'workers'>;
  readonly split: SplitMode;
  readonly target: BenchTarget;
  readonly delayMs: number | null;
  readonly budgetMs: number;
  readonly space: TuneSpace;
  /** CPU work per download in every trial (absent: none). */
  readonly work?: WorkKind | undefined;
  /** 'h2' for HTTP/2 in every trial (absent: HTTP/1.1). */
  readonly protocol?: Protocol | undefined;
  /** Connections in every trial (absent: the protocol's default). */
  readonly connections?: number | undefined;
}

/** What tune found, plain and serialisable (the --json output). */
export interface TuneReport extends TuneOutcome {
  readonly schema: 1;
  readonly kind: 'tune';
  readonly startedAt: string;
  readonly machine: MachineInfo;
  readonly model: TunePlan['model'];
  readonly split: SplitMode;
  /** The --work kind of every trial. */
  readonly work: WorkKind;
  /** The protocol of every trial. */
  readonly protocol: Protocol;
  /** --connections of every trial, or null for the protocol's default. */
  readonly connections: number | null;
  readonly target: BenchTarget;
  readonly delayMs: number | null;
  readonly budgetMs: number;
  readonly spentMs: number;
  readonly space: TuneSpace;
  /** Runs that were left out, with the reason. */
  readonly failures: readonly string[];
  /** What each point tried really ran, by `workers×maxReq` (-w 4 -m 1 starts one worker): threads and requests in flight. */
  readonly ran: Readonly<Record<string, { readonly threads: number; readonly inFlight: number }>>;
}

/** The worker counts tune considers: 1…2 × cores for the workers model, 1 for loop. */
export function workerSpace(model: TunePlan['model'], maxWorkers: number): number[] {
  return model === 'loop' ? [1] : Array.from({ length: maxWorkers }, (_, i) => i + 1);
}

/** Run the search; `onTrial` hears of every evaluation (for progress lines). */
export async function runTune(
  plan: TunePlan,
  runner: Runner,
  onTrial?: (p: TunePoint, requestsPerSec: number | null, spentMs: number) => void,
  now: () => number = () => performance.now(),
): Promise<TuneReport> {
  const startedAt = new Date().toISOString();
  const t0 = now();
  const failures: string[] = [];
  const ran: Record<string, { threads: number; inFlight: number }> = {};
  const objective = async (p: TunePoint): Promise<number | null> => {
    const config: BenchConfig = {
      model: plan.model,
      workers: p.workers,
      maxReq: p.maxReq,
      split: plan.split,
      work: plan.work,
      protocol: plan.protocol,
      connections: plan.connections,
    };
    let flags: string[];
    let rps = 0;
    try {
      const report = await runner(config, plan.target);
      flags = runFlags(report);
      rps = report.requestsPerSec;
      ran[ranKey(p)] = { threads: report.workers, inFlight: report.maxReq };
    } catch (err) {
      flags = runFlags(null, err instanceof Error ? err.message : String(err));
    }
    if (flags.length > 0) failures.push(`w${p.workers} m${p.maxReq}: ${flags.join('; ')}`);
    const value = flags.length > 0 ? null : rps;
    onTrial?.(p, value, now() - t0);
    return value;
  };
  const outcome = await tuneSearch(plan.space, objective, plan.budgetMs, now);
  return {
    schema: 1,
    kind: 'tune',
    startedAt,
    machine: machineInfo(),
    model: plan.model,
    split: plan.split,
    work: plan.work ?? 'none',
    protocol: plan.protocol ?? 'h1',
    connections: plan.connections ?? null,
    target: plan.target,
    delayMs: plan.delayMs,
    budgetMs: plan.budgetMs,
    spentMs: now() - t0,
    space: plan.space,
    failures,
    ran,
    ...outcome,
  };
}

/** The key of a point in TuneReport.ran: `2×100`. */
export function ranKey(p: TunePoint): string {
  return `${p.workers}×${p.maxReq}`;
}
