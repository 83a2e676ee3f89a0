/**
 * `flagfetch serve` options: validated once, turned into the three servers' options.
 */
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';
import { parseCount } from '../flags.js';
import { parseFault, type FaultSpec } from './faults.js';
import { DEFAULT_MAX_STREAMS, defaultMaxConnections } from './limits.js';
import type { PauseSpec } from './pause.js';

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
  pauseAfter?: string;
  pauseMs?: string;
  processes?: string;
  maxConnections?: string;
  maxStreams?: string;
  tls?: boolean;
  h2c?: boolean;
  cert?: string;
  key?: string;
  writeCa?: string;
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
  /** --pause-after N --pause-ms MS: each server pauses once, at its N-th request (absent: never). */
  readonly pause: PauseSpec | undefined;
  readonly processes: number;
  /** Connections open at once per server and address. */
  readonly maxConnections: number;
  /** HTTP/2 streams one session may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). */
  readonly maxStreams: number;
  /** True when the host is not a loopback address: the servers are reachable from the network. */
  readonly exposed: boolean;
  /** HTTPS (HTTP/2 + HTTP/1.1): a generated certificate, or the given files. */
  readonly tls: false | { readonly generate: true } | { readonly certFile: string; readonly keyFile: string };
  /** Cleartext HTTP/2 by prior knowledge instead of HTTP/1.1 (never with tls). */
  readonly h2c: boolean;
  /** Where to write the generated CA certificate for clients. */
  readonly writeCa: string | undefined;
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
  const host = parseHost(raw.host);
  return {
    ports,
    hosts: host === 'localhost' ? ['127.0.0.1', '::1'] : [host],
    shownHost: host,
    exposed: !isLoopback(host),
    delayMs: parseCount('--delay', raw.delay, 0, 3_600_000, 500),
    errorRate: parseRate(raw.errorRate),
    seed: raw.seed === undefined ? undefined : parseCount('--seed', raw.seed, 0, 2 ** 31 - 1),
    root: raw.root,
    faults: (raw.fault ?? []).map(parseFault),
    pause: parsePause(raw),
    processes: parseCount('--processes', raw.processes, 1, 64, 1),
    maxConnections: parseCount('--max-connections', raw.maxConnections, 1, 1_000_000, defaultMaxConnections()),
    maxStreams: parseCount('--max-streams', raw.maxStreams, 1, 1_000_000, DEFAULT_MAX_STREAMS),
    ...parseTls(raw),
  };
}

function parseHost(value: string | undefined): string {
  if (value === undefined) return 'localhost';
  const host = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (host === '')
    throw new UsageError(
      '--host must not be empty: give an address of this machine, e.g. localhost (the default), 127.0.0.1 ' +
        'or ::1 (0.0.0.0 listens on every interface)',
    );
  return host;
}

/** localhost, 127.0.0.0/8, ::1 (and ::ffff:127.x): reachable from this machine only. */
function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function parseTls(raw: RawServeOptions): Pick<ServeOptions, 'tls' | 'writeCa' | 'h2c'> {
  if (raw.h2c === true && (raw.tls === true || raw.cert !== undefined)) {
    throw new UsageError(
      '--h2c is HTTP/2 in clear text: drop it with --tls or --cert (HTTPS ports answer HTTP/2 already)',
    );
  }
  const h2c = raw.h2c === true;
  if ((raw.cert === undefined) !== (raw.key === undefined))
    throw new UsageError(
      '--cert and --key go together: give both PEM files, or neither to generate a certificate with --tls',
    );
  if (raw.writeCa !== undefined && raw.cert !== undefined)
    throw new UsageError(
      '--write-ca writes the generated certificate: with --cert, give clients your own CA instead (or drop --cert)',
    );
  if (raw.writeCa !== undefined && raw.tls !== true)
    throw new UsageError('--write-ca needs --tls: add --tls to serve HTTPS with a generated certificate');
  if (raw.writeCa === '') throw new UsageError('--write-ca needs a file name, e.g. --write-ca flagfetch-ca.pem');
  if (raw.cert !== undefined && raw.key !== undefined)
    return { tls: { certFile: raw.cert, keyFile: raw.key }, writeCa: undefined, h2c };
  return { tls: raw.tls === true ? { generate: true } : false, writeCa: raw.writeCa, h2c };
}

function parseRate(value: string | undefined): number {
  if (value === undefined) return 0.25;
  const rate = /^\s*[0-9.]+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(rate) || rate < 0 || rate > 1)
    throw new UsageError(`--error-rate must be a number from 0 to 1, not '${printable(value)}'`);
  return rate;
}

/** --pause-after N (--pause-ms MS, default 1000): the server-wide pause, once. */
function parsePause(raw: RawServeOptions): PauseSpec | undefined {
  if (raw.pauseAfter === undefined) {
    if (raw.pauseMs !== undefined) throw new UsageError('--pause-ms goes with --pause-after N: add --pause-after');
    return undefined;
  }
  return {
    afterRequests: parseCount('--pause-after', raw.pauseAfter, 1, Number.MAX_SAFE_INTEGER),
    ms: parseCount('--pause-ms', raw.pauseMs, 1, 3_600_000, 1000),
  };
}
