/**
 * Keep-alive connections to one origin: up to `max` undici Clients handed out from a stack
 * of idle slots. Over HTTP/1.1 a Client carries one request at a time (one slot); over
 * HTTP/2 it carries `streams` requests at once (`streams` slots, and undici's `pipelining`
 * raised to match: by default undici sends one stream at a time even on h2). undici's Pool
 * does the same job but scans all its clients for an idle one on every request (a cost that
 * grows with the connections); a stack hands one out in constant time.
 *
 * open(n) connects n sockets ahead (through undici's own connector, so timeouts, keep-alive,
 * no-delay, TLS and ALPN are undici's) for the Clients to take on their first request: the
 * models open their connections during start-up, before the clock starts, so TLS handshakes
 * are start-up work too. One TLS context per set: a private CA's PEM is parsed once.
 *
 * HTTP/2 is only asked for (ALPN): until the first connection says what the server speaks,
 * its Client carries one request. A server that answers `http/1.1` (or nothing) gets the
 * HTTP/1.1 plan instead (`fallback` connections of one request each, as without --http2):
 * one HTTP/1.1 connection would carry the requests one at a time (or pipelined, a response
 * held up by the one before it), while the run claimed HTTP/2's concurrency.
 */
import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { Client as UndiciClient, Dispatcher } from 'undici';
import type { buildConnector } from 'undici';
import { Client, buildConnectorOf, loadTls } from './undici-parts.js';
import { runBounded } from './run-bounded.js';
import { Slots } from './slots.js';
import type { Protocol } from './settings.js';

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

/** How many connections a set keeps and how many requests share one. */
export interface SetPlan {
  /** Connections at most. */
  readonly connections: number;
  /** Requests one connection carries at once (over HTTP/2; 1 over HTTP/1.1). */
  readonly streams: number;
  /** Connections when HTTP/2 was asked for and the server speaks HTTP/1.1 only. */
  readonly fallback: number;
}

/** A set of at most `max` connections of `streams` slots each; take() a slot, give it back with release(). */
export class Connections {
  private readonly clients: UndiciClient[] = [];
  private readonly slots: Slots;
  private readonly opened: Socket[] = [];
  private readonly connector: buildConnector.connector;
  private readonly dial: buildConnector.connector;
  private readonly url: URL;
  /** Set when open() could not connect a single socket: every request then fails at once with it. */
  private unreachable: Error | undefined;
  private max: number;
  /** What the server speaks; undefined while HTTP/2 is asked for and no connection has answered yet. */
  private spoken: Protocol | undefined;

  /** `wrap` composes interceptors (retries) over each Client. */
  constructor(
    origin: string,
    private readonly options: ConnectionOptions,
    private readonly plan: SetPlan,
    private readonly wrap: (d: Dispatcher) => Dispatcher,
  ) {
    this.url = new URL(origin);
    this.max = plan.connections;
    this.slots = new Slots(plan.streams, () => this.take());
    this.spoken = options.h2 === true ? undefined : 'h1';
    const connect = buildConnectorOf({
      timeout: options.connectTimeout,
      ...(this.url.protocol === 'https:' ? tlsOptions(options) : {}),
    });
    // Every new socket says what the server speaks.
    this.dial = (opts, callback) =>
      connect(opts, (err, socket) => {
        this.settle(err === null ? socket : null);
        return err === null ? callback(null, socket) : callback(renamed(err), null);
      });
    // A Client takes a socket opened ahead when one is left and still open (called back
    // asynchronously, as undici's own connector does).
    this.connector = (opts, callback) => {
      if (this.unreachable !== undefined) return void process.nextTick(callback, this.unreachable, null);
      for (let s = this.opened.pop(); s !== undefined; s = this.opened.pop()) {
        if (!s.destroyed && s.readyState === 'open') return void process.nextTick(callback, null, s);
      }
      return this.dial(opts, callback);
    };
  }

  /** The protocol the server speaks (undefined: no connection has said yet). */
  get protocol(): Protocol | undefined {
    return this.spoken;
  }

  /**
   * Connect up to `n` sockets (at most `max` in all) ahead of the first requests, at most
   * CONNECT_WAVE connecting at once. Resolves with how many are open; a socket that fails is
   * left out, and its Client connects again on its first request. When not one could connect
   * (refused, timed out), requests fail at once with that error: the wait is not paid twice.
   * Asking for HTTP/2, one connects first: its answer says how many the plan has.
   */
  async open(n: number): Promise<number> {
    const u = this.url;
    const unknown = this.spoken === undefined;
    const room = Math.max(0, Math.min(n, this.max) - this.opened.length - this.clients.length);
    const want = unknown ? Math.min(room, 1) : room;
    const hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    let failure: Error | undefined;
    const one = (): Promise<void> =>
      new Promise((resolve) => {
        this.dial({ hostname, host: u.host, protocol: u.protocol, port: u.port }, (err, socket) => {
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
    // The first connection answered: now the others of the plan (HTTP/2's, or HTTP/1.1's fallback).
    if (unknown && this.spoken !== undefined) return this.open(n);
    return this.opened.length;
  }

  /**
   * An idle slot (a new Client while fewer than `max` exist), or undefined when all are busy.
   * While the protocol is not known, the first Client's one slot is all there is.
   */
  take(): Dispatcher | undefined {
    const idle = this.slots.pop();
    if (idle !== undefined || this.clients.length >= this.max) return idle;
    if (this.spoken === undefined && this.clients.length > 0) return undefined;
    const client = new Client(this.url.origin, {
      pipelining: this.spoken === 'h2' ? this.plan.streams : 1,
      keepAliveTimeout: this.options.keepAliveTimeout,
      headersTimeout: this.options.headersTimeout,
      bodyTimeout: this.options.bodyTimeout,
      connect: this.connector,
      ...(this.options.h2 === true ? { allowH2: true, maxConcurrentStreams: this.plan.streams } : {}),
    });
    this.clients.push(client);
    const wrapped = this.wrap(client);
    this.slots.track(wrapped, this.spoken !== undefined);
    return wrapped;
  }

  /** The next slot to become idle. */
  wait(): Promise<Dispatcher> {
    return this.slots.wait();
  }

  /** Give a slot back once its request (body included) has ended. */
  release(d: Dispatcher): void {
    this.slots.release(d);
  }

  /**
   * A connection answered (socket) or failed (null): the first answer says what the server
   * speaks. HTTP/2: each Client gets all its slots. Anything else: the HTTP/1.1 plan, one
   * request per connection. A failure says nothing: the slots are handed out as planned, so
   * that the requests waiting fail together rather than one after another.
   */
  private settle(socket: Socket | null): void {
    if (this.spoken !== undefined) return;
    if (socket !== null) this.spoken = (socket as TLSSocket).alpnProtocol === 'h2' ? 'h2' : 'h1';
    const streams = this.spoken === 'h1' ? 1 : this.plan.streams;
    if (this.spoken === 'h1') this.max = this.plan.fallback;
    this.clients.forEach((c) => (c.pipelining = streams));
    this.slots.fill(streams);
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
