/** The tuner's text report (pure): what it tried, what it recommends, and why, in plain words. */
import type { TuneReport } from '../compare/tune-run.js';
import { ranKey, type TuneChoice } from '../compare/tune-pick.js';
import type { Trial, TunePoint } from '../compare/tune-search.js';
import { formatDuration } from '../compare/run-bench.js';
import { noiseText } from '../compare/machine-load.js';
import { ratioText } from '../compare/ratio-stat.js';
import { alignColumns } from './bench-table.js';
import { num } from './bench-format.js';

/** `loop -m 14` (workers 0 is the loop) or `-w 2 -m 100`. */
export function pointName(p: TunePoint): string {
  return p.workers === 0 ? `loop -m ${p.maxReq}` : `-w ${p.workers} -m ${p.maxReq}`;
}

/**
 * Table of the trials, best first; the recommended one marked with `*` (cells, or aligned lines).
 * `ran` is what the runs really started, threads × requests in flight (-w 4 -m 1 is 1×1).
 */
export function tuneTable(report: TuneReport, cells: true): string[][];
export function tuneTable(report: TuneReport, cells?: false): string[];
export function tuneTable(report: TuneReport, cells = false): string[] | string[][] {
  const header = ['', 'workers', 'max-req', 'ran', 'runs', 'req/s median', 'min', 'max', 'CPU ms', 'phase'];
  const chosen = report.choice === null ? null : ranKey(report.choice.point);
  const rows = report.trials.map((t) => [
    ranKey(t.point) === chosen ? '*' : '',
    t.point.workers === 0 ? 'loop' : String(t.point.workers),
    String(t.point.maxReq),
    ranText(report, t),
    t.failures > 0 ? `${t.samples.length}+${t.failures}!` : String(t.samples.length),
    num(t.score.median),
    num(t.score.min),
    num(t.score.max),
    num(report.ran[ranKey(t.point)]?.cpuMs ?? null),
    t.phase,
  ]);
  if (cells) return [header, ...rows];
  return alignColumns([header, ...rows], [true, false, false, false, false, false, false, false, false, true]);
}

/** `2×100`: threads × requests in flight a point's runs started; — when none ran. */
function ranText(report: TuneReport, t: Trial): string {
  const r = report.ran[ranKey(t.point)];
  return r === undefined ? '—' : `${t.point.workers === 0 ? 0 : r.threads}×${r.inFlight}`;
}

/** The download flags of a point as it ran (-w 4 -m 1 starts one worker: -w 1 -m 1). */
function pointFlags(report: TuneReport, p: TunePoint): string {
  const extra =
    (report.work === undefined || report.work === 'none' ? '' : ` --work ${report.work}`) + transportFlags(report);
  if (p.workers === 0) return `--model loop -m ${p.maxReq}${extra}`;
  const workers = Math.min(p.workers, report.ran[ranKey(p)]?.threads ?? p.workers);
  return `--model workers -w ${workers} -m ${p.maxReq}${extra}`;
}

const runsOf = (t: Trial): string => `${t.samples.length} run${t.samples.length === 1 ? '' : 's'}`;

/** The recommendation, why it is the cheapest as good as the best, and how it stands against the loop. */
export function recommendationLines(report: TuneReport): string[] {
  const { best, choice } = report;
  if (best === null || choice === null) return ['No recommendation: every run failed (see the reasons above).'];
  const t = report.trials.find((x) => ranKey(x.point) === ranKey(choice.point)) ?? best;
  const lines = [
    `Recommended: flagfetch download ${pointFlags(report, choice.point)}  (${num(t.score.median)} req/s, ` +
      `median of ${runsOf(t)}, ${num(t.score.min)}–${num(t.score.max)})`,
  ];
  if (report.noise?.busy === true)
    lines.push(
      `The machine was busy: ${noiseText(report.noise)}; these figures are unreliable (rerun on a quiet machine).`,
    );
  lines.push(...whyLines(report, choice, best));
  return lines;
}

function whyLines(report: TuneReport, choice: TuneChoice, best: Trial): string[] {
  const out: string[] = [];
  const loopChosen = choice.point.workers === 0 && report.model !== 'loop';
  // With threads the best says what they add; a loop best leaves that to the best with threads.
  const bestHasThreads = best.point.workers > 0;
  if (loopChosen && !bestHasThreads) out.push(`Use the loop: ${threadsWords(choice.threadsOverLoop)}`);
  if (choice.bestOverChoice !== null) {
    const costs = costWords(choice.bestCosts);
    const head = !loopChosen
      ? 'The cheapest setting within noise of the best: '
      : bestHasThreads
        ? 'Use the loop: threads add nothing here: '
        : '';
    out.push(
      `${head}the best, ${pointName(best.point)}, ran ${ratioText(choice.bestOverChoice)} its throughput, ` +
        `within noise${costs === '' ? '' : `, and costs ${costs}`}.`,
    );
  }
  const loop = choice.overLoop;
  if (loop !== null) {
    const r = ratioText(loop.ratio);
    const vs = `the loop's best (${pointName(loop.point)})`;
    out.push(
      {
        faster: `Worker threads help here: ${pointName(choice.point)} ran ${r} ${vs}.`,
        same: `${pointName(choice.point)} ran ${r} ${vs}, within noise.`,
        slower: `${pointName(choice.point)} ran only ${r} ${vs}.`,
        'few runs': `Against ${vs}: ${r}, too few runs to tell (3 each at least); rerun with a larger --budget.`,
      }[loop.decision],
    );
  }
  out.push(runnerUpLine(report));
  return out.filter((l) => l !== '').map((l) => l.charAt(0).toUpperCase() + l.slice(1));
}

/** What threads did against the chosen loop point, for "Use the loop: …". */
function threadsWords(v: TuneChoice['threadsOverLoop']): string {
  if (v === null) return 'threads add nothing here.';
  const r = `${pointName(v.point)}, ran ${ratioText(v.ratio)} its throughput`;
  return {
    faster: `threads add nothing the budget could confirm here (the best with threads, ${r}; rerun with a larger --budget).`,
    same: `threads add nothing here: the best with threads, ${r}, within noise.`,
    slower: `threads add nothing here: the best with threads, ${r}.`,
    'few runs': `threads add nothing here that the runs show: the best with threads, ${r} (too few runs to tell).`,
  }[v.decision];
}

/** How the best stands against the runner-up, from the same statistic. */
function runnerUpLine(report: TuneReport): string {
  const { runnerUp, verdict } = report;
  if (runnerUp === null || verdict.ratio === null) return '';
  const vs = `the best ran ${ratioText(verdict.ratio)} the runner-up ${pointName(runnerUp.point)} (${runsOf(runnerUp)})`;
  const words = {
    ahead: 'told apart: the interval excludes 1',
    tie: 'within noise',
    unconfirmed: 'too few runs to tell them apart (3 each at least): the budget ran out; rerun with a larger --budget',
    single: '',
  }[verdict.level];
  return `Runner-up: ${vs}; ${words}.`;
}

/** `2 more threads, 86 more requests in flight and 35 % more CPU` (connections when they differ from requests in flight); '' when it costs nothing more. */
export function costWords(c: TuneChoice['bestCosts']): string {
  if (c === null) return '';
  const parts: string[] = [];
  const more = (n: number, what: string): void => {
    if (n > 0) parts.push(`${n} more ${what}${n === 1 ? '' : 's'}`);
  };
  more(c.threads, 'thread');
  if (c.inFlight > 0) parts.push(`${c.inFlight} more request${c.inFlight === 1 ? '' : 's'} in flight`);
  if (c.connections !== c.inFlight) more(c.connections, 'connection');
  const cpu = c.cpuShare === null ? 0 : Math.round(c.cpuShare * 100);
  if (cpu > 0) parts.push(`${cpu} % more CPU`);
  if (parts.length === 0) return '';
  return parts.length === 1
    ? (parts[0] as string)
    : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] as string}`;
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
  const stopped = { budget: 'stopped by the budget', converged: 'converged', interrupted: 'stopped by a signal' }[
    report.stoppedBy
  ];
  const loop = report.model === 'loop' ? '' : '; the single loop measured beside the threads';
  return [
    `flagfetch tune (${report.model} model${work}): ${t.serverLabel} ${t.baseUrl}${delay}, ${t.codeCount} ` +
      `codes × ${t.repeat} per run; each run a fresh process${loop}.`,
    `${report.evaluations} runs in ${formatDuration(report.spentMs)} of a ${formatDuration(report.budgetMs)} ` +
      `budget (${stopped}); coarse grid, then refined around the best, then the best two and close points ` +
      `measured again.`,
  ];
}

/** The whole text report. */
export function tuneTextLines(report: TuneReport): string[] {
  const machine = report.noise === null || report.noise.busy ? [] : [`Machine: ${noiseText(report.noise)}.`];
  return [
    ...tuneHeading(report),
    '',
    ...tuneTable(report),
    '',
    ...report.failures.map((f) => `Left out: ${f}`),
    ...recommendationLines(report),
    ...machine,
  ];
}
