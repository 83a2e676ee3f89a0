/**
 * The latency–throughput curve of bench --rates (pure): what each configuration did at each
 * offered rate (medians over its good runs), the first rate it did not hold (its knee), and the
 * verdict in words. A rate is held when the achieved rate is at least HELD_SHARE of it, at most
 * LATE_SHARE_BOUND of the requests were late, and the response time's p99 has not jumped.
 */
import type { JsonReport } from './json-report.js';
import { curveName } from './matrix.js';
import { median } from './sample-stats.js';
import type { SpectrumPoint } from '../stats/latency.js';
import type { Curve, CurvePoint, Knee, Percentiles, RateSummary } from './curve-types.js';
import type { ConfigSummary } from './types.js';

/** A rate is held when at least this share of it was achieved (the schedule kept up). */
export const HELD_SHARE = 0.99;
/** A rate is held when at most this share of the requests were late (no lane free at their slot). */
export const LATE_SHARE_BOUND = 0.01;
/** p99 jumped: more than this many times the p99 at the lowest rate… */
export const P99_JUMP = 2;
/** …and more than this many ms above it: smaller rises are a loaded machine's scheduling noise. */
export const P99_JUMP_FLOOR_MS = 5;

const percentilesOf = (
  pick: (r: JsonReport) => Percentiles | undefined,
  reports: readonly JsonReport[],
): Percentiles => {
  const at = (k: keyof Percentiles): number => median(reports.map((r) => pick(r)?.[k] ?? 0));
  return { p50: at('p50'), p90: at('p90'), p99: at('p99'), max: at('max') };
};

/** Per percentile that every run has, the median of the runs' values. */
function medianSpectrum(spectra: readonly (readonly SpectrumPoint[])[]): SpectrumPoint[] {
  const first = spectra[0] ?? [];
  const shared = first.filter((p) => spectra.every((s) => s.some((q) => q.percentile === p.percentile)));
  return shared.map(({ percentile }) => ({
    percentile,
    ms: median(spectra.map((s) => s.find((q) => q.percentile === percentile)?.ms ?? 0)),
  }));
}

/** What the good runs of a configuration did at `offeredPerSec`; undefined when none of them ran on a schedule. */
export function rateSummaryOf(offeredPerSec: number, reports: readonly JsonReport[]): RateSummary | undefined {
  const paced = reports.filter((r) => r.rate !== undefined);
  if (paced.length === 0) return undefined;
  return {
    offeredPerSec,
    achievedPerSec: median(paced.map((r) => r.rate?.achievedPerSec ?? 0)),
    lateShare: median(paced.map((r) => r.rate?.lateShare ?? 0)),
    responseTimeMs: percentilesOf((r) => r.responseTimeMs ?? r.latencyMs, paced),
    serviceTimeMs: percentilesOf((r) => r.serviceTimeMs, paced),
    spectrumMs: medianSpectrum(paced.map((r) => r.rate?.responseTimeSpectrumMs ?? [])),
  };
}

const pct = (share: number): string => `${Math.round(share * 1000) / 10} %`;
const ms = (v: number): string => (v >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10));

/** Why a point was not held, against the curve's lowest rate; null when it was held. */
export function missedBy(p: CurvePoint, lowest: RateSummary): Knee | null {
  const at = { key: p.key, offeredPerSec: p.offeredPerSec };
  if (p.achievedPerSec < HELD_SHARE * p.offeredPerSec)
    return {
      ...at,
      reason: 'achieved',
      words: `achieved ${Math.round(p.achievedPerSec)} req/s, ${pct(p.achievedPerSec / p.offeredPerSec)} of offered`,
    };
  if (p.lateShare > LATE_SHARE_BOUND)
    return { ...at, reason: 'late', words: `${pct(p.lateShare)} of the requests started late` };
  const base = lowest.responseTimeMs.p99;
  const p99 = p.responseTimeMs.p99;
  if (p !== lowest && p99 > P99_JUMP * base && p99 - base > P99_JUMP_FLOOR_MS)
    return {
      ...at,
      reason: 'p99',
      words: `p99 jumped to ${ms(p99)} ms from ${ms(base)} ms at ${lowest.offeredPerSec} req/s`,
    };
  return null;
}

/** The knee of points sorted by offered rate, and the highest rate held below it. */
export function kneeOf(points: readonly CurvePoint[]): { knee: Knee | null; sustainedPerSec: number | null } {
  const lowest = points[0];
  let sustainedPerSec: number | null = null;
  for (const p of points) {
    const knee = lowest === undefined ? null : missedBy(p, lowest);
    if (knee !== null) return { knee, sustainedPerSec };
    sustainedPerSec = p.offeredPerSec;
  }
  return { knee: null, sustainedPerSec };
}

/**
 * One curve per configuration (in the order of the summaries), its points by offered rate. A
 * failed configuration at a rate ends its curve there: it did not hold that rate.
 */
export function curvesOf(configs: readonly ConfigSummary[]): Curve[] {
  const names = [...new Set(configs.filter((c) => c.config.rate !== undefined).map((c) => curveName(c.config)))];
  return names.map((name) => {
    const mine = configs
      .filter((c) => c.config.rate !== undefined && curveName(c.config) === name)
      .sort((a, b) => (a.config.rate ?? 0) - (b.config.rate ?? 0));
    const failedAt = mine.find((c) => c.failed !== undefined || c.rate === undefined);
    const points: CurvePoint[] = mine.flatMap((c) => (c.rate === undefined ? [] : [{ key: c.key, ...c.rate }]));
    const held = points.filter((p) => failedAt?.config.rate === undefined || p.offeredPerSec < failedAt.config.rate);
    const found = kneeOf(held);
    const failedKnee: Knee | null =
      failedAt?.config.rate === undefined
        ? null
        : {
            key: failedAt.key,
            offeredPerSec: failedAt.config.rate,
            reason: 'failed',
            words: failedAt.failed === undefined ? 'no run was good' : `it failed: ${failedAt.failed.reason}`,
          };
    return { name, points, knee: found.knee ?? failedKnee, sustainedPerSec: found.sustainedPerSec };
  });
}

/** The curves in words: each configuration's highest rate held and its knee, then which held the most. */
export function curveVerdict(curves: readonly Curve[]): string[] {
  const lines = curves.map((c) => {
    const top = c.points.find((p) => p.offeredPerSec === c.sustainedPerSec);
    const held =
      top === undefined ? '' : `held up to ${top.offeredPerSec} req/s (p99 ${ms(top.responseTimeMs.p99)} ms)`;
    if (c.knee === null) return `${c.name} ${held}: no knee within the rates tried.`;
    const bend = `at ${c.knee.offeredPerSec} req/s ${c.knee.words}`;
    return top === undefined ? `${c.name} held none of the rates: ${bend}.` : `${c.name} ${held}; its knee: ${bend}.`;
  });
  const best = Math.max(...curves.map((c) => c.sustainedPerSec ?? 0));
  if (curves.length > 1 && best > 0) {
    const who = curves.filter((c) => c.sustainedPerSec === best).map((c) => c.name);
    lines.push(`Highest rate held: ${best} req/s, by ${who.join(', ')}.`);
  } else if (curves.length > 0 && best === 0) lines.push('No configuration held even the lowest offered rate.');
  return lines;
}
