/**
 * What bench and tune run, resolved from their flags by one function each, shared by the
 * command line and the API (which hands its typed options over as the flags' strings): the
 * workload, bench's matrix, runs and queue, tune's model, budget and thread bound. Pure apart
 * from reading the core count; every message names the flag and the fix. Output flags
 * (--json, --export-*) are the command line's and are resolved there.
 */
import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import { parseChoice, parseCount } from '../flags.js';
import { LIMITS } from '../options.js';
import { checkQueueFlagsNeedQueue } from '../queue/queue-flags.js';
import { parseQueueUrl } from '../queue/target.js';
import type { TargetKind } from '../targets/url-list.js';
import {
  oneSpelling,
  parseCountList,
  parseModelList,
  resolveWorkload,
  type RawWorkloadOptions,
  type Workload,
} from './bench-options.js';
import type { MatrixSpec } from './matrix.js';
import { resolveBenchRates, resolveTuneSlo, type RawRateFlags } from './rate-settings.js';
import type { Slo } from './slo.js';

/** What commander hands over for bench's run flags (strings as typed). */
export interface RawBenchFlags extends RawWorkloadOptions, Pick<RawRateFlags, 'rates' | 'duration'> {
  models?: string;
  /** The old spelling of --models (tune's), still accepted. */
  model?: string;
  workers?: string;
  maxReq?: string;
  runs?: string;
  minRuns?: string;
  maxRuns?: string;
  warmup?: string;
  queue?: string;
  agents?: string;
  agentWait?: string;
}

/** A bench, resolved: the workload, the matrix, how many runs, and the queue's arguments. */
export interface BenchSettings extends Workload {
  readonly matrix: MatrixSpec;
  /** Measured runs of every configuration, at least. */
  readonly runs: number;
  /** Most measured runs of a configuration while its ratio's interval is wide. */
  readonly maxRuns: number;
  readonly warmup: number;
  /** `--queue … --agents N --agent-wait S` for every run, with bench --queue. */
  readonly runArgs: readonly string[];
  /** With --rates: every run's length (`--duration`), the list repeated. */
  readonly rateDurationMs: number | undefined;
}

/** What commander hands over for tune's run flags. */
export interface RawTuneFlags extends RawWorkloadOptions, Pick<RawRateFlags, 'slo' | 'rate' | 'duration'> {
  budget?: string;
  models?: string;
  /** The old spelling of --models, still accepted. */
  model?: string;
  maxWorkers?: string;
}

/** A tune, resolved: the workload, the model searched, the time budget and the most threads tried. */
export interface TuneSettings extends Workload {
  readonly model: 'workers' | 'loop';
  readonly budgetMs: number;
  readonly maxWorkers: number;
  /** `--slo`: search for the highest rate each configuration holds within this latency target. */
  readonly slo: Slo | undefined;
  /** `--slo … --rate R`: the cheapest configuration that holds R. */
  readonly holdPerSec: number | undefined;
  /** With --slo: every run's length (`--duration`). */
  readonly rateDurationMs: number | undefined;
}

/** Validate bench's run flags; throws UsageError. `inputs`: the --urls file's text. */
export function resolveBenchSettings(
  args: readonly string[],
  raw: RawBenchFlags,
  inputs: { readonly urlsText?: string | undefined } = {},
): BenchSettings {
  const workload = resolveWorkload(args, raw, 20, inputs);
  const { rates, rateDurationMs } = resolveBenchRates(raw, workload.split);
  // bench does not carry --rates over --queue yet (download does): say so once here, not as a failure of every run.
  if (rates !== undefined && raw.queue !== undefined)
    throw new UsageError('--queue does not take --rates yet: drop one of them');
  return {
    ...workload,
    rateDurationMs,
    matrix: {
      ...(rates === undefined ? {} : { rates }),
      models: parseModelList(oneSpelling(raw) ?? 'loop,workers'),
      workers: parseCountList('--workers', raw.workers ?? String(availableParallelism()), 1, LIMITS.workers),
      maxReq: parseCountList('--max-req', raw.maxReq ?? '100', 1, LIMITS.maxReq),
      split: workload.split,
      works: workload.works,
      protocols: workload.protocols,
      connections: workload.connections,
    },
    ...resolveRuns(raw),
    warmup: parseCount('--warmup', raw.warmup, 0, 100, 1),
    runArgs: queueRunArgs(raw, workload.kind),
  };
}

/** Validate tune's run flags; throws UsageError. `inputs`: the --urls file's text. */
export function resolveTuneSettings(
  args: readonly string[],
  raw: RawTuneFlags,
  inputs: { readonly urlsText?: string | undefined } = {},
): TuneSettings {
  const workload = resolveWorkload(args, raw, 20, inputs);
  const slo = resolveTuneSlo(raw, workload.split);
  const many = workload.works.length > 1 || workload.protocols.length > 1 || (workload.connections?.length ?? 0) > 1;
  if (slo.slo !== undefined && many)
    throw new UsageError('--slo tunes one work kind, protocol and connection count: give one value of each');
  return {
    ...workload,
    ...slo,
    model: parseChoice('--models', oneSpelling(raw), ['workers', 'loop'] as const, 'workers'),
    budgetMs: parseCount('--budget', raw.budget, 1, 86_400, 60) * 1000,
    maxWorkers: parseCount('--max-workers', raw.maxWorkers, 1, LIMITS.workers, 2 * availableParallelism()),
  };
}

/**
 * `--runs N`: exactly N measured runs of every configuration; else `--min-runs` (default 5) and
 * `--max-runs` (default 10): more runs while a ratio's interval is wider than ±5 %, as
 * hyperfine's --min-runs and --max-runs.
 */
export function resolveRuns(raw: Pick<RawBenchFlags, 'runs' | 'minRuns' | 'maxRuns'>): {
  runs: number;
  maxRuns: number;
} {
  if (raw.runs !== undefined) {
    const flag = raw.minRuns !== undefined ? '--min-runs' : raw.maxRuns !== undefined ? '--max-runs' : null;
    if (flag !== null)
      throw new UsageError(`--runs N is exactly N runs: drop ${flag}, or give --min-runs and --max-runs`);
    const runs = parseCount('--runs', raw.runs, 1, 1000);
    return { runs, maxRuns: runs };
  }
  const runs = parseCount('--min-runs', raw.minRuns, 1, 1000, 5);
  const maxRuns = parseCount('--max-runs', raw.maxRuns, 1, 1000, Math.max(10, runs));
  if (maxRuns < runs)
    throw new UsageError(`--max-runs ${maxRuns} is below --min-runs ${runs}: give a --max-runs of ${runs} or more`);
  return { runs, maxRuns };
}

/** With --queue: the workers runs go through the queue (the loop baselines and other models run here). */
function queueRunArgs(raw: RawBenchFlags, kind: TargetKind): string[] {
  if (raw.queue === undefined) {
    checkQueueFlagsNeedQueue(raw);
    return [];
  }
  // download refuses them with --queue: say so once here, not as a failure of every workers run.
  if (kind !== 'flags')
    throw new UsageError('--urls and {cc} templates are not carried to agents yet: drop --queue, or bench flag codes');
  const agents = parseCount('--agents', raw.agents, 1, 10_000, 1);
  const wait = parseCount('--agent-wait', raw.agentWait, 1, 86_400, 30);
  return ['--queue', parseQueueUrl('--queue', raw.queue).url, '--agents', String(agents), '--agent-wait', String(wait)];
}
