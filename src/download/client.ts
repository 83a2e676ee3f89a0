/**
 * The one download function every model uses: keep-alive undici connections per client,
 * every body consumed (through the dispatch API, without a stream per response), bounded in
 * time (`--timeout` bounds the wait for headers and every wait for body data) and size,
 * retried through undici's retry interceptor, and saved atomically. Trouble is returned as
 * an Outcome, never thrown.
 */
import { performance } from 'node:perf_hooks';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import type { FetchSettings } from './settings.js';
import { CANCELLED, FetchFailure, failureOf, httpFailure, type Failure } from './classify.js';
import { StartAfresh, getOnce, type Got } from './get-once.js';
import type { Outcome } from './outcome.js';
import { RETRY_STATUSES, retryPolicy } from './retry-policy.js';
import { flagFileName, saveAtomic } from './save.js';
import { Connections } from './connections.js';
import { loadAgent, retryInterceptor } from './undici-parts.js';

/** Downloads flags from one server; close() when done. */
export interface FlagClient {
  /** Download (and save, unless dest is null) the flag of `cc`; aborting `stop` cancels it. */
  fetchFlag(cc: string, stop?: AbortSignal): Promise<Outcome>;
  /** Open up to `n` connections ahead of the first requests (start-up); resolves with how many are open. */
  connect(n: number): Promise<number>;
  close(): Promise<void>;
}

/** Most redirects followed for one request. */
export const MAX_REDIRECTS = 3;

/** A client with up to `connections` keep-alive connections to the server of `settings.baseUrl`. */
export function createFlagClient(settings: FetchSettings, connections: number): FlagClient {
  const base = new URL(settings.baseUrl);
  const origin = base.origin;
  const basePath = base.pathname.replace(/\/+$/, '');
  const clientOptions = {
    keepAliveTimeout: 30_000,
    headersTimeout: settings.timeoutMs,
    bodyTimeout: settings.timeoutMs,
    connectTimeout: settings.timeoutMs,
  };
  const retrying = settings.retries > 0;
  const withRetry = (d: Dispatcher): Dispatcher =>
    retrying
      ? d.compose(retryInterceptor({ maxRetries: settings.retries, statusCodes: RETRY_STATUSES, throwOnError: true }))
      : d;
  const home = new Connections(origin, clientOptions, Math.max(1, connections), withRetry);
  let elsewhere: UndiciAgent | undefined;
  let elsewhereRetrying: Dispatcher | undefined;
  const dispatcherFor = (to: string, conn: Dispatcher): Dispatcher => {
    if (to === origin) return conn;
    if (elsewhere === undefined) {
      const { connectTimeout, ...timeouts } = clientOptions;
      elsewhere = new (loadAgent())({
        ...timeouts,
        connect: { timeout: connectTimeout },
        connections: Math.max(1, connections),
      });
      elsewhereRetrying = withRetry(elsewhere);
    }
    return elsewhereRetrying ?? elsewhere;
  };
  const keep = settings.dest !== null;
  // One listener per stop signal (not one per request): a stop aborts every request in flight.
  const inFlight = new Set<Dispatcher.DispatchController>();
  const watched = new WeakSet<AbortSignal>();
  const watch = (stop: AbortSignal | undefined): void => {
    if (stop === undefined || watched.has(stop)) return;
    watched.add(stop);
    stop.addEventListener(
      'abort',
      () => {
        for (const c of [...inFlight]) c.abort(new FetchFailure(CANCELLED));
      },
      { once: true },
    );
  };

  /** One fetchFlag's state: its connection to the server and the attempts made. */
  interface Fetch {
    readonly conn: Dispatcher;
    readonly stop: AbortSignal | undefined;
    attempts: number;
  }

  /**
   * One GET on the fetch's connection (or, after a redirect elsewhere, through the Agent);
   * each retry counts as an attempt, and a retry undici could not resume starts afresh while
   * retries are left.
   */
  function getAt(f: Fetch, at: string, path: string, maxBytes: number, keepBody: boolean): Promise<Got> {
    if (!retrying) return getOnce(dispatcherFor(at, f.conn), at, path, undefined, maxBytes, keepBody, inFlight);
    return retried(f, at, path, maxBytes, keepBody);
  }

  async function retried(f: Fetch, at: string, path: string, maxBytes: number, keepBody: boolean): Promise<Got> {
    const left = (): number => settings.retries - (f.attempts - 1);
    for (;;) {
      try {
        return await getOnce(
          dispatcherFor(at, f.conn),
          at,
          path,
          { retry: retryPolicy(left(), f.stop, () => (f.attempts += 1)) },
          maxBytes,
          keepBody,
          inFlight,
        );
      } catch (err) {
        if (!(err instanceof StartAfresh)) throw err;
        if (left() <= 0 || stopped(f.stop)) throw err.cause;
        f.attempts += 1;
      }
    }
  }

  /** GET a path of the server, following redirects as the settings allow. */
  async function get(f: Fetch, path: string, maxBytes: number, keepBody: boolean): Promise<Got> {
    const got = await getAt(f, origin, path, maxBytes, keepBody);
    return isRedirect(got) ? follow(f, path, got, maxBytes, keepBody) : got;
  }

  /** Follow the redirect `got` answered for `path`, and the ones after it (at most MAX_REDIRECTS). */
  async function follow(f: Fetch, path: string, got: Got, maxBytes: number, keepBody: boolean): Promise<Got> {
    let at = origin;
    for (let hop = 0; isRedirect(got); hop += 1) {
      const next = nextHop(new URL(path, at), got.location ?? '', hop);
      at = next.origin;
      path = next.pathname + next.search;
      got = await getAt(f, at, path, maxBytes, keepBody);
    }
    return got;
  }

  function nextHop(from: URL, location: string, hop: number): URL {
    if (hop + 1 > MAX_REDIRECTS)
      throw new FetchFailure({
        kind: 'http-error',
        reason: 'too many redirects',
        detail: `more than ${MAX_REDIRECTS} redirects`,
      });
    const to = new URL(location, from);
    if (to.protocol !== 'http:' && to.protocol !== 'https:')
      throw new FetchFailure({
        kind: 'http-error',
        reason: 'bad redirect',
        detail: `redirect to ${to.protocol} refused`,
      });
    if (settings.followRedirects === 'same-origin' && to.origin !== origin) {
      throw new FetchFailure({
        kind: 'http-error',
        reason: 'redirect off origin',
        detail: `redirect to ${to.origin} refused (use --follow-redirects=any)`,
      });
    }
    return to;
  }

  /** The country's name from its metadata.json (--names), or why not. */
  async function countryName(f: Fetch, lower: string): Promise<string | Failure> {
    const got = await get(f, `${basePath}/${lower}/metadata.json`, 64 * 1024, true);
    if (got.status !== 200 || got.body === null) return got.status === 404 ? NOT_FOUND : httpFailure(got.status);
    const parsed = JSON.parse(got.body.toString('utf8')) as { country?: unknown };
    if (typeof parsed.country !== 'string')
      throw new FetchFailure({
        kind: 'http-error',
        reason: 'bad metadata',
        detail: 'metadata.json has no country name',
      });
    return parsed.country;
  }

  /** The flag's response and, with --names, the country's name; or a failure. The hot path has one await. */
  async function download(f: Fetch, lower: string): Promise<{ got: Got; name: string | undefined } | Failure> {
    let name: string | undefined;
    if (settings.names) {
      const found = await countryName(f, lower);
      if (typeof found !== 'string') return found;
      name = found;
    }
    const path = `${basePath}/${lower}/${lower}.gif`;
    let got = await getAt(f, origin, path, settings.maxBytes, keep);
    if (isRedirect(got)) got = await follow(f, path, got, settings.maxBytes, keep);
    return { got, name };
  }

  async function fetchFlag(cc: string, stop?: AbortSignal): Promise<Outcome> {
    const started = performance.now();
    if (stop?.aborted === true) return outcomeOf(cc, started, 1, CANCELLED);
    watch(stop);
    const conn = home.take() ?? (await home.wait());
    const f: Fetch = { conn, stop, attempts: 1 };
    let result;
    try {
      result = await download(f, cc.toLowerCase());
    } catch (err) {
      return outcomeOf(
        cc,
        started,
        f.attempts,
        stopped(stop) && !(err instanceof FetchFailure) ? CANCELLED : failureOf(err, settings.timeoutMs),
      );
    } finally {
      home.release(conn);
    }
    if ('kind' in result) return outcomeOf(cc, started, f.attempts, result);
    const { got, name } = result;
    if (got.status === 404) return outcomeOf(cc, started, f.attempts, NOT_FOUND);
    if (got.status !== 200) return outcomeOf(cc, started, f.attempts, httpFailure(got.status));
    if (settings.dest !== null && got.body !== null) {
      try {
        await save(settings.dest, flagFileName(cc, name), got.body);
      } catch (err) {
        return outcomeOf(cc, started, f.attempts, failureOf(err, settings.timeoutMs));
      }
    }
    return {
      cc,
      kind: 'ok',
      status: 200,
      reason: '',
      detail: 'OK',
      bytes: got.bytes,
      latencyMs: performance.now() - started,
      attempts: f.attempts,
    };
  }

  return {
    fetchFlag,
    connect: (n) => home.open(n),
    close: async () => {
      await Promise.all([home.close(), elsewhere?.close()]);
    },
  };
}

function isRedirect(got: Got): boolean {
  return got.status >= 300 && got.status < 400 && got.location !== undefined;
}

const NOT_FOUND: Failure = { kind: 'not-found', status: 404, reason: '', detail: 'not found' };

/** An Outcome for a failure (or a 404). */
function outcomeOf(cc: string, started: number, attempts: number, f: Failure): Outcome {
  return {
    cc,
    kind: f.kind,
    status: f.status,
    reason: f.reason,
    detail: f.detail,
    bytes: 0,
    latencyMs: performance.now() - started,
    attempts,
  };
}

function stopped(stop: AbortSignal | undefined): boolean {
  return stop?.aborted === true;
}

async function save(dir: string, name: string, body: Buffer): Promise<void> {
  try {
    await saveAtomic(dir, name, body);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new FetchFailure({
      kind: 'network',
      reason: 'save failed',
      detail: `cannot save ${name} (${typeof code === 'string' ? code : 'error'})`,
    });
  }
}
