/**
 * When to retry, for undici's retry interceptor: resets, timeouts, 5xx and 429 (honouring
 * Retry-After), never 404, with exponential backoff and full jitter.
 */
import type { RetryHandler } from 'undici';

/** Errors worth another attempt (undici and socket codes). */
const RETRY_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  // HTTP/2: a stream reset by the server (RST_STREAM: INTERNAL_ERROR, REFUSED_STREAM, ...), a
  // session gone (GOAWAY, closed), a body shorter than its Content-Length (a truncated stream):
  // what a reset or a closed connection is over HTTP/1.1.
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_INVALID_SESSION',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_INFO',
]);

/** Statuses worth another attempt. */
export const RETRY_STATUSES = [429, 500, 502, 503, 504];

/** Backoff of the first retry, in milliseconds; it doubles each time, up to MAX_BACKOFF_MS. */
export const BASE_BACKOFF_MS = 100;
/** Longest wait between two attempts (also caps Retry-After), in milliseconds. */
export const MAX_BACKOFF_MS = 2000;

/** The wait before retry number `counter` (1-based): Retry-After when given, else backoff with jitter. */
export function backoffMs(counter: number, retryAfterHeader: unknown, random: () => number = Math.random): number {
  const seconds = typeof retryAfterHeader === 'string' ? Number(retryAfterHeader) : Number.NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_BACKOFF_MS);
  const ceiling = Math.min(BASE_BACKOFF_MS * 2 ** (counter - 1), MAX_BACKOFF_MS);
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * Requests waiting out a backoff, by stop signal: one 'abort' listener per signal, not one
 * per waiting request. The stop signal is shared by every request of a loop, and a listener
 * each made Node warn (MaxListenersExceededWarning) past ten requests waiting at once.
 */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/** Call `onStop` when `stop` aborts, until the returned function is called. */
function onceStopped(stop: AbortSignal, onStop: () => void): () => void {
  let set = waiting.get(stop);
  if (set === undefined) {
    const fresh = new Set<() => void>();
    set = fresh;
    waiting.set(stop, fresh);
    stop.addEventListener('abort', () => [...fresh].forEach((f) => f()), { once: true });
  }
  set.add(onStop);
  return () => set.delete(onStop);
}

/**
 * A retry callback for one request: `maxRetries` more attempts at most, none once `stop`
 * aborted; `onRetry` is told of each retry when it is decided (to count attempts), and
 * `onAttempt` when the retry starts, after its backoff.
 */
export function retryPolicy(
  maxRetries: number,
  stop: AbortSignal | undefined,
  onRetry: () => void,
  onAttempt: () => void = () => undefined,
): RetryHandler.RetryCallback {
  return (err, { state }, cb) => {
    const e = err as { code?: string; statusCode?: number; headers?: Record<string, unknown> };
    const codeOk = e.code === undefined || e.code === 'UND_ERR_REQ_RETRY' || RETRY_CODES.has(e.code);
    const statusOk = e.statusCode === undefined || RETRY_STATUSES.includes(e.statusCode);
    if (!codeOk || !statusOk || state.counter > maxRetries || stop?.aborted === true) {
      cb(err);
      return;
    }
    onRetry();
    const forget =
      stop === undefined
        ? undefined
        : onceStopped(stop, () => {
            clearTimeout(timer);
            cb(err);
          });
    const timer = setTimeout(
      () => {
        forget?.();
        onAttempt();
        cb(null);
      },
      backoffMs(state.counter, e.headers?.['retry-after']),
    );
  };
}

/** Wait the backoff before retry number `counter` (1-based), or until `stop` aborts. */
export function waitBackoff(counter: number, stop: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      forget?.();
      resolve();
    };
    const timer = setTimeout(done, backoffMs(counter, undefined));
    const forget = stop === undefined ? undefined : onceStopped(stop, done);
  });
}
