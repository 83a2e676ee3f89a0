/**
 * Keep-alive connections to one origin: up to `max` undici Clients handed out from a stack
 * of idle slots. Over HTTP/1.1 a Client carries one request at a time (one slot); over
 * HTTP/2 it carries `streams` requests at once (`streams` slots, and undici's `pipelining`
 * raised to match: by default undici sends one stream at a time even on h2). undici's Pool
 * does the same job but scans all its clients for an idle one on every request (10–20 % of
 * a loop run's CPU at 100 connections here); a stack hands one out in constant time.
 *
 * open(n) connects n sockets ahead (through undici's own connector, so timeouts, keep-alive,
 * no-delay, TLS and ALPN are undici's) for the Clients to take on their first request: the
 * models open their connections during start-up, before the clock starts, so TLS handshakes
 * are start-up work too. One TLS context per set: a private CA's PEM is parsed once.
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { Dispatcher } from 'undici';
import type { buildConnector } from 'undici';
import { Client, buildConnectorOf, loadTls } from './undici-parts.js';
import { runBounded } from './run-bounded.js';

/**
 * Most connections opened at once. A burst of a thousand SYNs overflows a listen backlog
 * (nginx's default is 511, and the kernel drops what does not fit; the client retries a
 * dropped SYN only after 1 s): waves of 256 fit any usual backlog and cost little more.
 */
export const CONNECT_WAVE = connectWave();

/** Bench hook, read only here: FLAGFETCH_CONNECT_WAVE=N (bench/connect-storm.ts compares waves with one burst). */
function connectWave(): number {
  const n = Number(process.env['FLAGFETCH_CONNECT_WAVE']);
  return Number.isSafeInteger(n) && n > 0 ? n : 256;
}

/** Connection settings shared by every Client. */
export interface ConnectionOptions {
  readonly headersTimeout: number;
  readonly bodyTimeout: number;
  readonly keepAliveTimeout: number;
  readonly connectTimeout: number;
  /** CA certificates (PEM) trusted instead of the public ones (https only). */
  readonly caPem?: string | undefined;
  /** Skip certificate verification (https only). */
  readonly insecure?: boolean | undefined;
  /** Offer HTTP/2 through ALPN (https only). */
  readonly h2?: boolean | undefined;
}

/** A set of at most `max` connections of `streams` slots each; take() a slot, give it back with release(). */
export class Connections {
  private readonly idle: Dispatcher[] = [];
  private readonly clients: Dispatcher[] = [];
  private readonly waiting: ((d: Dispatcher) => void)[] = [];
  private readonly opened: Socket[] = [];
  private readonly connector: buildConnector.connector;
  private readonly url: URL;
  /** Set when open() could not connect a single socket: every request then fails at once with it. */
  private unreachable: Error | undefined;

  /** `wrap` composes interceptors (retries) over each Client; `streams` requests share one connection at most. */
  constructor(
    origin: string,
    private readonly options: ConnectionOptions,
    private readonly max: number,
    private readonly wrap: (d: Dispatcher) => Dispatcher,
    private readonly streams = 1,
  ) {
    this.url = new URL(origin);
    const connect = buildConnectorOf({
      timeout: options.connectTimeout,
      ...(this.url.protocol === 'https:' ? tlsOptions(options) : {}),
    });
    // A Client takes a socket opened ahead when one is left and still open (called back
    // asynchronously, as undici's own connector does).
    this.connector = (opts, callback) => {
      if (this.unreachable !== undefined) return void process.nextTick(callback, this.unreachable, null);
      for (let s = this.opened.pop(); s !== undefined; s = this.opened.pop()) {
        if (!s.destroyed && s.readyState === 'open') return void process.nextTick(callback, null, s);
      }
      return connect(opts, (err, socket) => (err === null ? callback(null, socket) : callback(renamed(err), null)));
    };
  }

  /**
   * Connect up to `n` sockets (at most `max` in all) ahead of the first requests, at most
   * CONNECT_WAVE connecting at once. Resolves with how many are open; a socket that fails is
   * left out, and its Client connects again on its first request. When not one could connect
   * (refused, timed out), requests fail at once with that error: the wait is not paid twice.
   */
  async open(n: number): Promise<number> {
    const u = this.url;
    const want = Math.max(0, Math.min(n, this.max) - this.opened.length - this.clients.length);
    const hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    let failure: Error | undefined;
    const one = (): Promise<void> =>
      new Promise((resolve) => {
        this.connector({ hostname, host: u.host, protocol: u.protocol, port: u.port }, (err, socket) => {
          if (err === null) this.opened.push(socket);
          else failure ??= err;
          resolve();
        });
      });
    let claimed = 0;
    const claim = (): number | undefined => {
      if (claimed >= want) return undefined;
      claimed += 1;
      return claimed;
    };
    await runBounded(Math.min(want, CONNECT_WAVE), claim, one);
    if (want > 0 && this.opened.length === 0 && this.clients.length === 0) this.unreachable = failure;
    return this.opened.length;
  }

  /** An idle slot (a new Client while fewer than `max` exist), or undefined when all are busy. */
  take(): Dispatcher | undefined {
    const idle = this.idle.pop();
    if (idle !== undefined || this.clients.length >= this.max) return idle;
    const client = new Client(this.url.origin, {
      pipelining: this.streams,
      keepAliveTimeout: this.options.keepAliveTimeout,
      headersTimeout: this.options.headersTimeout,
      bodyTimeout: this.options.bodyTimeout,
      connect: this.connector,
      ...(this.options.h2 === true ? { allowH2: true, maxConcurrentStreams: this.streams } : {}),
    });
    this.clients.push(client);
    const wrapped = this.wrap(client);
    for (let s = 1; s < this.streams; s += 1) this.idle.push(wrapped);
    return wrapped;
  }

  /** The next slot to become idle. */
  wait(): Promise<Dispatcher> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Give a slot back once its request (body included) has ended. */
  release(d: Dispatcher): void {
    const next = this.waiting.shift();
    if (next === undefined) this.idle.push(d);
    else next(d);
  }

  /** Close every connection (requests in flight finish first) and any socket never taken. */
  async close(): Promise<void> {
    for (const s of this.opened.splice(0)) s.destroy();
    await Promise.all(this.clients.map((c) => c.close()));
  }
}

/**
 * undici 7 handles ERR_TLS_CERT_ALTNAME_INVALID on a path of its own that leaves the request
 * counted in the queue (close() then never resolves) and asserts that nothing runs (with
 * pipelining > 1, as on HTTP/2, it can crash): undici issue #5355, fixed after 7.30. The same
 * error under another code takes undici's ordinary connect-error path.
 */
function renamed(err: Error): Error {
  if ((err as { code?: unknown }).code !== 'ERR_TLS_CERT_ALTNAME_INVALID') return err;
  return Object.assign(new Error(err.message, { cause: err }), { code: 'HOSTNAME_MISMATCH' });
}

/** undici connector options for TLS: one secure context with the private CA, verification, ALPN. */
function tlsOptions(o: ConnectionOptions): {
  secureContext?: SecureContext;
  rejectUnauthorized: boolean;
  allowH2: boolean;
} {
  const secureContext = o.caPem === undefined ? undefined : loadTls().createSecureContext({ ca: o.caPem });
  return {
    ...(secureContext === undefined ? {} : { secureContext }),
    rejectUnauthorized: o.insecure !== true,
    allowH2: o.h2 === true,
  };
}
