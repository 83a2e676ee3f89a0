/**
 * What went wrong, as data: an HTTP status or a thrown error becomes the kind, a reason from
 * the vocabulary in reasons.ts (counted in errorsByReason) and the detail `-v` prints.
 */
import type { OutcomeKind } from './outcome.js';
import { httpReason } from './reasons.js';

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

/** An HTTP status other than 200 and 404 (node:http, for its text, loads on the first: a pool thread starts without it). */
export function httpFailure(status: number): Failure {
  const text = process.getBuiltinModule('node:http').STATUS_CODES[status];
  return {
    kind: 'http-error',
    status,
    reason: httpReason(status),
    detail: text === undefined ? `HTTP ${status}` : `HTTP ${status} - ${text}`,
  };
}

/** A status other than 200 as a Failure: not found for 404 and 410 (`not found: URL`, as flags2 -v), an HTTP error otherwise. */
export function failureOfStatus(status: number, url: string | undefined): Failure {
  if (status !== 404 && status !== 410) return httpFailure(status);
  return { kind: 'not-found', status, reason: '', detail: url === undefined ? 'not found' : `not found: ${url}` };
}

/** A timeout of `timeoutMs` on the whole request. */
export function timeoutFailure(timeoutMs: number): Failure {
  return { kind: 'timeout', reason: 'timeout', detail: `timeout after ${timeoutMs} ms` };
}

/** A download stopped by Ctrl-C after its grace period. */
export const CANCELLED: Failure = { kind: 'cancelled', reason: 'cancelled', detail: 'cancelled' };

/** Network reasons by error code (undici's and the socket's). */
const BY_CODE: Readonly<Record<string, string>> = {
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
  UND_ERR_DESTROYED: 'reset',
  UND_ERR_INFO: 'reset',
  ERR_HTTP2_STREAM_ERROR: 'reset',
  ERR_HTTP2_STREAM_CANCEL: 'reset',
  ERR_HTTP2_GOAWAY_SESSION: 'reset',
  ERR_HTTP2_SESSION_ERROR: 'reset',
  ERR_HTTP2_INVALID_SESSION: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_OVERFLOW: 'bad response',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'bad response',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'too large',
};

/** Reasons that mean the run could not talk to a server at all (when every code ended so), and the fix each needs. */
export const SETUP_REASONS: Readonly<Record<string, string>> = {
  refused: "start one with 'flagfetch serve' or check --server",
  dns: 'check --server',
  unreachable: 'check --server',
  timeout: 'check --server, or give it more --timeout',
  certificate:
    "trust its CA with --ca FILE ('flagfetch serve --tls --write-ca FILE' writes it), or skip verification with --insecure",
  'certificate expired':
    "the server's certificate has expired or is not yet valid: renew it (or check this machine's clock), or skip verification with --insecure",
  'certificate name':
    "the server's certificate is not for this host name: use a name it was issued for, or skip verification with --insecure",
  tls: "check that the server speaks HTTPS ('flagfetch serve --tls'), or use http://",
};

/** What `-v` says for each reason (before the code in brackets). */
const TEXT: Readonly<Record<string, string>> = {
  refused: 'connection refused',
  dns: 'host name not found',
  unreachable: 'host unreachable',
  reset: 'connection reset',
  'bad response': 'malformed answer',
  'too large': 'answer too large',
  tls: 'TLS handshake failed',
  certificate: 'TLS certificate not trusted',
  'certificate expired': 'TLS certificate expired or not yet valid',
  'certificate name': 'TLS certificate for another host name',
};

/** Classify anything a request threw: always a reason of the vocabulary. */
export function failureOf(err: unknown, timeoutMs: number): Failure {
  if (err instanceof FetchFailure) return err.failure;
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown; cause?: unknown; name?: unknown };
  if (typeof e.statusCode === 'number' && e.statusCode >= 300) return httpFailure(e.statusCode);
  // llhttp's parse errors (HPE_*) sometimes come without a code.
  const code = typeof e.code === 'string' ? e.code : e.name === 'HTTPParserError' ? 'HPE' : codeOfCause(e.cause);
  const message = typeof e.message === 'string' ? e.message : '';
  if (code === 'UND_ERR_REQ_RETRY')
    return { kind: 'network', reason: 'truncated', detail: `body cut short, and the retry could not resume it` };
  const reason = reasonOf(code, message);
  if (reason === 'timeout') return timeoutFailure(timeoutMs);
  if (reason === 'bad response' && /^bad (response|upgrade)$/.test(message))
    return { kind: 'network', reason, detail: 'unexpected informational (1xx) answer before the response' };
  // HTTP/2: node's message names the stream's or session's error code (NGHTTP2_REFUSED_STREAM, ...).
  if (reason === 'reset' && code?.startsWith('ERR_HTTP2_') === true)
    return { kind: 'network', reason, detail: `HTTP/2: ${message} (${code})` };
  if (reason === 'reset' && /closed|terminated/i.test(message))
    return { kind: 'network', reason, detail: `connection closed by the server (${code ?? 'reset'})` };
  if (reason !== undefined) return { kind: 'network', reason, detail: `${TEXT[reason] ?? reason} (${code ?? '?'})` };
  return { kind: 'network', reason: 'network', detail: message === '' ? String(err) : `${message} (${code ?? '?'})` };
}

/** The vocabulary's reason for an error code, or undefined (then it is `network`). */
function reasonOf(code: string | undefined, message: string): string | undefined {
  if (code === undefined) return undefined;
  // undici reports a 1xx it cannot handle (100 Continue to a GET) as a socket error 'bad response'.
  if (code === 'UND_ERR_SOCKET' && /^bad (response|upgrade)$/.test(message)) return 'bad response';
  if (code.startsWith('HPE')) return 'bad response';
  // A certificate the client does not trust apart from other handshake trouble; its dates and
  // its name are causes of their own (a --ca cannot fix them).
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'certificate expired';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return 'certificate name';
  if (/^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code)) return 'certificate';
  if (/^(ERR_TLS_|ERR_SSL_)/.test(code)) return 'tls';
  return BY_CODE[code];
}

function codeOfCause(cause: unknown): string | undefined {
  const c = cause as { code?: unknown } | undefined;
  return typeof c?.code === 'string' ? c.code : undefined;
}
