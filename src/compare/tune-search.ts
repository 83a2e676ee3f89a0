/**
 * The tuner's search (pure logic over an injected objective and clock): a coarse grid of
 * workers × max-req (log scale), refined around the best point with halving steps, then
 * repeats: the best and the runner-up until each has CONFIRM_SAMPLES runs (one run per point
 * proves nothing), and the points too close to the best to tell apart, within a time budget.
 * Workers 0 is the single event loop (no pool thread), measured beside the threads.
 */
import { decide, medianRatio } from './ratio-stat.js';
import { rangesOverlap, spreadOf } from './sample-stats.js';
import type { RatioInterval, Spread } from './types.js';

/** One point of the search space. */
export interface TunePoint {
  /** Pool threads of the workers model; 0 is the single event loop (the loop model). */
  readonly workers: number;
  /** Requests in flight in total. */
  readonly maxReq: number;
}

/** The space: worker counts to consider (sorted) and the max-req range. */
export interface TuneSpace {
  /** Worker counts to consider, sorted (0: the loop). */
  readonly workers: readonly number[];
  /** The least max-req tried. */
  readonly maxReqMin: number;
  /** The most max-req tried. */
  readonly maxReqMax: number;
}

/** Throughput of one run at a point (requests/s), or null when the run failed. */
export type Objective = (p: TunePoint) => Promise<number | null>;

/** What was measured at one point. */
export interface Trial {
  /** The point. */
  readonly point: TunePoint;
  /** The search phase that ran it: coarse grid, refinement, or confirmation. */
  readonly phase: 'coarse' | 'refine' | 'confirm';
  /** Requests per second of each counted run. */
  readonly samples: readonly number[];
  /** Runs that failed. */
  readonly failures: number;
  /** The samples: median and range. */
  readonly score: Spread;
}

/** What the data says of the best against the runner-up, from the one ratio statistic (ratio-stat.ts). */
export interface Verdict {
  /**
   * ahead: the interval of best ÷ runner-up excludes 1 (3 runs each at least); tie: it holds 1;
   * unconfirmed: too few runs of either (the budget ran out) to say; single: nothing to compare.
   */
  readonly level: 'ahead' | 'tie' | 'unconfirmed' | 'single';
  /** best ÷ runner-up - 1, between medians: a margin, not a confidence. */
  readonly lead: number | null;
  /** best ÷ runner-up with its 95 % bootstrap interval. */
  readonly ratio: RatioInterval | null;
}

/** The result of a search. */
export interface TuneOutcome {
  /** Every point tried. */
  readonly trials: readonly Trial[];
  /** The point with the highest median throughput, or null without a good run. */
  readonly best: Trial | null;
  /** The next best, or null. */
  readonly runnerUp: Trial | null;
  /** The best against the runner-up. */
  readonly verdict: Verdict;
  /** Runs made. */
  readonly evaluations: number;
  /** Why the search ended: the budget spent, converged, or interrupted. */
  readonly stoppedBy: 'budget' | 'converged' | 'interrupted';
}

/** Points within this share of the best median are measured again. */
export const CLOSE_SHARE = 0.1;
/** Most samples taken of one point. */
export const MAX_SAMPLES = 5;
/** Runs of the best and the runner-up before a winner can be called (runs apart by chance: 1 in 20). */
export const CONFIRM_SAMPLES = 3;

/** `count` values from min to max on a log scale, rounded to 2 significant digits. */
export function logLevels(min: number, max: number, count: number): number[] {
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(round2(min * (max / min) ** (i / Math.max(1, count - 1))));
  return [...out].sort((a, b) => a - b);
}

function round2(v: number): number {
  return v < 10 ? Math.round(v) : Number(v.toPrecision(2));
}

/** Coarse worker levels: 1, the middle and the top of the space (as far as they exist). */
export function coarseWorkers(workers: readonly number[]): number[] {
  const pick = [workers[0], workers[Math.floor((workers.length - 1) / 2)], workers[workers.length - 1]];
  return [...new Set(pick.filter((w): w is number => w !== undefined))];
}

const key = (p: TunePoint): string => `${p.workers}×${p.maxReq}`;

/** Search the space for the point of highest median throughput within `budgetMs` of `now()`, until `signal` aborts. */
export async function tuneSearch(
  space: TuneSpace,
  objective: Objective,
  budgetMs: number,
  now: () => number,
  signal?: AbortSignal,
): Promise<TuneOutcome> {
  const start = now();
  const trials = new Map<string, { point: TunePoint; phase: Trial['phase']; samples: number[]; failures: number }>();
  let evaluations = 0;
  const affordable = (): boolean =>
    signal?.aborted !== true && (evaluations === 0 || now() - start + (now() - start) / evaluations <= budgetMs);
  const measure = async (point: TunePoint, phase: Trial['phase']): Promise<boolean> => {
    if (!affordable()) return false;
    const t = trials.get(key(point)) ?? { point, phase, samples: [], failures: 0 };
    trials.set(key(point), t);
    evaluations++;
    const v = await objective(point);
    if (v === null) t.failures++;
    else t.samples.push(v);
    return true;
  };
  const ranked = (): Trial[] => rank([...trials.values()].map(toTrial));

  const levels = logLevels(space.maxReqMin, space.maxReqMax, 5);
  const ws = coarseWorkers(space.workers);
  const rows = [ws[Math.floor(ws.length / 2)] as number, ...ws.filter((_, i) => i !== Math.floor(ws.length / 2))];
  for (const workers of rows)
    for (const maxReq of levels)
      if (!(await measure({ workers, maxReq }, 'coarse'))) return finish(ranked(), evaluations, stopReason(signal));

  let factor = (space.maxReqMax / space.maxReqMin) ** (1 / Math.max(1, levels.length - 1));
  while (factor > 1.3) {
    factor = Math.sqrt(factor);
    const best = ranked()[0];
    if (best === undefined) break;
    for (const p of neighbours(best.point, factor, space)) {
      if (trials.has(key(p))) continue;
      if (!(await measure(p, 'refine'))) return finish(ranked(), evaluations, stopReason(signal));
    }
  }

  for (;;) {
    const next = nextToConfirm(ranked());
    if (next === undefined) return finish(ranked(), evaluations, 'converged');
    if (!(await measure(next.point, 'confirm'))) return finish(ranked(), evaluations, stopReason(signal));
  }
}

const stopReason = (signal: AbortSignal | undefined): TuneOutcome['stoppedBy'] =>
  signal?.aborted === true ? 'interrupted' : 'budget';

/** Max-req a factor up and down, and one worker count either side, around a point. */
export function neighbours(p: TunePoint, factor: number, space: TuneSpace): TunePoint[] {
  const clamp = (m: number): number => Math.min(space.maxReqMax, Math.max(space.maxReqMin, Math.round(m)));
  const out: TunePoint[] = [
    { workers: p.workers, maxReq: clamp(p.maxReq / factor) },
    { workers: p.workers, maxReq: clamp(p.maxReq * factor) },
  ];
  const i = space.workers.indexOf(p.workers);
  for (const j of [i - 1, i + 1]) {
    const w = space.workers[j];
    if (i >= 0 && w !== undefined) out.push({ workers: w, maxReq: p.maxReq });
  }
  return out.filter((q) => key(q) !== key(p));
}

/**
 * The trial to measure again: the best, the runner-up or the loop's best while any has fewer
 * than CONFIRM_SAMPLES runs, then whatever is too close to the best to tell apart, up to
 * MAX_SAMPLES each (fewest runs first); undefined when nothing needs it.
 */
export function nextToConfirm(ranked: readonly Trial[]): Trial | undefined {
  const runs = (t: Trial): number => t.samples.length + t.failures;
  // The loop's best too, so that what threads add over the loop can be said.
  const loop = ranked.find((t) => t.point.workers === 0 && t.samples.length > 0);
  const top = [...ranked.slice(0, 2), ...(loop === undefined ? [] : [loop])].filter(
    (t) => t.samples.length > 0 && runs(t) < CONFIRM_SAMPLES,
  );
  const contenders = closeToBest(ranked);
  const close = contenders.length < 2 ? [] : contenders.filter((t) => runs(t) < MAX_SAMPLES);
  return [...top, ...close].sort((a, b) => a.samples.length - b.samples.length)[0];
}

/** The best trial and those whose median is within CLOSE_SHARE of it or whose range overlaps it. */
export function closeToBest(ranked: readonly Trial[]): Trial[] {
  const best = ranked[0];
  if (best === undefined || best.samples.length === 0) return [];
  return ranked.filter(
    (t) =>
      t.samples.length > 0 &&
      (t === best || t.score.median >= best.score.median * (1 - CLOSE_SHARE) || rangesOverlap(t.score, best.score)),
  );
}

/** Trials by median throughput, highest first; trials without a good sample last. */
export function rank(trials: readonly Trial[]): Trial[] {
  const value = (t: Trial): number => (t.samples.length === 0 ? -Infinity : t.score.median);
  return [...trials].sort((a, b) => value(b) - value(a));
}

/** What the data says of the best against the runner-up: the ratio of their medians and its decision. */
export function verdictOf(best: Trial | null, runnerUp: Trial | null): Verdict {
  if (best === null || runnerUp === null || runnerUp.samples.length === 0)
    return { level: 'single', lead: null, ratio: null };
  const ratio = medianRatio(best.samples, runnerUp.samples);
  const decision = decide(ratio, Math.min(best.samples.length, runnerUp.samples.length));
  const level = decision === 'faster' ? 'ahead' : decision === 'few runs' ? 'unconfirmed' : 'tie';
  return { level, lead: ratio === null ? null : ratio.ratio - 1, ratio };
}

function toTrial(t: { point: TunePoint; phase: Trial['phase']; samples: number[]; failures: number }): Trial {
  return { point: t.point, phase: t.phase, samples: [...t.samples], failures: t.failures, score: spreadOf(t.samples) };
}

function finish(ranked: Trial[], evaluations: number, stoppedBy: TuneOutcome['stoppedBy']): TuneOutcome {
  const best = ranked[0]?.samples.length ? (ranked[0] ?? null) : null;
  const runnerUp = best === null ? null : (ranked[1] ?? null);
  return { trials: ranked, best, runnerUp, verdict: verdictOf(best, runnerUp), evaluations, stoppedBy };
}
