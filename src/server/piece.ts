/**
 * What part of a file a request gets: all of it (200) or one byte range (206), with its
 * headers, or 412 / 416 when its preconditions or its range cannot be met.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FlagFile } from './content.js';
import { chooseRange } from './range.js';

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

/** The piece of `f` a request with `headers` asks for (`whole`: wholeOf(f)), or 412 / 416. */
export function pieceOf(headers: IncomingHttpHeaders, f: FlagFile, whole: Piece): Piece | 412 | 416 {
  const { range, 'if-range': ifRange, 'if-match': ifMatch } = headers;
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
