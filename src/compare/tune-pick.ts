/**
 * tune's recommendation (pure): among the points whose throughput is within noise of the
 * best's (the one ratio statistic of ratio-stat.ts: best ÷ point, its interval holding 1, 3
 * runs each at least), the cheapest: the loop (no pool thread) when it is among them, else the
 * fewest threads, then the fewest requests in flight; and what the best costs more than it.
 */
import { decide, medianRatio, MIN_DECISION_RUNS, type Decision, type RatioInterval } from './ratio-stat.js';
import type { Trial, TunePoint } from './tune-search.js';

/** What a point's runs really started, and their median CPU time (user + system) in ms. */
export interface RanPoint {
  /** Pool threads the runs started (0 for the loop). */
  readonly threads: number;
  /** Requests in flight at most, as the runs used it. */
  readonly inFlight: number;
  /** Connections the runs opened (one per request in flight over HTTP/1.1, per thread over HTTP/2). */
  readonly connections: number;
  /** Median CPU time of a run (user + system), in milliseconds. */
  readonly cpuMs: number;
}

/** The recommendation and how it stands against the best and the loop. */
export interface TuneChoice {
  /** The point to use: the cheapest within noise of the best (the best itself when none is). */
  readonly point: TunePoint;
  /** Median throughput of the best ÷ the chosen point's, with its interval; null when the choice is the best. */
  readonly bestOverChoice: RatioInterval | null;
  /** The chosen point ÷ the fastest loop point (workers 0); null when the choice is a loop point or none has runs. */
  readonly overLoop: Versus | null;
  /** The fastest point with threads ÷ the chosen loop point; null when the choice has threads or none ran. */
  readonly threadsOverLoop: Versus | null;
  /** What the best uses more than the choice: pool threads, requests in flight, connections, CPU time (a share); null when the choice is the best. */
  readonly bestCosts: {
    /** Pool threads more. */
    readonly threads: number;
    /** Requests in flight more. */
    readonly inFlight: number;
    /** Connections more. */
    readonly connections: number;
    /** CPU time more, as a share of the choice's (0.5 = half as much again); null when unknown. */
    readonly cpuShare: number | null;
  } | null;
}

/** One point against another: the ratio of their medians, its interval and what it says. */
export interface Versus {
  /** The point compared with. */
  readonly point: TunePoint;
  /** The ratio of medians with its 95 % interval. */
  readonly ratio: RatioInterval;
  /** What the interval says. */
  readonly decision: Decision;
}

/** The key of a point in TuneReport.ran: `2×100` (`0×14` is the loop). */
export function ranKey(p: TunePoint): string {
  return `${p.workers}×${p.maxReq}`;
}

/** True when `t`'s throughput cannot be told from the best's: best ÷ t's interval holds 1, 3 runs each at least. */
export function withinNoise(best: Trial, t: Trial): boolean {
  if (t === best) return true;
  const runs = Math.min(best.samples.length, t.samples.length);
  if (runs < MIN_DECISION_RUNS) return false;
  return decide(medianRatio(best.samples, t.samples), runs) === 'same';
}

/** Cheaper first: the loop, then fewer threads, then fewer requests in flight (as they ran: -m 300 on 20 files is 20). */
function byCost(ran: Readonly<Record<string, RanPoint>>): (a: Trial, b: Trial) => number {
  const inFlight = (t: Trial): number => ran[ranKey(t.point)]?.inFlight ?? t.point.maxReq;
  return (a, b) => a.point.workers - b.point.workers || inFlight(a) - inFlight(b) || a.point.maxReq - b.point.maxReq;
}

/** The recommendation from the ranked trials (best first) and what each point ran; null without a best. */
export function pickCheapest(
  trials: readonly Trial[],
  best: Trial | null,
  ran: Readonly<Record<string, RanPoint>>,
): TuneChoice | null {
  if (best === null) return null;
  const chosen = [...trials.filter((t) => t.samples.length > 0 && withinNoise(best, t))].sort(byCost(ran))[0] ?? best;
  const fastest = (threads: boolean): Trial | undefined =>
    trials.find((t) => t.samples.length > 0 && t.point.workers > 0 === threads);
  const loop = fastest(false);
  const threaded = fastest(true);
  const overLoop = loop === undefined || chosen.point.workers === 0 ? null : versus(chosen, loop);
  const threadsOverLoop =
    threaded === undefined || chosen.point.workers !== 0 ? null : versus(threaded, chosen, threaded);
  if (chosen === best) return { point: best.point, bestOverChoice: null, overLoop, threadsOverLoop, bestCosts: null };
  const b = ran[ranKey(best.point)];
  const c = ran[ranKey(chosen.point)];
  const bestCosts =
    b === undefined || c === undefined
      ? null
      : {
          threads: threadsOf(best.point, b) - threadsOf(chosen.point, c),
          inFlight: b.inFlight - c.inFlight,
          connections: b.connections - c.connections,
          cpuShare: c.cpuMs > 0 ? b.cpuMs / c.cpuMs - 1 : null,
        };
  return {
    point: chosen.point,
    bestOverChoice: medianRatio(best.samples, chosen.samples),
    overLoop,
    threadsOverLoop,
    bestCosts,
  };
}

/** Pool threads a point started: none for the loop. */
function threadsOf(p: TunePoint, r: RanPoint): number {
  return p.workers === 0 ? 0 : r.threads;
}

/** `a` ÷ `b`, naming `named` (b unless said). */
function versus(a: Trial, b: Trial, named: Trial = b): Versus | null {
  const ratio = medianRatio(a.samples, b.samples);
  if (ratio === null) return null;
  return { point: named.point, ratio, decision: decide(ratio, Math.min(a.samples.length, b.samples.length)) };
}
