/**
 * The work step (`--work`): what a thread does with each body it downloaded, after the
 * download and before saving, timed apart from the request (Outcome.workMs). One step per
 * thread: it keeps what the work found (colours, hashes) until drained, keyed as they will be
 * saved. The decoder is loaded here, only for `decode`, in the thread that runs the step.
 */
import { performance } from 'node:perf_hooks';
import type { Failure } from '../download/classify.js';
import type { ImageColors } from './decode.js';
import type { FetchSettings } from '../download/settings.js';
import { INVALID_IMAGE, needsBody, spinMs, type WorkKind } from './kind.js';

export { INVALID_IMAGE };

/** What the work found, keyed for colors.json (by WorkItem.key) and SHA256SUMS (by file name). */
export interface WorkRecords {
  readonly colors: Record<string, ImageColors>;
  readonly sums: Record<string, string>;
}

/** One downloaded body's names: `key` (the saved file's base name, or the code for flags) and `file`. */
export interface WorkItem {
  readonly key: string;
  /** The file name it is (or would be) saved as; SHA256SUMS lists it. */
  readonly file: string;
}

/** How one body's work ended: its CPU time, and a failure when the body was not what the work needs. */
export interface WorkDone {
  readonly workMs: number;
  readonly failure?: Failure | undefined;
}

/** A thread's work step. */
export interface WorkStep {
  readonly kind: WorkKind;
  /** True when the client must keep the body (decode, sha256), even with --no-save. */
  readonly needsBody: boolean;
  /** Do the work on one body (null when the kind does not read it). */
  run(item: WorkItem, body: Buffer | null): WorkDone;
  /** What was found since the last drain (empty unless the settings save files). */
  drain(): WorkRecords;
}

/** The step for these settings, or undefined for `--work none` (nothing on the hot path). */
export async function createWorkStep(settings: Pick<FetchSettings, 'work' | 'dest'>): Promise<WorkStep | undefined> {
  const kind = settings.work ?? 'none';
  if (kind === 'none') return undefined;
  const decoder = kind === 'decode' ? await (await import('./decode.js')).loadDecoder() : undefined;
  const createHash = kind === 'sha256' ? (await import('node:crypto')).createHash : undefined;
  const keep = settings.dest !== null;
  const spin = spinMs(kind) ?? 0;
  let records = emptyRecords();
  const work = (item: WorkItem, body: Buffer | null): Failure | undefined => {
    if (decoder !== undefined) {
      let colors: ImageColors;
      try {
        colors = decoder(body ?? Buffer.alloc(0));
      } catch (err) {
        return invalidImage(err);
      }
      if (keep) records.colors[item.key] = colors;
    } else if (createHash !== undefined) {
      const sum = createHash('sha256')
        .update(body ?? Buffer.alloc(0))
        .digest('hex');
      if (keep) records.sums[item.file] = sum;
    } else {
      busy(spin);
    }
    return undefined;
  };
  return {
    kind,
    needsBody: needsBody(kind),
    run: (item, body) => {
      const t0 = performance.now();
      const failure = work(item, body);
      return { workMs: performance.now() - t0, failure };
    },
    drain: () => {
      const out = records;
      records = emptyRecords();
      return out;
    },
  };
}

/** Records with nothing in them. */
export function emptyRecords(): WorkRecords {
  return { colors: {}, sums: {} };
}

/** Add `from` into `into` (a key seen again, as with --repeat, is overwritten); returns `into`. */
export function mergeRecords(into: WorkRecords, from: WorkRecords | undefined): WorkRecords {
  if (from !== undefined) {
    Object.assign(into.colors, from.colors);
    Object.assign(into.sums, from.sums);
  }
  return into;
}

/** True when there is nothing in the records. */
export function isEmptyRecords(r: WorkRecords | undefined): boolean {
  return r === undefined || (Object.keys(r.colors).length === 0 && Object.keys(r.sums).length === 0);
}

function invalidImage(err: unknown): Failure {
  const why = err instanceof Error ? err.message : String(err);
  return { kind: 'http-error', reason: INVALID_IMAGE, detail: `invalid image: ${why}` };
}

/** Keep this thread busy for `ms` milliseconds (the model of one's own CPU-bound pipeline). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}
