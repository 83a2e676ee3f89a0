/**
 * From the runs of a bench to one summary per configuration (pure): leave out flagged runs,
 * take medians of the rest, compare each configuration with its `loop` baseline, pick the best.
 */
import type { JsonReport } from './json-report.js';
import { baselineMaxReq, configKey, configLabel, sameWork } from './matrix.js';
import {
  disagreementFlags,
  isNoisy,
  mean,
  meanPerIndex,
  median,
  ratio,
  spreadOf,
  spreadRatio,
} from './sample-stats.js';
import { rankSamples } from './ranking.js';
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

/** Summary of one configuration from its records (ratio left empty; see summarizeBench). */
export function summarizeConfig(config: BenchConfig, records: readonly RunRecord[]): ConfigSummary {
  const key = configKey(config);
  const mine = records.filter((r) => r.configKey === key && !r.warmup);
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
    counts:
      first === undefined ? null : { total: first.total, ok: first.ok, notFound: first.notFound, errors: first.errors },
  };
}

/** Summaries of all configurations with their ratios to loop, the ranking, and the winner if the data has one. */
export function summarizeBench(
  configs: readonly BenchConfig[],
  records: readonly RunRecord[],
): { configs: ConfigSummary[]; ranking: Ranking; bestKey: string | null } {
  const maxReqs = configs.filter((c) => c.model !== 'sequential').map((c) => c.maxReq);
  const summaries = configs.map((c) => summarizeConfig(c, records));
  const loopAt = (m: number, of: BenchConfig): ConfigSummary | undefined =>
    summaries.find((s) => s.config.model === 'loop' && s.config.maxReq === m && sameWork(s.config, of));
  const withRatios = summaries.map((s) => {
    const base = loopAt(baselineMaxReq(s.config, maxReqs.length > 0 ? maxReqs : [1]), s.config);
    if (base === undefined) return s;
    return { ...s, baselineKey: base.key, ratioToLoop: ratio(s.requestsPerSec.median, base.requestsPerSec.median) };
  });
  const ranking = rankSamples(
    withRatios.map((s) => ({
      key: s.key,
      label: s.label,
      values: records.flatMap((r) =>
        r.configKey === s.key && !r.warmup && r.flags.length === 0 && r.report !== null
          ? [r.report.requestsPerSec]
          : [],
      ),
    })),
  );
  return { configs: withRatios, ranking, bestKey: ranking.winnerKey };
}
