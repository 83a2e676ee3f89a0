/**
 * What keeps one client from holding the flag server: a deadline for a request's headers
 * (and for the whole request), idle keep-alive connections closed, a cap on open
 * connections, and a listen backlog large enough for a connection storm (`-m 1000`).
 * Node's defaults (a long headers deadline, checked rarely; no cap on connections; a backlog
 * sized for ordinary traffic) let a crowd of silent sockets hold the server and a storm's SYNs
 * be dropped (bench/slowloris.ts and bench/connect-storm.ts measure both).
 */
import { readFileSync } from 'node:fs';

/** The limits of one server. */
export interface ServerLimits {
  /** A connection must deliver a request's headers within this (HTTP/1.x: 408 and closed). */
  readonly headersTimeoutMs: number;
  /** …and the whole request within this. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection (HTTP/1.x) or an HTTP/2 session without open streams is closed after this. */
  readonly idleTimeoutMs: number;
  /** Connections open at once, per listening address; more are closed as they arrive. */
  readonly maxConnections: number;
  /** listen() backlog; the kernel caps it (net.core.somaxconn). */
  readonly backlog: number;
  /**
   * Streams one HTTP/2 session may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS); the
   * streams a client opens beyond it are refused (RST_STREAM REFUSED_STREAM).
   */
  readonly maxStreams: number;
}

/** Default HTTP/2 stream limit per session (`serve --max-streams`). */
export const DEFAULT_MAX_STREAMS = 1000;

/** Connections the default cap never exceeds (`-m` goes up to 10,000). */
const CAP_CEILING = 10_000;
/** Descriptors left for everything else when the cap is derived from the process's limit. */
const RESERVED_FDS = 200;

/**
 * Default cap: 10,000 (a client's largest `-m`), or less when the process may not open that
 * many descriptors (Linux). A run loads one server at a time; past the descriptor limit the
 * kernel-level accept fails and libuv closes the newcomer, as the cap would.
 */
export function defaultMaxConnections(): number {
  let softLimit = Number.POSITIVE_INFINITY;
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    if (soft !== undefined) softLimit = Number(soft);
  } catch {
    // not Linux: keep the ceiling
  }
  return Math.max(16, Math.min(CAP_CEILING, softLimit - RESERVED_FDS));
}

/** The limits `flagfetch serve` uses unless told otherwise. */
export function defaultLimits(): ServerLimits {
  return {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 20_000,
    idleTimeoutMs: 10_000,
    maxConnections: defaultMaxConnections(),
    backlog: 4096,
    maxStreams: DEFAULT_MAX_STREAMS,
  };
}

/** How often Node checks the header and request deadlines (its default is 30 s). */
export function checkIntervalMs(limits: ServerLimits): number {
  return Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)));
}
