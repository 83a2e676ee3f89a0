/**
 * The open model's options (--rate, --arrival, --seed, --duration), resolved for download:
 * the schedule, and how many requests a --duration run makes. Pure; messages name the flag.
 */
import { parseChoice, parseCount, parseDuration, parsePositive } from './flags.js';
import { UsageError } from './errors.js';
import { slotsWithin, type RateSchedule } from './download/schedule.js';

/** The flags as commander hands them over (strings as typed). */
export interface RawRateOptions {
  rate?: string;
  arrival?: string;
  seed?: string;
  duration?: string;
  repeat?: string;
  split?: string;
}

/** Largest --rate, in requests per second, and longest --duration, in milliseconds. */
export const RATE_LIMITS = { perSec: 1_000_000, durationMs: 86_400_000 } as const;

/** The schedule the flags ask for, and a --duration run's requests (at most `maxRequests`); UsageError when they do not fit. */
export function resolveRate(
  raw: RawRateOptions,
  maxRequests: number,
): { rate: RateSchedule | undefined; requests: number | undefined } {
  if (raw.rate === undefined) {
    const stray = (['arrival', 'seed', 'duration'] as const).find((k) => raw[k] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} goes with --rate: add --rate R (requests per second)`);
    return { rate: undefined, requests: undefined };
  }
  const perSec = parsePositive('--rate', raw.rate, RATE_LIMITS.perSec, '--rate 200');
  const arrival = parseChoice('--arrival', raw.arrival, ['constant', 'poisson'] as const, 'constant');
  if (raw.seed !== undefined && arrival !== 'poisson')
    throw new UsageError('--seed draws the gaps of --arrival poisson: add --arrival poisson or drop --seed');
  if (raw.split === 'static')
    throw new UsageError(
      '--split static and --rate contradict each other: under --rate every worker claims the next slot',
    );
  const seed = parseCount('--seed', raw.seed, 0, 2 ** 31 - 1, Math.floor(Math.random() * 2 ** 31));
  if (raw.duration === undefined) return { rate: { perSec, arrival, seed, durationMs: null }, requests: undefined };
  if (raw.repeat !== undefined)
    throw new UsageError(
      '--duration and --repeat contradict each other: a --duration run repeats the list until its end',
    );
  const durationMs = parseDuration('--duration', raw.duration, RATE_LIMITS.durationMs);
  if ((perSec * durationMs) / 1000 > maxRequests)
    throw new UsageError(
      `--rate × --duration is more than ${maxRequests} requests: lower --rate or shorten --duration`,
    );
  const rate: RateSchedule = { perSec, arrival, seed, durationMs };
  return { rate, requests: slotsWithin(rate, durationMs) };
}
