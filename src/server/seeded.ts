/**
 * Reproducible random choices that do not depend on arrival order: the draw for a request
 * is a hash of (seed, what is decided, path, how many times that path was asked for). Two
 * clients asking for the same paths in any order or concurrency get the same answers.
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

/** Counts requests per path so each gets its own sequence of draws; reset() starts over. */
export class PathCounter {
  private readonly counts = new Map<string, number>();

  /** 1 for a path's first request since start or reset, 2 for its second… */
  next(path: string): number {
    const n = (this.counts.get(path) ?? 0) + 1;
    this.counts.set(path, n);
    return n;
  }

  reset(): void {
    this.counts.clear();
  }
}
