/**
 * From the runs of a bench to one summary per configuration (pure): leave out flagged runs,
 * take medians of the rest, compare each configuration with its `loop` baseline, pick the best.
 */
import type { JsonReport } from './json-report.js';
import { baselineMaxReq, configKey, configLabel, groupOf, sameWork } from './matrix.js';
import { disagreementFlags, isNoisy, mean, meanPerIndex, median, spreadOf, spreadRatio } from './sample-stats.js';
import { rankSamples, winnerKeys } from './ranking.js';
import { decide, medianRatio, OUTLIER_Z, outlierIndex } from './ratio-stat.js';
import { configFailure } from './failed-configs.js';
import { rateSummaryOf } from './curve.js';
import type { BenchConfig, ConfigSummary, Ranking, RunRecord } from './types.js';

/** Servers whose answers do not depend on chance: every run must count the same. */
export function isDeterministicServer(label: string): boolean {
  return label === 'LOCAL' || label === 'DELAY';
}

/**
 * Add a flag to every measured run whose counts differ from the other runs of its
 * configuration (only on a deterministic server). Warm-ups and flagged runs are left as they are.
 */
export function flagDisagreements(records: readonly RunRecord[], deterministic: boolean): RunRecord[] {
  if (!deterministic) return [...records];
  const out = [...records];
  const keys = [...new Set(records.map((r) => r.configKey))];
  for (const key of keys) {
    const idx = out.flatMap((r, i) => (r.configKey === key && !r.warmup && r.flags.length === 0 ? [i] : []));
    const flags = disagreementFlags(idx.map((i) => (out[i] as RunRecord).report));
    idx.forEach((i, k) => {
      const flag = flags[k] ?? '';
      const rec = out[i] as RunRecord;
      if (flag !== '') out[i] = { ...rec, flags: [...rec.flags, flag] };
    });
  }
  return out;
}

/**
 * Leave out at most one run per configuration as an outlier (see outlierIndex: its throughput
 * is more than OUTLIER_Z scaled median absolute deviations from the median), with the reason.
 */
export function flagOutliers(records: readonly RunRecord[]): RunRecord[] {
  const out = [...records];
  for (const key of new Set(records.map((r) => r.configKey))) {
    const idx = out.flatMap((r, i) => (r.configKey === key && isGood(r) ? [i] : []));
    const values = idx.map((i) => (out[i] as RunRecord).report?.requestsPerSec ?? 0);
    const far = outlierIndex(values);
    if (far === null) continue;
    const rec = out[idx[far] as number] as RunRecord;
    const flag =
      `outlier: ${Math.round(values[far] as number)} req/s against a median of ${Math.round(median(values))} ` +
      `(more than ${OUTLIER_Z} scaled deviations away; at most one run per configuration is left out so)`;
    out[idx[far] as number] = { ...rec, flags: [flag] };
  }
  return out;
}

const isGood = (r: RunRecord): boolean => !r.warmup && r.flags.length === 0 && r.report !== null;

/** Throughputs of a configuration's good runs. */
export function goodThroughputs(records: readonly RunRecord[], key: string): number[] {
  return records.flatMap((r) => (r.configKey === key && isGood(r) ? [(r.report as JsonReport).requestsPerSec] : []));
}

/**
 * Summary of one configuration from its records (ratio left empty; see summarizeBench), marked
 * failed when its runs are no result (`maxFailed`: see configFailure).
 */
export function summarizeConfig(config: BenchConfig, records: readonly RunRecord[], maxFailed = 1): ConfigSummary {
  const key = configKey(config);
  const mine = records.filter((r) => r.configKey === key && !r.warmup);
  const failed = configFailure(mine, maxFailed);
  const good = mine.flatMap((r) => (r.flags.length === 0 && r.report !== null ? [r.report] : []));
  const pick = (f: (r: JsonReport) => number): number => median(good.map(f));
  const elapsedMs = spreadOf(good.map((r) => r.elapsedMs));
  const eluPerWorker = meanPerIndex(good.map((r) => r.perWorker.map((w) => w.eventLoopUtilization)));
  const first = good[0];
  return {
    key,
    label: configLabel(config),
    config,
    threads: first?.workers ?? null,
    inFlight: first?.maxReq ?? null,
    goodRuns: good.length,
    flaggedRuns: mine.length - good.length,
    elapsedMs,
    requestsPerSec: spreadOf(good.map((r) => r.requestsPerSec)),
    megabytesPerSec: pick((r) => r.megabytesPerSec),
    latencyMs: {
      p50: pick((r) => r.latencyMs.p50),
      p90: pick((r) => r.latencyMs.p90),
      p99: pick((r) => r.latencyMs.p99),
      max: pick((r) => r.latencyMs.max),
    },
    cpuMs: pick((r) => r.cpuUserMs + r.cpuSystemMs),
    peakRssBytes: pick((r) => r.peakRssBytes),
    startupMs: pick((r) => r.startupMs),
    workMs: pick((r) => r.workMs ?? 0),
    eluPerWorker,
    eluMean: mean(eluPerWorker),
    spreadRatio: spreadRatio(elapsedMs),
    noisy: isNoisy(elapsedMs),
    baselineKey: null,
    ratioToLoop: null,
    ratioInterval: null,
    decision: 'few runs',
    counts:
      first === undefined ? null : { total: first.total, ok: first.ok, notFound: first.notFound, errors: first.errors },
    ...(failed === undefined ? {} : { failed }),
    ...rateOf(config, good),
  };
}

/** With a rate and good runs: what they did on the schedule. */
function rateOf(config: BenchConfig, good: readonly JsonReport[]): Pick<ConfigSummary, 'rate'> {
  const rate = config.rate === undefined ? undefined : rateSummaryOf(config.rate, good);
  return rate === undefined ? {} : { rate };
}

/**
 * Summaries of all configurations with their ratios to loop (ratio of medians with its
 * interval), the ranking within groups of equal work and protocol, and the winner if there is
 * one group and the data has one. A configuration marked failed is neither compared nor ranked.
 */
export function summarizeBench(
  configs: readonly BenchConfig[],
  records: readonly RunRecord[],
  maxFailed = 1,
): { configs: ConfigSummary[]; ranking: Ranking; bestKey: string | null } {
  const maxReqs = configs.filter((c) => c.model !== 'sequential').map((c) => c.maxReq);
  const summaries = configs.map((c) => summarizeConfig(c, records, maxFailed));
  const valid = (s: ConfigSummary): boolean => s.failed === undefined && s.goodRuns > 0;
  const loopAt = (m: number, of: BenchConfig): ConfigSummary | undefined =>
    summaries.find((s) => s.config.model === 'loop' && s.config.maxReq === m && sameWork(s.config, of) && valid(s));
  const withRatios = summaries.map((s) => {
    const base = loopAt(baselineMaxReq(s.config, maxReqs.length > 0 ? maxReqs : [1]), s.config);
    if (base === undefined || !valid(s)) return s;
    if (base.key === s.key) return { ...s, baselineKey: s.key, ratioToLoop: 1, decision: 'same' as const };
    const mine = goodThroughputs(records, s.key);
    const theirs = goodThroughputs(records, base.key);
    const ci = medianRatio(mine, theirs);
    return {
      ...s,
      baselineKey: base.key,
      ratioToLoop: ci?.ratio ?? null,
      ratioInterval: ci,
      decision: decide(ci, Math.min(mine.length, theirs.length)),
    };
  });
  const ranking = rankSamples(
    withRatios
      .filter(valid)
      .map((s) => ({ key: s.key, label: s.label, group: groupOf(s.config), values: goodThroughputs(records, s.key) })),
  );
  const winners = winnerKeys(ranking);
  return { configs: withRatios, ranking, bestKey: ranking.groups.length === 1 ? (winners[0] ?? null) : null };
}
