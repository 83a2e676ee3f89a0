/**
 * What a flag server does with one request, whatever carries it: DELAY's wait, ERROR's
 * 5xx (connection closed) and extra wait, the injected faults and jitter, drawn from the
 * seed so that a run's answers do not depend on arrival order; then the file, a byte range
 * of it, or a 4xx.
 */
import { FLAGS_PREFIX, type FlagContent, type FlagFile } from './content.js';
import type { FaultSpec } from './faults.js';
import { pieceOf, wholeOf, type Piece } from './range.js';
import { sendFault, sendFile, sendText, type FlagRequest, type FlagResponse, type Pending } from './respond.js';
import { RUN_HEADER, draw, type RequestCounter } from './seeded.js';
import type { StatsRecorder } from './stats.js';
import type { FlagHandler } from './transport.js';
import type { Pause } from './pause.js';

/** How a server answers: what it serves and its DELAY/ERROR behaviour and faults, all settled. */
export interface FlagBehaviour {
  readonly content: FlagContent;
  readonly seed: number;
  readonly delayMs: number;
  readonly errorRate: number;
  readonly errorDelayMs: number;
  readonly faults: readonly FaultSpec[];
}

/** The server's state a handler records into: stats, the seeded request counts, timers and stalled responses. */
export interface HandlerState {
  readonly stats: StatsRecorder;
  readonly counter: RequestCounter;
  readonly pending: Pending;
  /** A server-wide pause, once (absent: none). */
  readonly pause?: Pause | undefined;
}

const SUSPICIOUS = /\.\.|%|\\|\0/;

/** The request handler of a server that behaves as `b`. */
export function flagHandler(b: FlagBehaviour, state: HandlerState): FlagHandler {
  const { stats, counter, pending } = state;
  const wholes = new Map<FlagFile, Piece>(); // made on first use: synthetic bodies are made lazily
  const needsDraws = b.errorRate > 0 || b.faults.length > 0;
  // While the server is paused nothing leaves it: an answer due then waits for the end.
  const held = (send: () => void): boolean => {
    const holdMs = state.pause?.holdMs() ?? 0;
    if (holdMs > 0) pending.later(holdMs, send);
    return holdMs > 0;
  };

  const answer = (req: FlagRequest, res: FlagResponse, f: FlagFile | undefined, nth: number): void => {
    if (held(() => answer(req, res, f, nth))) return;
    const url = req.url ?? '';
    if (f === undefined) return sendText(res, stats, SUSPICIOUS.test(url) || !url.startsWith('/') ? 400 : 404);
    const piece = pieceOf(req.headers, f, wholes.get(f) ?? wholes.set(f, wholeOf(f)).get(f) ?? wholeOf(f));
    if (piece === 412) return sendText(res, stats, 412);
    if (piece === 416) return sendText(res, stats, 416, ['Content-Range', `bytes */${f.body.length}`]);
    if (!sendDrawnFault(b, state, res, piece, { url, nth })) sendFile(req, res, stats, f.etag, piece);
  };

  const handle: FlagHandler = (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, stats, 405, ['Allow', 'GET, HEAD']);
    const url = req.url ?? '';
    const f = b.content.get(url);
    const nth = needsDraws && url.startsWith(FLAGS_PREFIX) && url.length < 64 ? counter.next(runOf(req), url) : 1;
    if (b.errorRate > 0 && draw(b.seed, 'error', url, nth) < b.errorRate) {
      const status = 500 + Math.floor(draw(b.seed, 'error-which', url, nth) * 4);
      return sendText(res, stats, status, ['Connection', 'close']);
    }
    const waitMs = waitOf(b, url, nth, f !== undefined);
    if (waitMs > 0) pending.later(waitMs, () => answer(req, res, f, nth));
    else answer(req, res, f, nth);
  };
  return (req, res) => {
    stats.arrive(req.httpVersionMajor === 2 ? 'h2' : 'h1');
    res.once('close', () => stats.leave());
    state.pause?.arrive();
    if (!held(() => handle(req, res))) handle(req, res);
  };
}

/** How long the `nth` request for `url` waits: DELAY's delay, half of ERROR's answers, jitter on files. */
function waitOf(b: FlagBehaviour, url: string, nth: number, isFile: boolean): number {
  let waitMs = b.delayMs;
  if (b.errorRate > 0 && draw(b.seed, 'error-delay', url, nth) < 0.5) waitMs += b.errorDelayMs;
  const jitter = isFile ? b.faults.find((x) => x.kind === 'jitter') : undefined;
  if (jitter !== undefined && draw(b.seed, 'jitter', url, nth) < jitter.rate)
    waitMs += Math.floor(draw(b.seed, 'jitter-ms', url, nth) * 200);
  return waitMs;
}

/** Answer with the first fault drawn for this request (a 429/5xx for `status`); false when none was. */
function sendDrawnFault(
  b: FlagBehaviour,
  state: HandlerState,
  res: FlagResponse,
  piece: Piece,
  { url, nth }: { url: string; nth: number },
): boolean {
  for (const { kind, rate } of b.faults) {
    if (kind === 'jitter' || draw(b.seed, kind, url, nth) >= rate) continue;
    if (kind === 'status') {
      const r = draw(b.seed, 'status-which', url, nth);
      if (r < 0.2) sendText(res, state.stats, 429, ['Retry-After', '1']);
      else sendText(res, state.stats, 500 + Math.floor(((r - 0.2) / 0.8) * 4));
    } else sendFault(kind, res, state.stats, piece, state.pending);
    return true;
  }
  return false;
}

/** The run a request names (RUN_HEADER), if any. */
function runOf(req: FlagRequest): string | undefined {
  const value = req.headers[RUN_HEADER];
  return typeof value === 'string' ? value : undefined;
}
