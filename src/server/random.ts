/** A small, fast, seeded pseudo-random generator (mulberry32) for content that must be the same every time. */

/** Floats in [0, 1), the same sequence for the same seed. */
export type Random = () => number;

/** A generator seeded with a 32-bit integer. */
export function rng(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
