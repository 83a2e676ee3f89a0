import { isError, type Outcome } from '../download/outcome.js';

/**
 * What a run (or one worker of it) counted. Invariant:
 * ok + notFound + errors + cancelled === total.
 */
export interface Counters {
  total: number;
  ok: number;
  notFound: number;
  errors: number;
  cancelled: number;
  /** Body bytes of successful downloads. */
  bytes: number;
  /** Errors by Outcome.reason, e.g. `{ "http 503": 4, "timeout": 1 }`. */
  errorsByReason: Record<string, number>;
  /** The key (code or URL) of the first request not found or failed, for a hint; absent while none. */
  firstFailedKey?: string;
}

/** A fresh, all-zero Counters. */
export function emptyCounters(): Counters {
  return { total: 0, ok: 0, notFound: 0, errors: 0, cancelled: 0, bytes: 0, errorsByReason: {} };
}

/** Count one outcome into `c` (mutates `c`, the hot path). */
export function countOutcome(c: Counters, o: Outcome): void {
  c.total += 1;
  if (o.kind === 'ok') {
    c.ok += 1;
    c.bytes += o.bytes;
  } else if (o.kind === 'not-found') {
    c.notFound += 1;
    c.firstFailedKey ??= o.cc;
  } else if (o.kind === 'cancelled') {
    c.cancelled += 1;
  } else if (isError(o.kind)) {
    c.errors += 1;
    c.errorsByReason[o.reason] = (c.errorsByReason[o.reason] ?? 0) + 1;
    c.firstFailedKey ??= o.cc;
  }
}

/** Count `n` codes that were never attempted as cancelled, or as errors with `reason`. */
export function countUnfinished(c: Counters, n: number, reason?: string): void {
  if (n <= 0) return;
  c.total += n;
  if (reason === undefined) {
    c.cancelled += n;
  } else {
    c.errors += n;
    c.errorsByReason[reason] = (c.errorsByReason[reason] ?? 0) + n;
  }
}

/** Sum of several Counters (pure). */
export function mergeCounters(parts: readonly Counters[]): Counters {
  const sum = emptyCounters();
  for (const p of parts) {
    sum.total += p.total;
    sum.ok += p.ok;
    sum.notFound += p.notFound;
    sum.errors += p.errors;
    sum.cancelled += p.cancelled;
    sum.bytes += p.bytes;
    if (p.firstFailedKey !== undefined) sum.firstFailedKey ??= p.firstFailedKey;
    for (const [reason, n] of Object.entries(p.errorsByReason)) {
      sum.errorsByReason[reason] = (sum.errorsByReason[reason] ?? 0) + n;
    }
  }
  return sum;
}

/** True when the parts add up: ok + notFound + errors + cancelled === total. */
export function countsAddUp(c: Counters): boolean {
  return c.ok + c.notFound + c.errors + c.cancelled === c.total;
}
