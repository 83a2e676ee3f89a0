/**
 * The showcase's fourth scenario (pure): the models at the same offered rate (an open model),
 * with CPU work per download, a quarter above what the single loop managed closed; in words,
 * which held its p99 and which fell behind, and why, from the late requests and each thread's
 * event-loop utilization.
 */
import { resolveServer } from '../options.js';
import { ALL_CODES } from '../countries.js';
import { curveName } from './matrix.js';
import { roundRate } from './slo-search.js';
import { commandWords } from './verdict.js';
import type { Curve } from './curve-types.js';
import type { SuiteSpec } from './suite.js';
import type { BenchConfig, BenchResult, ConfigSummary } from './types.js';
import type { WorkKind } from '../cpu-work/kind.js';

/** The offered rate over what the loop managed closed: above its ceiling, so that it must fall behind. */
export const OVER_LOOP = 1.25;
/** Length of every run at the rate. */
const RUN_MS = 1500;
/** The rate when the CPU-work scenario gave no loop figure to start from. */
const FALLBACK_PER_SEC = 200;

/** The offered rate: OVER_LOOP × the loop's median req/s in the CPU-work scenario, two digits. */
export function sameRate(cpu: BenchResult | undefined): number {
  const loop = cpu?.configs.find((c) => c.config.model === 'loop' && c.goodRuns > 0 && c.failed === undefined);
  return loop === undefined ? FALLBACK_PER_SEC : roundRate(OVER_LOOP * loop.requestsPerSec.median);
}

/** The suite: loop, threads and workers at the same rate, on DELAY `delayMs` with `work` per download. */
export function rateSuite(perSec: number, runs: number, workers: number, work: WorkKind, delayMs: number): SuiteSpec {
  const base = { split: 'dynamic' as const, maxReq: 100, work, rate: perSec };
  const configs: BenchConfig[] = [
    { ...base, model: 'loop', workers: 1 },
    { ...base, model: 'threads', workers },
    { ...base, model: 'workers', workers },
  ];
  return {
    title: `Same offered rate — ${perSec} req/s to every model, DELAY ${delayMs} ms, --work ${work}: who keeps up`,
    server: resolveServer('DELAY'),
    delayMs,
    codeArgs: ['-a'],
    codeCount: ALL_CODES.length,
    repeat: 1,
    configs,
    notes: [
      `an open model: requests start on a schedule of ${perSec} a second (${OVER_LOOP}× what the single loop managed ` +
        `in the scenario above), whatever the answers; latency is counted from each request's intended start`,
      'sequential is left out: one request at a time cannot keep any such rate',
    ],
    runs,
    warmup: 1,
    rateDurationMs: RUN_MS,
  };
}

const pct = (v: number): number => Math.round(v * 100);
const ms = (v: number): string => (v >= 100 ? String(Math.round(v)) : v.toFixed(1));

/** One configuration at the rate, in words: held or fell behind, with its figures and its threads' ELU. */
function modelLine(curve: Curve, summary: ConfigSummary): string {
  const p = curve.points[0];
  if (p === undefined) return `${curve.name}: no good run.`;
  const who = commandWords(summary.config);
  const elu = summary.eluPerWorker.map((e) => `${pct(e)} %`).join(' · ');
  const busy = summary.eluPerWorker.length > 1 ? `its threads busy ${elu}` : `its event loop busy ${elu}`;
  if (curve.knee === null)
    return (
      `${who} held it: p99 ${ms(p.responseTimeMs.p99)} ms (service time p99 ${ms(p.serviceTimeMs.p99)} ms), ` +
      `${(p.lateShare * 100).toFixed(1)} % of requests late, ${busy}.`
    );
  // A request waits first for a free lane (late), then, once sent, for its busy thread to read the answer.
  const wait =
    p.serviceTimeMs.p99 < p.responseTimeMs.p99 / 2
      ? 'the difference is time spent waiting for a free lane'
      : 'even once sent, a request waited for its busy thread to read the answer';
  return (
    `${who} fell behind: it achieved ${Math.round(p.achievedPerSec)} req/s (${pct(p.achievedPerSec / p.offeredPerSec)} % ` +
    `of offered), ${pct(p.lateShare)} % of requests started late and its p99 response time was ` +
    `${ms(p.responseTimeMs.p99)} ms (service time p99 ${ms(p.serviceTimeMs.p99)} ms: ${wait}; ${busy}).`
  );
}

/** What the same-rate scenario shows on this machine. */
export function explainRate(r: BenchResult): string[] {
  const curves = r.curves ?? [];
  const lines = curves.flatMap((curve) => {
    const summary = r.configs.find((c) => curveName(c.config) === curve.name && c.failed === undefined);
    return summary === undefined ? [] : [modelLine(curve, summary)];
  });
  if (lines.length === 0) return ['Same offered rate: not enough good runs to compare.'];
  const rate = curves[0]?.points[0]?.offeredPerSec ?? 0;
  const loopHeld = curves.find((c) => c.name.startsWith('loop'))?.knee === null;
  const workersHeld = curves.find((c) => c.name.startsWith('workers'))?.knee === null;
  const why =
    !loopHeld && workersHeld
      ? 'Past its capacity a single loop does not just run slower: every request waits behind the ones before it, ' +
        'so its response time grows for as long as the load lasts, while its service time (each request alone) ' +
        'hardly moves. Worker threads split the decoding over the cores and keep the schedule.'
      : loopHeld
        ? 'The single loop kept this rate on this run (its closed figure above was pessimistic): the rate is only ' +
          `${OVER_LOOP}× that figure, and an open run of ${rate} req/s leaves it short idle gaps.`
        : `No model kept ${rate} req/s on this machine: the decoding and the server share ${r.machine.cores} core` +
          `${r.machine.cores === 1 ? '' : 's'}${r.noise?.busy === true ? ' with other programs' : ''}, and the late ` +
          'requests pile up in every model.';
  return [`At the same offered rate of ${rate} req/s (an open model, --rate):`, ...lines, why];
}
