/**
 * `flagfetch download … --queue redis://…`: the same download, run by agents over a queue.
 * Loaded only when --queue is given; prints the usual report plus the per-agent table.
 */
import type { Options } from '../options.js';
import { headerLines } from '../report/text.js';
import { queueConcurrencyLine, queueJson, queueLines } from '../report/queue.js';
import { trapSignals } from '../signals.js';
import type { QueueRunOptions } from '../queue/coordinator.js';
import { resolveQueueOptions } from '../queue/options.js';
import type { RawQueueFlags } from '../queue/queue-flags.js';
import { queuePassword } from '../queue/password.js';
import { reportRun } from './download-run.js';
import { runQueueDownload } from '../api/queue-engine.js';
import { guardRun } from '../stdout.js';
import { checkOutputFolders } from './write-output.js';
import { writeLine } from '../stdout.js';

/** Run one download over the queue as the options say; returns the exit code (141 once stdout closed). */
export async function downloadOverQueue(opts: Options, raw: RawQueueFlags & { queue: string }): Promise<number> {
  const q = resolveQueueOptions(raw, opts, await queuePassword(raw.queuePasswordFile, process.env));
  return guardRun(() => overQueue(opts, q));
}

async function overQueue(opts: Options, q: QueueRunOptions): Promise<number> {
  await checkOutputFolders({ '--export-json': opts.exportJson }, { dest: opts.fetch.dest });
  const note = (line: string): void => void (opts.quiet ? undefined : process.stderr.write(`${line}\n`));
  const signals = trapSignals((line) => process.stderr.write(`${line}\n`));
  try {
    const { run, report } = await runQueueDownload(opts, q, {
      signal: signals.signal,
      note,
      onReady: (agents, shards) => {
        const line = queueConcurrencyLine(shards, agents.length, opts.maxReq, q.target.shown);
        if (!opts.json) headerLines(opts.server, opts.codes, opts.repeat, line).forEach(writeLine);
      },
    });
    const extras = { lines: queueLines(run), json: queueJson(run), startupOf: 'the run (Redis, waiting for agents)' };
    return await reportRun(run, opts, note, extras, report);
  } finally {
    signals.release();
  }
}
