/**
 * The one download function every model uses: keep-alive undici connections per client,
 * every body consumed (through the dispatch API, without a stream per response), bounded in
 * time (`--timeout` bounds each attempt, connect to last byte: deadline.ts) and size,
 * retried through undici's retry interceptor, and saved atomically. Trouble is returned as
 * an Outcome, never thrown. Routing and retries live in requester.ts, redirects in
 * redirects.ts, what is done with a body in body.ts.
 */
import { performance } from 'node:perf_hooks';
import type { FetchSettings, Protocol } from './settings.js';
import { CANCELLED, FetchFailure, failureOf, failureOfStatus, type Failure } from './classify.js';
import type { Got } from './get-once.js';
import type { Outcome } from './outcome.js';
import { flagFileName } from './save.js';
import { METADATA_MAX_BYTES, countryNameOf, saveFlag, type BodyPlan } from './body.js';
import { atTarget, followRedirects, isRedirect } from './redirects.js';
import { Requester, type Attempts } from './requester.js';
import { connectionPlan } from './origins.js';
import type { WorkStep } from '../cpu-work/step.js';
import { letSignalsIn } from './stop.js';

export { MAX_REDIRECTS } from './redirects.js';

/** Downloads flags from one server; close() when done. */
export interface FlagClient {
  /**
   * Download (and save, unless dest is null) the flag of `cc`; aborting `stop` cancels it. Once
   * `softStopped()` says the run is stopping, no --work step starts: the item is cancelled.
   */
  fetchFlag(cc: string, stop?: AbortSignal, softStopped?: () => boolean): Promise<Outcome>;
  /** Open up to `n` connections ahead of the first requests (start-up); resolves with how many are open. */
  connect(n: number): Promise<number>;
  /** The protocol the connections speak, as ALPN settled it (undefined: none has connected yet). */
  protocol(): Protocol | undefined;
  close(): Promise<void>;
}

/**
 * A client for `lanes` requests in flight over up to `connections` keep-alive connections per
 * origin (undefined: one per lane over HTTP/1.1, one over HTTP/2, where the lanes share it as
 * streams). The origin is the one of `settings.baseUrl`, or of each target of a URL list.
 * `step` (--work) runs on every 200's body before it is saved.
 */
export function createFlagClient(
  settings: FetchSettings,
  lanes: number,
  step?: WorkStep,
  connections?: number,
): FlagClient {
  return new Client(settings, lanes, step, connections);
}

/** The response to save and the file to save it as; or, before any, a failure. */
type Downloaded = { readonly got: Got; readonly file: string } | Failure;

class Client implements FlagClient {
  private readonly base: URL;
  private readonly basePath: string;
  private readonly requester: Requester;
  private readonly flagBody: BodyPlan;
  private readonly metadataBody: BodyPlan = { maxBytes: METADATA_MAX_BYTES, keep: true, gif: false };
  /** --work steps started on this client (mayWork tells whether one ran while it yielded). */
  private worksStarted = 0;
  /** True once the event loop has polled (read signals) since the last --work step started. */
  private settled = true;

  constructor(
    private readonly settings: FetchSettings,
    lanes: number,
    private readonly step: WorkStep | undefined,
    connections: number | undefined,
  ) {
    this.base = new URL(settings.baseUrl);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    this.requester = new Requester(settings, connectionPlan(settings, Math.max(1, lanes), connections));
    this.flagBody = {
      maxBytes: settings.maxBytes,
      keep: settings.dest !== null || step?.needsBody === true,
      gif: settings.gifOnly !== false,
    };
  }

  async fetchFlag(cc: string, stop?: AbortSignal, softStopped?: () => boolean): Promise<Outcome> {
    const started = performance.now();
    if (stop?.aborted === true) return outcomeOf(cc, started, 1, CANCELLED);
    this.requester.watch(stop);
    const t = this.targetOf(cc);
    const set = this.requester.origins.of(t.origin);
    const conn = set.take() ?? (await set.wait());
    const a: Attempts = { origin: t.origin, conn, stop, attempts: 1 };
    let result: Downloaded;
    try {
      result = await this.download(a, t, cc);
    } catch (err) {
      const f = stopped(stop) && !(err instanceof FetchFailure) ? CANCELLED : failureOf(err, this.settings.timeoutMs);
      return outcomeOf(cc, started, a.attempts, f);
    } finally {
      set.release(conn);
    }
    if ('kind' in result) return outcomeOf(cc, started, a.attempts, result);
    if (result.got.status === 200 && !(await this.mayWork(softStopped))) {
      return outcomeOf(cc, started, a.attempts, CANCELLED);
    }
    return this.finish(cc, t, result, { started, attempts: a.attempts });
  }

  /**
   * False when the run is stopping and the --work step must not start. Another item's work may
   * have kept this thread busy, so a stop that came meanwhile is read first: the thread yields
   * until it has seen the event loop's poll phase with no work step run in between.
   */
  private async mayWork(softStopped: (() => boolean) | undefined): Promise<boolean> {
    if (this.step === undefined || softStopped === undefined) return true;
    while (!this.settled) {
      const seen = this.worksStarted;
      await letSignalsIn();
      if (this.worksStarted === seen) break;
    }
    if (softStopped()) return false;
    const started = ++this.worksStarted;
    this.settled = false;
    // Once a poll phase has passed after this work step (and no other started), the next need not yield.
    void letSignalsIn().then(() => {
      if (this.worksStarted === started) this.settled = true;
    });
    return true;
  }

  connect(n: number): Promise<number> {
    return this.requester.origins.open(n);
  }

  protocol(): Protocol | undefined {
    return this.requester.origins.protocol();
  }

  close(): Promise<void> {
    return this.requester.close();
  }

  /** A response arrived: a status other than 200 is a failure; a 200 gets its --work step, is saved, and is ok. */
  private async finish(
    cc: string,
    t: Target,
    { got, file }: { got: Got; file: string },
    at: { started: number; attempts: number },
  ): Promise<Outcome> {
    const failed = (f: Failure): Outcome => outcomeOf(cc, at.started, at.attempts, f);
    // A URL list's key is its URL already: `-v` says `URL not found`, not the URL twice.
    const url = this.settings.targets?.[cc]?.url === cc ? undefined : t.origin + t.path;
    if (got.status !== 200) return failed(failureOfStatus(got.status, url));
    // colors.json is keyed by the code (flags, {cc} templates), by the saved file's name for a URL list.
    const work = this.step?.run({ key: url === undefined ? file : cc, file }, got.body);
    if (work?.failure !== undefined) {
      // As for a success: the request's latency leaves the work out.
      const f = failed(work.failure);
      return { ...f, latencyMs: f.latencyMs - work.workMs, workMs: work.workMs };
    }
    if (this.settings.dest !== null && got.body !== null) {
      try {
        await saveFlag(this.settings.dest, file, got.body);
      } catch (err) {
        return failed(failureOf(err, this.settings.timeoutMs));
      }
    }
    const latencyMs = performance.now() - at.started;
    const ok: Outcome = {
      cc,
      kind: 'ok',
      status: 200,
      reason: '',
      detail: 'OK',
      bytes: got.bytes,
      latencyMs,
      attempts: at.attempts,
    };
    // The request's latency leaves the work out; the work's time goes with the outcome.
    return work === undefined ? ok : { ...ok, latencyMs: latencyMs - work.workMs, workMs: work.workMs };
  }

  /** The response and the file to save it as (with --names, after the country's name); or a failure. */
  private async download(a: Attempts, t: Target, cc: string): Promise<Downloaded> {
    let file = t.file;
    if (file === undefined) {
      const lower = cc.toLowerCase();
      const metaPath = `${this.basePath}/${lower}/metadata.json`;
      const meta = await this.get(a, metaPath, this.metadataBody);
      if (meta.status !== 200 || meta.body === null) return failureOfStatus(meta.status, this.base.origin + metaPath);
      file = flagFileName(cc, countryNameOf(meta.body));
    }
    return { got: await this.get(a, t.path, this.flagBody), file };
  }

  /** GET a path of the download's origin, following redirects as the settings allow. */
  private async get(a: Attempts, path: string, body: BodyPlan): Promise<Got> {
    const got = await this.requester.get(a, a.origin, path, body);
    if (!isRedirect(got)) return got;
    const getAt = async (at: string, p: string): Promise<Got> => {
      try {
        return await this.requester.get(a, at, p, body);
      } catch (err) {
        throw stopped(a.stop) ? err : atTarget(err, `${at}${p}`, this.settings.timeoutMs);
      }
    };
    return followRedirects(getAt, a.origin, path, got, this.settings.followRedirects);
  }

  /** Where the work item `key` is fetched from and the file it is saved as (undefined: ask the server, --names). */
  private targetOf(key: string): Target {
    const t = this.settings.targets?.[key];
    if (t !== undefined) {
      const url = new URL(t.url);
      return { origin: url.origin, path: url.pathname + url.search, file: t.file };
    }
    const lower = key.toLowerCase();
    return {
      origin: this.base.origin,
      path: `${this.basePath}/${lower}/${lower}.gif`,
      file: this.settings.names ? undefined : flagFileName(key),
    };
  }
}

/** Where one work item goes: its origin, the path there, and the file name (undefined with --names). */
interface Target {
  readonly origin: string;
  readonly path: string;
  readonly file: string | undefined;
}

/** An Outcome for a failure (or a 404). */
function outcomeOf(cc: string, started: number, attempts: number, f: Failure): Outcome {
  const latencyMs = performance.now() - started;
  return { cc, kind: f.kind, status: f.status, reason: f.reason, detail: f.detail, bytes: 0, latencyMs, attempts };
}

function stopped(stop: AbortSignal | undefined): boolean {
  return stop?.aborted === true;
}
