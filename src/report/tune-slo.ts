/** tune --slo's text, Markdown and CSV reports (pure): what was searched, per configuration the rate held and missed, the verdict. */
import type { SloCandidateReport, SloReport } from '../compare/tune-slo.js';
import type { SloStop } from '../compare/slo-search.js';
import { formatDuration } from '../compare/run-bench.js';
import { noiseText } from '../compare/machine-load.js';
import { alignColumns } from './bench-table.js';
import { runWorkload } from './bench-format.js';
import { csvCell } from './bench-csv.js';
import { markdownTable } from './bench-markdown.js';
import { HELD_SHARE, LATE_SHARE_BOUND } from '../compare/curve.js';

/** Why a configuration's search ended, in words. */
const STOPS: Record<SloStop, string> = {
  bracketed: 'bracketed',
  floor: 'service time over target',
  none: 'held no rate',
  ceiling: 'held the highest rate tried',
  behind: 'behind the best',
  decided: 'decided',
  unneeded: 'a cheaper one held',
  failed: 'runs failed',
  budget: 'budget ran out',
};

/** The last run that missed the target: at what rate and why. */
function lastMiss(c: SloCandidateReport): string {
  const miss = [...c.trials].reverse().find((t) => t.missed !== null);
  return miss === undefined ? '' : `${miss.offeredPerSec}/s: ${miss.missed ?? ''}`;
}

/** The target's percentile at the highest rate held. */
function atHeld(c: SloCandidateReport): string {
  const t = c.trials.filter((x) => x.offeredPerSec === c.heldPerSec && x.missed === null);
  if (t.length === 0) return '';
  const v = t.map((x) => x.responseMs).sort((a, b) => a - b)[Math.floor((t.length - 1) / 2)] ?? 0;
  return String(Math.round(v * 10) / 10);
}

/** The table: a row per configuration, the recommendation marked with `*`. */
export function sloTable(r: SloReport): { header: string[]; rows: string[][] } {
  const header = ['', 'configuration', 'runs', 'held/s', `${r.slo.percentile} ms`, 'missed/s', 'search', 'last miss'];
  const rows = r.candidates.map((c, i) => [
    i === r.choice ? '*' : '',
    c.key,
    String(c.trials.length + c.failures),
    c.heldPerSec === null ? '—' : String(c.heldPerSec),
    atHeld(c),
    c.missedPerSec === null ? '—' : String(c.missedPerSec),
    STOPS[c.stop],
    lastMiss(c),
  ]);
  return { header, rows };
}

/** What the search looked for, and on what. */
export function sloHeading(r: SloReport): string[] {
  const t = r.target;
  const delay = r.delayMs === null ? '' : ` (delay ${r.delayMs} ms)`;
  const goal =
    r.holdPerSec === null ? 'the highest rate each configuration holds' : `which holds ${r.holdPerSec} req/s`;
  return [
    `flagfetch tune --slo '${r.slo.text}': ${goal}, ${t.serverLabel} ${t.baseUrl}${delay}, ${runWorkload(t)}`,
    `Budget ${formatDuration(r.budgetMs)}, spent ${formatDuration(r.spentMs)}; each run a fresh process at one offered rate.`,
  ];
}

/** How to read the table. */
export function sloLegend(r: SloReport): string {
  return (
    `held: the highest offered rate at which most runs met ${r.slo.percentile} <= ${r.slo.maxMs} ms (the response time, ` +
    `from each request's intended start), achieved at least ${HELD_SHARE * 100} % of the rate and started at most ` +
    `${LATE_SHARE_BOUND * 100} % of requests late; missed: the lowest rate that did not. * = the recommendation.`
  );
}

/** Every line of the text report. */
export function sloTextLines(r: SloReport): string[] {
  const { header, rows } = sloTable(r);
  return [
    ...sloHeading(r),
    '',
    ...alignColumns([header, ...rows], [true, true]),
    '',
    sloLegend(r),
    ...r.failures.map((f) => `Left out: ${f}`),
    '',
    ...r.verdict.map((l) => `Verdict: ${l}`),
    ...(r.noise === null ? [] : [`Machine: ${noiseText(r.noise)}.`]),
  ];
}

/** The report as Markdown. */
export function sloMarkdown(r: SloReport): string {
  const { header, rows } = sloTable(r);
  const table = markdownTable(header, rows, [true, true]);
  const lines = ['# flagfetch tune --slo', '', ...sloHeading(r), '', ...table, '', sloLegend(r), ''];
  return `${[...lines, ...r.failures.map((f) => `- Left out: ${f}`), ...r.verdict.map((l) => `- **${l}**`)].join('\n')}\n`;
}

/** One CSV row per run: each header the path of the value in `candidates[].trials[]`, with its configuration. */
export function sloCsv(r: SloReport): string {
  const header = [
    'key',
    'offeredPerSec',
    'achievedPerSec',
    'lateShare',
    'responseMs',
    'serviceMs',
    'missed',
    'recommended',
  ];
  const rows = r.candidates.flatMap((c, i) =>
    c.trials.map((t) =>
      [c.key, t.offeredPerSec, t.achievedPerSec, t.lateShare, t.responseMs, t.serviceMs, t.missed, i === r.choice]
        .map(csvCell)
        .join(','),
    ),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
