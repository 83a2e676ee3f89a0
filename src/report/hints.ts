/**
 * The lines that end a download's report when something wants acting on (pure): a run that
 * downloaded nothing names its commonest outcome and one URL to try by hand; a run in which
 * many requests timed out or were reset with many in flight says the server may not keep up.
 */
import type { Counters } from '../stats/counters.js';
import { commonestFailure } from '../stats/failures.js';

/** Share of requests timed out or reset from which the server is said not to keep up with -m. */
export const OVERLOAD_SHARE = 0.05;

/** The reasons that say a server is overwhelmed rather than wrong (a reset mid-body is counted truncated). */
const OVERLOAD_REASONS = ['timeout', 'reset', 'truncated'];

/**
 * `nothing downloaded: 194 of 194 not found, e.g. URL — check -s` when requests were made and
 * none succeeded; undefined otherwise. `exampleUrl` is one URL that failed, `fix` what to check.
 */
export function nothingDownloaded(c: Counters, exampleUrl: string | undefined, fix: string): string | undefined {
  if (c.ok > 0 || c.total - c.cancelled === 0) return undefined;
  const example = exampleUrl === undefined ? '' : `, e.g. ${exampleUrl}`;
  return `nothing downloaded: ${commonestFailure(c)}${example} — ${fix}`;
}

/**
 * `hint: 7% of requests timed out or were reset: …` when at least OVERLOAD_SHARE of the
 * requests did with more than one in flight (a lower -m is then a remedy); undefined otherwise.
 */
export function overloadHint(c: Counters, maxReq: number): string | undefined {
  const asked = c.total - c.cancelled;
  const n = OVERLOAD_REASONS.reduce((sum, r) => sum + (c.errorsByReason[r] ?? 0), 0);
  if (maxReq <= 1 || asked === 0 || n / asked < OVERLOAD_SHARE) return undefined;
  return (
    `hint: ${Math.round((100 * n) / asked)}% of requests timed out or were reset: the server may not keep up ` +
    `with -m ${maxReq} (try flagfetch tune, or a lower -m)`
  );
}
