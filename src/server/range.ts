/**
 * Byte ranges (RFC 9110 §14): one range of a flag per request (`bytes=0-99`, `bytes=100-`,
 * `bytes=-100`), with If-Range and If-Match checked against the file's ETag. A client that
 * lost a body half-way (undici's retry interceptor, curl -C) resumes where it stopped.
 * Several ranges in one request are answered with the whole file, as RFC 9110 allows.
 * pieceOf turns the choice into what a response carries of a file (a Piece: 200 or 206, with
 * its headers), or 412 / 416 when its preconditions or its range cannot be met.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FlagFile } from './content.js';

/** What to send of a file of `size` bytes. */
export type RangeChoice =
  | { readonly kind: 'whole' }
  | { readonly kind: 'part'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' }
  | { readonly kind: 'precondition-failed' };

/** The request's conditional and range headers that matter here. */
export interface RangeRequest {
  readonly range?: string | undefined;
  readonly ifRange?: string | undefined;
  readonly ifMatch?: string | undefined;
}

const ONE_RANGE = /^bytes=(\d*)-(\d*)$/;

/** Decide what to send of a file of `size` bytes whose strong ETag is `etag`. */
export function chooseRange(req: RangeRequest, size: number, etag: string): RangeChoice {
  if (req.ifMatch !== undefined && !matches(req.ifMatch, etag)) return { kind: 'precondition-failed' };
  if (req.range === undefined || (req.ifRange !== undefined && req.ifRange.trim() !== etag)) return { kind: 'whole' };
  const m = ONE_RANGE.exec(req.range.replace(/\s+/g, ''));
  if (m === null) return { kind: 'whole' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    return suffix === 0 || size === 0
      ? { kind: 'unsatisfiable' }
      : { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size) return { kind: 'unsatisfiable' };
  if (end < start) return { kind: 'whole' };
  return { kind: 'part', start, end };
}

/** If-Match: `*` or a list of strong ETags. */
function matches(header: string, etag: string): boolean {
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag;
  });
}

const ENTITY_TAG = /(?:W\/)?"[^"]*"/g;

/**
 * If-None-Match (RFC 9110 §13.1.2): true when the client's copy is current, so a GET or HEAD
 * gets 304. `*` matches any existing file; otherwise any tag of the list matches by weak
 * comparison (`W/"x"` equals `"x"`).
 */
export function noneMatch(header: string | readonly string[], etag: string): boolean {
  const text = typeof header === 'string' ? header : header.join(',');
  if (text.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return (text.match(ENTITY_TAG) ?? []).some((tag) => tag.replace(/^W\//, '') === opaque);
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
