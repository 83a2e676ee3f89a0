/**
 * The bench's text report (pure): one row per configuration, the winner marked only when
 * the data separates it, the ranking in hyperfine's words, then the notes and every run left
 * out of the medians with the reason.
 */
import { comparisonText, winnerKeys } from '../compare/ranking.js';
import { noiseText } from '../compare/machine-load.js';
import { groupWords } from '../compare/matrix.js';
import { ratioText } from '../compare/ratio-stat.js';
import type { BenchResult, ConfigSummary } from '../compare/types.js';
import { measuredRuns, megabytes, num, percent, runWorkload, times, withRange } from './bench-format.js';
import { CURVE_LEGEND, curveRows, curvesOfResult } from './bench-curve.js';

/** Columns of the bench table: header, alignment, and how a summary fills the cell. */
export const BENCH_COLUMNS: readonly { header: string; left?: boolean; cell: (s: ConfigSummary) => string }[] = [
  { header: 'configuration', left: true, cell: (s) => s.label },
  { header: 'runs', cell: (s) => (s.flaggedRuns > 0 ? `${s.goodRuns}+${s.flaggedRuns}!` : String(s.goodRuns)) },
  { header: 'elapsed ms (min–max)', cell: (s) => `${withRange(s.elapsedMs)}${s.noisy ? ' ~' : ''}` },
  { header: 'req/s', cell: (s) => num(s.requestsPerSec.median) },
  { header: 'MB/s', cell: (s) => num(s.megabytesPerSec) },
  {
    header: '×loop (95% interval)',
    cell: (s) => (s.ratioInterval === null ? times(s.ratioToLoop) : ratioText(s.ratioInterval)),
  },
  { header: 'p50 ms', cell: (s) => num(s.latencyMs.p50) },
  { header: 'p90', cell: (s) => num(s.latencyMs.p90) },
  { header: 'p99', cell: (s) => num(s.latencyMs.p99) },
  { header: 'max', cell: (s) => num(s.latencyMs.max) },
  { header: 'CPU ms', cell: (s) => num(s.cpuMs) },
  { header: 'RSS MB', cell: (s) => megabytes(s.peakRssBytes) },
  { header: 'ELU', cell: (s) => percent(s.eluMean) },
  { header: 'start ms', cell: (s) => num(s.startupMs) },
];

/** Align rows of cells into lines; `left[i]` left-aligns column i, others align right. */
export function alignColumns(rows: readonly (readonly string[])[], left: readonly boolean[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - [...cell].length);
        return left[i] === true ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd(),
  );
}

/** The table of configurations; each group's winner, when the data has one, is marked with `*`. */
export function benchTable(result: BenchResult): string[] {
  const header = ['', ...BENCH_COLUMNS.map((c) => c.header)];
  const winners = winnerKeys(result.ranking);
  const rows = result.configs.map((s) =>
    s.failed !== undefined
      ? ['!', s.label, 'failed', ...BENCH_COLUMNS.slice(2).map(() => '')]
      : [winners.includes(s.key) ? '*' : '', ...BENCH_COLUMNS.map((c) => c.cell(s))],
  );
  return alignColumns([header, ...rows], [true, ...BENCH_COLUMNS.map((c) => c.left === true)]);
}

/** The ranking in words, per group of equal work and protocol: its fastest against every other configuration. */
export function comparisonLines(result: BenchResult): string[] {
  const groups = result.ranking.groups;
  if (groups.length === 0) return ['No configuration had a good run: nothing to rank.'];
  return groups.flatMap((r) => {
    if (r.comparisons.length === 0) return [];
    const fastest = r.fastestLabel;
    const where = groups.length > 1 ? ` ${groupWords(r.group)}` : '';
    const head =
      r.winnerKey === null
        ? `Highest median req/s${where}: ${fastest}, but the intervals do not separate it from every other configuration (no * winner):`
        : `${fastest} is the fastest${where} (*): every interval excludes 1.`;
    return [head, ...r.comparisons.map((c) => `  ${comparisonText(fastest, c)}`)];
  });
}

/** Notes, baselines and every run left out, one line each. */
export function benchNotes(result: BenchResult): string[] {
  const lines: string[] = [];
  for (const s of result.configs) {
    if (s.baselineKey !== null && s.config.model === 'sequential' && s.baselineKey !== 'loop m1') {
      lines.push(`sequential is compared with ${s.baselineKey}.`);
    }
  }
  for (const s of result.configs) {
    const f = s.failed;
    if (f !== undefined)
      lines.push(
        `Failed: ${s.label}: ${f.reason}${f.exampleUrl === undefined ? '' : `, e.g. ${f.exampleUrl}`} (not ranked)`,
      );
  }
  for (const note of result.notes) lines.push(`Note: ${note}`);
  for (const r of result.records) {
    if (r.flags.length > 0)
      lines.push(`Left out: ${r.configKey} ${r.warmup ? 'warm-up' : 'run'} ${r.run}: ${r.flags.join('; ')}`);
  }
  return lines;
}

/** The verdict in words, and the machine's noise when it was measured. */
export function verdictLines(result: BenchResult): string[] {
  const noise = result.noise === null || result.noise.busy ? [] : [`Machine: ${noiseText(result.noise)}.`];
  return [...result.verdict.map((l) => `Verdict: ${l}`), ...noise];
}

/** Heading, what one run is, the table, a legend, the curves (with rates), the ranking, notes and flagged runs. */
export function benchTextLines(result: BenchResult): string[] {
  const t = result.target;
  const delay = result.delayMs === null ? '' : ` (delay ${result.delayMs} ms)`;
  const curves = curvesOfResult(result);
  const curve = curveRows(curves);
  return [
    `${result.title}: ${t.serverLabel} ${t.baseUrl}${delay}, ${runWorkload(t)}`,
    `Each run is a fresh process (${result.command}); ${result.warmup} warm-up and ${measuredRuns(result)}` +
      ` per configuration, interleaved.`,
    '',
    ...benchTable(result),
    '',
    'Medians over the good runs; latency columns are medians of the per-run percentiles. * = fastest of its group, told apart from every other row;',
    `~ = noisy (elapsed range wider than 10 % of the median); N+M! = M runs left out; ! = failed, not a result; ×loop = median throughput ` +
      `over one event loop's at the same max-req, with its 95 % bootstrap interval.`,
    ...(curves.length === 0
      ? comparisonLines(result)
      : ['', ...alignColumns([curve.header, ...curve.rows], [true]), CURVE_LEGEND]),
    ...benchNotes(result),
    '',
    ...verdictLines(result),
  ];
}
