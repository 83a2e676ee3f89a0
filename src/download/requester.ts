/**
 * Where a client's GETs go and how they are retried: the keep-alive connections to each
 * origin of the work (origins.ts; an undici Agent for other origins after a redirect, made on first use),
 * undici's retry interceptor when --retries asks for it, and the requests in flight, so a
 * stop signal can abort them all.
 */
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import type { BodyPlan } from './body.js';
import { CANCELLED, FetchFailure } from './classify.js';
import { Origins, connectionOptions, type ConnectionPlan } from './origins.js';
import { StartAfresh, getOnce, type Got } from './get-once.js';
import { RETRY_STATUSES, retryPolicy, waitBackoff } from './retry-policy.js';
import { Deadline, DeadlineExpired, Deadlines } from './deadline.js';
import { RUN_HEADER, type FetchSettings } from './settings.js';
import { Agent, retryInterceptor } from './undici-parts.js';

/** One download's state: its connection to the server (and that server's origin), its stop signal and the attempts made. */
export interface Attempts {
  readonly origin: string;
  readonly conn: Dispatcher;
  readonly stop: AbortSignal | undefined;
  attempts: number;
}

/** GETs for one client: connections to each origin as `plan` says, retried as the settings say. */
export class Requester {
  readonly origins: Origins;
  private readonly inFlight = new Set<Dispatcher.DispatchController>();
  private readonly watched = new WeakSet<AbortSignal>();
  private elsewhere: UndiciAgent | undefined;
  private elsewhereWrapped: Dispatcher | undefined;
  /** Sent with every request: the run's name (RUN_HEADER), when it has one. */
  private readonly headers: Readonly<Record<string, string>> | undefined;
  /** Every attempt's --timeout, on one timer. */
  private readonly deadlines: Deadlines;

  constructor(
    private readonly settings: FetchSettings,
    private readonly plan: ConnectionPlan,
  ) {
    this.origins = new Origins(settings, plan, this.withRetry);
    this.headers = settings.runId === undefined ? undefined : { [RUN_HEADER]: settings.runId };
    this.deadlines = new Deadlines(settings.timeoutMs);
  }

  /**
   * Abort every request in flight when `stop` aborts (one listener per signal, not one per
   * request).
   */
  watch(stop: AbortSignal | undefined): void {
    if (stop === undefined || this.watched.has(stop)) return;
    this.watched.add(stop);
    const abortAll = (): void => {
      for (const c of [...this.inFlight]) c.abort(new FetchFailure(CANCELLED));
    };
    stop.addEventListener('abort', abortAll, { once: true });
  }

  /**
   * One GET on the download's connection (or, at another origin, through the Agent), each
   * attempt within --timeout; each retry counts as an attempt. A retry undici could not resume,
   * and an attempt that ran out of time, start afresh while retries are left.
   */
  async get(a: Attempts, at: string, path: string, body: BodyPlan): Promise<Got> {
    const deadline = new Deadline(this.deadlines);
    const left = (): number => this.settings.retries - (a.attempts - 1);
    for (;;) {
      const retry =
        this.settings.retries > 0
          ? {
              retry: retryPolicy(
                left(),
                a.stop,
                () => this.retried(a, deadline),
                () => deadline.arm(),
              ),
            }
          : undefined;
      try {
        const req = { origin: at, path, headers: this.headers, retryOptions: retry };
        return await getOnce(this.dispatcherFor(at, a), req, body, this.inFlight, deadline);
      } catch (err) {
        const again = err instanceof StartAfresh || err instanceof DeadlineExpired;
        if (!again || left() <= 0 || a.stop?.aborted === true) throw err instanceof StartAfresh ? err.cause : err;
        this.retried(a, deadline);
        await waitBackoff(a.attempts - 1, a.stop);
      }
    }
  }

  /** A retry was decided: one more attempt, and the clock stops until it starts. */
  private retried(a: Attempts, deadline: Deadline): void {
    a.attempts += 1;
    deadline.pause();
  }

  /** Close every connection (and the Agent, if a redirect made one). */
  async close(): Promise<void> {
    await Promise.all([this.origins.close(), this.elsewhere?.close()]);
  }

  private readonly withRetry = (d: Dispatcher): Dispatcher =>
    this.settings.retries > 0
      ? d.compose(
          retryInterceptor({ maxRetries: this.settings.retries, statusCodes: RETRY_STATUSES, throwOnError: true }),
        )
      : d;

  private dispatcherFor(to: string, a: Attempts): Dispatcher {
    if (to === a.origin) return a.conn;
    if (this.elsewhere === undefined) {
      const o = connectionOptions(this.settings);
      this.elsewhere = new Agent({
        keepAliveTimeout: o.keepAliveTimeout,
        headersTimeout: o.headersTimeout,
        bodyTimeout: o.bodyTimeout,
        connect: { timeout: o.connectTimeout, ca: o.caPem, rejectUnauthorized: o.insecure !== true },
        connections: this.plan.connections,
      });
      this.elsewhereWrapped = this.withRetry(this.elsewhere);
    }
    return this.elsewhereWrapped ?? this.elsewhere;
  }
}
