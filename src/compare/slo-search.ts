/**
 * tune --slo's search (pure logic over an injected objective and clock). Candidates come
 * cheapest first. Without a rate: for each, the highest offered rate that meets the target,
 * bracketed by doubling then bisecting (in turns, fewest runs first) until the bracket is
 * within RESOLUTION; a rate is held when most of its runs met the target. The recommendation
 * is the cheapest whose rate held is within RESOLUTION of the best's, confirmed by
 * CONFIRM_RUNS runs. With a rate: the cheapest candidate that holds it (most of up to 3 runs).
 */
import type { SloTrial } from './slo.js';

/** Runs at one rate before the majority decides (held or not). */
export const CONFIRM_RUNS = 3;
/** A bracket this narrow (highest held × RESOLUTION ≥ lowest missed) ends a candidate's search; also what "within noise" means. */
export const RESOLUTION = 1.25;
/** Rates the search starts at, and stays within, in requests per second. */
export const SEARCH_RATES = { start: 100, min: 1, max: 100_000 } as const;

/** One run of candidate `index` at `perSec`; null when the run failed (no report). */
export type SloObjective = (index: number, perSec: number) => Promise<SloTrial | null>;

/** Why a candidate's search ended. */
export type SloStop =
  'bracketed' | 'floor' | 'none' | 'ceiling' | 'behind' | 'decided' | 'unneeded' | 'failed' | 'budget';

/** What the search found for one candidate. */
export interface SloCandidate {
  /** Its place in the candidates, cheapest first. */
  readonly index: number;
  /** Every run at an offered rate. */
  readonly trials: readonly SloTrial[];
  /** Runs that failed outright. */
  readonly failures: number;
  /** The highest rate held (below every rate missed); null when none was. */
  readonly heldPerSec: number | null;
  /** The lowest rate missed; null when none was. */
  readonly missedPerSec: number | null;
  /** Why its search ended. */
  readonly stop: SloStop;
}

/** The search's result: every candidate, the recommendation and the best (indices), and why it ended. */
export interface SloOutcome {
  /** Every candidate, cheapest first. */
  readonly candidates: readonly SloCandidate[];
  /** The cheapest candidate within RESOLUTION of the best (with a rate: the cheapest that holds it); null: none. */
  readonly choice: number | null;
  /** The candidate that held the highest rate; null: none held any. */
  readonly best: number | null;
  /** Why the search ended: done, the budget spent, or interrupted. */
  readonly stoppedBy: 'done' | 'budget' | 'interrupted';
}

interface State {
  readonly index: number;
  readonly trials: SloTrial[];
  failures: number;
  stop: SloStop | null;
}

/** Whether most runs at `perSec` met the target (null: too few runs to say either way). */
function majority(s: State, perSec: number): boolean | null {
  const runs = s.trials.filter((t) => t.offeredPerSec === perSec);
  const held = runs.filter((t) => t.missed === null).length;
  const half = Math.floor(CONFIRM_RUNS / 2) + 1;
  if (held >= half || (runs.length > 0 && runs.length < half && held === runs.length)) return true;
  return runs.length - held >= half || (runs.length > 0 && runs.length < half && held === 0) ? false : null;
}

/** The bracket of a candidate: lowest rate missed, highest held below it. */
export function bracketOf(trials: readonly SloTrial[]): { held: number | null; missed: number | null } {
  const s: State = { index: 0, trials: [...trials], failures: 0, stop: null };
  const rates = [...new Set(trials.map((t) => t.offeredPerSec))].sort((a, b) => a - b);
  const missed = rates.find((r) => majority(s, r) === false) ?? null;
  const held = rates.filter((r) => (missed === null || r < missed) && majority(s, r) === true).pop() ?? null;
  return { held, missed };
}

/** Two significant digits: rates a person can read and type again. */
export function roundRate(v: number): number {
  return Number(v.toPrecision(2));
}

/** The next rate to try for a candidate, or the reason its search is over. */
function nextRate(s: State, bestHeld: number | null): number | SloStop {
  const { held, missed } = bracketOf(s.trials);
  // Before any rate held, a service time over the target is the server's own: no lower rate helps.
  // Once one held, a service time over it at a higher rate is load, and bisecting goes on.
  if (held === null && s.trials.some((t) => t.floor && t.missed !== null)) return 'floor';
  if (missed !== null && bestHeld !== null && missed * RESOLUTION <= bestHeld) return 'behind';
  let next: number;
  if (held === null && missed === null) next = SEARCH_RATES.start;
  else if (missed === null) next = Math.min(SEARCH_RATES.max, (held as number) * 2);
  else if (held === null) next = Math.max(SEARCH_RATES.min, missed / 2);
  else next = Math.sqrt(held * missed);
  next = roundRate(next);
  if (held !== null && missed !== null && (held * RESOLUTION >= missed || next <= held || next >= missed))
    return 'bracketed';
  if (held === null && missed !== null && missed <= SEARCH_RATES.min) return 'none';
  if (missed === null && held !== null && held >= SEARCH_RATES.max) return 'ceiling';
  return next;
}

/** The recommendation: the cheapest candidate whose rate held is within RESOLUTION of the best's. */
function pick(states: readonly State[]): { choice: number | null; best: number | null } {
  const held = states.map((s) => bracketOf(s.trials).held);
  const top = Math.max(0, ...held.map((h) => h ?? 0));
  if (top === 0) return { choice: null, best: null };
  const best = held.indexOf(top);
  const choice = held.findIndex((h) => h !== null && h * RESOLUTION >= top);
  return { choice, best };
}

/**
 * The search within `budgetMs` of `now()`, until `signal` aborts: `count` candidates, cheapest
 * first; `holdPerSec` (tune --slo --rate R) asks only which is the cheapest to hold R.
 */
export async function sloSearch(
  count: number,
  objective: SloObjective,
  opts: { budgetMs: number; now: () => number; signal?: AbortSignal | undefined; holdPerSec?: number | undefined },
): Promise<SloOutcome> {
  const states: State[] = Array.from({ length: count }, (_, index) => ({ index, trials: [], failures: 0, stop: null }));
  const start = opts.now();
  let runs = 0;
  const affordable = (): boolean =>
    opts.signal?.aborted !== true && (runs === 0 || opts.now() - start + (opts.now() - start) / runs <= opts.budgetMs);
  const measure = async (s: State, perSec: number): Promise<boolean> => {
    if (!affordable()) return false;
    runs++;
    const t = await objective(s.index, perSec);
    if (t === null) s.failures++;
    else s.trials.push(t);
    return true;
  };
  const hold = opts.holdPerSec;
  const step = hold === undefined ? nextSearchStep : (all: readonly State[]) => nextHoldStep(all, hold);
  for (let next = step(states); next !== null; next = step(states)) {
    if (!(await measure(next.state, next.perSec))) break;
  }
  const stoppedBy = opts.signal?.aborted === true ? 'interrupted' : step(states) === null ? 'done' : 'budget';
  const picked = hold === undefined ? pick(states) : { choice: holder(states, hold), best: null };
  // With a rate, a search that ended with a holder never needed the dearer candidates.
  const untried: SloStop = stoppedBy === 'done' ? 'unneeded' : 'budget';
  const candidates = states.map((s) => {
    const { held, missed } = bracketOf(s.trials);
    return {
      index: s.index,
      trials: s.trials,
      failures: s.failures,
      heldPerSec: held,
      missedPerSec: missed,
      stop: s.stop ?? untried,
    };
  });
  return { candidates, ...picked, stoppedBy };
}

/** The cheapest candidate that held `perSec` (by the majority of its runs there); null: none. */
function holder(states: readonly State[], perSec: number): number | null {
  return states.find((s) => majority(s, perSec) === true && runsAt(s, perSec) >= 2)?.index ?? null;
}

const runsAt = (s: State, perSec: number): number => s.trials.filter((t) => t.offeredPerSec === perSec).length;

/** With a rate: the cheapest undecided candidate, until one holds it. */
function nextHoldStep(states: readonly State[], perSec: number): { state: State; perSec: number } | null {
  if (holder(states, perSec) !== null) return null;
  for (const s of states) {
    if (s.stop !== null) continue;
    const m = majority(s, perSec);
    if ((m !== null && runsAt(s, perSec) >= 2) || s.failures + runsAt(s, perSec) >= CONFIRM_RUNS) s.stop = 'decided';
    else return { state: s, perSec };
  }
  return null;
}

/** Without a rate: the undone candidate with the fewest runs, then the recommendation's confirmation. */
function nextSearchStep(states: readonly State[]): { state: State; perSec: number } | null {
  const bestHeld = Math.max(0, ...states.map((s) => bracketOf(s.trials).held ?? 0)) || null;
  const open = states
    .filter((s) => s.stop === null)
    .flatMap((s) => {
      // Runs that fail outright say nothing of the target: a candidate whose runs keep failing is left.
      if (s.failures >= CONFIRM_RUNS) {
        s.stop = 'failed';
        return [];
      }
      const next = nextRate(s, bestHeld);
      if (typeof next === 'number') return [{ state: s, perSec: next }];
      s.stop = next;
      return [];
    })
    .sort((a, b) => a.state.trials.length + a.state.failures - (b.state.trials.length + b.state.failures));
  if (open[0] !== undefined) return open[0];
  const { choice } = pick(states);
  const chosen = choice === null ? undefined : states[choice];
  const held = chosen === undefined ? null : bracketOf(chosen.trials).held;
  if (chosen === undefined || held === null || runsAt(chosen, held) >= CONFIRM_RUNS) return null;
  // A confirmation that turns the majority reopens the candidate's search below.
  chosen.stop = null;
  return { state: chosen, perSec: held };
}
