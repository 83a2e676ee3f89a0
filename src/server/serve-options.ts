/**
 * `flagfetch serve` options: validated once, turned into the three servers' options.
 */
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';
import { parseCount } from '../flags.js';
import { parseFault, type FaultSpec } from './faults.js';

/** What commander hands over for `serve`. */
export interface RawServeOptions {
  port?: string;
  delayPort?: string;
  errorPort?: string;
  host?: string;
  delay?: string;
  errorRate?: string;
  seed?: string;
  root?: string;
  fault?: string[];
  processes?: string;
  jsonReady?: boolean;
}

/** Validated serve options. */
export interface ServeOptions {
  readonly ports: { readonly LOCAL: number; readonly DELAY: number; readonly ERROR: number };
  /** Addresses to listen on; loopback = 127.0.0.1 and ::1. */
  readonly hosts: readonly string[];
  /** Host name to print in URLs. */
  readonly shownHost: string;
  readonly delayMs: number;
  readonly errorRate: number;
  readonly seed: number | undefined;
  readonly root: string | undefined;
  readonly faults: readonly FaultSpec[];
  readonly processes: number;
}

/** The original site's ports. */
export const DEFAULT_PORTS = { LOCAL: 8001, DELAY: 8002, ERROR: 8003 } as const;

/** Validate raw serve options; UsageError with a one-line message. */
export function resolveServeOptions(raw: RawServeOptions): ServeOptions {
  const port = (flag: string, value: string | undefined, fallback: number): number =>
    parseCount(flag, value, 0, 65_535, fallback);
  const ports = {
    LOCAL: port('--port', raw.port, DEFAULT_PORTS.LOCAL),
    DELAY: port('--delay-port', raw.delayPort, DEFAULT_PORTS.DELAY),
    ERROR: port('--error-port', raw.errorPort, DEFAULT_PORTS.ERROR),
  };
  const fixed = Object.values(ports).filter((p) => p !== 0);
  if (new Set(fixed).size !== fixed.length)
    throw new UsageError('--port, --delay-port and --error-port must differ (0 = any free port)');
  const host = raw.host ?? 'localhost';
  return {
    ports,
    hosts: host === 'localhost' ? ['127.0.0.1', '::1'] : [host],
    shownHost: host,
    delayMs: parseCount('--delay', raw.delay, 0, 3_600_000, 500),
    errorRate: parseRate(raw.errorRate),
    seed: raw.seed === undefined ? undefined : parseCount('--seed', raw.seed, 0, 2 ** 31 - 1),
    root: raw.root,
    faults: (raw.fault ?? []).map(parseFault),
    processes: parseCount('--processes', raw.processes, 1, 64, 1),
  };
}

function parseRate(value: string | undefined): number {
  if (value === undefined) return 0.25;
  const rate = /^\s*[0-9.]+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(rate) || rate < 0 || rate > 1)
    throw new UsageError(`--error-rate must be a number from 0 to 1, not '${printable(value)}'`);
  return rate;
}
