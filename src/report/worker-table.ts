/** The per-worker table of a threads or workers run (pure). */
import type { WorkerReport } from '../models/types.js';
import { mergeCounters } from '../stats/counters.js';
import { alignColumns } from './bench-table.js';

const HEADERS = ['worker', 'codes', 'ok', 'not found', 'errors', 'bytes', 'req/s', 'ELU'];

/** Rows shown one by one; beyond them (and a single row more) the rest fold into one summary row. */
export const SHOWN_WORKER_ROWS = 8;

/** One row's figures. */
interface Row {
  readonly id: string;
  readonly counters: WorkerReport['counters'];
  readonly rate: number;
  /** null: the worker handled nothing, its ELU means nothing. */
  readonly elu: number | null;
  readonly workMs: number;
  readonly eluPrefix?: string;
}

/**
 * One row per worker (or thread): what it handled, its rate and its event-loop utilization
 * (`–` for a worker that handled nothing), and a `work ms` column when a --work step ran.
 * Past SHOWN_WORKER_ROWS + 1 rows, the first SHOWN_WORKER_ROWS and one row summing the
 * others (the JSON report keeps every row).
 */
export function workerTable(workers: readonly WorkerReport[]): string[] {
  const withWork = workers.some((w) => (w.workMs ?? 0) > 0);
  const fold = workers.length > SHOWN_WORKER_ROWS + 1;
  const shown = fold ? workers.slice(0, SHOWN_WORKER_ROWS) : workers;
  const rows: Row[] = shown.map((w) => ({
    id: String(w.id),
    counters: w.counters,
    rate: rateOf(w),
    elu: handled(w) ? w.eventLoopUtilization : null,
    workMs: w.workMs ?? 0,
  }));
  if (fold) rows.push(foldedRow(workers.slice(SHOWN_WORKER_ROWS)));
  const header = withWork ? [...HEADERS, 'work ms'] : HEADERS;
  return alignColumns([header, ...rows.map((r) => cells(r, withWork))], [true]);
}

/** The others as one row: `9–32`, their summed counts, rates and work, their mean ELU. */
function foldedRow(rest: readonly WorkerReport[]): Row {
  const busy = rest.filter(handled);
  return {
    id: `${rest[0]?.id ?? ''}–${rest[rest.length - 1]?.id ?? ''}`,
    counters: mergeCounters(rest.map((w) => w.counters)),
    rate: rest.reduce((a, w) => a + rateOf(w), 0),
    elu: busy.length === 0 ? null : busy.reduce((a, w) => a + w.eventLoopUtilization, 0) / busy.length,
    workMs: rest.reduce((a, w) => a + (w.workMs ?? 0), 0),
    eluPrefix: 'mean ',
  };
}

function cells(r: Row, withWork: boolean): string[] {
  const c = r.counters;
  return [
    r.id,
    String(c.total),
    String(c.ok),
    String(c.notFound),
    String(c.errors),
    String(c.bytes),
    String(Math.round(r.rate)),
    r.elu === null ? '–' : `${r.eluPrefix ?? ''}${Math.round(r.elu * 100)} %`,
    ...(withWork ? [String(Math.round(r.workMs))] : []),
  ];
}

const handled = (w: WorkerReport): boolean => w.counters.total > w.counters.cancelled;

function rateOf(w: WorkerReport): number {
  const c = w.counters;
  return w.elapsedMs > 0 ? ((c.total - c.cancelled) * 1000) / w.elapsedMs : 0;
}
