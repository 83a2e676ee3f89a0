/**
 * A whole `tune --slo` as the command and the API run it: the server started, the search for
 * the latency target (tune-slo.ts) with every run a fresh process, the server stopped. Never
 * prints: progress lines go to `onProgress`.
 */
import { configKey } from './matrix.js';
import { formatDuration } from './run-bench.js';
import { runOnce } from './run-once.js';
import { startBenchServer, writeUrlsFile } from './servers.js';
import { runSloTune, type SloReport } from './tune-slo.js';
import type { TuneSettings } from './bench-settings.js';
import { tuneTarget, type TuneAllHooks } from './tune-all.js';
import type { BenchConfig } from './types.js';

/** Run tune --slo as the settings describe (`slo` set); a stop signal gives what was found so far. */
export async function sloTuneAll(opts: TuneSettings, hooks: TuneAllHooks = {}): Promise<SloReport> {
  const { slo } = opts;
  if (slo === undefined) throw new Error('sloTuneAll needs settings with an slo');
  const server = await startBenchServer(opts.server, opts.delayMs, opts.tls);
  const urls = await writeUrlsFile(opts.urls);
  try {
    const target = tuneTarget(opts, { ...server, urlsFile: urls.file });
    const budget = formatDuration(opts.budgetMs);
    const goal =
      opts.holdPerSec === undefined ? 'the highest rate each holds' : `the cheapest to hold ${opts.holdPerSec} req/s`;
    hooks.onProgress?.(`tune --slo '${slo.text}': ${goal} on ${server.label} ${server.url}, budget ${budget}`);
    let runs = 0;
    const onRun = (config: BenchConfig, perSec: number, missed: string | null | undefined, spentMs: number): void => {
      const what = missed === undefined ? 'failed' : missed === null ? 'met' : `missed (${missed})`;
      const at = `${++runs}, ${formatDuration(spentMs)} of ${budget}`;
      hooks.onProgress?.(`tune --slo [${at}]: ${configKey({ ...config, rate: undefined })} at ${perSec}/s: ${what}`);
    };
    return await runSloTune(
      {
        slo,
        holdPerSec: opts.holdPerSec,
        model: opts.model,
        maxWorkers: opts.maxWorkers,
        base: {
          split: opts.split,
          work: opts.works[0],
          protocol: opts.protocols[0],
          connections: opts.connections?.[0],
        },
        target,
        delayMs: server.delayMs,
        budgetMs: opts.budgetMs,
      },
      runOnce,
      { onRun, signal: hooks.signal },
    );
  } finally {
    await urls.remove();
    await server.stop();
  }
}
