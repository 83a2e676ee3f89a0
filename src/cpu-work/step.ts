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
import { INVALID_IMAGE, needsBody, spinMs, workModulePath, type WorkItem, type WorkKind } from './kind.js';

export type { WorkItem };
import { loadWorkModule, WORK_FAILED, type WorkFunction } from './module.js';

export { INVALID_IMAGE };

/** What the work found, keyed for colors.json (by WorkItem.key) and SHA256SUMS (by file name). */
export interface WorkRecords {
  readonly colors: Record<string, ImageColors>;
  readonly sums: Record<string, string>;
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
  const own = await loadOwn(kind);
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
    } else if (own !== undefined) {
      return runOwn(own, item, body);
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

/** The step of a module:PATH kind, loaded in this thread; undefined for the built-in kinds. */
async function loadOwn(kind: WorkKind): Promise<WorkFunction | undefined> {
  const file = workModulePath(kind);
  return file === undefined ? undefined : loadWorkModule(file);
}

/** Run a module's step on one body: a throw is the body's failure (reason `work failed`), not the run's. */
function runOwn(own: WorkFunction, item: WorkItem, body: Buffer | null): Failure | undefined {
  try {
    own(body ?? Buffer.alloc(0), item);
    return undefined;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { kind: 'http-error', reason: WORK_FAILED, detail: `work failed: ${why}` };
  }
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
