/**
 * Which configurations are no result (pure): one whose measured runs all failed, one whose
 * runs downloaded nothing, and one whose runs had more requests not found or failed than
 * --max-failed allows. A failed configuration is never ranked, charted or recommended.
 */
import { askedOf, commonestFailure, failedShare } from '../stats/failures.js';
import type { JsonReport } from './json-report.js';
import type { ConfigFailure, ConfigSummary, RunRecord } from './types.js';
import { targetsFix, type TargetKind } from '../targets/url-list.js';

/** Slack for the share comparison (floating point: 482 / 676 against itself). */
const EPSILON = 1e-9;

/**
 * Why the measured `records` of one configuration are no result, or undefined when they count.
 * `maxFailed` is the largest failed share of a run (0..1).
 */
export function configFailure(records: readonly RunRecord[], maxFailed: number): ConfigFailure | undefined {
  const measured = records.filter((r) => !r.warmup);
  if (measured.length === 0) return undefined;
  const exampleUrl = measured.find((r) => r.report?.failedUrl !== undefined)?.report?.failedUrl;
  const good = measured.flatMap((r) => (r.flags.length === 0 && r.report !== null ? [r.report] : []));
  if (good.length === 0) {
    const flag = measured[0]?.flags[0] ?? 'no report';
    return { reason: flag.replace(/^failed: /, ''), exampleUrl };
  }
  const nothing = good.find((r) => r.ok === 0 && askedOf(r) > 0);
  if (nothing !== undefined) return { reason: nothingWords(nothing), exampleUrl };
  const worst = good.reduce((a, b) => (failedShare(b) > failedShare(a) ? b : a));
  if (failedShare(worst) > maxFailed + EPSILON) {
    const n = worst.notFound + worst.errors;
    return {
      reason:
        `${n} of ${askedOf(worst)} not found or failed (commonest: ${commonestFailure(worst)}), ` +
        `more than --max-failed ${shareText(maxFailed)} allows`,
      exampleUrl,
    };
  }
  return undefined;
}

/** `194 of 194 not found`, or `nothing downloaded: 150 of 194 failed (http 503)` when that is not all. */
function nothingWords(r: JsonReport): string {
  const words = commonestFailure(r);
  return words.startsWith(`${askedOf(r)} of `) ? words : `nothing downloaded: ${words}`;
}

/** 0, 5%, 71.3%. */
export function shareText(share: number): string {
  return share === 0 ? '0' : `${Number((share * 100).toPrecision(3))}%`;
}

/**
 * The one line a bench ends with when no configuration is a result, `every run failed: 194 of
 * 194 not found, e.g. URL — check -s`; undefined when one is (or when nothing ran at all).
 */
export function everyRunFailed(configs: readonly ConfigSummary[], kind: TargetKind | undefined): string | undefined {
  if (configs.some((c) => c.failed === undefined && c.goodRuns > 0)) return undefined;
  const failed = configs.find((c) => c.failed !== undefined)?.failed;
  return failed === undefined ? undefined : everyRunFailedLine(failed, kind);
}

/** `every run failed: REASON, e.g. URL — what to check` for the failure of a bench's or tune's runs. */
export function everyRunFailedLine(failed: ConfigFailure, kind: TargetKind | undefined): string {
  const example = failed.exampleUrl === undefined ? '' : `, e.g. ${failed.exampleUrl}`;
  // A run's own failure (no server answered: start one or check --server) names its fix already.
  const fix = failed.reason.includes('check ') ? '' : ` — ${targetsFix(kind ?? 'flags')}`;
  return `every run failed: ${failed.reason}${example}${fix}`;
}
