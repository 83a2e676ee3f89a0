/**
 * What went wrong, as data: an HTTP status or a thrown network error becomes the kind,
 * the stable reason counted in errorsByReason, and the detail `-v` prints.
 */
import { STATUS_CODES } from 'node:http';
import type { OutcomeKind } from './outcome.js';

/** Kind, reason and detail of a failed download. */
export interface Failure {
  readonly kind: OutcomeKind;
  readonly reason: string;
  readonly detail: string;
  readonly status?: number | undefined;
}

/** A thrown error the client raises itself, with its reason already decided. */
export class FetchFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.detail);
  }
}

/** An HTTP status other than 200 and 404. */
export function httpFailure(status: number): Failure {
  const text = STATUS_CODES[status];
  return {
    kind: 'http-error',
    status,
    reason: `http ${status}`,
    detail: text === undefined ? `HTTP ${status}` : `HTTP ${status} - ${text}`,
  };
}

/** A timeout of `timeoutMs` on headers or body. */
export function timeoutFailure(timeoutMs: number): Failure {
  return { kind: 'timeout', reason: 'timeout', detail: `timeout after ${timeoutMs} ms` };
}

/** A download stopped by Ctrl-C after its grace period. */
export const CANCELLED: Failure = { kind: 'cancelled', reason: 'cancelled', detail: 'cancelled' };

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
};

const REASON_TEXT: Readonly<Record<string, string>> = {
  refused: 'connection refused',
  dns: 'host name not found',
  unreachable: 'host unreachable',
  reset: 'connection reset',
};

/** Classify anything a request threw. */
export function failureOf(err: unknown, timeoutMs: number): Failure {
  if (err instanceof FetchFailure) return err.failure;
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.statusCode === 'number' && e.statusCode >= 300) return httpFailure(e.statusCode);
  const code = typeof e.code === 'string' ? e.code : codeOfCause(e.cause);
  if (code === 'UND_ERR_REQ_RETRY')
    return {
      kind: 'network',
      reason: 'truncated',
      detail: `body cut short, and the retry could not resume it (${String(e.message)})`,
    };
  const reason = code === undefined ? undefined : NETWORK_REASONS[code];
  if (reason === 'timeout') return timeoutFailure(timeoutMs);
  if (reason === 'reset' && /closed|terminated/i.test(String(e.message))) return resetFailure(code);
  if (reason !== undefined) return { kind: 'network', reason, detail: `${REASON_TEXT[reason] ?? reason} (${code})` };
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(err);
  return { kind: 'network', reason: code === undefined ? 'network' : code.toLowerCase(), detail: message };
}

function resetFailure(code: string | undefined): Failure {
  return { kind: 'network', reason: 'reset', detail: `connection closed by the server (${code ?? 'reset'})` };
}

function codeOfCause(cause: unknown): string | undefined {
  const c = cause as { code?: unknown } | undefined;
  return typeof c?.code === 'string' ? c.code : undefined;
}
