/**
 * The result of one download, as plain data. A failed request is data, not an exception:
 * the client never throws for HTTP or network trouble, it returns an Outcome.
 */

/**
 * How one download ended. `local` is trouble on this side, not the server's answer: a flag
 * that could not be saved, a thread that died.
 */
export type OutcomeKind = 'ok' | 'not-found' | 'http-error' | 'timeout' | 'network' | 'local' | 'cancelled';

/** One download's result. */
export interface Outcome {
  /** Country code, upper case. */
  readonly cc: string;
  /** What happened: ok, not-found, or how it failed (errors: http-error, timeout, network, local). */
  readonly kind: OutcomeKind;
  /** HTTP status when a response arrived. */
  readonly status?: number | undefined;
  /**
   * Short, stable key for counting errors, from the vocabulary in reasons.ts (`http 503`,
   * `timeout`, `reset`, `truncated`, `not a GIF`…); empty for ok and not-found.
   */
  readonly reason: string;
  /** Human detail for `-v` (`HTTP 503 - Service Unavailable`, `timeout after 3000 ms`). */
  readonly detail: string;
  /** Body bytes received (the flag's size when ok). */
  readonly bytes: number;
  /** Time from sending the request to the end of the body, in milliseconds. */
  readonly latencyMs: number;
  /** Attempts made (1 without retries). */
  readonly attempts: number;
  /** CPU time of the `--work` step on this body, in milliseconds (absent without --work). */
  readonly workMs?: number;
}

/** True for the kinds counted as errors. */
export function isError(kind: OutcomeKind): boolean {
  return kind === 'http-error' || kind === 'timeout' || kind === 'network' || kind === 'local';
}

/** The original's verbose line: `BR OK`, `ZZ not found: http://…/zz/zz.gif`, `XX error: HTTP 503 - Service Unavailable`. */
export function verboseLine(o: Outcome): string {
  switch (o.kind) {
    case 'ok':
      return `${o.cc} OK`;
    case 'not-found':
      return `${o.cc} ${o.detail === '' ? 'not found' : o.detail}`;
    case 'cancelled':
      return `${o.cc} cancelled`;
    default:
      return `${o.cc} error: ${o.detail}`;
  }
}
