/**
 * The open model's schedule (--rate): when the i-th request of a run is meant to start,
 * as an offset from the run's start shared by every thread. Constant arrivals are i/R apart;
 * Poisson arrivals have exponential gaps of mean 1/R, each drawn from (seed, i) alone, so
 * every thread computes the same instants without talking to the others.
 */

/** How requests arrive: evenly spaced, or a Poisson process. */
export type Arrival = 'constant' | 'poisson';

/** The arrival schedule of a run: plain data, it crosses into worker threads. */
export interface RateSchedule {
  /** Requests started per second, in total over every thread. */
  readonly perSec: number;
  readonly arrival: Arrival;
  /** Seed of the Poisson gaps (ignored for constant arrivals). */
  readonly seed: number;
  /** --duration: only the slots that fall before this offset are run; null: the whole list. */
  readonly durationMs: number | null;
}

/**
 * Uniform in (0, 1) from (seed, i): a 32-bit integer hash (two multiply-xorshift rounds,
 * after the "lowbias32" finaliser), so a gap depends on nothing but the seed and its index.
 */
function uniformAt(seed: number, i: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ i) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h = (h ^ (h >>> 16)) >>> 0;
  return (h + 0.5) / 2 ** 32;
}

/** The gap before slot i + 1 in a Poisson schedule, in milliseconds (exponential, mean 1000 / perSec). */
export function poissonGapMs(s: RateSchedule, i: number): number {
  return (-Math.log(uniformAt(s.seed, i)) * 1000) / s.perSec;
}

/**
 * Offsets of slots, from the run's start, in milliseconds. Constant: i × 1000 / R, exact for
 * any i. Poisson: a running sum kept as slots are asked for in rising order (as a cursor hands
 * them out); asking for an earlier one sums again from the start.
 */
export class SlotClock {
  private next = 0;
  private sumMs = 0;

  constructor(readonly schedule: RateSchedule) {}

  /** When slot `i` is meant to start, in milliseconds after the run's start. */
  offsetMs(i: number): number {
    const s = this.schedule;
    if (s.arrival === 'constant') return (i * 1000) / s.perSec;
    if (i < this.next) {
      this.next = 0;
      this.sumMs = 0;
    }
    while (this.next < i) {
      this.sumMs += poissonGapMs(s, this.next);
      this.next += 1;
    }
    return this.sumMs;
  }
}

/** How many slots start before `durationMs` (the whole run of a --duration test). */
export function slotsWithin(s: RateSchedule, durationMs: number): number {
  if (s.arrival === 'constant') return Math.max(1, Math.ceil((durationMs * s.perSec) / 1000));
  const clock = new SlotClock(s);
  let n = 0;
  while (clock.offsetMs(n) < durationMs) n += 1;
  return Math.max(1, n);
}
