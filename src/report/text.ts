/**
 * The download command's text report, as the original flags2 printed it and beyond:
 * header lines before the run, counts and timing after it (pure functions of plain data).
 */
import { concurrencyOf, inFlightOf } from '../models/concurrency.js';
import type { RunPlan, RunResult, ServerTarget } from '../models/types.js';
import { workerTable } from './worker-table.js';
import { INVALID_IMAGE } from '../cpu-work/kind.js';
import type { LatencySummary } from '../stats/latency.js';
import type { RateReport } from '../stats/rate.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** A count padded to three places, as the original's `{:3}`: `  3`, ` 20`, `194`, `1000`. */
const count = (n: number): string => String(n).padStart(3);

/** How many requests will be in flight, in the original's words, from what the model will run (and over how many connections when they share them). */
export function concurrencyLine(plan: RunPlan): string {
  const c = concurrencyOf(plan);
  const inFlight = inFlightOf(c);
  switch (plan.model) {
    case 'sequential':
    case 'loop': {
      const h2 = plan.fetch.protocol === 'h2';
      const conns = Math.min(inFlight, plan.connections ?? (h2 ? 1 : inFlight));
      if (conns === inFlight && !h2)
        return `${plural(inFlight, 'concurrent connection', 'concurrent connections')} will be used.`;
      const over = plural(conns, h2 ? 'HTTP/2 connection' : 'connection', h2 ? 'HTTP/2 connections' : 'connections');
      return `${plural(inFlight, 'concurrent request', 'concurrent requests')} over ${over} will be used.`;
    }
    case 'threads':
    case 'workers': {
      const low = Math.min(...c.lanes);
      const high = Math.max(...c.lanes);
      const each = low === high ? `${low}` : `${low}–${high}`;
      const tail = low === high ? '' : ` (${inFlight} in total)`;
      const requests = high === 1 ? 'concurrent request' : 'concurrent requests';
      const who =
        plan.model === 'threads' ? plural(c.threads, 'thread', 'threads') : plural(c.threads, 'worker', 'workers');
      return `${who} × ${each} ${requests}${tail} will be used.`;
    }
  }
}

/**
 * The warning when --http2 met a server that speaks HTTP/1.1 only (ALPN): the run fell back
 * to HTTP/1.1's connections, one request in flight on each (undefined otherwise).
 */
export function protocolWarning(plan: RunPlan, result: RunResult): string | undefined {
  if (plan.fetch.protocol !== 'h2' || result.protocol !== 'h1') return undefined;
  const over = plural(result.connections, 'HTTP/1.1 connection', 'HTTP/1.1 connections');
  return `warning: --http2: the server answered HTTP/1.1 (ALPN), not HTTP/2: the requests went over ${over}, one in flight on each`;
}

/** What a run searches for: flags (country codes on the flags site) or files (a URL list or a `{cc}` template). */
export type SearchedItems = 'flags' | 'files';

/** The lines printed before a run: site, codes (or URLs), concurrency. */
export function headerLines(
  server: ServerTarget,
  codes: readonly string[],
  repeat: number,
  concurrency: string,
  items: SearchedItems = 'flags',
): string[] {
  const n = codes.length;
  const which = n <= 10 ? codes.join(', ') : `from ${codes[0] ?? ''} to ${codes[n - 1] ?? ''}`;
  const passes = repeat > 1 ? ` (× ${repeat} passes: ${n * repeat} requests)` : '';
  return [
    `${server.label} site: ${server.url}`,
    `Searching for ${items === 'flags' ? plural(n, 'flag', 'flags') : plural(n, 'file', 'files')}: ${which}${passes}`,
    concurrency,
  ];
}

/**
 * The lines printed after a run; `startupOf` names what start-up was when the model's own
 * words do not fit; `items` says what was downloaded (files for a URL list or a template).
 */
export function summaryLines(
  result: RunResult,
  startupOf: string = STARTUP_OF[result.model],
  items: SearchedItems = 'flags',
): string[] {
  const c = result.counters;
  const lines = ['-'.repeat(20), `${count(c.ok)} ${c.ok === 1 ? items.slice(0, -1) : items} downloaded.`];
  if (c.notFound > 0) lines.push(`${count(c.notFound)} not found.`);
  if (c.errors > 0) lines.push(`${count(c.errors)} ${c.errors === 1 ? 'error' : 'errors'}.`);
  if (c.cancelled > 0) lines.push(`${count(c.cancelled)} cancelled.`);
  lines.push(`Elapsed time: ${(result.elapsedMs / 1000).toFixed(2)}s`);
  const mbps = result.elapsedMs > 0 ? c.bytes / 1e6 / (result.elapsedMs / 1000) : 0;
  const rate = result.rate;
  const latency = rate === undefined ? 'latency' : 'response time';
  lines.push(
    `Requests/s: ${Math.round(result.requestsPerSec)} (${mbps.toFixed(1)} MB/s) · ${latency} ` +
      percentiles(rate?.responseTimeMs ?? result.latencyMs),
  );
  if (rate !== undefined) lines.push(...rateLines(rate));
  const work = workLine(result, items);
  if (work !== undefined) lines.push(work);
  if (result.startupMs > 0)
    lines.push(`Start-up of ${startupOf}: ${Math.round(result.startupMs)} ms${connectionsNote(result)}`);
  const reasons = Object.entries(c.errorsByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) lines.push(`Errors: ${reasons.map(([r, n]) => `${r} ×${n}`).join(', ')}`);
  if (result.interrupted) lines.push('Interrupted: partial report.');
  if (result.model === 'threads' || result.model === 'workers') lines.push('', ...workerTable(result.perWorker));
  return lines;
}

/** `Rate: …`: what a run was asked to start and when (printed before it). */
export function scheduleLine(plan: RunPlan): string | undefined {
  const r = plan.rate;
  if (r === undefined) return undefined;
  const seed = r.arrival === 'poisson' ? `, seed ${r.seed}` : '';
  const span =
    r.durationMs === null ? '' : ` for ${r.durationMs / 1000}s (${plan.requests ?? 0} requests, the list repeated)`;
  return `Rate: ${r.perSec} requests/s in total (${r.arrival} arrivals${seed})${span}.`;
}

/** The open model's lines: the rate asked and achieved, late requests, service time and start delay. */
export function rateLines(r: RateReport): string[] {
  const share = `${(r.lateShare * 100).toFixed(1)}%`;
  const late =
    r.late === 0
      ? 'none late'
      : `${r.late} late (${share}, by p50 ${ms(r.lateByMs.p50)}, p99 ${ms(r.lateByMs.p99)}, max ${ms(r.lateByMs.max)} ms)`;
  return [
    `Rate: ${r.targetPerSec}/s asked, ${r.achievedPerSec.toFixed(1)}/s achieved · ${r.started} sent, ${late}`,
    `Service time (from the actual send) ${percentiles(r.serviceTimeMs)}`,
    `Start delay (send − intended start) p50 ${ms(r.startDelayMs.p50)}, p99 ${ms(r.startDelayMs.p99)}, ` +
      `max ${ms(r.startDelayMs.max)} ms`,
  ];
}

/** `p50 0.52, p90 1.1, p99 3.0, max 12 ms`. */
function percentiles(l: LatencySummary): string {
  return `p50 ${ms(l.p50)}, p90 ${ms(l.p90)}, p99 ${ms(l.p99)}, max ${ms(l.max)} ms`;
}

/** `Work (decode): 1234 ms of CPU on the downloading threads, 3.4 ms per flag`, or nothing without --work. */
export function workLine(result: RunResult, items: SearchedItems = 'flags'): string | undefined {
  if (result.work === undefined || result.work === 'none') return undefined;
  const workMs = result.workMs ?? 0;
  const c = result.counters;
  const worked = c.ok + (c.errorsByReason[INVALID_IMAGE] ?? 0);
  const each = worked > 0 ? `, ${ms(workMs / worked)} ms per ${items.slice(0, -1)}` : '';
  return `Work (${result.work}): ${Math.round(workMs)} ms of CPU on the downloading threads${each}`;
}

/**
 * ` (200 TLS connections opened in 412 ms: 2.1 ms each)`: the connections of the start-up and
 * what one cost (on https mostly its TLS handshake; threads open theirs in parallel).
 */
export function connectionsNote(result: RunResult): string {
  const n = result.connections;
  if (n <= 0) return '';
  const kind = result.protocol === 'h2' ? 'HTTP/2 ' : result.baseUrl.startsWith('https:') ? 'TLS ' : '';
  const each = n > 1 ? `: ${ms(result.connectMs / n)} ms each` : '';
  return ` (${plural(n, `${kind}connection`, `${kind}connections`)} opened in ${ms(result.connectMs)} ms${each})`;
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
