/**
 * The open model's flags of bench and tune, resolved (pure): bench's `--rates` (a dimension)
 * and tune's `--slo` with its optional `--rate`, and `--duration`, the length of every run at
 * a rate. Every message names the flag and the fix.
 */
import { printable } from '../countries.js';
import { UsageError } from '../errors.js';
import { parseDuration, parsePositive } from '../flags.js';
import { LIMITS } from '../options.js';
import { RATE_LIMITS } from '../rate-options.js';
import type { SplitMode } from '../models/types.js';
import { parseSlo, type Slo } from './slo.js';

/** The flags as commander hands them over (strings as typed). */
export interface RawRateFlags {
  rates?: string;
  rate?: string;
  slo?: string;
  duration?: string;
}

/** Length of every run at a rate when --duration is not given: bench's (a curve's point), tune's (a step of its search). */
export const DEFAULT_RUN_MS = { bench: 2000, tune: 1000 } as const;

/** `--rates 100,200,400`: positive rates, de-duplicated, lowest first. */
export function parseRateList(value: string): number[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new UsageError(`--rates takes a comma-separated list such as 100,200,400, not '${printable(value)}'`);
  const rates = items.map((s) => parsePositive('--rates', s, RATE_LIMITS.perSec, '--rates 100,200,400'));
  return [...new Set(rates)].sort((a, b) => a - b);
}

/** The run length at a rate: --duration, or the default; at most LIMITS.repeat requests at `topPerSec`. */
function runMs(raw: RawRateFlags, defaultMs: number, topPerSec: number): number {
  const ms = raw.duration === undefined ? defaultMs : parseDuration('--duration', raw.duration, RATE_LIMITS.durationMs);
  if ((topPerSec * ms) / 1000 > LIMITS.repeat)
    throw new UsageError(`the highest rate × --duration is more than ${LIMITS.repeat} requests: shorten --duration`);
  return ms;
}

/** Under a rate every worker claims the next slot: --split static cannot be. */
function checkSplit(split: SplitMode, flag: string): void {
  if (split === 'static')
    throw new UsageError(
      `--split static and ${flag} contradict each other: under a rate every worker claims the next slot`,
    );
}

/** bench: the offered rates and every run's length; both undefined without --rates. */
export function resolveBenchRates(
  raw: RawRateFlags,
  split: SplitMode,
): { rates: number[] | undefined; rateDurationMs: number | undefined } {
  if (raw.rates === undefined) {
    if (raw.duration !== undefined) throw new UsageError('--duration goes with --rates: add --rates 100,200,400');
    return { rates: undefined, rateDurationMs: undefined };
  }
  checkSplit(split, '--rates');
  const rates = parseRateList(raw.rates);
  return { rates, rateDurationMs: runMs(raw, DEFAULT_RUN_MS.bench, Math.max(...rates)) };
}

/** tune: the latency target, the rate to hold (--rate), and every run's length; all undefined without --slo. */
export function resolveTuneSlo(
  raw: RawRateFlags,
  split: SplitMode,
): { slo: Slo | undefined; holdPerSec: number | undefined; rateDurationMs: number | undefined } {
  if (raw.slo === undefined) {
    const stray = raw.rate !== undefined ? '--rate' : raw.duration !== undefined ? '--duration' : undefined;
    if (stray !== undefined) throw new UsageError(`${stray} goes with --slo: add --slo 'p99<=50ms'`);
    return { slo: undefined, holdPerSec: undefined, rateDurationMs: undefined };
  }
  const slo = parseSlo(raw.slo);
  checkSplit(split, '--slo');
  const holdPerSec =
    raw.rate === undefined ? undefined : parsePositive('--rate', raw.rate, RATE_LIMITS.perSec, '--rate 200');
  return { slo, holdPerSec, rateDurationMs: runMs(raw, DEFAULT_RUN_MS.tune, holdPerSec ?? 100_000) };
}
