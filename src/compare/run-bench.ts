/**
 * Run a bench: every slot of the interleaved order through an injected runner, progress
 * lines with an ETA, then the summaries. Measures and returns plain data; never prints.
 */
import { availableParallelism, cpus, platform, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { configKey, configLabel, interleave } from './matrix.js';
import { runFlags } from './sample-stats.js';
import { flagDisagreements, isDeterministicServer, summarizeBench } from './summarize.js';
import type { BenchConfig, BenchResult, BenchTarget, MachineInfo, RunRecord, Runner } from './types.js';

/** What to run. */
export interface BenchPlan {
  readonly title: string;
  readonly configs: readonly BenchConfig[];
  readonly notes: readonly string[];
  readonly target: BenchTarget;
  readonly delayMs: number | null;
  readonly runs: number;
  readonly warmup: number;
  /** How one run is executed, shown to the reader. */
  readonly command: string;
}

/** Hooks of a bench: progress lines (stderr in the CLI), a stop signal, a clock. */
export interface BenchHooks {
  readonly onProgress?: ((line: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly now?: (() => number) | undefined;
}

/** The machine this process runs on. */
export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${platform()} ${process.arch}`,
    totalMemoryBytes: totalmem(),
  };
}

/** Run every slot of the plan (warm-ups first, then interleaved runs) and summarise. */
export async function runBench(plan: BenchPlan, runner: Runner, hooks: BenchHooks = {}): Promise<BenchResult> {
  const now = hooks.now ?? ((): number => performance.now());
  const startedAt = new Date().toISOString();
  const order = interleave(plan.configs.length, plan.runs, plan.warmup);
  const records: RunRecord[] = [];
  const t0 = now();
  for (const [i, slot] of order.entries()) {
    if (hooks.signal?.aborted === true) break;
    const config = plan.configs[slot.config] as BenchConfig;
    hooks.onProgress?.(
      progressLine(
        i,
        order.length,
        configLabel(config),
        slot,
        plan,
        i === 0 ? null : ((now() - t0) / i) * (order.length - i),
      ),
    );
    records.push(await runSlot(runner, config, plan.target, slot));
  }
  const judged = flagDisagreements(records, isDeterministicServer(plan.target.serverLabel));
  const { configs, ranking, bestKey } = summarizeBench(plan.configs, judged);
  const stopped =
    hooks.signal?.aborted === true ? [`stopped early: ${records.length} of ${order.length} runs made`] : [];
  return {
    schema: 1,
    title: plan.title,
    startedAt,
    machine: machineInfo(),
    target: plan.target,
    delayMs: plan.delayMs,
    runs: plan.runs,
    warmup: plan.warmup,
    command: plan.command,
    notes: [...plan.notes, ...stopped],
    configs,
    records: judged,
    ranking,
    bestKey,
  };
}

async function runSlot(
  runner: Runner,
  config: BenchConfig,
  target: BenchTarget,
  slot: { run: number; warmup: boolean },
): Promise<RunRecord> {
  const base = { configKey: configKey(config), run: slot.run, warmup: slot.warmup };
  try {
    const report = await runner(config, target);
    return { ...base, report, flags: runFlags(report) };
  } catch (err) {
    return { ...base, report: null, flags: runFlags(null, err instanceof Error ? err.message : String(err)) };
  }
}

/** `[3/12] workers w2 m100 dynamic: run 1/5, ETA 9s` (pure). */
export function progressLine(
  index: number,
  total: number,
  label: string,
  slot: { run: number; warmup: boolean },
  plan: { runs: number; warmup: number },
  etaMs: number | null,
): string {
  const what = slot.warmup ? `warm-up ${slot.run}/${plan.warmup}` : `run ${slot.run}/${plan.runs}`;
  const eta = etaMs === null ? '' : `, ETA ${formatDuration(etaMs)}`;
  return `[${index + 1}/${total}] ${label}: ${what}${eta}`;
}

/** 9s, 1m05s. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
