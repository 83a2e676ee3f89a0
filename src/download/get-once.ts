/**
 * One GET through undici's dispatch API: no response stream per request, just callbacks
 * counting (and, when saving, keeping) the body. Bigger than `maxBytes` is aborted; a body
 * shorter than its Content-Length is `truncated`. Requests in flight are tracked so a hard
 * stop can abort them all.
 */
import type { Dispatcher } from 'undici';
import { GIF_MAGIC_BYTES, NO_BYTES, notAGif, notGifStart, notGifType, type BodyPlan } from './body.js';
import { FetchFailure } from './classify.js';
import type { Deadline, DeadlineExpired } from './deadline.js';

/** What one GET returned. `body` is kept only for a 200 when asked. */
export interface Got {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: Buffer | null;
  readonly bytes: number;
}

type Controller = Dispatcher.DispatchController;

/**
 * undici's retry interceptor gave up on resuming a body of which nothing had arrived (it
 * retries such a request without a Range and then refuses the 200 it gets): a fresh GET is
 * safe, since there is nothing to join. `cause` is undici's error.
 */
export class StartAfresh extends Error {}

/** What one GET asks for: where, the headers sent (the run's name), and undici retry options when retrying. */
export interface GetRequest {
  readonly origin: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly retryOptions: object | undefined;
}

/**
 * GET `req.path` from `req.origin` through `dispatcher`; treats the body as `body` says,
 * within `deadline`; rejects with the undici error or a FetchFailure.
 */
export function getOnce(
  dispatcher: Dispatcher,
  req: GetRequest,
  body: BodyPlan,
  inFlight: Set<Controller>,
  deadline: Deadline,
): Promise<Got> {
  const { origin, path, headers, retryOptions } = req;
  const options: Dispatcher.DispatchOptions =
    retryOptions === undefined
      ? { origin, path, method: 'GET', headers }
      : ({ origin, path, method: 'GET', headers, retryOptions } as Dispatcher.DispatchOptions);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      deadline.pause();
      return true;
    };
    const handler = new GetHandler(
      body,
      (got) => {
        if (settle()) resolve(got);
      },
      (err) => {
        if (settle()) reject(err);
      },
      inFlight,
    );
    deadline.start((err) => handler.expire(err));
    dispatcher.dispatch(options, handler);
  });
}

class GetHandler implements Dispatcher.DispatchHandler {
  private controller: Controller | undefined;
  private status = 0;
  private declared = Number.NaN;
  private location: string | undefined;
  private bytes = 0;
  private chunks: Buffer[] = [];
  /** The first bytes of a 200 while a GIF's signature is checked (null once checked or not asked). */
  private head: Buffer | null = null;

  constructor(
    private readonly plan: BodyPlan,
    private readonly resolve: (g: Got) => void,
    private readonly reject: (err: Error) => void,
    private readonly inFlight: Set<Controller>,
  ) {}

  private expired: DeadlineExpired | undefined;

  onRequestStart(controller: Controller): void {
    this.controller = controller;
    this.inFlight.add(controller);
    if (this.expired !== undefined) controller.abort(this.expired);
  }

  /** Time is up: abort the request (or, not sent yet, fail now and abort it once it starts). */
  expire(err: DeadlineExpired): void {
    if (this.controller !== undefined) return this.controller.abort(err);
    this.expired = err;
    this.reject(err);
  }

  onResponseStart(
    controller: Controller,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    this.bytes = 0;
    this.chunks = [];
    const length = headers['content-length'];
    this.declared = typeof length === 'string' ? Number(length) : Number.NaN;
    const location = headers['location'];
    this.location = typeof location === 'string' ? location : undefined;
    if (this.declared > this.plan.maxBytes) return controller.abort(tooLarge(this.plan.maxBytes));
    this.head = null;
    if (!this.plan.gif || statusCode !== 200) return;
    const type = headers['content-type'];
    const wrongType = notGifType(Array.isArray(type) ? type.join(', ') : type);
    if (wrongType !== undefined) return controller.abort(notAGif(wrongType));
    this.head = NO_BYTES;
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > this.plan.maxBytes) return controller.abort(tooLarge(this.plan.maxBytes));
    if (this.head !== null && !this.gifStartOk(controller, chunk)) return;
    if (this.plan.keep && this.status === 200) this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.done();
    if (Number.isFinite(this.declared) && this.bytes !== this.declared)
      return this.reject(truncated(this.bytes, this.declared));
    const notGif = this.head === null ? undefined : notGifStart(this.head);
    if (notGif !== undefined) return this.reject(notAGif(notGif));
    const body = this.plan.keep && this.status === 200 ? Buffer.concat(this.chunks, this.bytes) : null;
    this.resolve({ status: this.status, location: this.location, body, bytes: this.bytes });
  }

  onResponseError(_controller: Controller, err: Error): void {
    // Every declared byte had arrived when the connection failed (undici 8 can fail an HTTP/2
    // stream whose body is in as its session goes away; resumed from its end, a 416): whole.
    // Not when the client itself gave up on the body (too large, not a GIF, time, a stop).
    const whole = this.status !== 0 && this.bytes > 0 && this.bytes === this.declared;
    if (whole && !(err instanceof FetchFailure)) return this.onResponseEnd();
    this.done();
    if (this.bytes === 0 && isResumeDeadEnd(err))
      return this.reject(new StartAfresh('retry could not resume', { cause: err }));
    const cut = this.status !== 0 && Number.isFinite(this.declared) && this.bytes < this.declared;
    this.reject(cut && isClosed(err) ? truncated(this.bytes, this.declared) : err);
  }

  /** Gather a 200's first bytes; once there are enough, abort unless they are a GIF's. */
  private gifStartOk(controller: Controller, chunk: Buffer): boolean {
    // Nearly always the first chunk holds the whole signature: read it there, copying nothing.
    const head = this.head ?? NO_BYTES;
    const whole = head.length === 0 && chunk.length >= GIF_MAGIC_BYTES;
    this.head = whole ? chunk : Buffer.concat([head, chunk.subarray(0, GIF_MAGIC_BYTES)]);
    if (this.head.length < GIF_MAGIC_BYTES) return true;
    const notGif = notGifStart(this.head);
    this.head = null;
    if (notGif === undefined) return true;
    controller.abort(notAGif(notGif));
    return false;
  }

  private done(): void {
    if (this.controller !== undefined) this.inFlight.delete(this.controller);
  }
}

/** The retry interceptor refused a successful response to a retry (not a final bad status). */
function isResumeDeadEnd(err: unknown): boolean {
  const e = err as { code?: unknown; statusCode?: unknown };
  return e.code === 'UND_ERR_REQ_RETRY' && typeof e.statusCode === 'number' && e.statusCode < 300;
}

/**
 * The server closed the connection (not a reset, a timeout or our own abort), or ended an
 * HTTP/2 stream short of its Content-Length: undici 8's length check, or node's PROTOCOL_ERROR
 * for it under undici 7.
 */
function isClosed(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (e.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return true;
  if (e.code === 'ERR_HTTP2_STREAM_ERROR') return String(e.message).includes('NGHTTP2_PROTOCOL_ERROR');
  return e.code === 'UND_ERR_SOCKET' && e.cause?.code !== 'ECONNRESET';
}

function tooLarge(maxBytes: number): FetchFailure {
  return new FetchFailure({
    kind: 'http-error',
    reason: 'too large',
    detail: `response larger than --max-bytes ${maxBytes}`,
  });
}

function truncated(bytes: number, declared: number): FetchFailure {
  return new FetchFailure({
    kind: 'network',
    reason: 'truncated',
    detail: `body ended after ${bytes} of ${declared} bytes`,
  });
}
