/** The tuner's files (pure): one CSV row per point tried, Markdown, and an HTML page with its chart. */
import { ranKey, type TuneReport } from '../compare/tune-run.js';
import { medianInterval } from '../compare/ratio-stat.js';
import { lineChartSvg, type LinePoint } from './html-charts.js';
import { csvCell } from './bench-csv.js';
import { markdownTable } from './bench-markdown.js';
import { recommendationLines, tuneHeading, tuneTable } from './bench-tune.js';
import { HTML_STYLE } from './html-style.js';
import { esc } from './html-svg.js';

/** CSV columns of a tune: `work` (the report's), then each header the path of the value in `trials[]` (`runs` = samples counted). */
const TUNE_FIELDS: readonly [
  string,
  (r: TuneReport, t: TuneReport['trials'][number]) => string | number | boolean | null,
][] = [
  ['work', (r) => r.work],
  ['point.workers', (_r, t) => t.point.workers],
  ['point.maxReq', (_r, t) => t.point.maxReq],
  ['threads', (r, t) => r.ran[ranKey(t.point)]?.threads ?? null],
  ['inFlight', (r, t) => r.ran[ranKey(t.point)]?.inFlight ?? null],
  ['phase', (_r, t) => t.phase],
  ['runs', (_r, t) => t.samples.length],
  ['failures', (_r, t) => t.failures],
  ['score.median', (_r, t) => t.score.median],
  ['score.min', (_r, t) => t.score.min],
  ['score.max', (_r, t) => t.score.max],
  ['cpuMs', (r, t) => r.ran[ranKey(t.point)]?.cpuMs ?? null],
  ['best', (r, t) => t === r.best],
  ['recommended', (r, t) => r.choice !== null && ranKey(r.choice.point) === ranKey(t.point)],
];

/** One row per point tried, best first, for each report (one per --works kind). */
export function tuneCsv(reports: readonly TuneReport[]): string {
  const rows = reports.flatMap((report) =>
    report.trials.map((t) => TUNE_FIELDS.map(([, f]) => csvCell(f(report, t))).join(',')),
  );
  return `${[TUNE_FIELDS.map(([n]) => n).join(','), ...rows].join('\n')}\n`;
}

/** The table and the recommendation as Markdown. */
export function tuneMarkdown(report: TuneReport, heading: readonly string[]): string {
  const [header = [], ...rows] = tuneCells(report);
  const table = markdownTable(
    header,
    rows,
    header.map((_, i) => i === 0 || i === header.length - 1),
  );
  return `${['# flagfetch tune', '', ...heading, '', ...table, '', ...recommendationLines(report).map((l) => `- ${l}`)].join('\n')}\n`;
}

/**
 * The chart --help promises: median throughput against max-req (log scale), one line per
 * worker count and one for the loop, whiskers the 95 % bootstrap interval of each median.
 */
export function tuneChartSvg(report: TuneReport): string {
  const lines = new Map<number, LinePoint[]>();
  for (const t of report.trials) {
    if (t.samples.length === 0) continue;
    const ci = t.samples.length > 1 ? medianInterval(t.samples) : null;
    const points = lines.get(t.point.workers) ?? [];
    points.push({ x: t.point.maxReq, y: t.score.median, lo: ci?.lo, hi: ci?.hi });
    lines.set(t.point.workers, points);
  }
  const series = [...lines.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([w, points]) => ({ name: w === 0 ? 'loop' : `-w ${w}`, points }));
  return lineChartSvg({
    title: 'Throughput over workers × max-req',
    xLabel: 'max requests in flight (log scale)',
    yLabel: 'requests / s (median)',
    xName: 'max-req',
    yUnit: 'req/s',
    rangeName: '95 % interval',
    series,
  });
}

/** A self-contained page: per report (one per --works kind) its heading, chart, table and recommendation. */
export function tuneHtml(reports: readonly TuneReport[]): string {
  const tr = (cells: readonly string[], tag: string): string =>
    `<tr>${cells.map((c) => `<${tag}>${esc(c)}</${tag}>`).join('')}</tr>`;
  const section = (report: TuneReport): string => {
    const [header = [], ...rows] = tuneCells(report);
    const heading = tuneHeading(report).map((l) => `<p class="sub">${esc(l)}</p>`);
    const [first = '', ...why] = recommendationLines(report);
    const busy = (l: string): string => (l.startsWith('The machine was busy') ? ' class="flag"' : '');
    return `<section>${heading.join('')}
<section class="verdict"><p>${esc(first)}</p>${why.map((l) => `<p${busy(l)}>${esc(l)}</p>`).join('')}</section>
<div class="charts"><div class="card">${tuneChartSvg(report)}</div></div>
<div class="tablewrap"><table>${tr(header, 'th')}${rows.map((r) => tr(r, 'td')).join('')}</table></div>
<ul class="notes">${report.failures.map((f) => `<li class="flag">Left out: ${esc(f)}</li>`).join('')}</ul></section>`;
  };
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>flagfetch tune</title><style>${HTML_STYLE}</style></head>
<body><main><h1>flagfetch tune</h1>
${reports.map(section).join('\n')}</main></body></html>
`;
}

/** The text table's cells (header first), split back into columns. */
function tuneCells(report: TuneReport): string[][] {
  return tuneTable(report, true);
}
