/**
 * The one download function every model uses: keep-alive undici connections per client,
 * every body consumed (through the dispatch API, without a stream per response), bounded in
 * time (`--timeout` bounds each attempt, connect to last byte: deadline.ts) and size,
 * retried through undici's retry interceptor, and saved atomically. Trouble is returned as
 * an Outcome, never thrown. Routing and retries live in requester.ts, redirects in
 * redirects.ts, what is done with a body in body.ts.
 */
import { performance } from 'node:perf_hooks';
import type { FetchSettings } from './settings.js';
import { CANCELLED, FetchFailure, failureOf, httpFailure, type Failure } from './classify.js';
import type { Got } from './get-once.js';
import type { Outcome } from './outcome.js';
import { flagFileName } from './save.js';
import { METADATA_MAX_BYTES, countryNameOf, saveFlag, type BodyPlan } from './body.js';
import { atTarget, followRedirects, isRedirect } from './redirects.js';
import { Requester, type Attempts } from './requester.js';
import type { WorkStep } from './work.js';

export { MAX_REDIRECTS } from './redirects.js';

/** Downloads flags from one server; close() when done. */
export interface FlagClient {
  /** Download (and save, unless dest is null) the flag of `cc`; aborting `stop` cancels it. */
  fetchFlag(cc: string, stop?: AbortSignal): Promise<Outcome>;
  /** Open up to `n` connections ahead of the first requests (start-up); resolves with how many are open. */
  connect(n: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * A client with up to `connections` keep-alive connections to the server of `settings.baseUrl`;
 * `step` (--work) runs on every 200's body before it is saved.
 */
export function createFlagClient(settings: FetchSettings, connections: number, step?: WorkStep): FlagClient {
  const base = new URL(settings.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const requester = new Requester(settings, base.origin, connections);
  const flagBody: BodyPlan = {
    maxBytes: settings.maxBytes,
    keep: settings.dest !== null || step?.needsBody === true,
    gif: settings.gifOnly !== false,
  };
  const metadataBody: BodyPlan = { maxBytes: METADATA_MAX_BYTES, keep: true, gif: false };

  /** GET a path of the server, following redirects as the settings allow. */
  const get = async (a: Attempts, path: string, body: BodyPlan): Promise<Got> => {
    const got = await requester.get(a, requester.origin, path, body);
    if (!isRedirect(got)) return got;
    const getAt = async (at: string, p: string): Promise<Got> => {
      try {
        return await requester.get(a, at, p, body);
      } catch (err) {
        throw stopped(a.stop) ? err : atTarget(err, `${at}${p}`, settings.timeoutMs);
      }
    };
    return followRedirects(getAt, requester.origin, path, got, settings.followRedirects);
  };

  /** The flag's response and, with --names, the country's name; or a failure. */
  const download = async (a: Attempts, lower: string): Promise<{ got: Got; name: string | undefined } | Failure> => {
    let name: string | undefined;
    if (settings.names) {
      const metaPath = `${basePath}/${lower}/metadata.json`;
      const meta = await get(a, metaPath, metadataBody);
      if (meta.status !== 200 || meta.body === null) return failureOfStatus(meta.status, base.origin + metaPath);
      name = countryNameOf(meta);
    }
    return { got: await get(a, `${basePath}/${lower}/${lower}.gif`, flagBody), name };
  };

  const fetchFlag = async (cc: string, stop?: AbortSignal): Promise<Outcome> => {
    const started = performance.now();
    if (stop?.aborted === true) return outcomeOf(cc, started, 1, CANCELLED);
    requester.watch(stop);
    const conn = requester.home.take() ?? (await requester.home.wait());
    const a: Attempts = { conn, stop, attempts: 1 };
    const failed = (f: Failure): Outcome => outcomeOf(cc, started, a.attempts, f);
    let result;
    try {
      result = await download(a, cc.toLowerCase());
    } catch (err) {
      return failed(stopped(stop) && !(err instanceof FetchFailure) ? CANCELLED : failureOf(err, settings.timeoutMs));
    } finally {
      requester.home.release(conn);
    }
    if ('kind' in result) return failed(result);
    const { got, name } = result;
    if (got.status !== 200)
      return failed(
        failureOfStatus(got.status, `${base.origin}${basePath}/${cc.toLowerCase()}/${cc.toLowerCase()}.gif`),
      );
    const work = step?.run({ key: cc, file: flagFileName(cc, name) }, got.body);
    if (work?.failure !== undefined) return { ...failed(work.failure), workMs: work.workMs };
    if (settings.dest !== null && got.body !== null) {
      try {
        await saveFlag(settings.dest, flagFileName(cc, name), got.body);
      } catch (err) {
        return failed(failureOf(err, settings.timeoutMs));
      }
    }
    const latencyMs = performance.now() - started;
    const ok: Outcome = {
      cc,
      kind: 'ok',
      status: 200,
      reason: '',
      detail: 'OK',
      bytes: got.bytes,
      latencyMs,
      attempts: a.attempts,
    };
    // The request's latency leaves the work out; the work's time goes with the outcome.
    return work === undefined ? ok : { ...ok, latencyMs: latencyMs - work.workMs, workMs: work.workMs };
  };

  return { fetchFlag, connect: (n) => requester.home.open(n), close: () => requester.close() };
}

/** A status other than 200 as a Failure: not found for 404 (`not found: URL`, as flags2 -v), an HTTP error otherwise. */
function failureOfStatus(status: number, url: string): Failure {
  return status === 404 ? { kind: 'not-found', status, reason: '', detail: `not found: ${url}` } : httpFailure(status);
}

/** An Outcome for a failure (or a 404). */
function outcomeOf(cc: string, started: number, attempts: number, f: Failure): Outcome {
  const latencyMs = performance.now() - started;
  return { cc, kind: f.kind, status: f.status, reason: f.reason, detail: f.detail, bytes: 0, latencyMs, attempts };
}

function stopped(stop: AbortSignal | undefined): boolean {
  return stop?.aborted === true;
}
