/**
 * The scenarios side by side (pure): one card per suite with each configuration's requests/s,
 * its ratio to the single loop (as a bar) and its per-worker event-loop utilization, so the
 * regimes (CPU-bound server, waiting, CPU work per download) read at a glance.
 */
import type { BenchResult, ConfigSummary } from '../compare/types.js';
import { esc } from './html-svg.js';
import { num, percent, times } from './bench-format.js';

/** Widest ratio the bars show in full; larger ones are capped. */
const BAR_MAX_RATIO = 2;

/** The side-by-side section, or nothing for a single suite. */
export function overviewHtml(suites: readonly BenchResult[]): string {
  if (suites.length < 2) return '';
  return `<section class="overview"><h2>The scenarios side by side</h2>
<div class="side">${suites.map(card).join('')}</div></section>`;
}

function card(s: BenchResult): string {
  const rows = s.configs.filter((c) => c.goodRuns > 0 && c.failed === undefined).map(row);
  return `<div class="card"><h3>${esc(s.title)}</h3>
<table class="mini"><tr><th>model</th><th>req/s</th><th>×loop</th><th>ELU each</th></tr>${rows.join('')}</table></div>`;
}

function row(c: ConfigSummary): string {
  const ratio = c.ratioToLoop;
  const width = ratio === null ? 0 : Math.round((Math.min(ratio, BAR_MAX_RATIO) / BAR_MAX_RATIO) * 100);
  const cls = ratio !== null && ratio > 1.1 ? 'gain' : ratio !== null && ratio < 0.9 ? 'loss' : 'even';
  const bar =
    `<span class="ratio"><span class="track"><span class="bar ${cls}" style="width:${width}%"></span></span><span ` +
    `class="rv">${esc(times(ratio))}</span></span>`;
  const elu = c.eluPerWorker.length > 8 ? `mean ${percent(c.eluMean)}` : c.eluPerWorker.map(percent).join(' · ');
  // The card's title names the work; the row needs only the model and its concurrency.
  const label = c.config.work === undefined ? c.label : c.label.replace(` ${c.config.work}`, '');
  return `<tr><td>${esc(label)}</td><td>${esc(num(c.requestsPerSec.median))}</td><td>${bar}</td><td>${esc(elu)}</td></tr>`;
}
