/** How requests failed, in words (pure): shared by download's hint and bench's failed configurations. */

/** The counts the words are made of (Counters, or a run's JSON report). */
export interface FailureCounts {
  readonly total: number;
  readonly ok: number;
  readonly notFound: number;
  readonly errors: number;
  readonly cancelled: number;
  readonly errorsByReason: Readonly<Record<string, number>>;
}

/** Requests that got an answer or an error: all but the cancelled. */
export function askedOf(c: FailureCounts): number {
  return c.total - c.cancelled;
}

/** Share of the asked requests not found or failed (0 when none was asked). */
export function failedShare(c: FailureCounts): number {
  const asked = askedOf(c);
  return asked === 0 ? 0 : (c.notFound + c.errors) / asked;
}

/** The commonest way requests failed: `194 of 194 not found`, `12 of 20 failed (http 503)`. */
export function commonestFailure(c: FailureCounts): string {
  const top = Object.entries(c.errorsByReason).sort((a, b) => b[1] - a[1])[0];
  if (top === undefined || c.notFound >= top[1]) return `${c.notFound} of ${askedOf(c)} not found`;
  return `${top[1]} of ${askedOf(c)} failed (${top[0]})`;
}
