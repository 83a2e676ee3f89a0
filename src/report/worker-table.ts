/** The per-worker table of a threads or workers run (pure). */
import type { WorkerReport } from '../models/types.js';
import { alignColumns } from './bench-table.js';

const HEADERS = ['worker', 'codes', 'ok', 'not found', 'errors', 'bytes', 'req/s', 'ELU'];

/**
 * One row per worker (or thread): what it handled, its rate and its event-loop utilization;
 * a `work ms` column when a --work step ran.
 */
export function workerTable(workers: readonly WorkerReport[]): string[] {
  const withWork = workers.some((w) => (w.workMs ?? 0) > 0);
  const rows = workers.map((w) => {
    const c = w.counters;
    const rate = w.elapsedMs > 0 ? ((c.total - c.cancelled) * 1000) / w.elapsedMs : 0;
    return [
      String(w.id),
      String(c.total),
      String(c.ok),
      String(c.notFound),
      String(c.errors),
      String(c.bytes),
      String(Math.round(rate)),
      `${Math.round(w.eventLoopUtilization * 100)} %`,
      ...(withWork ? [String(Math.round(w.workMs ?? 0))] : []),
    ];
  });
  return alignColumns([withWork ? [...HEADERS, 'work ms'] : HEADERS, ...rows], [true]);
}
