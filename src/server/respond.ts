/**
 * How one request is answered, given what was decided for it: a file or one byte range of
 * it, a 404, an ERROR status with the connection closed, or a fault. Timers and stalled
 * responses are tracked so that close() can end them at once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { FlagFile } from './content.js';
import type { FaultKind } from './faults.js';
import { chooseRange } from './range.js';
import type { StatsRecorder } from './stats.js';

/** Timers and stalled responses of a server, to be cleared by close(). */
export class Pending {
  readonly timers = new Set<NodeJS.Timeout>();
  readonly stalled = new Set<ServerResponse>();

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

/** The whole file as a response (computed once per file). */
export function wholeOf(f: FlagFile): Piece {
  return { status: 200, body: f.body, headers: headersOf(f, f.body.length, []) };
}

/** Raw headers of `length` bytes of `f`, with `extra` ones (Content-Range). */
function headersOf(f: FlagFile, length: number, extra: string[]): string[] {
  return [
    'Content-Type',
    f.contentType,
    'Content-Length',
    String(length),
    ...extra,
    'ETag',
    f.etag,
    'Cache-Control',
    'no-cache',
    'Accept-Ranges',
    'bytes',
  ];
}

/** What a response carries of a file: all of it (200) or one byte range (206). */
export interface Piece {
  readonly status: 200 | 206;
  readonly body: Buffer;
  /** Raw headers, flat as writeHead takes them. */
  readonly headers: string[];
}

/** The piece of `f` the request asks for (`whole`: wholeOf(f)), or 412 / 416. */
export function pieceOf(req: IncomingMessage, f: FlagFile, whole: Piece): Piece | 412 | 416 {
  const { range, 'if-range': ifRange, 'if-match': ifMatch } = req.headers;
  if (range === undefined && ifMatch === undefined) return whole;
  const choice = chooseRange(
    { range, ifRange: typeof ifRange === 'string' ? ifRange : undefined, ifMatch },
    f.body.length,
    f.etag,
  );
  if (choice.kind === 'precondition-failed') return 412;
  if (choice.kind === 'unsatisfiable') return 416;
  if (choice.kind === 'whole') return whole;
  const body = f.body.subarray(choice.start, choice.end + 1);
  return {
    status: 206,
    body,
    headers: headersOf(f, body.length, ['Content-Range', `bytes ${choice.start}-${choice.end}/${f.body.length}`]),
  };
}

/** A small text response. */
export function sendText(res: ServerResponse, stats: StatsRecorder, status: number, extra: string[] = []): void {
  const body = `${status} ${STATUS_CODES[status] ?? ''}\n`;
  stats.answer(status);
  res.writeHead(status, [
    'Content-Type',
    'text/plain; charset=utf-8',
    'Content-Length',
    String(Buffer.byteLength(body)),
    ...extra,
  ]);
  res.end(body);
}

/** The piece of the file, or 304 when the client already has it. */
export function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  stats: StatsRecorder,
  etag: string,
  piece: Piece,
): void {
  if (req.headers['if-none-match'] === etag) {
    stats.answer(304);
    res.writeHead(304, ['ETag', etag]);
    res.end();
    return;
  }
  stats.answer(piece.status);
  res.writeHead(piece.status, piece.headers);
  res.end(req.method === 'HEAD' ? undefined : piece.body);
}

/** Answer with one of the faults that damage a response (status and jitter are decided by the caller). */
export function sendFault(
  kind: Exclude<FaultKind, 'status' | 'jitter'>,
  res: ServerResponse,
  stats: StatsRecorder,
  piece: Piece,
  pending: Pending,
): void {
  const half = piece.body.subarray(0, Math.floor(piece.body.length / 2));
  stats.answer(kind);
  res.writeHead(piece.status, piece.headers);
  if (kind === 'reset') {
    res.write(half, () => res.socket?.resetAndDestroy());
  } else if (kind === 'truncate') {
    res.write(half, () => res.socket?.end());
  } else if (kind === 'stall') {
    res.flushHeaders();
    pending.stalled.add(res);
    res.on('close', () => pending.stalled.delete(res));
  } else {
    trickle(res, piece.body, pending);
  }
}

/** Send `body` in ten pieces over about two seconds. */
function trickle(res: ServerResponse, body: Buffer, pending: Pending): void {
  const pieces = 10;
  const size = Math.ceil(body.length / pieces);
  const step = (i: number): void => {
    if (res.destroyed) return;
    const piece = body.subarray(i * size, (i + 1) * size);
    if (i >= pieces - 1) res.end(piece);
    else {
      res.write(piece);
      pending.later(200, () => step(i + 1));
    }
  };
  step(0);
}
