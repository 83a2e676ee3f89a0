/**
 * Progress bars on stderr (cli-progress): one overall bar and, for the workers model, one per
 * worker (at most 8 shown: the first 7 and one for the others). Only on a terminal, never
 * with -v or --json.
 */
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';

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

/**
 * Bars for a run of `total` codes. `perWorkerTotals` undefined: per-worker totals are not
 * known in advance (dynamic split) and bars are made on the first update, each out of `total`.
 */
export function createProgressView(o: {
  total: number;
  perWorkerTotals?: readonly number[] | undefined;
  stream?: NodeJS.WritableStream;
}): ProgressView {
  // Loaded here, when bars are drawn: a run without bars never loads cli-progress (21 modules).
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const multi = new cliProgress.MultiBar(
    {
      stream: o.stream ?? process.stderr,
      format: ' {label} |{bar}| {value}/{total} {percentage}% · ETA {eta_formatted}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const overall = multi.create(o.total, 0, { label: 'all     ' });
  let workers: CliProgress.SingleBar[] | undefined;
  let stopped = false;
  const makeBars = (count: number, totals: readonly number[] | undefined): CliProgress.SingleBar[] => {
    if (count <= 1) return [];
    const shown = Math.min(count, MAX_WORKER_BARS);
    return Array.from({ length: shown }, (_, i) => {
      const others = count > MAX_WORKER_BARS && i === shown - 1;
      const label = (others ? 'others' : `worker ${i + 1}`).padEnd(8);
      const barTotal = others ? (totals?.slice(i).reduce((a, b) => a + b, 0) ?? o.total) : (totals?.[i] ?? o.total);
      return multi.create(barTotal, 0, { label });
    });
  };
  if (o.perWorkerTotals !== undefined) workers = makeBars(o.perWorkerTotals.length, o.perWorkerTotals);
  return {
    update: (done) => {
      if (stopped) return;
      workers ??= makeBars(done.length, undefined);
      overall.update(done.reduce((a, b) => a + b, 0));
      workers.forEach((bar, i) => {
        const last = i === workers!.length - 1 && done.length > workers!.length;
        bar.update(last ? done.slice(i).reduce((a, b) => a + b, 0) : (done[i] ?? 0));
      });
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
