/**
 * The one ratio statistic of bench and tune (pure): the ratio of median throughputs of two
 * configurations, with a 95 % bootstrap percentile interval (both samples resampled with
 * replacement, by the seeded generator of the server's content, so that the same runs always give the same interval), and
 * the one decision made from it: faster or slower only where the interval excludes 1.
 */
import { median } from './sample-stats.js';
import { rng } from '../server/random.js';
import type { Decision, RatioInterval } from './types.js';

export type { Decision, RatioInterval };

/** Bootstrap resamples per interval. */
export const RESAMPLES = 2000;
/** Fewest good runs on each side before a ratio may be called faster or slower. */
export const MIN_DECISION_RUNS = 3;
/** Seed of every interval: the same runs give the same interval on every machine. */
export const BOOTSTRAP_SEED = 0x5eed;
/** A run whose modified z-score (distance from the median over 1.4826 × MAD) exceeds this is an outlier. */
export const OUTLIER_Z = 3.5;
/** Fewest good runs of a configuration before one of them may be left out as an outlier. */
export const MIN_RUNS_FOR_OUTLIER = 4;

/** The q-quantile (0..1) of sorted values, linearly interpolated. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const i = Math.floor(pos);
  const lo = sorted[i] as number;
  const hi = sorted[Math.min(i + 1, sorted.length - 1)] as number;
  return lo + (hi - lo) * (pos - i);
}

function resampledMedian(values: readonly number[], rand: () => number): number {
  const pick = values.map(() => values[Math.floor(rand() * values.length)] as number);
  return median(pick);
}

/** median(a) / median(b) with its bootstrap interval; null when either side has no positive median. */
export function medianRatio(
  a: readonly number[],
  b: readonly number[],
  seed = BOOTSTRAP_SEED,
  resamples = RESAMPLES,
): RatioInterval | null {
  const ma = median(a);
  const mb = median(b);
  if (!(mb > 0) || !Number.isFinite(ma)) return null;
  const rand = rng(seed);
  const ratios: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const rb = resampledMedian(b, rand);
    if (rb > 0) ratios.push(resampledMedian(a, rand) / rb);
  }
  ratios.sort((x, y) => x - y);
  return { ratio: ma / mb, lo: quantile(ratios, 0.025), hi: quantile(ratios, 0.975) };
}

/** The median of the values with its 95 % bootstrap interval (as a ratio to 1); null when empty. */
export function medianInterval(values: readonly number[]): RatioInterval | null {
  return values.length === 0 ? null : medianRatio(values, [1]);
}

/** The decision of a ratio measured on `runs` good runs (the smaller side): 1 outside the interval, or not. */
export function decide(ci: RatioInterval | null, runs: number): Decision {
  if (ci === null || runs < MIN_DECISION_RUNS) return 'few runs';
  if (ci.lo > 1) return 'faster';
  if (ci.hi < 1) return 'slower';
  return 'same';
}

/** `1.59× (1.45–1.72)`. */
export function ratioText(ci: RatioInterval): string {
  return `${ci.ratio.toFixed(2)}× (${ci.lo.toFixed(2)}–${ci.hi.toFixed(2)})`;
}

/** Half the interval's width over the ratio: 0.05 is ±5 %. */
export function relativeHalfWidth(ci: RatioInterval): number {
  return ci.ratio > 0 ? (ci.hi - ci.lo) / 2 / ci.ratio : Number.POSITIVE_INFINITY;
}

/**
 * The index of the one run to leave out as an outlier, or null: with MIN_RUNS_FOR_OUTLIER runs
 * or more, the run farthest from the median when its modified z-score (distance from the
 * median over 1.4826 × the median absolute deviation, Iglewicz and Hoaglin) exceeds OUTLIER_Z.
 * When most runs are identical (a deviation of 0), a run more than 5 % away is the outlier.
 */
export function outlierIndex(values: readonly number[]): number | null {
  if (values.length < MIN_RUNS_FOR_OUTLIER) return null;
  const m = median(values);
  let far = 0;
  values.forEach((v, i) => {
    if (Math.abs(v - m) > Math.abs((values[far] as number) - m)) far = i;
  });
  const mad = 1.4826 * median(values.map((v) => Math.abs(v - m)));
  const distance = Math.abs((values[far] as number) - m);
  if (mad === 0) return distance > 0.05 * m ? far : null;
  return distance / mad > OUTLIER_Z ? far : null;
}
