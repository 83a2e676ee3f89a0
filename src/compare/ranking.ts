/**
 * Ranking a bench honestly (pure), hyperfine style but with the bench's one statistic: within
 * each group of equal work kind, protocol and target (never across groups), the configuration
 * of highest median throughput against each other one, as a ratio of medians with its
 * bootstrap interval (`1.28× (1.20–1.35)`); told apart only where the interval excludes 1.
 */
import { decide, medianRatio, ratioText } from './ratio-stat.js';
import { median } from './sample-stats.js';
import type { Comparison, RankGroup, Ranking, Samples } from './types.js';

/** Rank every group apart. */
export function rankSamples(all: readonly Samples[]): Ranking {
  const usable = all.filter((s) => s.values.length > 0);
  const names = [...new Set(usable.map((s) => s.group))];
  return {
    groups: names.map((g) =>
      rankGroup(
        g,
        usable.filter((s) => s.group === g),
      ),
    ),
  };
}

function rankGroup(group: string, members: readonly Samples[]): RankGroup {
  const sorted = [...members].sort((a, b) => median(b.values) - median(a.values));
  const fastest = sorted[0] as Samples;
  const comparisons = sorted.slice(1).flatMap((other): Comparison[] => {
    const ratio = medianRatio(fastest.values, other.values);
    if (ratio === null) return [];
    const decision = decide(ratio, Math.min(fastest.values.length, other.values.length));
    return [{ key: other.key, label: other.label, ratio, decision }];
  });
  const winner = comparisons.length > 0 && comparisons.every((c) => c.decision === 'faster');
  return {
    group,
    fastestKey: fastest.key,
    fastestLabel: fastest.label,
    comparisons,
    winnerKey: winner ? fastest.key : null,
  };
}

/** Every group's winner. */
export function winnerKeys(r: Ranking): string[] {
  return r.groups.flatMap((g) => (g.winnerKey === null ? [] : [g.winnerKey]));
}

/** `workers w2 m100 ran 1.28× (1.20–1.35) as fast as loop m100`, or why they cannot be told apart. */
export function comparisonText(fastest: string, c: Comparison): string {
  const r = ratioText(c.ratio);
  if (c.decision === 'faster') return `${fastest} ran ${r} as fast as ${c.label}`;
  const why =
    c.decision === 'few runs' ? 'too few runs to tell them apart: 3 each at least' : 'the interval includes 1';
  return `${fastest} and ${c.label} are indistinguishable (${r}; ${why})`;
}
