/**
 * How one request is answered, given what was decided for it: a file, a 404, an ERROR
 * status with the connection closed, or a fault. Timers and stalled responses are tracked
 * so that close() can end them at once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { FlagFile } from './content.js';
import type { FaultKind } from './faults.js';
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

/** Precomputed raw headers of a file, flat as writeHead takes them. */
export function fileHeaders(f: FlagFile): string[] {
  return ['Content-Type', f.contentType, 'Content-Length', String(f.body.length), 'ETag', f.etag, 'Cache-Control', 'no-cache'];
}

/** A small text response. */
export function sendText(res: ServerResponse, stats: StatsRecorder, status: number, extra: string[] = []): void {
  const body = `${status} ${STATUS_CODES[status] ?? ''}\n`;
  stats.answer(status);
  res.writeHead(status, ['Content-Type', 'text/plain; charset=utf-8', 'Content-Length', String(Buffer.byteLength(body)), ...extra]);
  res.end(body);
}

/** The file, or 304 when the client already has it. */
export function sendFile(req: IncomingMessage, res: ServerResponse, stats: StatsRecorder, f: FlagFile, headers: string[]): void {
  if (req.headers['if-none-match'] === f.etag) {
    stats.answer(304);
    res.writeHead(304, ['ETag', f.etag]);
    res.end();
    return;
  }
  stats.answer(200);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : f.body);
}

/** Answer with one of the faults that damage a response (status and jitter are decided by the caller). */
export function sendFault(kind: Exclude<FaultKind, 'status' | 'jitter'>, res: ServerResponse, stats: StatsRecorder, f: FlagFile, headers: string[], pending: Pending): void {
  const half = f.body.subarray(0, Math.floor(f.body.length / 2));
  stats.answer(kind);
  res.writeHead(200, headers);
  if (kind === 'reset') {
    res.write(half, () => res.socket?.resetAndDestroy());
  } else if (kind === 'truncate') {
    res.write(half, () => res.socket?.end());
  } else if (kind === 'stall') {
    res.flushHeaders();
    pending.stalled.add(res);
    res.on('close', () => pending.stalled.delete(res));
  } else {
    trickle(res, f.body, pending);
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
