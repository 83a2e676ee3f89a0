/**
 * Faults the server can inject, each at a rate: what a bad day looks like to a client.
 */
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';

/**
 * reset: connection destroyed mid-body; truncate: fewer bytes than Content-Length, then close;
 * stall: headers, then silence; slow: body trickled over ~2 s; status: 500–503 or 429 with
 * Retry-After; jitter: a random delay of up to 200 ms; refuse: no answer, the request refused
 * unprocessed (HTTP/2: RST_STREAM REFUSED_STREAM; HTTP/1.1: the connection closed); goaway: the
 * answer, then the connection shut down gracefully (HTTP/2: GOAWAY NO_ERROR, the streams in
 * flight finish; HTTP/1.1: `Connection: close`); goaway-error: no answer, the connection torn
 * down (HTTP/2: GOAWAY INTERNAL_ERROR, every stream in flight lost; HTTP/1.1: a TCP reset).
 */
export type FaultKind =
  'reset' | 'truncate' | 'stall' | 'slow' | 'status' | 'jitter' | 'refuse' | 'goaway' | 'goaway-error';

/** One fault and the share of requests it hits. */
export interface FaultSpec {
  readonly kind: FaultKind;
  /** 0..1 */
  readonly rate: number;
}

/** Every fault kind, in the order they are decided for a request. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'jitter',
  'status',
  'reset',
  'truncate',
  'stall',
  'slow',
  'refuse',
  'goaway',
  'goaway-error',
];

/** Rate of a fault given without one. */
export const DEFAULT_FAULT_RATE = 0.1;

/** Parse `KIND` or `KIND:RATE` (e.g. `reset:0.05`). */
export function parseFault(text: string): FaultSpec {
  const [name = '', rateText, ...rest] = text.split(':');
  const kind = FAULT_KINDS.find((k) => k === name.toLowerCase());
  if (kind === undefined || rest.length > 0) {
    throw new UsageError(
      `unknown fault '${printable(text)}': use KIND or KIND:RATE with KIND one of ${FAULT_KINDS.join(', ')}`,
    );
  }
  const rate = rateText === undefined ? DEFAULT_FAULT_RATE : Number(rateText);
  if (rateText === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new UsageError(`fault rate in '${printable(text)}' must be a number from 0 to 1, e.g. ${kind}:0.05`);
  }
  return { kind, rate };
}
