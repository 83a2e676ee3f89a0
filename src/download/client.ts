/**
 * The one download function every model uses: an undici Pool with keep-alive per client,
 * every body consumed (through the dispatch API, without a stream per response), bounded in
 * time (`--timeout` bounds the wait for headers and every wait for body data) and size,
 * retried through undici's retry interceptor, and saved atomically. Trouble is returned as
 * an Outcome, never thrown.
 */
import { performance } from 'node:perf_hooks';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import type { FetchSettings } from '../models/types.js';
import { CANCELLED, FetchFailure, failureOf, httpFailure, type Failure } from './classify.js';
import { getOnce, type Got } from './get-once.js';
import type { Outcome } from './outcome.js';
import { RETRY_STATUSES, retryPolicy } from './retry-policy.js';
import { flagFileName, saveAtomic } from './save.js';
import { Agent, Pool, retryInterceptor } from './undici-parts.js';

/** Downloads flags from one server; close() when done. */
export interface FlagClient {
  /** Download (and save, unless dest is null) the flag of `cc`; aborting `stop` cancels it. */
  fetchFlag(cc: string, stop?: AbortSignal): Promise<Outcome>;
  close(): Promise<void>;
}

/** Most redirects followed for one request. */
export const MAX_REDIRECTS = 3;

/** A client with up to `connections` keep-alive connections to the server of `settings.baseUrl`. */
export function createFlagClient(settings: FetchSettings, connections: number): FlagClient {
  const base = new URL(settings.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const poolOptions = {
    connections: Math.max(1, connections),
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: settings.timeoutMs,
    bodyTimeout: settings.timeoutMs,
    connect: { timeout: settings.timeoutMs },
  };
  const pool = new Pool(base.origin, poolOptions);
  let elsewhere: UndiciAgent | undefined;
  const retrying = settings.retries > 0;
  const withRetry = (d: Dispatcher): Dispatcher =>
    retrying ? d.compose(retryInterceptor({ maxRetries: settings.retries, statusCodes: RETRY_STATUSES, throwOnError: true })) : d;
  const home = withRetry(pool);
  const dispatcherFor = (origin: string): Dispatcher => (origin === base.origin ? home : withRetry((elsewhere ??= new Agent(poolOptions))));
  const keep = settings.dest !== null;
  // One listener per stop signal (not one per request): a stop aborts every request in flight.
  const inFlight = new Set<Dispatcher.DispatchController>();
  const watched = new WeakSet<AbortSignal>();
  const watch = (stop: AbortSignal | undefined): void => {
    if (stop === undefined || watched.has(stop)) return;
    watched.add(stop);
    stop.addEventListener('abort', () => {
      for (const c of [...inFlight]) c.abort(new FetchFailure(CANCELLED));
    }, { once: true });
  };

  /** GET a path of the server, following redirects as the settings allow. */
  async function get(path: string, stop: AbortSignal | undefined, onRetry: () => void, maxBytes: number, keepBody: boolean): Promise<Got> {
    let origin = base.origin;
    for (let hop = 0; ; hop += 1) {
      const retryOptions = retrying ? { retry: retryPolicy(settings.retries, stop, onRetry) } : undefined;
      const got = await getOnce(dispatcherFor(origin), { origin, path, retryOptions }, { maxBytes, keep: keepBody }, inFlight);
      if (got.status < 300 || got.status >= 400 || got.location === undefined) return got;
      const next = nextHop(new URL(path, origin), got.location, hop);
      origin = next.origin;
      path = next.pathname + next.search;
    }
  }

  function nextHop(from: URL, location: string, hop: number): URL {
    if (hop + 1 > MAX_REDIRECTS) throw new FetchFailure({ kind: 'http-error', reason: 'too many redirects', detail: `more than ${MAX_REDIRECTS} redirects` });
    const to = new URL(location, from);
    if (to.protocol !== 'http:' && to.protocol !== 'https:') throw new FetchFailure({ kind: 'http-error', reason: 'bad redirect', detail: `redirect to ${to.protocol} refused` });
    if (settings.followRedirects === 'same-origin' && to.origin !== base.origin) {
      throw new FetchFailure({ kind: 'http-error', reason: 'redirect off origin', detail: `redirect to ${to.origin} refused (use --follow-redirects=any)` });
    }
    return to;
  }

  async function countryName(cc: string, stop: AbortSignal | undefined, onRetry: () => void): Promise<string | Failure> {
    const got = await get(`${basePath}/${cc.toLowerCase()}/metadata.json`, stop, onRetry, 64 * 1024, true);
    if (got.status !== 200 || got.body === null) return got.status === 404 ? { kind: 'not-found', reason: '', detail: 'not found' } : httpFailure(got.status);
    const parsed = JSON.parse(got.body.toString('utf8')) as { country?: unknown };
    if (typeof parsed.country !== 'string') throw new FetchFailure({ kind: 'http-error', reason: 'bad metadata', detail: 'metadata.json has no country name' });
    return parsed.country;
  }

  async function fetchFlag(cc: string, stop?: AbortSignal): Promise<Outcome> {
    const started = performance.now();
    let attempts = 1;
    const onRetry = (): void => {
      attempts += 1;
    };
    const outcome = (f: Failure | { kind: 'ok' | 'not-found'; status: number; bytes: number }): Outcome => ({
      cc,
      kind: f.kind,
      status: f.status,
      reason: 'reason' in f ? f.reason : '',
      detail: 'detail' in f ? f.detail : f.kind === 'ok' ? 'OK' : 'not found',
      bytes: 'bytes' in f ? f.bytes : 0,
      latencyMs: performance.now() - started,
      attempts,
    });
    if (stop?.aborted === true) return outcome(CANCELLED);
    watch(stop);
    try {
      let name: string | undefined;
      if (settings.names) {
        const found = await countryName(cc, stop, onRetry);
        if (typeof found !== 'string') return outcome(found.kind === 'not-found' ? { kind: 'not-found', status: 404, bytes: 0 } : found);
        name = found;
      }
      const lower = cc.toLowerCase();
      const got = await get(`${basePath}/${lower}/${lower}.gif`, stop, onRetry, settings.maxBytes, keep);
      if (got.status === 404) return outcome({ kind: 'not-found', status: 404, bytes: 0 });
      if (got.status !== 200) return outcome(httpFailure(got.status));
      if (settings.dest !== null && got.body !== null) await save(settings.dest, flagFileName(cc, name), got.body);
      return outcome({ kind: 'ok', status: 200, bytes: got.bytes });
    } catch (err) {
      return outcome(stopped(stop) && !(err instanceof FetchFailure) ? CANCELLED : failureOf(err, settings.timeoutMs, false));
    }
  }

  return {
    fetchFlag,
    close: async () => {
      await Promise.all([pool.close(), elsewhere?.close()]);
    },
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
    throw new FetchFailure({ kind: 'network', reason: 'save failed', detail: `cannot save ${name} (${typeof code === 'string' ? code : 'error'})` });
  }
}
