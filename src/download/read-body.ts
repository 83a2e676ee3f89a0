/**
 * Read a response body to the end, counting bytes: bigger than `maxBytes` is an error
 * (never held in memory), shorter than Content-Length is an error (never saved).
 */
import type { Readable } from 'node:stream';
import { FetchFailure } from './classify.js';

/** A body read to its end. `body` is null when it was not kept. */
export interface ReadBody {
  readonly body: Buffer | null;
  readonly bytes: number;
}

/** Consume `stream`; keep the bytes only when `keep`. */
export async function readBody(stream: Readable, contentLength: string | string[] | undefined, maxBytes: number, keep: boolean): Promise<ReadBody> {
  const declared = typeof contentLength === 'string' ? Number(contentLength) : Number.NaN;
  if (declared > maxBytes) {
    stream.destroy();
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        stream.destroy();
        throw tooLarge(maxBytes);
      }
      if (keep) chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof FetchFailure || isReset(err)) throw err;
    if (Number.isFinite(declared) && bytes < declared) throw truncated(bytes, declared);
    throw err;
  }
  if (Number.isFinite(declared) && bytes !== declared) throw truncated(bytes, declared);
  return { body: keep ? Buffer.concat(chunks, bytes) : null, bytes };
}

/** A connection reset by the peer (TCP RST), as opposed to a clean close mid-body. */
function isReset(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  return e.code === 'ECONNRESET' || e.cause?.code === 'ECONNRESET';
}

function tooLarge(maxBytes: number): FetchFailure {
  return new FetchFailure({ kind: 'http-error', reason: 'too large', detail: `response larger than --max-bytes ${maxBytes}` });
}

function truncated(bytes: number, declared: number): FetchFailure {
  return new FetchFailure({ kind: 'network', reason: 'truncated', detail: `body ended after ${bytes} of ${declared} bytes` });
}
