/**
 * A download over a queue (`--queue`, the API's `queue`), under both the API's download() and
 * `flagfetch download --queue`: the queue's options checked against the download's, a server
 * made sure of, the run handed to the agents, and the report `--json` prints (with the agents'
 * and shards' tables). Never prints: lines for the user go to `note`.
 */
import type { Options } from '../options.js';
import { runOverQueue, type QueueRunHooks, type QueueRunOptions } from '../queue/coordinator.js';
import type { QueueRunResult } from '../queue/merge.js';
import { resolveQueueOptions } from '../queue/options.js';
import { checkQueueFlagsNeedQueue, type RawQueueFlags } from '../queue/queue-flags.js';
import type { QueuePassword } from '../queue/target.js';
import { queueJson } from '../report/queue.js';
import { ensureServer } from '../server/ensure-server.js';
import { jsonReportOf, planOf, settled, type Finished } from './engine.js';

/**
 * The queue's options, or undefined without `--queue`; throws UsageError (queue-only flags
 * without --queue, or what agents cannot carry yet).
 */
export function resolveQueueRun(
  raw: RawQueueFlags,
  opts: Options,
  password: QueuePassword | null,
): QueueRunOptions | undefined {
  checkQueueFlagsNeedQueue(raw);
  if (raw.queue === undefined) return undefined;
  return resolveQueueOptions({ ...raw, queue: raw.queue }, opts, password);
}

/** Run one download on the queue's agents; the report also holds their tables (`agents`, `shards`); `run` as merged. */
export async function runQueueDownload(
  opts: Options,
  q: QueueRunOptions,
  hooks: QueueRunHooks & { readonly note?: ((line: string) => void) | undefined } = {},
): Promise<Finished & { readonly run: QueueRunResult }> {
  const server = await ensureServer(opts.server, opts.embedded, hooks.note ?? (() => undefined));
  try {
    const plan = planOf(opts);
    const run = await runOverQueue(plan, q, hooks);
    const done = settled(run, opts);
    return {
      plan,
      result: done.result,
      report: { ...jsonReportOf(done, opts.server), ...queueJson(run) },
      nothingDownloaded: done.nothingDownloaded,
      run,
    };
  } finally {
    await server.stop();
  }
}
