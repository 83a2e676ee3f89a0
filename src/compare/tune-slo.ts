/**
 * `tune --slo` as a library: the configurations to try (cheapest first: the loop before
 * threads, fewer threads, fewer requests in flight and so connections), each run one
 * configuration at one offered rate through the injected runner, judged against the target;
 * the search (slo-search.ts); the report and its verdict in words. Never prints.
 */
import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import { machineInfo } from './run-bench.js';
import { machineNoise, readLoad, type LoadSample } from './machine-load.js';
import { configKey } from './matrix.js';
import { commandWords } from './verdict.js';
import { coarseWorkers } from './tune-search.js';
import { judgeRun, type Slo } from './slo.js';
import { runFlags } from './sample-stats.js';
import { RESOLUTION, sloSearch, type SloCandidate, type SloOutcome } from './slo-search.js';
import type { ModelName, SplitMode } from '../models/types.js';
import type { BenchConfig, BenchTarget, MachineInfo, MachineNoise, Runner } from './types.js';

/** Requests in flight tune --slo tries for every thread count. */
export const SLO_MAX_REQS = [10, 100, 1000] as const;

/** What to tune for a target. */
export interface SloPlan {
  readonly slo: Slo;
  /** tune --slo --rate R: the cheapest configuration that holds R; absent: the highest rate each holds. */
  readonly holdPerSec?: number | undefined;
  readonly model: Extract<ModelName, 'loop' | 'workers'>;
  readonly maxWorkers: number;
  /** Every run's shape besides model, threads and max-req: split, work, protocol, connections. */
  readonly base: Pick<BenchConfig, 'split' | 'work' | 'protocol' | 'connections'> & { readonly split: SplitMode };
  /** The server and workload; rateDurationMs is every run's length. */
  readonly target: BenchTarget;
  readonly delayMs: number | null;
  readonly budgetMs: number;
}

/** One candidate as the report states it. */
export interface SloCandidateReport extends SloCandidate {
  /** The configuration's key. */
  readonly key: string;
  /** The configuration. */
  readonly config: BenchConfig;
}

/** What tune --slo found, plain and serialisable (its --json output). */
export interface SloReport extends Omit<SloOutcome, 'candidates'> {
  /** The version of this shape. */
  readonly schema: 1;
  /** A search under a latency target. */
  readonly kind: 'tune-slo';
  /** When it started (ISO 8601). */
  readonly startedAt: string;
  /** The machine it ran on. */
  readonly machine: MachineInfo;
  /** The latency target. */
  readonly slo: Slo;
  /** With a rate to hold: that rate; null: the highest rate each candidate holds was searched. */
  readonly holdPerSec: number | null;
  /** The server and workload of every run. */
  readonly target: BenchTarget;
  /** The DELAY server's delay, or null when it does not apply. */
  readonly delayMs: number | null;
  /** The time budget, in milliseconds. */
  readonly budgetMs: number;
  /** The time spent, in milliseconds. */
  readonly spentMs: number;
  /** Every candidate with its runs, cheapest first. */
  readonly candidates: readonly SloCandidateReport[];
  /** Runs that failed outright, with the reason. */
  readonly failures: readonly string[];
  /** CPU used by other processes and the load average meanwhile; null when not measured. */
  readonly noise: MachineNoise | null;
  /** The result in plain words. */
  readonly verdict: readonly string[];
}

/** Hooks: every run (for progress), a clock, a stop signal, the machine's load. */
export interface SloHooks {
  readonly onRun?:
    ((config: BenchConfig, perSec: number, missed: string | null | undefined, spentMs: number) => void) | undefined;
  readonly now?: (() => number) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly readLoad?: (() => LoadSample) | null | undefined;
}

/** The configurations to try, cheapest first: the loop, then fewer threads, then fewer requests in flight. */
export function sloCandidates(plan: Pick<SloPlan, 'model' | 'maxWorkers' | 'base'>): BenchConfig[] {
  const threads =
    plan.model === 'loop' ? [0] : coarseWorkers([0, ...Array.from({ length: plan.maxWorkers }, (_, i) => i + 1)]);
  return threads.flatMap((w) =>
    SLO_MAX_REQS.map((maxReq): BenchConfig => ({
      ...plan.base,
      model: w === 0 ? 'loop' : 'workers',
      workers: Math.max(1, w),
      maxReq,
    })),
  );
}

/** Run the search for the plan's target and say what it found. */
export async function runSloTune(plan: SloPlan, runner: Runner, hooks: SloHooks = {}): Promise<SloReport> {
  const now = hooks.now ?? ((): number => performance.now());
  const load = hooks.readLoad === undefined ? readLoad : hooks.readLoad;
  const startedAt = new Date().toISOString();
  const before = load?.() ?? null;
  const t0 = now();
  const configs = sloCandidates(plan);
  const failures: string[] = [];
  let cpuMs = 0;
  const outcome = await sloSearch(
    configs.length,
    async (i, perSec) => {
      const config = { ...(configs[i] as BenchConfig), rate: perSec };
      try {
        const report = await runner(config, plan.target, hooks.signal);
        cpuMs += report.cpuUserMs + report.cpuSystemMs;
        const flags = runFlags(report);
        if (flags.length > 0 || report.ok === 0) throw new Error(flags.join('; ') || 'nothing downloaded');
        const trial = judgeRun(plan.slo, report);
        hooks.onRun?.(config, perSec, trial.missed, now() - t0);
        return trial;
      } catch (err) {
        if (hooks.signal?.aborted !== true)
          failures.push(`${configKey(config)}: ${err instanceof Error ? err.message : String(err)}`);
        hooks.onRun?.(config, perSec, undefined, now() - t0);
        return null;
      }
    },
    { budgetMs: plan.budgetMs, now, signal: hooks.signal, holdPerSec: plan.holdPerSec },
  );
  const candidates = outcome.candidates.map((c) => {
    const config = configs[c.index] as BenchConfig;
    return { ...c, key: configKey(config), config };
  });
  const report = {
    schema: 1 as const,
    kind: 'tune-slo' as const,
    startedAt,
    machine: machineInfo(),
    slo: plan.slo,
    holdPerSec: plan.holdPerSec ?? null,
    target: plan.target,
    delayMs: plan.delayMs,
    budgetMs: plan.budgetMs,
    spentMs: now() - t0,
    ...outcome,
    candidates,
    failures,
    noise: before === null || load === null ? null : machineNoise(before, load(), cpuMs, availableParallelism()),
  };
  return { ...report, verdict: sloVerdict(report) };
}

/** The recommendation in words (pure): which configuration, what it holds, and against the best. */
export function sloVerdict(r: Omit<SloReport, 'verdict'>): string[] {
  const target = `${r.slo.percentile} <= ${r.slo.maxMs} ms`;
  const chosen = r.choice === null ? undefined : r.candidates[r.choice];
  const lines: string[] = [];
  if (r.holdPerSec !== null) {
    lines.push(
      chosen === undefined
        ? `None of the configurations tried held ${r.holdPerSec} req/s with ${target}` +
            (r.stoppedBy === 'budget' ? ' within the budget (give --budget more time to try the rest).' : '.')
        : `Use ${commandWords(chosen.config)}: the cheapest configuration that held ${r.holdPerSec} req/s with ${target}.`,
    );
    return lines;
  }
  const best = r.best === null ? undefined : r.candidates[r.best];
  if (chosen === undefined || best === undefined) {
    const floor = r.candidates.some((c) => c.stop === 'floor');
    lines.push(
      `None of the configurations held any rate with ${target}` +
        (floor ? ': the service time alone was over the target (the server is slower than that).' : '.'),
    );
    return lines;
  }
  const held = `${chosen.heldPerSec} req/s with ${target}`;
  lines.push(
    chosen === best
      ? `Use ${commandWords(chosen.config)}: it held the highest rate, ${held}, and no cheaper configuration came within ${Math.round((RESOLUTION - 1) * 100)} %.`
      : `Use ${commandWords(chosen.config)}: it held ${held}, within ${Math.round((RESOLUTION - 1) * 100)} % (the search's resolution) of the best, ` +
          `${commandWords(best.config)} at ${best.heldPerSec} req/s, at less cost.`,
  );
  if (r.stoppedBy === 'budget')
    lines.push('The budget ran out before every search ended: give --budget more time for a firmer answer.');
  return lines;
}
