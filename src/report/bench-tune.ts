/** The tuner's text report (pure): what it tried, what it recommends, how sure it is. */
import type { TuneReport } from '../compare/tune-run.js';
import type { Trial } from '../compare/tune-search.js';
import { formatDuration } from '../compare/run-bench.js';
import { alignColumns } from './bench-table.js';
import { num } from './bench-format.js';
import { rangesOverlap } from '../compare/sample-stats.js';

const pointName = (t: Trial): string => `-w ${t.point.workers} -m ${t.point.maxReq}`;

/** Table of the trials, best first; the recommended one marked with `*`. */
export function tuneTable(report: TuneReport): string[] {
  const header = ['', 'workers', 'max-req', 'runs', 'req/s median', 'min', 'max', 'phase'];
  const rows = report.trials.map((t) => [
    t === report.best ? '*' : '',
    String(t.point.workers),
    String(t.point.maxReq),
    t.failures > 0 ? `${t.samples.length}+${t.failures}!` : String(t.samples.length),
    num(t.score.median),
    num(t.score.min),
    num(t.score.max),
    t.phase,
  ]);
  return alignColumns([header, ...rows], [true, false, false, false, false, false, false, true]);
}

/** The recommendation and the confidence in it, in plain words. */
export function recommendationLines(report: TuneReport): string[] {
  const { best, runnerUp, confidence } = report;
  if (best === null) return ['No recommendation: every run failed (see the reasons above).'];
  const work = report.work === undefined || report.work === 'none' ? '' : ` --work ${report.work}`;
  const model =
    (report.model === 'loop' ? `--model loop -m ${best.point.maxReq}` : `--model workers ${pointName(best)}`) + work;
  const lines = [
    `Recommended: flagfetch download ${model}  (${num(best.score.median)} req/s, median of ${best.samples.length} run${best.samples.length === 1 ? '' : 's'}, ${num(best.score.min)}–${num(best.score.max)})`,
  ];
  if (runnerUp === null || confidence.gap === null) {
    lines.push('Confidence: nothing to compare it with.');
    return lines;
  }
  const ahead = `${(confidence.gap * 100).toFixed(1)} % ahead of ${pointName(runnerUp)} (${num(runnerUp.score.median)} req/s, ${runnerUp.samples.length} run${runnerUp.samples.length === 1 ? '' : 's'})`;
  const verdict = {
    clear: 'clear: more than 10 % ahead and the min–max ranges do not overlap',
    likely: 'likely: the ranges do not overlap, but the lead is under 10 %',
    tie: 'a tie within noise: the min–max ranges overlap, so either setting does as well',
    single: 'nothing to compare it with',
  }[confidence.level];
  lines.push(`Confidence: ${ahead}; ${verdict}.`);
  const lightest = lightestTied(report);
  if (confidence.level === 'tie' && lightest !== null && lightest !== best) {
    lines.push(
      `Within noise of the best, the lightest setting is ${pointName(lightest)} (${num(lightest.score.median)} req/s): fewer threads and sockets for the same throughput.`,
    );
  }
  if (best.samples.length < 3)
    lines.push('Few runs of the best point: rerun with a larger --budget for a firmer answer.');
  return lines;
}

/** Of the trials whose min–max range overlaps the best's, the one with fewest workers, then lowest max-req. */
export function lightestTied(report: TuneReport): Trial | null {
  const best = report.best;
  if (best === null) return null;
  const tied = report.trials.filter((t) => t.samples.length > 0 && rangesOverlap(t.score, best.score));
  tied.sort((a, b) => a.point.workers - b.point.workers || a.point.maxReq - b.point.maxReq);
  return tied[0] ?? null;
}

/** The whole text report. */
export function tuneTextLines(report: TuneReport): string[] {
  const t = report.target;
  const delay = report.delayMs === null ? '' : ` (delay ${report.delayMs} ms)`;
  const work = report.work === undefined || report.work === 'none' ? '' : `, --work ${report.work}`;
  return [
    `flagfetch tune (${report.model} model${work}): ${t.serverLabel} ${t.baseUrl}${delay}, ${t.codeCount} codes × ${t.repeat} per run; each run a fresh process.`,
    `${report.evaluations} runs in ${formatDuration(report.spentMs)} of a ${formatDuration(report.budgetMs)} budget (${report.stoppedBy === 'budget' ? 'stopped by the budget' : 'converged'}); coarse grid, then refined around the best, then close points measured again.`,
    '',
    ...tuneTable(report),
    '',
    ...report.failures.map((f) => `Left out: ${f}`),
    ...recommendationLines(report),
  ];
}
