/**
 * Flag parsers shared by every command: whole numbers within a range, and one of a few
 * words. Each message names the flag, the bad value and what is accepted.
 */
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { printable } from './countries.js';

/** Parse a whole number flag within [min, max]; `fallback` when the flag was not given. */
export function parseCount(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
  fallback?: number,
): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`${flag} needs a value`, { field: flag, expected: 'a value' });
    return fallback;
  }
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max >= Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    const expected = `a whole number ${range}`;
    throw new UsageError(`${flag} must be ${expected}, not '${printable(value)}'`, { field: flag, expected });
  }
  return n;
}

/** Parse a flag that takes one of a few words (case-insensitive). */
export function parseChoice<T extends string>(
  flag: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  const found = choices.find((c) => c === value.toLowerCase());
  if (found === undefined) {
    const expected = `one of ${choices.join(', ')}`;
    throw new UsageError(`${flag} must be ${expected}, not '${printable(value)}'`, { field: flag, expected });
  }
  return found;
}

/** Add --ca FILE and --insecure (download, bench, tune): how an https server's certificate is checked. */
export function addTrustOptions(cmd: Command): Command {
  return cmd
    .option('--ca <FILE>', 'trust the CA certificates in FILE (PEM) instead of the public ones')
    .option('--insecure', 'do not verify TLS certificates (says so on stderr)');
}

/** Parse a positive number flag (decimals allowed) within (0, max]. */
export function parsePositive(flag: string, value: string, max: number, example: string): number {
  const n = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0 || n > max) {
    throw new UsageError(
      `${flag} must be a number above 0 and at most ${max}, not '${printable(value)}' (e.g. ${example})`,
    );
  }
  return n;
}

/** Parse a duration: `30s`, `500ms`, `2m`, or a bare number of seconds; returns milliseconds within (0, maxMs]. */
export function parseDuration(flag: string, value: string, maxMs: number): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(value);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m?.[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm' | 'h'];
  const ms = m === null ? Number.NaN : Number(m[1]) * unit;
  if (!Number.isFinite(ms) || ms <= 0 || ms > maxMs) {
    throw new UsageError(
      `${flag} must be a time above 0 and at most ${maxMs / 1000}s, like 30s, 500ms or 2m, not '${printable(value)}'`,
    );
  }
  return ms;
}
