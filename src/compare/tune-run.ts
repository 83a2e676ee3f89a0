/**
 * `tune` as a library: the search over workers × max-req (workers 0 = the single loop, measured
 * beside the threads) with each evaluation one run of the injected runner (a fresh process for
 * the real one), the machine's noise meanwhile, and the cheapest recommendation as good as the
 * best. Returns plain data; never prints.
 */
import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import type { ModelName, SplitMode } from '../models/types.js';
import { machineInfo } from './run-bench.js';
import { median, runFlags } from './sample-stats.js';
import { machineNoise, readLoad, type LoadSample } from './machine-load.js';
import { pickCheapest, ranKey, type RanPoint, type TuneChoice } from './tune-pick.js';
import { tuneSearch, type Trial, type TuneOutcome, type TunePoint, type TuneSpace } from './tune-search.js';
import type { JsonReport } from './json-report.js';
import { configFailure } from './failed-configs.js';
import type { BenchConfig, BenchTarget, ConfigFailure, MachineInfo, MachineNoise, Runner } from './types.js';
import type { WorkKind } from '../cpu-work/kind.js';
import type { Protocol } from '../download/settings.js';

export { ranKey };

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
  /** The version of this shape. */
  readonly schema: 1;
  /** One search (several make a `tune-works` document). */
  readonly kind: 'tune';
  /** When it started (ISO 8601). */
  readonly startedAt: string;
  /** The machine it ran on. */
  readonly machine: MachineInfo;
  /** The model searched: workers (and the loop as 0 workers), or loop alone. */
  readonly model: TunePlan['model'];
  /** How codes are handed to workers. */
  readonly split: SplitMode;
  /** The --work kind of every trial. */
  readonly work: WorkKind;
  /** The protocol of every trial. */
  readonly protocol: Protocol;
  /** --connections of every trial, or null for the protocol's default. */
  readonly connections: number | null;
  /** The server and workload of every trial. */
  readonly target: BenchTarget;
  /** The DELAY server's delay, or null when it does not apply. */
  readonly delayMs: number | null;
  /** The time budget, in milliseconds. */
  readonly budgetMs: number;
  /** The time spent, in milliseconds. */
  readonly spentMs: number;
  /** The points the search could try. */
  readonly space: TuneSpace;
  /** Runs that were left out, with the reason. */
  readonly failures: readonly string[];
  /** What each point really ran, by `workers×maxReq` (-w 4 -m 1 starts one worker; 0× is the loop), with its median CPU. */
  readonly ran: Readonly<Record<string, RanPoint>>;
  /** The recommendation: the cheapest point within noise of the best; null without a good run. */
  readonly choice: TuneChoice | null;
  /** CPU used by other processes and the load average meanwhile; null when not measured. */
  readonly noise: MachineNoise | null;
  /** The trials; a point with no counted run carries why it failed (never best nor recommended). */
  readonly trials: readonly (Trial & {
    /** Why the point is no result, when none of its runs counted. */
    readonly failed?: ConfigFailure | undefined;
  })[];
}

/** Hooks of a tune: every trial (for progress), a clock, a stop signal, the machine's load. */
export interface TuneHooks {
  readonly onTrial?: ((p: TunePoint, requestsPerSec: number | null, spentMs: number, runs: number) => void) | undefined;
  readonly now?: (() => number) | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Reads the machine's load before and after; null: not measured (tests). */
  readonly readLoad?: (() => LoadSample) | null | undefined;
}

/** The worker counts tune considers: the loop (0) and 1…max threads for the workers model; the loop alone for loop. */
export function workerSpace(model: TunePlan['model'], maxWorkers: number): number[] {
  return model === 'loop' ? [0] : [0, ...Array.from({ length: maxWorkers }, (_, i) => i + 1)];
}

/** The configuration of a point: workers 0 is the loop model. */
export function pointConfig(plan: TunePlan, p: TunePoint): BenchConfig {
  return {
    model: p.workers === 0 ? 'loop' : 'workers',
    workers: Math.max(1, p.workers),
    maxReq: p.maxReq,
    split: plan.split,
    work: plan.work,
    protocol: plan.protocol,
    connections: plan.connections,
  };
}

/** What the runs of each point started (the first run's) and the CPU time of each, by ranKey. */
type Seen = Map<string, { threads: number; inFlight: number; connections: number; cpu: number[] }>;

/** The search's objective: one run of a point through the runner, its failures and what it ran recorded. */
function objectiveOf(
  plan: TunePlan,
  runner: Runner,
  hooks: TuneHooks & { now: () => number; t0: number },
  seen: Seen,
  failures: string[],
  failedAt: Map<string, ConfigFailure>,
): (p: TunePoint) => Promise<number | null> {
  let runs = 0;
  return async (p) => {
    let flags: string[];
    let report: JsonReport | null = null;
    try {
      report = await runner(pointConfig(plan, p), plan.target, hooks.signal);
      flags = runFlags(report);
      const s = seen.get(ranKey(p)) ?? {
        threads: report.workers,
        inFlight: report.maxReq,
        connections: report.connections,
        cpu: [],
      };
      s.cpu.push(report.cpuUserMs + report.cpuSystemMs);
      seen.set(ranKey(p), s);
    } catch (err) {
      flags =
        hooks.signal?.aborted === true
          ? ['interrupted: stopped by a signal']
          : runFlags(null, err instanceof Error ? err.message : String(err));
    }
    // A run that downloaded nothing or failed more than --max-failed allows is no result either.
    const failed = configFailure(
      [{ configKey: ranKey(p), run: 1, warmup: false, report, flags }],
      plan.target.maxFailed ?? 1,
    );
    if (failed !== undefined) failedAt.set(ranKey(p), failed);
    const name = `${p.workers === 0 ? 'loop' : `w${p.workers}`} m${p.maxReq}`;
    if (flags.length > 0) failures.push(`${name}: ${flags.join('; ')}`);
    else if (failed !== undefined) failures.push(`${name}: failed: ${failed.reason}`);
    const value = failed !== undefined || report === null ? null : report.requestsPerSec;
    hooks.onTrial?.(p, value, hooks.now() - hooks.t0, ++runs);
    return value;
  };
}

/** Run the search and pick the recommendation. */
export async function runTune(plan: TunePlan, runner: Runner, hooks: TuneHooks = {}): Promise<TuneReport> {
  const now = hooks.now ?? ((): number => performance.now());
  const load = hooks.readLoad === undefined ? readLoad : hooks.readLoad;
  const startedAt = new Date().toISOString();
  const before = load?.() ?? null;
  const t0 = now();
  const failures: string[] = [];
  const seen: Seen = new Map();
  const failedAt = new Map<string, ConfigFailure>();
  const objective = objectiveOf(plan, runner, { ...hooks, now, t0 }, seen, failures, failedAt);
  const outcome = await tuneSearch(plan.space, objective, plan.budgetMs, now, hooks.signal);
  const ran = Object.fromEntries(
    [...seen].map(([k, s]) => [
      k,
      { threads: s.threads, inFlight: s.inFlight, connections: s.connections, cpuMs: median(s.cpu) },
    ]),
  );
  const cpuTotal = [...seen.values()].reduce((sum, s) => sum + s.cpu.reduce((a, b) => a + b, 0), 0);
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
    trials: outcome.trials.map((t) => {
      const failed = t.samples.length === 0 ? failedAt.get(ranKey(t.point)) : undefined;
      return failed === undefined ? t : { ...t, failed };
    }),
    choice: pickCheapest(outcome.trials, outcome.best, ran),
    noise: before === null || load === null ? null : machineNoise(before, load(), cpuTotal, availableParallelism()),
  };
}
