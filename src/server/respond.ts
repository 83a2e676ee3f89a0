/**
 * How one request is answered, given what was decided for it: a file or one byte range of
 * it, a 404, an ERROR status with the connection closed, or a fault. Timers and stalled
 * responses are tracked so that close() can end them at once.
 *
 * Over HTTP/2 a fault hits one stream, never the session the other streams share: `reset`
 * is an RST_STREAM (INTERNAL_ERROR) instead of a TCP reset, `truncate` ends the stream
 * (END_STREAM) short of its Content-Length, `refuse` is an RST_STREAM (REFUSED_STREAM), and an
 * ERROR status keeps the session open (HTTP/2 has no `Connection: close`). Only `goaway` and
 * `goaway-error` end the session, as they are meant to.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { FaultKind } from './faults.js';
import { noneMatch, type Piece } from './range.js';
import type { StatsRecorder } from './stats.js';

/** A request over HTTP/1.x or an HTTP/2 stream (node's compatibility API). */
export type FlagRequest = IncomingMessage | Http2ServerRequest;
/** Its response. */
export type FlagResponse = ServerResponse | Http2ServerResponse;

/** RST_STREAM and GOAWAY error codes of the faults (node:http2 constants, not imported: HTTP/2 loads only with --tls). */
const NGHTTP2_INTERNAL_ERROR = 2;
const NGHTTP2_REFUSED_STREAM = 7;

/** True for a response on an HTTP/2 stream. */
export function isH2(res: FlagResponse): res is Http2ServerResponse {
  return 'stream' in res;
}

/** writeHead with flat raw headers, which both APIs accept (node's http2 types only list objects). */
function writeHead(res: FlagResponse, status: number, headers: readonly string[]): void {
  if (isH2(res))
    (res.writeHead as unknown as (s: number, h: readonly string[]) => void)(
      status,
      headers.length > 0 && headers.includes('Connection') ? withoutConnection(headers) : headers,
    );
  else res.writeHead(status, headers as string[]);
}

/** HTTP/2 forbids connection-specific headers. */
function withoutConnection(headers: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < headers.length; i += 2)
    if (headers[i] !== 'Connection') out.push(headers[i] ?? '', headers[i + 1] ?? '');
  return out;
}

/** Timers and stalled responses of a server, to be cleared by close(). */
export class Pending {
  readonly timers = new Set<NodeJS.Timeout>();
  readonly stalled = new Set<FlagResponse>();

  /** Run `fn` after `ms` unless the server closes first. */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const res of this.stalled) res.destroy();
    this.stalled.clear();
  }
}

/** A small text response. */
export function sendText(res: FlagResponse, stats: StatsRecorder, status: number, extra: string[] = []): void {
  const body = `${status} ${STATUS_CODES[status] ?? ''}\n`;
  stats.answer(status);
  writeHead(res, status, [
    'Content-Type',
    'text/plain; charset=utf-8',
    'Content-Length',
    String(Buffer.byteLength(body)),
    ...extra,
  ]);
  res.end(body);
}

/** The piece of the file, or 304 when the client already has it (If-None-Match, weak comparison: RFC 9110 §13.1.2). */
export function sendFile(req: FlagRequest, res: FlagResponse, stats: StatsRecorder, etag: string, piece: Piece): void {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined && noneMatch(inm, etag)) {
    stats.answer(304);
    writeHead(res, 304, ['ETag', etag, 'Cache-Control', 'no-cache']);
    res.end();
    return;
  }
  stats.answer(piece.status);
  writeHead(res, piece.status, piece.headers);
  if (req.method === 'HEAD') res.end();
  else res.end(piece.body);
}

/** Answer with one of the faults that damage a response (status and jitter are decided by the caller). */
export function sendFault(
  kind: Exclude<FaultKind, 'status' | 'jitter'>,
  res: FlagResponse,
  stats: StatsRecorder,
  piece: Piece,
  pending: Pending,
): void {
  stats.answer(kind);
  if (kind === 'refuse' || kind === 'goaway' || kind === 'goaway-error') return sendConnectionFault(kind, res, piece);
  const half = piece.body.subarray(0, Math.floor(piece.body.length / 2));
  writeHead(res, piece.status, piece.headers);
  if (kind === 'reset') {
    if (isH2(res)) res.write(half, () => res.stream.close(NGHTTP2_INTERNAL_ERROR));
    else res.write(half, () => resetConnection(res.socket));
  } else if (kind === 'truncate') {
    if (isH2(res)) res.end(half);
    else res.write(half, () => res.socket?.end());
  } else if (kind === 'stall') {
    if (!isH2(res)) res.flushHeaders(); // an HTTP/2 writeHead sends its HEADERS frame at once
    pending.stalled.add(res);
    res.on('close', () => pending.stalled.delete(res));
  } else {
    trickle(res, piece.body, pending);
  }
}

/**
 * The faults that end a request's connection, or refuse the request before any processing
 * (RFC 9113 §8.7: a refused request is safe to send again).
 */
function sendConnectionFault(kind: 'refuse' | 'goaway' | 'goaway-error', res: FlagResponse, piece: Piece): void {
  if (kind === 'goaway') {
    // Graceful: this answer and the streams in flight complete; no new stream is accepted.
    if (isH2(res)) res.stream.session?.close();
    writeHead(res, piece.status, isH2(res) ? piece.headers : [...piece.headers, 'Connection', 'close']);
    res.end(piece.body);
  } else if (!isH2(res)) {
    if (kind === 'refuse') res.socket?.destroy();
    else resetConnection(res.socket);
  } else if (kind === 'refuse') {
    res.stream.close(NGHTTP2_REFUSED_STREAM);
  } else {
    // GOAWAY with INTERNAL_ERROR, then the session and every stream on it are gone (once the frame is out).
    const session = res.stream.session;
    session?.goaway(NGHTTP2_INTERNAL_ERROR);
    setImmediate(() => session?.destroy());
  }
}

/**
 * Close a connection with a TCP RST. Over TLS the socket's own handle is TLS, which Node
 * cannot reset: the TCP socket under it (`_parent`, Node's name for it) is reset instead.
 */
function resetConnection(socket: Socket | null): void {
  if (socket === null) return;
  const tcp = (socket as Socket & { _parent?: Socket })._parent ?? socket;
  try {
    tcp.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/** Send `body` in ten pieces over about two seconds. */
function trickle(res: FlagResponse, body: Buffer, pending: Pending): void {
  const pieces = 10;
  const size = Math.ceil(body.length / pieces);
  const out = res as { write(chunk: Buffer): unknown };
  const step = (i: number): void => {
    if (isH2(res) ? res.stream.destroyed : res.destroyed) return;
    const piece = body.subarray(i * size, (i + 1) * size);
    if (i >= pieces - 1) res.end(piece);
    else {
      out.write(piece);
      pending.later(200, () => step(i + 1));
    }
  };
  step(0);
}
