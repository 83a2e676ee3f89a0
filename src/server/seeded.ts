/**
 * Reproducible random choices that do not depend on arrival order: the draw for a request
 * is a hash of (seed, what is decided, path, how many times that path was asked for, by
 * this run when the client names its run). Two clients asking for the same paths in any
 * order or concurrency get the same answers.
 */

/** A float in [0, 1) from a 32-bit hash of the four parts. */
export function draw(seed: number, salt: string, path: string, nth: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  h = mixString(h, salt);
  h = mixString(h, path);
  h = Math.imul(h ^ nth, 0x01000193) >>> 0;
  // murmur3 finaliser: spreads the FNV state over all bits
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

function mixString(h: number, s: string): number {
  for (let i = 0; i < s.length; i += 1) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return Math.imul(h ^ 0xff, 0x01000193) >>> 0;
}

/** The request header a client sends to make a run's answers its own (the client's settings define it). */
export { RUN_HEADER } from '../download/settings.js';

const RUN_ID = /^[\w.-]{1,64}$/;
/** Runs remembered at once; the least recently seen is forgotten first. */
const MAX_RUNS = 256;
/** Distinct paths counted per run (any flag path of `-e` is far below); past it, nth is 1. */
const MAX_PATHS = 20_000;

/**
 * How many times a run has asked for a path: 1 for its first request, 2 for the next (a
 * retry, a repeat)… Requests carrying RUN_HEADER are counted per run, so a run's answers do
 * not depend on earlier runs; requests without it share one server-wide count, reset by
 * reset() or a restart.
 */
export class RequestCounter {
  private readonly runs = new Map<string, Map<string, number>>();
  private shared = new Map<string, number>();

  /** The nth time `run` (undefined: no header, or an unusable value) asks for `path`. */
  next(run: string | undefined, path: string): number {
    const counts = run !== undefined && RUN_ID.test(run) ? this.countsOf(run) : this.shared;
    const seen = counts.get(path);
    if (seen === undefined && counts.size >= MAX_PATHS) return 1;
    const n = (seen ?? 0) + 1;
    counts.set(path, n);
    return n;
  }

  reset(): void {
    this.runs.clear();
    this.shared = new Map();
  }

  private countsOf(run: string): Map<string, number> {
    let counts = this.runs.get(run);
    if (counts !== undefined) {
      this.runs.delete(run);
    } else {
      counts = new Map();
      if (this.runs.size >= MAX_RUNS) this.runs.delete(this.runs.keys().next().value ?? '');
    }
    this.runs.set(run, counts);
    return counts;
  }
}
