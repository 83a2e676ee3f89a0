/**
 * Ranking a bench honestly, as hyperfine does (pure): the configuration of highest mean
 * throughput against each other one, as a ratio of means with its propagated standard
 * deviation (`1.28 ± 0.06 times faster`), and a verdict: two configurations are told apart
 * only when their runs do not overlap at all (every run of one beat every run of the other)
 * and there are enough runs for that to be unlikely by chance.
 */
import { binomial } from './sample-stats.js';
import type { Comparison, Ranking, Samples } from './types.js';

/** Chance that all of one sample's runs beat all of the other's by luck must be at most this (3 runs each: 1 in 20). */
export const SEPARATION_P = 0.05;

/** Mean and sample standard deviation (0 for one value). */
export function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, sd };
}

/** Compare the fastest with every other configuration that has good runs. */
export function rankSamples(all: readonly Samples[]): Ranking {
  const usable = all.filter((s) => s.values.length > 0);
  const sorted = [...usable].sort((a, b) => meanSd(b.values).mean - meanSd(a.values).mean);
  const fastest = sorted[0];
  if (fastest === undefined) return { fastestKey: null, fastestLabel: null, comparisons: [], winnerKey: null };
  const comparisons = sorted.slice(1).map((other) => compare(fastest, other));
  const winner = comparisons.length > 0 && comparisons.every((c) => c.separated);
  return {
    fastestKey: fastest.key,
    fastestLabel: fastest.label,
    comparisons,
    winnerKey: winner ? fastest.key : null,
  };
}

function compare(fast: Samples, slow: Samples): Comparison {
  const a = meanSd(fast.values);
  const b = meanSd(slow.values);
  const ratio = b.mean > 0 ? a.mean / b.mean : Number.POSITIVE_INFINITY;
  const ratioSd = b.mean > 0 && a.mean > 0 ? ratio * Math.hypot(a.sd / a.mean, b.sd / b.mean) : 0;
  const overlap = Math.min(...fast.values) <= Math.max(...slow.values);
  // All runs of one above all of the other: 1 arrangement in C(n + m, n) when nothing differs.
  const enough = 1 / binomial(fast.values.length + slow.values.length, fast.values.length) <= SEPARATION_P;
  const why = overlap ? 'overlap' : enough ? null : 'few runs';
  return { key: slow.key, label: slow.label, ratio, ratioSd, separated: why === null, why };
}

/** `workers w2 m100 ran 1.28 ± 0.06 times faster than loop m100`, or why they cannot be told apart. */
export function comparisonText(fastest: string, c: Comparison): string {
  const r = `${c.ratio.toFixed(2)} ± ${c.ratioSd.toFixed(2)}`;
  if (c.separated) return `${fastest} ran ${r} times faster than ${c.label}`;
  const why = c.why === 'overlap' ? 'their runs overlap' : 'too few runs to tell them apart: 3 each at least';
  return `${fastest} and ${c.label} are indistinguishable (${r}; ${why})`;
}
