/**
 * Progress bars on stderr (cli-progress): one overall bar and, for a run on several threads,
 * one per worker (at most 8 shown: the first 7 and one for the others). A worker whose share
 * is fixed in advance (static split) has a bar out of its share; one that claims codes as it
 * goes (dynamic split, threads) shows its count and rate, with no total it cannot know.
 * Only on a terminal, never with -v or --json. No `NF`, ever: no ETA until there is a rate.
 */
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import { formatBarLine, type BarPayload } from './progress-format.js';

/** Bars are drawn only on a TTY and never with -v or --json. */
export function shouldShowProgress(o: { verbose: boolean; json: boolean; isTTY: boolean | undefined }): boolean {
  return o.isTTY === true && !o.verbose && !o.json;
}

/** What the download command drives. */
export interface ProgressView {
  /** Codes done so far, one entry per worker (or a single entry). */
  update(donePerWorker: readonly number[]): void;
  /** Remove the bars; safe to call twice. */
  stop(): void;
}

/** Most bars shown per run, the overall one excluded. */
export const MAX_WORKER_BARS = 8;

/** What the bars are for. */
export interface ProgressSpec {
  /** Requests of the whole run. */
  readonly total: number;
  /** Threads that download (one bar each, up to MAX_WORKER_BARS; none for a single one). */
  readonly workers: number;
  /** Codes each worker gets when fixed in advance; null when they claim codes as they go. */
  readonly perWorkerTotals: readonly number[] | null;
  readonly stream?: NodeJS.WritableStream | undefined;
}

/** Bars for a run (see the module comment). */
export function createProgressView(o: ProgressSpec): ProgressView {
  // Loaded here, when bars are drawn: a run without bars never loads cli-progress and its modules.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const multi = new cliProgress.MultiBar(
    {
      stream: o.stream ?? process.stderr,
      format: formatBarLine,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = (total: number, payload: BarPayload): CliProgress.SingleBar => multi.create(total, 0, payload);
  const overall = bar(o.total, { label: 'all', known: true });
  const shown = o.workers <= 1 ? 0 : Math.min(o.workers, MAX_WORKER_BARS);
  const others = o.workers > MAX_WORKER_BARS;
  const sumFrom = (values: readonly number[], i: number): number => values.slice(i).reduce((a, b) => a + b, 0);
  const workers = Array.from({ length: shown }, (_, i) => {
    const last = others && i === shown - 1;
    const totals = o.perWorkerTotals;
    const label = last ? 'others' : `worker ${i + 1}`;
    if (totals === null) return bar(o.total, { label, known: false });
    return bar(last ? sumFrom(totals, i) : (totals[i] ?? 0), { label, known: true });
  });
  let stopped = false;
  let idleSince = Date.now();
  return {
    update: (done) => {
      if (stopped) return;
      const all = sumFrom(done, 0);
      // Rates count from the last moment nothing was done yet (threads starting is not downloading).
      if (all === 0) idleSince = Date.now();
      const since = { since: idleSince };
      overall.update(all, since);
      workers.forEach((b, i) =>
        b.update(others && i === workers.length - 1 ? sumFrom(done, i) : (done[i] ?? 0), since),
      );
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
