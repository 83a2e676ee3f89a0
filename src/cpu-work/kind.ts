/**
 * `--work KIND`: the CPU work done on each downloaded body, on the thread that downloaded it
 * (pure names and parsing; the work itself is in work.ts, loaded only by the threads that run).
 */
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';

/**
 * none, decode (GIF pixels → size and dominant colours), sha256, spin:MS (MS ms of busy CPU),
 * or (from the API only) module:PATH, the default export of the module at PATH (absolute).
 */
export type WorkKind = 'none' | 'decode' | 'sha256' | `spin:${number}` | `module:${string}`;

/** One downloaded body's names: `key` (the saved file's base name, or the code for flags) and `file`. */
export interface WorkItem {
  /** The saved file's base name (`br`), the code for flags. */
  readonly key: string;
  /** The file name it is (or would be) saved as; SHA256SUMS lists it. */
  readonly file: string;
}

/** The kinds as the help text lists them. */
export const WORK_HELP = 'none | decode | sha256 | spin:MS';

/** Reason (errorsByReason) of a body the decode step could not decode (from the reasons vocabulary). */
export { INVALID_IMAGE } from '../download/reasons.js';

/** Longest spin accepted, in milliseconds. */
export const MAX_SPIN_MS = 60_000;

/** Parse a `--work` value (any case); throws UsageError naming the flag and the fix. */
export function parseWork(flag: string, value: string | undefined): WorkKind {
  if (value === undefined) return 'none';
  const v = value.trim().toLowerCase();
  if (v === 'none' || v === 'decode' || v === 'sha256') return v;
  const spin = /^spin:(\d{1,9})$/.exec(v);
  if (spin !== null && Number(spin[1]) <= MAX_SPIN_MS) return `spin:${Number(spin[1])}`;
  throw new UsageError(
    `${flag} must be one of ${WORK_HELP} (MS a whole number of milliseconds up to ${MAX_SPIN_MS}), not '${printable(value)}'`,
  );
}

/** A comma-separated list of work kinds, de-duplicated, in the order given. */
export function parseWorkList(flag: string, value: string): WorkKind[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new UsageError(`${flag} takes a comma-separated list such as none,decode, not '${printable(value)}'`);
  return [...new Set(items.map((s) => parseWork(flag, s)))];
}

/** Milliseconds of a spin kind, or undefined for the others. */
export function spinMs(kind: WorkKind): number | undefined {
  return kind.startsWith('spin:') ? Number(kind.slice(5)) : undefined;
}

/** True for the kinds that read the body (decode, sha256 and a module's step). */
export function needsBody(kind: WorkKind): boolean {
  return kind === 'decode' || kind === 'sha256' || kind.startsWith('module:');
}

/** The absolute path of a module:PATH kind, or undefined for the others. */
export function workModulePath(kind: WorkKind): string | undefined {
  return kind.startsWith('module:') ? kind.slice('module:'.length) : undefined;
}
