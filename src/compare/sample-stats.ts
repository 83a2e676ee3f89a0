/**
 * Pure statistics of a bench: medians with their ranges, spread, noise, ratios, and the
 * checks that leave a run out of the medians (counts that do not add up or disagree).
 */
import type { JsonReport } from './json-report.js';
import type { Spread } from './types.js';

/** A configuration whose (max - min) / median of elapsed time exceeds this is marked noisy. */
export const NOISE_THRESHOLD = 0.1;

/** Median of the values (mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** Arithmetic mean; NaN when empty. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Median, min and max of the values (all NaN when empty). */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** (max - min) / median: 0 for a single value, NaN when there is nothing to compare. */
export function spreadRatio(s: Spread): number {
  return s.median > 0 ? (s.max - s.min) / s.median : Number.NaN;
}

/** True when the range is wider than `threshold` of the median. */
export function isNoisy(s: Spread, threshold = NOISE_THRESHOLD): boolean {
  return spreadRatio(s) > threshold;
}

/** a / b, or null when b is not a positive number. */
export function ratio(a: number, b: number): number | null {
  return b > 0 && Number.isFinite(a) ? a / b : null;
}

/** True when the ranges [a.min, a.max] and [b.min, b.max] share a point. */
export function rangesOverlap(a: Spread, b: Spread): boolean {
  return a.min <= b.max && b.min <= a.max;
}

/** Element-wise mean of rows of different lengths (index i averages the rows that have it). */
export function meanPerIndex(rows: readonly (readonly number[])[]): number[] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const out: number[] = [];
  for (let i = 0; i < width; i++) out.push(mean(rows.flatMap((r) => (i < r.length ? [r[i] as number] : []))));
  return out;
}

/** Why a single run cannot be trusted on its own: failed, interrupted, counts that do not add up. */
export function runFlags(report: JsonReport | null, error?: string): string[] {
  if (report === null) return [`failed: ${error ?? 'no report'}`];
  const flags: string[] = [];
  if (report.failure !== null && report.failure !== undefined) flags.push(`failed: ${report.failure}`);
  if (report.interrupted) flags.push('interrupted');
  const sum = report.ok + report.notFound + report.errors + report.cancelled;
  if (sum !== report.total) {
    flags.push(
      `counts do not add up: ok ${report.ok} + not found ${report.notFound} + errors ${report.errors} ` +
        `+ cancelled ${report.cancelled} = ${sum}, not ${report.total}`,
    );
  }
  return flags;
}

/** The counts that must be the same for every run of a configuration on a deterministic server. */
export function countSignature(r: JsonReport): string {
  return `total ${r.total}, ok ${r.ok}, not found ${r.notFound}, errors ${r.errors}, cancelled ${r.cancelled}`;
}

/**
 * For each report (null = already left out), the flag it gets when its counts differ from
 * the majority of the others; '' when it agrees. Without a strict majority every run whose
 * counts are not shared by all is flagged: there is no telling which is right.
 */
export function disagreementFlags(reports: readonly (JsonReport | null)[]): string[] {
  const tally = new Map<string, number>();
  for (const r of reports) if (r !== null) tally.set(countSignature(r), (tally.get(countSignature(r)) ?? 0) + 1);
  if (tally.size <= 1) return reports.map(() => '');
  const ranked = [...tally.entries()].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked as [[string, number], [string, number]];
  const majority = first[1] > second[1] ? first[0] : null;
  return reports.map((r) => {
    if (r === null) return '';
    const sig = countSignature(r);
    if (sig === majority) return '';
    return majority === null
      ? `counts disagree between runs with no majority (${sig})`
      : `counts differ from the other runs: ${sig} (others: ${majority})`;
  });
}

/** n choose k, as a float (exact for the small counts of a bench). */
export function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}
