/** Exact division of a count among parts: shares differ by at most one and add back up. */

/** `total` split into `parts` whole shares, the first `total % parts` one larger. */
export function evenShares(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Contiguous [start, end) ranges over 0..total, one per part, from evenShares. */
export function shareRanges(total: number, parts: number): Array<[number, number]> {
  let start = 0;
  return evenShares(total, parts).map((n) => {
    const range: [number, number] = [start, start + n];
    start += n;
    return range;
  });
}
