/** The bench as CSV (pure): one row per configuration, raw numbers, a header row. */
import type { BenchResult, ConfigSummary } from '../compare/types.js';

const FIELDS: readonly [string, (s: ConfigSummary, best: boolean) => string | number | boolean | null][] = [
  ['configuration', (s) => s.key],
  ['model', (s) => s.config.model],
  ['workers', (s) => s.config.workers],
  ['max_req', (s) => s.config.maxReq],
  ['split', (s) => s.config.split],
  ['good_runs', (s) => s.goodRuns],
  ['flagged_runs', (s) => s.flaggedRuns],
  ['elapsed_ms_median', (s) => s.elapsedMs.median],
  ['elapsed_ms_min', (s) => s.elapsedMs.min],
  ['elapsed_ms_max', (s) => s.elapsedMs.max],
  ['noisy', (s) => s.noisy],
  ['requests_per_sec', (s) => s.requestsPerSec.median],
  ['megabytes_per_sec', (s) => s.megabytesPerSec],
  ['ratio_to_loop', (s) => s.ratioToLoop],
  ['baseline', (s) => s.baselineKey],
  ['latency_p50_ms', (s) => s.latencyMs.p50],
  ['latency_p90_ms', (s) => s.latencyMs.p90],
  ['latency_p99_ms', (s) => s.latencyMs.p99],
  ['latency_max_ms', (s) => s.latencyMs.max],
  ['cpu_ms', (s) => s.cpuMs],
  ['peak_rss_bytes', (s) => s.peakRssBytes],
  ['event_loop_utilization', (s) => s.eluMean],
  ['startup_ms', (s) => s.startupMs],
  ['best', (_s, best) => best],
];

/** Quote a CSV cell when it needs it (RFC 4180). */
export function csvCell(v: string | number | boolean | null): string {
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole CSV text, ending with a newline. */
export function benchCsv(result: BenchResult): string {
  const header = FIELDS.map(([name]) => name).join(',');
  const rows = result.configs.map((s) => FIELDS.map(([, f]) => csvCell(f(s, s.key === result.bestKey))).join(','));
  return `${[header, ...rows].join('\n')}\n`;
}
