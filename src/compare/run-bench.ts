/**
 * Run a bench: every slot of the interleaved order through an injected runner (more rounds
 * while a ratio's interval is wide), progress lines with an ETA, the machine's load, then the
 * summaries and the verdict. Measures and returns plain data; never prints.
 */
import { availableParallelism, cpus, platform, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { configKey, configLabel, interleave, type RunSlot } from './matrix.js';
import { runFlags } from './sample-stats.js';
import { flagDisagreements, flagOutliers, isDeterministicServer, summarizeBench } from './summarize.js';
import { machineNoise, readLoad, type LoadSample } from './machine-load.js';
import { relativeHalfWidth } from './ratio-stat.js';
import { benchVerdict } from './verdict.js';
import { curvesOf, curveVerdict } from './curve.js';
import type { BenchConfig, BenchResult, BenchTarget, MachineInfo, RunRecord, Runner } from './types.js';

/** What to run. */
export interface BenchPlan {
  readonly title: string;
  readonly configs: readonly BenchConfig[];
  readonly notes: readonly string[];
  readonly target: BenchTarget;
  readonly delayMs: number | null;
  /** Measured runs of every configuration (the least, when maxRuns is larger). */
  readonly runs: number;
  /** Most measured runs of a configuration whose ratio's interval stays wide (default: runs). */
  readonly maxRuns?: number | undefined;
  readonly warmup: number;
  /** How one run is executed, shown to the reader. */
  readonly command: string;
}

/** Hooks of a bench: progress lines (stderr in the CLI), a stop signal, a clock, the machine's load. */
export interface BenchHooks {
  readonly onProgress?: ((line: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly now?: (() => number) | undefined;
  /** Reads the machine's load before and after the runs; null: not measured (tests). */
  readonly readLoad?: (() => LoadSample) | null | undefined;
}

/** A ratio's interval wider than this (half-width over the ratio) asks for more runs, up to maxRuns. */
export const TARGET_HALF_WIDTH = 0.05;

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

/**
 * Run every slot of the plan (warm-ups first, then interleaved runs), then, while a ratio's
 * interval is wider than TARGET_HALF_WIDTH and maxRuns allows, one more interleaved round of
 * those configurations and their baselines; then summarise.
 */
export async function runBench(plan: BenchPlan, runner: Runner, hooks: BenchHooks = {}): Promise<BenchResult> {
  const now = hooks.now ?? ((): number => performance.now());
  const readLoad = hooks.readLoad === undefined ? defaultReadLoad : hooks.readLoad;
  const startedAt = new Date().toISOString();
  const before = readLoad?.() ?? null;
  const maxRuns = Math.max(plan.runs, plan.maxRuns ?? plan.runs);
  const records: RunRecord[] = [];
  const clock = { t0: now(), done: 0, planned: 0, most: 0 };
  const runSlots = async (order: readonly RunSlot[]): Promise<void> => {
    clock.planned += order.length;
    for (const slot of order) {
      if (hooks.signal?.aborted === true) return;
      const config = plan.configs[slot.config] as BenchConfig;
      const etaMs = clock.done === 0 ? null : ((now() - clock.t0) / clock.done) * (clock.planned - clock.done);
      hooks.onProgress?.(progressLine(clock, configLabel(config), slot, plan, maxRuns, etaMs));
      records.push(await runSlot(runner, config, plan.target, slot, hooks.signal));
      clock.done++;
    }
  };
  clock.most = interleave(plan.configs.length, maxRuns, plan.warmup).length;
  await runSlots(interleave(plan.configs.length, plan.runs, plan.warmup));
  for (let round = plan.runs + 1; round <= maxRuns && hooks.signal?.aborted !== true; round++) {
    const wide = widePicks(plan.configs, judge(records, plan), plan.target.maxFailed);
    if (wide.length === 0) break;
    await runSlots(wide.map((config) => ({ config, run: round, warmup: false })));
  }
  const judged = judge(records, plan);
  const { configs, ranking, bestKey } = summarizeBench(plan.configs, judged, plan.target.maxFailed);
  const noise =
    before === null || readLoad === null
      ? null
      : machineNoise(before, readLoad(), runsCpuMs(records), availableParallelism());
  const finished = records.filter((r) => !r.flags.includes(INTERRUPTED)).length;
  const stopped =
    hooks.signal?.aborted === true ? [`stopped early: ${finished} run${finished === 1 ? '' : 's'} finished`] : [];
  return {
    schema: 1,
    title: plan.title,
    startedAt,
    machine: machineInfo(),
    target: plan.target,
    delayMs: plan.delayMs,
    runs: plan.runs,
    maxRuns,
    warmup: plan.warmup,
    command: plan.command,
    notes: [...plan.notes, ...stopped],
    configs,
    records: judged,
    ranking,
    bestKey,
    noise,
    ...verdictOf(configs, ranking, noise),
  };
}

/** The verdict: with rates, the curves' (after a busy machine's warning); else the ratios'. */
function verdictOf(
  configs: BenchResult['configs'],
  ranking: BenchResult['ranking'],
  noise: BenchResult['noise'],
): Pick<BenchResult, 'verdict' | 'curves'> {
  const verdict = benchVerdict(configs, ranking, noise);
  if (!configs.some((c) => c.config.rate !== undefined)) return { verdict };
  const curves = curvesOf(configs);
  return { verdict: [...(noise?.busy === true ? verdict.slice(0, 1) : []), ...curveVerdict(curves)], curves };
}

const defaultReadLoad = readLoad;

/** The flag of a run cut short by a signal. */
const INTERRUPTED = 'interrupted: stopped by a signal';

/** Disagreements on a deterministic server, then at most one outlier per configuration, flagged. */
function judge(records: readonly RunRecord[], plan: BenchPlan): RunRecord[] {
  return flagOutliers(flagDisagreements(records, isDeterministicServer(plan.target.serverLabel)));
}

/** Indices of the configurations whose ratio's interval is wide, with their baselines, in plan order. */
function widePicks(configs: readonly BenchConfig[], judged: readonly RunRecord[], maxFailed?: number): number[] {
  const summaries = summarizeBench(configs, judged, maxFailed).configs;
  const keys = new Set<string>();
  for (const s of summaries) {
    if (s.ratioInterval === null || s.baselineKey === null || s.baselineKey === s.key) continue;
    if (relativeHalfWidth(s.ratioInterval) <= TARGET_HALF_WIDTH) continue;
    keys.add(s.key);
    keys.add(s.baselineKey);
  }
  return configs.flatMap((c, i) => (keys.has(configKey(c)) ? [i] : []));
}

/** CPU time the runs' processes reported, in ms. */
function runsCpuMs(records: readonly RunRecord[]): number {
  return records.reduce((sum, r) => sum + (r.report === null ? 0 : r.report.cpuUserMs + r.report.cpuSystemMs), 0);
}

async function runSlot(
  runner: Runner,
  config: BenchConfig,
  target: BenchTarget,
  slot: { run: number; warmup: boolean },
  signal: AbortSignal | undefined,
): Promise<RunRecord> {
  const base = { configKey: configKey(config), run: slot.run, warmup: slot.warmup };
  try {
    const report = await runner(config, target, signal);
    return { ...base, report, flags: runFlags(report) };
  } catch (err) {
    if (signal?.aborted === true) return { ...base, report: null, flags: [INTERRUPTED] };
    return { ...base, report: null, flags: runFlags(null, err instanceof Error ? err.message : String(err)) };
  }
}

/**
 * `[3/12] workers w2 m100 dynamic: run 1/5, ETA 9s` (pure): runs done + 1 of those planned so far
 * (`up to N` when more may follow), and the time left at the mean pace of the runs so far.
 */
export function progressLine(
  clock: { done: number; planned: number; most: number },
  label: string,
  slot: { run: number; warmup: boolean },
  plan: { runs: number; warmup: number },
  maxRuns: number,
  etaMs: number | null,
): string {
  const what = slot.warmup
    ? `warm-up ${slot.run}/${plan.warmup}`
    : slot.run <= plan.runs
      ? `run ${slot.run}/${plan.runs}`
      : `run ${slot.run} of at most ${maxRuns} (its interval is still wide)`;
  const upTo = clock.most > clock.planned ? `, up to ${clock.most}` : '';
  const eta = etaMs === null ? '' : `, ETA ${formatDuration(etaMs)}`;
  return `[${clock.done + 1}/${clock.planned}${upTo}] ${label}: ${what}${eta}`;
}

/** 9s, 1m05s. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
