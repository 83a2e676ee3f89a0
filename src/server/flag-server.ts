/**
 * The flag server as a library: the original site's layout served from memory (whole files
 * or one byte range, so broken downloads can resume), with the DELAY and ERROR behaviours and
 * fault injection, on one port for one or more hosts, over HTTP/1.1 or (with `tls`) HTTP/2
 * and HTTP/1.1 over TLS, within limits that keep one client from holding it.
 * `startFlagServer(options) → { url, port, stats, reset(), close() }`.
 */
import type { AddressInfo } from 'node:net';
import { FLAGS_PREFIX, syntheticContent, type FlagContent } from './content.js';
import type { FaultSpec } from './faults.js';
import { flagHandler, type HandlerState } from './flag-handler.js';
import { defaultLimits, type ServerLimits } from './limits.js';
import { listenAll } from './listen.js';
import { Pending } from './respond.js';
import { RequestCounter } from './seeded.js';
import { Pause, type PauseSpec } from './pause.js';
import type { TlsIdentity } from './h2-transport.js';
import { StatsRecorder, type ServerStats } from './stats.js';
import { plainTransport, type FlagHandler, type TransportMaker } from './transport.js';

/** How a flag server behaves. */
export interface FlagServerOptions {
  /** Addresses to listen on, all on the same port (default 127.0.0.1); an IPv6 one the machine lacks is skipped. */
  readonly hosts?: readonly string[];
  /** Port (default 0: any free one). */
  readonly port?: number;
  /** The flag that chose `port`, named in the error when it is in use (default: `port`). */
  readonly portFlag?: string;
  /** What to serve (default: the built-in synthetic flags). */
  readonly content?: FlagContent;
  /** DELAY: every response waits this long, in milliseconds. */
  readonly delayMs?: number;
  /** ERROR: share of requests answered with a random 500–503 and the connection closed. */
  readonly errorRate?: number;
  /** ERROR: half of the other requests wait this long, in milliseconds. */
  readonly errorDelayMs?: number;
  /** Makes every random choice reproducible (default: a random seed). */
  readonly seed?: number;
  readonly faults?: readonly FaultSpec[];
  /** Pause the whole server once: from the N-th request's arrival, nothing is answered for MS milliseconds. */
  readonly pause?: PauseSpec | undefined;
  /** Deadlines, connection cap and backlog (default: defaultLimits()). */
  readonly limits?: Partial<ServerLimits>;
  /** Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with this key and certificate. */
  readonly tls?: TlsIdentity;
  /** With tls: offer HTTP/1.1 alone through ALPN, as a server without HTTP/2 does. */
  readonly http1Only?: boolean;
  /** Without tls: speak cleartext HTTP/2 by prior knowledge (h2c) instead of HTTP/1.1. */
  readonly h2c?: boolean;
}

/** A running flag server. */
export interface FlagServer {
  /** Base URL of the flags, no trailing slash: `http://127.0.0.1:PORT/flags` (`https://` with tls). */
  readonly url: string;
  readonly port: number;
  readonly stats: ServerStats;
  /** Zero the stats and restart the seeded choices. */
  reset(): void;
  /** Stop listening and end every connection, stalled ones included. */
  close(): Promise<void>;
}

/** Start a flag server; UsageError when the port is in use. */
export async function startFlagServer(options: FlagServerOptions = {}): Promise<FlagServer> {
  const state: HandlerState = {
    stats: new StatsRecorder(),
    counter: new RequestCounter(),
    pending: new Pending(),
    pause: options.pause === undefined ? undefined : new Pause(options.pause),
  };
  const handle = flagHandler(
    {
      content: options.content ?? syntheticContent(),
      seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
      delayMs: options.delayMs ?? 0,
      errorRate: options.errorRate ?? 0,
      errorDelayMs: options.errorDelayMs ?? 0,
      faults: options.faults ?? [],
    },
    state,
  );
  const limits: ServerLimits = { ...defaultLimits(), ...options.limits };
  const make = await transportFor(options, handle, limits, state.stats);
  const hosts = options.hosts ?? ['127.0.0.1'];
  const transports = await listenAll(make, hosts, options.port ?? 0, limits.backlog, options.portFlag);
  const port = (transports[0]?.server.address() as AddressInfo).port;
  const host = hosts[0] ?? '127.0.0.1';
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}${FLAGS_PREFIX}`,
    port,
    stats: state.stats,
    reset: () => {
      state.stats.reset();
      state.counter.reset();
      state.pause?.reset();
    },
    close: async () => {
      state.pending.clear();
      await Promise.all(transports.map(closeTransport));
    },
  };
}

/** Stop listening and end every connection of one transport. */
function closeTransport(t: { server: { close(done: () => void): unknown }; destroyAll(): void }): Promise<void> {
  return new Promise<void>((resolve) => {
    t.server.close(() => resolve());
    t.destroyAll();
  });
}

/** HTTP/1.1, or HTTP/2 (over TLS with HTTP/1.1 beside it, or h2c) from the lazily loaded module. */
async function transportFor(
  options: FlagServerOptions,
  handle: FlagHandler,
  limits: ServerLimits,
  stats: StatsRecorder,
): Promise<TransportMaker> {
  if (options.tls === undefined && options.h2c !== true) return plainTransport(handle, limits, stats);
  const h2 = await import('./h2-transport.js');
  if (options.tls === undefined) return h2.cleartextTransport(handle, limits, stats);
  return h2.secureTransport(handle, limits, stats, options.tls, options.http1Only === true);
}
