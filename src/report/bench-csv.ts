/** The bench as CSV (pure): one row per configuration, raw numbers, a header row. */
import type { BenchResult, ConfigSummary } from '../compare/types.js';

/**
 * Columns: each header is the path of the same value in the JSON (`config.maxReq`,
 * `requestsPerSec.median`), so one name means one thing in both files.
 */
const FIELDS: readonly [string, (s: ConfigSummary, best: boolean, knee: string | null) => Cell][] = [
  ['key', (s) => s.key],
  ['config.model', (s) => s.config.model],
  ['config.workers', (s) => s.config.workers],
  ['config.maxReq', (s) => s.config.maxReq],
  ['config.split', (s) => s.config.split],
  ['threads', (s) => s.threads],
  ['inFlight', (s) => s.inFlight],
  ['goodRuns', (s) => s.goodRuns],
  ['flaggedRuns', (s) => s.flaggedRuns],
  ['elapsedMs.median', (s) => s.elapsedMs.median],
  ['elapsedMs.min', (s) => s.elapsedMs.min],
  ['elapsedMs.max', (s) => s.elapsedMs.max],
  ['noisy', (s) => s.noisy],
  ['requestsPerSec.median', (s) => s.requestsPerSec.median],
  ['requestsPerSec.min', (s) => s.requestsPerSec.min],
  ['requestsPerSec.max', (s) => s.requestsPerSec.max],
  ['megabytesPerSec', (s) => s.megabytesPerSec],
  ['ratioToLoop', (s) => s.ratioToLoop],
  ['ratioInterval.lo', (s) => s.ratioInterval?.lo ?? null],
  ['ratioInterval.hi', (s) => s.ratioInterval?.hi ?? null],
  ['decision', (s) => s.decision],
  ['baselineKey', (s) => s.baselineKey],
  ['latencyMs.p50', (s) => s.latencyMs.p50],
  ['latencyMs.p90', (s) => s.latencyMs.p90],
  ['latencyMs.p99', (s) => s.latencyMs.p99],
  ['latencyMs.max', (s) => s.latencyMs.max],
  ['cpuMs', (s) => s.cpuMs],
  ['peakRssBytes', (s) => s.peakRssBytes],
  ['eluMean', (s) => s.eluMean],
  ['startupMs', (s) => s.startupMs],
  ['config.rate', (s) => s.config.rate ?? null],
  ['rate.achievedPerSec', (s) => s.rate?.achievedPerSec ?? null],
  ['rate.lateShare', (s) => s.rate?.lateShare ?? null],
  ['rate.responseTimeMs.p50', (s) => s.rate?.responseTimeMs.p50 ?? null],
  ['rate.responseTimeMs.p90', (s) => s.rate?.responseTimeMs.p90 ?? null],
  ['rate.responseTimeMs.p99', (s) => s.rate?.responseTimeMs.p99 ?? null],
  ['rate.responseTimeMs.max', (s) => s.rate?.responseTimeMs.max ?? null],
  ['rate.serviceTimeMs.p50', (s) => s.rate?.serviceTimeMs.p50 ?? null],
  ['rate.serviceTimeMs.p99', (s) => s.rate?.serviceTimeMs.p99 ?? null],
  // The knee of the configuration's curve (curves[].knee.reason in the JSON), on the row of its rate.
  ['curves.knee.reason', (_s, _best, knee) => knee],
  ['failed.reason', (s) => s.failed?.reason ?? null],
  ['failed.exampleUrl', (s) => s.failed?.exampleUrl ?? null],
  ['best', (_s, best) => best],
];

type Cell = string | number | boolean | null;

/** Quote a CSV cell when it needs it (RFC 4180). */
export function csvCell(v: Cell): string {
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole CSV text, ending with a newline. */
export function benchCsv(result: BenchResult): string {
  const header = FIELDS.map(([name]) => name).join(',');
  const knees = new Map((result.curves ?? []).flatMap((c) => (c.knee === null ? [] : [[c.knee.key, c.knee.reason]])));
  const rows = result.configs.map((s) =>
    FIELDS.map(([, f]) => csvCell(f(s, s.key === result.bestKey, knees.get(s.key) ?? null))).join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}
