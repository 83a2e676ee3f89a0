/**
 * The one download function every model uses: an undici Pool with keep-alive per client,
 * every body consumed, bounded in time and size, retried through undici's retry
 * interceptor, and saved atomically. Trouble is returned as an Outcome, never thrown.
 */
import { performance } from 'node:perf_hooks';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { Agent, Pool, retryInterceptor } from './undici-parts.js';
import type { FetchSettings } from '../models/types.js';
import { CANCELLED, FetchFailure, failureOf, httpFailure, timeoutFailure, type Failure } from './classify.js';
import type { Outcome } from './outcome.js';
import { readBody } from './read-body.js';
import { MAX_BACKOFF_MS, RETRY_STATUSES, retryPolicy } from './retry-policy.js';
import { flagFileName, saveAtomic } from './save.js';

/** Downloads flags from one server; close() when done. */
export interface FlagClient {
  /** Download (and save, unless dest is null) the flag of `cc`; `stop` cancels it. */
  fetchFlag(cc: string, stop?: AbortSignal): Promise<Outcome>;
  close(): Promise<void>;
}

/** Most redirects followed for one request. */
export const MAX_REDIRECTS = 3;

interface Got {
  readonly status: number;
  readonly body: Buffer | null;
  readonly bytes: number;
}

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
  const dispatcherFor = (origin: string): Dispatcher => {
    const plain: Dispatcher = origin === base.origin ? pool : (elsewhere ??= new Agent(poolOptions));
    return retrying ? plain.compose(retryInterceptor({ maxRetries: settings.retries, statusCodes: RETRY_STATUSES, throwOnError: true })) : plain;
  };
  const home = dispatcherFor(base.origin);
  const deadlineMs = settings.timeoutMs * (settings.retries + 1) + MAX_BACKOFF_MS * settings.retries;
  const keep = settings.dest !== null;
  // One listener per stop signal (not one per request): a stop aborts every request in flight.
  const inFlight = new Set<AbortController>();
  const watched = new WeakSet<AbortSignal>();
  const watch = (stop: AbortSignal | undefined): void => {
    if (stop === undefined || watched.has(stop)) return;
    watched.add(stop);
    stop.addEventListener('abort', () => {
      for (const c of inFlight) c.abort(new FetchFailure(CANCELLED));
    }, { once: true });
  };

  /** GET one URL, following redirects as the settings allow. */
  async function get(url: URL, signal: AbortSignal, onRetry: () => void, maxBytes: number, keepBody: boolean): Promise<Got> {
    for (let hop = 0; ; hop += 1) {
      const dispatcher = url.origin === base.origin ? home : dispatcherFor(url.origin);
      const res = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        signal,
        ...(retrying ? { retryOptions: { retry: retryPolicy(settings.retries, signal, onRetry) } } : {}),
      });
      const location = res.headers.location;
      if (res.statusCode !== 200) {
        await res.body.dump().catch(() => undefined);
        if (res.statusCode < 300 || res.statusCode >= 400 || typeof location !== 'string') return { status: res.statusCode, body: null, bytes: 0 };
        url = nextHop(url, location, hop);
        continue;
      }
      const read = await readBody(res.body, res.headers['content-length'], maxBytes, keepBody);
      return { status: 200, body: read.body, bytes: read.bytes };
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

  async function countryName(cc: string, signal: AbortSignal, onRetry: () => void): Promise<string | Failure> {
    const got = await get(new URL(`${base.origin}${basePath}/${cc.toLowerCase()}/metadata.json`), signal, onRetry, 64 * 1024, true);
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
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new FetchFailure(timeoutFailure(settings.timeoutMs))), deadlineMs);
    watch(stop);
    inFlight.add(controller);
    try {
      let name: string | undefined;
      if (settings.names) {
        const found = await countryName(cc, controller.signal, onRetry);
        if (typeof found !== 'string') return outcome(found.kind === 'not-found' ? { kind: 'not-found', status: 404, bytes: 0 } : found);
        name = found;
      }
      const got = await get(new URL(`${base.origin}${basePath}/${cc.toLowerCase()}/${cc.toLowerCase()}.gif`), controller.signal, onRetry, settings.maxBytes, keep);
      if (got.status === 404) return outcome({ kind: 'not-found', status: 404, bytes: 0 });
      if (got.status !== 200) return outcome(httpFailure(got.status));
      if (settings.dest !== null && got.body !== null) await save(settings.dest, flagFileName(cc, name), got.body);
      return outcome({ kind: 'ok', status: 200, bytes: got.bytes });
    } catch (err) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : err;
      return outcome(failureOf(reason, settings.timeoutMs, isTruncation(err)));
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  }

  return {
    fetchFlag,
    close: async () => {
      await Promise.all([pool.close(), elsewhere?.close()]);
    },
  };
}

async function save(dir: string, name: string, body: Buffer): Promise<void> {
  try {
    await saveAtomic(dir, name, body);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new FetchFailure({ kind: 'network', reason: 'save failed', detail: `cannot save ${name} (${typeof code === 'string' ? code : 'error'})` });
  }
}

function isTruncation(err: unknown): boolean {
  return err instanceof FetchFailure && err.failure.reason === 'truncated';
}
