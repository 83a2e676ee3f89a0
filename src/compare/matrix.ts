/**
 * The bench matrix (pure): which configurations a list of models, worker counts, max-req
 * values and work kinds amounts to, which `loop` baselines the ratios need, and the interleaved
 * order in which runs are made.
 */
import type { ModelName, SplitMode } from '../models/types.js';
import type { BenchConfig } from './types.js';
import type { WorkKind } from '../cpu-work/kind.js';
import type { Protocol } from '../download/settings.js';

/** What the user asked to compare. */
export interface MatrixSpec {
  readonly models: readonly ModelName[];
  readonly workers: readonly number[];
  readonly maxReq: readonly number[];
  readonly split: SplitMode;
  /** CPU work per download to compare (default: none only). */
  readonly works?: readonly WorkKind[] | undefined;
  /** Protocols to compare (default: h1 only). */
  readonly protocols?: readonly Protocol[] | undefined;
  /** Connection counts to compare (default: the protocol's own). */
  readonly connections?: readonly number[] | undefined;
  /** Offered rates in requests per second (bench --rates): every configuration at each, an open model. */
  readonly rates?: readonly number[] | undefined;
}

/** Configurations in a stable order, plus notes on what was added or collapsed. */
export interface Matrix {
  readonly configs: readonly BenchConfig[];
  readonly notes: readonly string[];
}

/** A stable identifier of a configuration, e.g. `workers w2 m100 dynamic`, `threads w2 m100`, `loop m100 decode`, `loop m100 h2 c1`, `loop m100 r200`. */
export function configKey(c: BenchConfig): string {
  const key = curveName(c);
  return c.rate === undefined ? key : `${key} r${c.rate}`;
}

/** The key of a configuration without its rate: the name of its latency–throughput curve. */
export function curveName(c: BenchConfig): string {
  let key = modelKey(c);
  if (c.protocol === 'h2') key += ' h2';
  if (c.connections !== undefined) key += ` c${c.connections}`;
  return c.work === undefined || c.work === 'none' ? key : `${key} ${c.work}`;
}

function modelKey(c: BenchConfig): string {
  switch (c.model) {
    case 'sequential':
      return 'sequential';
    case 'loop':
      return `loop m${c.maxReq}`;
    case 'threads':
      return `threads w${c.workers} m${c.maxReq}`;
    case 'workers':
      return `workers w${c.workers} m${c.maxReq} ${c.split}`;
  }
}

/** The same work, protocol and offered rate (what a ratio to the loop holds equal): absent and `none` / `h1` are one. */
export function sameWork(a: BenchConfig, b: BenchConfig): boolean {
  return (
    (a.work ?? 'none') === (b.work ?? 'none') && (a.protocol ?? 'h1') === (b.protocol ?? 'h1') && a.rate === b.rate
  );
}

/** The group a configuration is ranked within: equal work kind, protocol and rate (`none h1`, `decode h2`, `none h1 r200`). */
export function groupOf(c: BenchConfig): string {
  return `${c.work ?? 'none'} ${c.protocol ?? 'h1'}${c.rate === undefined ? '' : ` r${c.rate}`}`;
}

/** A group in words for a verdict: `without --work`, `with --work decode over HTTP/2`, `… at 200 req/s offered`. */
export function groupWords(group: string): string {
  const [work = 'none', protocol = 'h1', rate] = group.split(' ');
  const at = rate === undefined ? '' : ` at ${rate.slice(1)} req/s offered`;
  return `${work === 'none' ? 'without --work' : `with --work ${work}`}${protocol === 'h2' ? ' over HTTP/2' : ''}${at}`;
}

/** A human label: the key, plus any scaled workload. */
export function configLabel(c: BenchConfig): string {
  let label = configKey(c);
  if (c.limit !== undefined) label += ` [${c.limit} codes]`;
  if (c.repeat !== undefined) label += ` [×${c.repeat}]`;
  return label;
}

/**
 * The max-req of the loop a configuration is compared with: its own, except sequential
 * (one request in flight) which is compared with loop at 1 when the bench has it, else with
 * the loop at the largest max-req.
 */
export function baselineMaxReq(c: BenchConfig, maxReqs: readonly number[]): number {
  if (c.model !== 'sequential') return c.maxReq;
  return maxReqs.includes(1) ? 1 : Math.max(...maxReqs);
}

/**
 * Expand a spec into configurations, for each work kind, protocol and connection count:
 * sequential once (max-req, workers and connections do not apply), loop once per max-req (one
 * event loop, no workers), threads and workers for every workers × max-req. Adds the `loop` runs that the ratios
 * need (same max-req, work and protocol) when loop is not in the list, and says so.
 */
export function buildMatrix(spec: MatrixSpec): Matrix {
  const configs: BenchConfig[] = [];
  const add = (c: BenchConfig): void => {
    if (!configs.some((o) => configKey(o) === configKey(c))) configs.push(c);
  };
  const { split } = spec;
  const works = spec.works ?? ['none'];
  const withWork = (c: BenchConfig, work: WorkKind): BenchConfig => (work === 'none' ? c : { ...c, work });
  for (const work of works)
    for (const protocol of spec.protocols ?? ['h1'])
      for (const connections of spec.connections ?? [undefined]) {
        const variant = (c: BenchConfig): BenchConfig => {
          const shaped = withWork(protocol === 'h2' ? { ...c, protocol } : c, work);
          return connections === undefined || c.model === 'sequential' ? shaped : { ...shaped, connections };
        };
        for (const model of spec.models) {
          if (model === 'sequential') add(variant({ model, workers: 1, maxReq: 1, split }));
          for (const maxReq of spec.maxReq) {
            if (model === 'loop') add(variant({ model, workers: 1, maxReq, split }));
            if (model === 'workers' || model === 'threads')
              for (const workers of spec.workers) add(variant({ model, workers, maxReq, split }));
          }
        }
      }
  const notes: string[] = [];
  const missing = configs
    .filter((c) => c.model !== 'loop')
    .map((c) => {
      const loop: BenchConfig = { model: 'loop', workers: 1, maxReq: baselineMaxReq(c, spec.maxReq), split };
      return withWork(c.protocol === 'h2' ? { ...loop, protocol: 'h2' } : loop, c.work ?? 'none');
    })
    .filter((b, i, all) => all.findIndex((o) => configKey(o) === configKey(b)) === i)
    .filter((b) => !configs.some((c) => c.model === 'loop' && c.maxReq === b.maxReq && sameWork(c, b)))
    .sort((a, b) => a.maxReq - b.maxReq);
  for (const b of missing) configs.push({ ...b, auto: true });
  if (missing.length > 0) {
    notes.push(
      `added loop at max-req ${missing.map((b) => (b.work === undefined ? b.maxReq : `${b.maxReq} (${b.work})`)).join(', ')}: ` +
        `ratios compare every model with one event loop at the same max-req${works.some((w) => w !== 'none') ? ' and work' : ''}` +
        `${spec.rates === undefined ? '' : ' and rate'}`,
    );
  }
  const rates = spec.rates;
  return {
    configs: rates === undefined ? configs : configs.flatMap((c) => rates.map((rate) => ({ ...c, rate }))),
    notes,
  };
}

/** One slot of the run order. */
export interface RunSlot {
  /** Index into the configurations. */
  readonly config: number;
  /** 1-based run number within the configuration (warm-ups and measured runs counted apart). */
  readonly run: number;
  readonly warmup: boolean;
}

/**
 * The order of runs: every configuration's warm-ups first (A B C, A B C…), then the measured
 * runs interleaved A B C A B C… so that drift of the machine spreads evenly over them.
 */
export function interleave(configCount: number, runs: number, warmup: number): RunSlot[] {
  const order: RunSlot[] = [];
  for (let w = 1; w <= warmup; w++)
    for (let c = 0; c < configCount; c++) order.push({ config: c, run: w, warmup: true });
  for (let r = 1; r <= runs; r++)
    for (let c = 0; c < configCount; c++) order.push({ config: c, run: r, warmup: false });
  return order;
}
