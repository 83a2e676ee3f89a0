/**
 * tune --slo as one self-contained HTML page (pure): the target's percentile over the offered
 * rate for every configuration tried (log scales, the target drawn across), the table and the
 * verdict. No script, no external resource.
 */
import type { SloReport } from '../compare/tune-slo.js';
import { lineChartSvg, type LineSeries } from './html-charts.js';
import { HTML_STYLE } from './html-style.js';
import { esc } from './html-svg.js';
import { sloHeading, sloLegend, sloTable } from './tune-slo.js';

/** Every configuration's runs: the target's percentile at each offered rate (the median where a rate ran more than once). */
function runsChart(r: SloReport): string {
  const series: LineSeries[] = r.candidates
    .filter((c) => c.trials.length > 0)
    .map((c) => {
      const rates = [...new Set(c.trials.map((t) => t.offeredPerSec))].sort((a, b) => a - b);
      return {
        name: c.key,
        points: rates.map((x) => {
          const ms = c.trials
            .filter((t) => t.offeredPerSec === x)
            .map((t) => t.responseMs)
            .sort((a, b) => a - b);
          return { x, y: ms[Math.floor((ms.length - 1) / 2)] ?? 0, tip: `offered ${x} req/s` };
        }),
      };
    });
  const all = series.flatMap((s) => s.points.map((p) => p.x));
  const target: LineSeries = {
    name: `target ${r.slo.text}`,
    color: '#a33',
    dashed: true,
    points: [Math.min(...all), Math.max(...all)].map((x) => ({ x, y: r.slo.maxMs })),
  };
  return lineChartSvg({
    title: `Response time ${r.slo.percentile} against offered rate`,
    xLabel: 'offered requests / s (log scale)',
    yLabel: `${r.slo.percentile} ms (log scale)`,
    xName: 'offered',
    yUnit: 'ms',
    yLog: true,
    series: series.length === 0 ? [] : [...series, target],
  });
}

/** The whole page. */
export function sloHtml(r: SloReport): string {
  const { header, rows } = sloTable(r);
  // The text's `*` column becomes a ★ after the recommended configuration's name (the first column reads left).
  const head = `<tr>${header
    .slice(1)
    .map((h) => `<th>${esc(h)}</th>`)
    .join('')}</tr>`;
  const body = rows
    .map((row, i) => {
      const cells = row.slice(1).map((c, k) => `<td>${esc(c)}${k === 0 && i === r.choice ? ' ★' : ''}</td>`);
      return `<tr${i === r.choice ? ' class="best"' : ''}>${cells.join('')}</tr>`;
    })
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>flagfetch tune --slo</title><style>${HTML_STYLE}</style></head>
<body><main>
<h1>flagfetch tune --slo '${esc(r.slo.text)}'</h1>
${sloHeading(r)
  .map((l) => `<p class="sub">${esc(l)}</p>`)
  .join('\n')}
<section class="verdict">${r.verdict.map((l) => `<p>${esc(l)}</p>`).join('')}</section>
<div class="charts"><div class="card">${runsChart(r)}</div></div>
<div class="tablewrap"><table>${head}${body}</table></div>
<ul class="notes"><li>${esc(sloLegend(r))}</li>${r.failures.map((f) => `<li class="flag">Left out: ${esc(f)}</li>`).join('')}</ul>
</main></body></html>
`;
}
