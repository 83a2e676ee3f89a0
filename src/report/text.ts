/**
 * The download command's text report, as the original flags2 printed it and beyond:
 * header lines before the run, counts and timing after it (pure functions of plain data).
 */
import { evenShares } from '../models/shares.js';
import { THREADS_CAP } from '../models/threads.js';
import type { RunPlan, RunResult, ServerTarget } from '../models/types.js';
import { workerTable } from './worker-table.js';
import { INVALID_IMAGE } from '../download/work-kind.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** How many requests will be in flight, in the original's words. */
export function concurrencyLine(plan: RunPlan): string {
  const total = plan.codes.length * plan.repeat;
  const inFlight = Math.max(1, Math.min(plan.maxReq, total));
  switch (plan.model) {
    case 'sequential':
      return '1 concurrent connection will be used.';
    case 'loop':
      return `${plural(inFlight, 'concurrent connection', 'concurrent connections')} will be used.`;
    case 'threads':
      return `${plural(Math.min(inFlight, THREADS_CAP), 'thread', 'threads')} will be used.`;
    case 'workers': {
      const workers = Math.min(plan.workers, plan.maxReq);
      const shares = evenShares(plan.maxReq, workers);
      const low = Math.min(...shares);
      const high = Math.max(...shares);
      const each = low === high ? `${low}` : `${low}–${high}`;
      const tail = low === high ? '' : ` (${plan.maxReq} in total)`;
      const requests = high === 1 ? 'concurrent request' : 'concurrent requests';
      return `${plural(workers, 'worker', 'workers')} × ${each} ${requests}${tail} will be used.`;
    }
  }
}

/** The lines printed before a run: site, codes, concurrency. */
export function headerLines(
  server: ServerTarget,
  codes: readonly string[],
  repeat: number,
  concurrency: string,
): string[] {
  const n = codes.length;
  const which = n <= 10 ? codes.join(' ') : `from ${codes[0] ?? ''} to ${codes[n - 1] ?? ''}`;
  const passes = repeat > 1 ? ` (× ${repeat} passes: ${n * repeat} requests)` : '';
  return [
    `${server.label} site: ${server.url}`,
    `Searching for ${plural(n, 'flag', 'flags')}: ${which}${passes}`,
    concurrency,
  ];
}

/** The lines printed after a run. */
export function summaryLines(result: RunResult): string[] {
  const c = result.counters;
  const lines = ['-'.repeat(20), `${plural(c.ok, 'flag', 'flags')} downloaded.`];
  if (c.notFound > 0) lines.push(`${c.notFound} not found.`);
  if (c.errors > 0) lines.push(`${plural(c.errors, 'error', 'errors')}.`);
  if (c.cancelled > 0) lines.push(`${c.cancelled} cancelled.`);
  lines.push(`Elapsed time: ${(result.elapsedMs / 1000).toFixed(2)}s`);
  const mbps = result.elapsedMs > 0 ? c.bytes / 1e6 / (result.elapsedMs / 1000) : 0;
  const l = result.latencyMs;
  lines.push(
    `Requests/s: ${Math.round(result.requestsPerSec)} (${mbps.toFixed(1)} MB/s) · latency p50 ${ms(l.p50)}, p90 ${ms(l.p90)}, p99 ${ms(l.p99)}, max ${ms(l.max)} ms`,
  );
  const work = workLine(result);
  if (work !== undefined) lines.push(work);
  if (result.startupMs > 0) lines.push(`Start-up of ${STARTUP_OF[result.model]}: ${Math.round(result.startupMs)} ms`);
  const reasons = Object.entries(c.errorsByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) lines.push(`Errors: ${reasons.map(([r, n]) => `${r} ×${n}`).join(', ')}`);
  if (result.interrupted) lines.push('Interrupted: partial report.');
  if (result.model === 'threads' || result.model === 'workers') lines.push('', ...workerTable(result.perWorker));
  return lines;
}

/** `Work (decode): 1234 ms of CPU on the downloading threads, 3.4 ms per flag`, or nothing without --work. */
export function workLine(result: RunResult): string | undefined {
  if (result.work === undefined || result.work === 'none') return undefined;
  const workMs = result.workMs ?? 0;
  const c = result.counters;
  const worked = c.ok + (c.errorsByReason[INVALID_IMAGE] ?? 0);
  const each = worked > 0 ? `, ${ms(workMs / worked)} ms per flag` : '';
  return `Work (${result.work}): ${Math.round(workMs)} ms of CPU on the downloading threads${each}`;
}

/** What each model does before the clock starts. */
const STARTUP_OF: Readonly<Record<RunResult['model'], string>> = {
  sequential: 'connections',
  loop: 'connections',
  threads: 'threads and connections',
  workers: 'workers and connections',
};

/** Milliseconds with the digits that matter: 0.35, 1.2, 130. */
function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2);
}
