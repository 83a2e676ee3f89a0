/**
 * The flag server as a library: the original site's layout served from memory (whole files
 * or one byte range, so broken downloads can resume), with the DELAY and ERROR behaviours and
 * fault injection, on one port for one or more hosts, over HTTP/1.1 or (with `tls`) HTTP/2
 * and HTTP/1.1 over TLS, within limits that keep one client from holding it.
 * `startFlagServer(options) → { url, port, stats, reset(), close() }`.
 */
import type { AddressInfo } from 'node:net';
import { FLAGS_PREFIX, syntheticContent, type FlagContent, type FlagFile } from './content.js';
import type { FaultSpec } from './faults.js';
import { defaultLimits, type ServerLimits } from './limits.js';
import { listenAll } from './listen.js';
import {
  Pending,
  pieceOf,
  sendFault,
  sendFile,
  sendText,
  wholeOf,
  type FlagRequest,
  type FlagResponse,
  type Piece,
} from './respond.js';
import { RUN_HEADER, RequestCounter, draw } from './seeded.js';
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
  /** Deadlines, connection cap and backlog (default: defaultLimits()). */
  readonly limits?: Partial<ServerLimits>;
  /** Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with this key and certificate. */
  readonly tls?: TlsIdentity;
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

const SUSPICIOUS = /\.\.|%|\\|\0/;

/** Start a flag server; UsageError when the port is in use. */
export async function startFlagServer(options: FlagServerOptions = {}): Promise<FlagServer> {
  const content = options.content ?? syntheticContent();
  const wholes = new Map<FlagFile, Piece>(); // made on first use: synthetic bodies are made lazily
  const stats = new StatsRecorder();
  const counter = new RequestCounter();
  const pending = new Pending();
  const limits: ServerLimits = { ...defaultLimits(), ...options.limits };
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const delayMs = options.delayMs ?? 0;
  const errorRate = options.errorRate ?? 0;
  const errorDelayMs = options.errorDelayMs ?? 0;
  const faults = options.faults ?? [];
  const needsDraws = errorRate > 0 || faults.length > 0;

  const answer = (req: FlagRequest, res: FlagResponse, f: FlagFile | undefined, nth: number): void => {
    const url = req.url ?? '';
    if (f === undefined) return sendText(res, stats, SUSPICIOUS.test(url) || !url.startsWith('/') ? 400 : 404);
    const piece = pieceOf(req, f, wholes.get(f) ?? wholes.set(f, wholeOf(f)).get(f) ?? wholeOf(f));
    if (piece === 412) return sendText(res, stats, 412);
    if (piece === 416) return sendText(res, stats, 416, ['Content-Range', `bytes */${f.body.length}`]);
    for (const { kind, rate } of faults) {
      if (kind === 'jitter' || draw(seed, kind, url, nth) >= rate) continue;
      if (kind === 'status') {
        const r = draw(seed, 'status-which', url, nth);
        return r < 0.2
          ? sendText(res, stats, 429, ['Retry-After', '1'])
          : sendText(res, stats, 500 + Math.floor(((r - 0.2) / 0.8) * 4));
      }
      return sendFault(kind, res, stats, piece, pending);
    }
    sendFile(req, res, stats, f.etag, piece);
  };

  const handle = (req: FlagRequest, res: FlagResponse): void => {
    stats.arrive(req.httpVersionMajor === 2 ? 'h2' : 'h1');
    res.once('close', () => stats.leave());
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, stats, 405, ['Allow', 'GET, HEAD']);
    const url = req.url ?? '';
    const f = content.get(url);
    let waitMs = delayMs;
    const nth = needsDraws && url.startsWith(FLAGS_PREFIX) && url.length < 64 ? counter.next(runOf(req), url) : 1;
    if (errorRate > 0) {
      if (draw(seed, 'error', url, nth) < errorRate) {
        const status = 500 + Math.floor(draw(seed, 'error-which', url, nth) * 4);
        return sendText(res, stats, status, ['Connection', 'close']);
      }
      if (draw(seed, 'error-delay', url, nth) < 0.5) waitMs += errorDelayMs;
    }
    const jitter = f === undefined ? undefined : faults.find((x) => x.kind === 'jitter');
    if (jitter !== undefined && draw(seed, 'jitter', url, nth) < jitter.rate)
      waitMs += Math.floor(draw(seed, 'jitter-ms', url, nth) * 200);
    if (waitMs > 0) pending.later(waitMs, () => answer(req, res, f, nth));
    else answer(req, res, f, nth);
  };

  const make = await transportFor(options, handle, limits, stats);
  const transports = await listenAll(
    make,
    options.hosts ?? ['127.0.0.1'],
    options.port ?? 0,
    limits.backlog,
    options.portFlag,
  );
  const port = (transports[0]?.server.address() as AddressInfo).port;
  const host = (options.hosts ?? ['127.0.0.1'])[0] ?? '127.0.0.1';
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}${FLAGS_PREFIX}`,
    port,
    stats,
    reset: () => {
      stats.reset();
      counter.reset();
    },
    close: async () => {
      pending.clear();
      await Promise.all(
        transports.map(
          (t) =>
            new Promise<void>((resolve) => {
              t.server.close(() => resolve());
              t.destroyAll();
            }),
        ),
      );
    },
  };
}

/** The run a request names (RUN_HEADER), if any. */
function runOf(req: FlagRequest): string | undefined {
  const value = req.headers[RUN_HEADER];
  return typeof value === 'string' ? value : undefined;
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
  return options.tls === undefined
    ? h2.cleartextTransport(handle, limits, stats)
    : h2.secureTransport(handle, limits, stats, options.tls);
}
