/** The tuner's text report (pure): what it tried, what it recommends, how sure it is. */
import { ranKey, type TuneReport } from '../compare/tune-run.js';
import { CONFIRM_SAMPLES, type Trial } from '../compare/tune-search.js';
import { formatDuration } from '../compare/run-bench.js';
import { alignColumns } from './bench-table.js';
import { num } from './bench-format.js';
import { rangesOverlap } from '../compare/sample-stats.js';

const pointName = (t: Trial): string => `-w ${t.point.workers} -m ${t.point.maxReq}`;

/**
 * Table of the trials, best first; the recommended one marked with `*` (cells, or aligned lines).
 * `ran` is what the runs really started, threads × requests in flight (-w 4 -m 1 is 1×1).
 */
export function tuneTable(report: TuneReport, cells: true): string[][];
export function tuneTable(report: TuneReport, cells?: false): string[];
export function tuneTable(report: TuneReport, cells = false): string[] | string[][] {
  const header = ['', 'workers', 'max-req', 'ran', 'runs', 'req/s median', 'min', 'max', 'phase'];
  const rows = report.trials.map((t) => [
    t === report.best ? '*' : '',
    String(t.point.workers),
    String(t.point.maxReq),
    ranText(report, t),
    t.failures > 0 ? `${t.samples.length}+${t.failures}!` : String(t.samples.length),
    num(t.score.median),
    num(t.score.min),
    num(t.score.max),
    t.phase,
  ]);
  if (cells) return [header, ...rows];
  return alignColumns([header, ...rows], [true, false, false, false, false, false, false, false, true]);
}

/** `2×100`: threads × requests in flight a point's runs started; — when none ran. */
function ranText(report: TuneReport, t: Trial): string {
  const r = report.ran[ranKey(t.point)];
  return r === undefined ? '—' : `${r.threads}×${r.inFlight}`;
}

/** The recommendation and what the data says of it, in plain words (the lead is a margin, not a probability). */
export function recommendationLines(report: TuneReport): string[] {
  const { best, runnerUp, verdict } = report;
  if (best === null) return ['No recommendation: every run failed (see the reasons above).'];
  const work =
    (report.work === undefined || report.work === 'none' ? '' : ` --work ${report.work}`) + transportFlags(report);
  // Recommend what ran: -w 4 -m 1 starts one worker, so it is -w 1 -m 1.
  const workers = Math.min(best.point.workers, report.ran[ranKey(best.point)]?.threads ?? best.point.workers);
  const model =
    (report.model === 'loop'
      ? `--model loop -m ${best.point.maxReq}`
      : `--model workers -w ${workers} -m ${best.point.maxReq}`) + work;
  const lines = [
    `Recommended: flagfetch download ${model}  (${num(best.score.median)} req/s, median of ${runsOf(best)}, ` +
      `${num(best.score.min)}–${num(best.score.max)})`,
  ];
  if (runnerUp === null || verdict.lead === null) {
    lines.push('Lead: nothing to compare it with.');
    return lines;
  }
  const lead =
    `${(verdict.lead * 100).toFixed(1)} % above ${pointName(runnerUp)}'s median (${num(runnerUp.score.median)} ` +
    `req/s, ${runsOf(runnerUp)})`;
  const words = {
    clear: `a clear winner: measured ${CONFIRM_SAMPLES}+ times each, every run of it beat every run of the runner-up, by more than 10 %`,
    ahead: `ahead: measured ${CONFIRM_SAMPLES}+ times each and every run of it beat the runner-up's, but by 10 % or less`,
    tie: 'a tie within noise: their runs overlap, so either setting does as well',
    unconfirmed: `not confirmed: the budget ran out before both were measured ${CONFIRM_SAMPLES} times; rerun with a larger --budget`,
    single: 'nothing to compare it with',
  }[verdict.level];
  lines.push(`Lead: ${lead}; ${words}.`);
  const lightest = lightestTied(report);
  if (verdict.level === 'tie' && lightest !== null && lightest !== best) {
    lines.push(
      `Within noise of the best, the lightest setting is ${pointName(lightest)} (${num(lightest.score.median)} ` +
        `req/s): fewer threads and sockets for the same throughput.`,
    );
  }
  return lines;
}

const runsOf = (t: Trial): string => `${t.samples.length} run${t.samples.length === 1 ? '' : 's'}`;

/** Of the trials whose min–max range overlaps the best's, the one with fewest workers, then lowest max-req. */
export function lightestTied(report: TuneReport): Trial | null {
  const best = report.best;
  if (best === null) return null;
  const tied = report.trials.filter((t) => t.samples.length > 0 && rangesOverlap(t.score, best.score));
  tied.sort((a, b) => a.point.workers - b.point.workers || a.point.maxReq - b.point.maxReq);
  return tied[0] ?? null;
}

/** ` --http2 --connections N` as the report's trials used them (older reports have neither). */
function transportFlags(report: TuneReport): string {
  const h2 = (report.protocol as string | undefined) === 'h2' ? ' --http2' : '';
  const c = (report.connections as number | null | undefined) ?? null;
  return c === null ? h2 : `${h2} --connections ${c}`;
}

/** The two lines saying what was tuned and how the search went. */
export function tuneHeading(report: TuneReport): string[] {
  const t = report.target;
  const delay = report.delayMs === null ? '' : ` (delay ${report.delayMs} ms)`;
  const work =
    (report.work === undefined || report.work === 'none' ? '' : `, --work ${report.work}`) +
    transportFlags(report).replaceAll(' --', ', --');
  return [
    `flagfetch tune (${report.model} model${work}): ${t.serverLabel} ${t.baseUrl}${delay}, ${t.codeCount} ` +
      `codes × ${t.repeat} per run; each run a fresh process.`,
    `${report.evaluations} runs in ${formatDuration(report.spentMs)} of a ${formatDuration(report.budgetMs)} ` +
      `budget (${report.stoppedBy === 'budget' ? 'stopped by the budget' : 'converged'}); coarse ` +
      `grid, then refined around the best, then the best two and close points measured again.`,
  ];
}

/** The whole text report. */
export function tuneTextLines(report: TuneReport): string[] {
  return [
    ...tuneHeading(report),
    '',
    ...tuneTable(report),
    '',
    ...report.failures.map((f) => `Left out: ${f}`),
    ...recommendationLines(report),
  ];
}
