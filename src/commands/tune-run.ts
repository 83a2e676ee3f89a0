/** What `flagfetch tune` does once its options are resolved. */
import type { TuneOptions } from './tune.js';
import { tuneTextLines } from '../report/bench-tune.js';
import { runOnce } from '../compare/run-once.js';
import { formatDuration } from '../compare/run-bench.js';
import { startBenchServer } from '../compare/servers.js';
import { runTune, workerSpace, type TunePlan, type TuneReport } from '../compare/tune-run.js';

/** Largest max-req tune tries. */
export const TUNE_MAX_REQ = 2000;

/** Run the command with resolved options: one search per work kind, each with its share of the budget. */
export async function tune(opts: TuneOptions): Promise<void> {
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const server = await startBenchServer(opts.server, opts.delayMs);
  try {
    const target = {
      serverLabel: server.label,
      baseUrl: server.url,
      codeArgs: opts.codeArgs,
      codeCount: opts.codeCount,
      repeat: opts.repeat,
    };
    const budgetMs = Math.floor(opts.budgetMs / opts.works.length);
    const reports: TuneReport[] = [];
    for (const work of opts.works) {
      const plan: TunePlan = {
        model: opts.model,
        split: opts.split,
        target,
        delayMs: server.delayMs,
        budgetMs,
        space: { workers: workerSpace(opts.model, opts.maxWorkers), maxReqMin: 1, maxReqMax: TUNE_MAX_REQ },
        work,
      };
      const withWork = work === 'none' ? '' : ` with --work ${work}`;
      say(
        `tune: ${opts.model} model on ${server.label} ${server.url}${withWork}, budget ${formatDuration(budgetMs)}; each run a fresh process`,
      );
      reports.push(
        await runTune(plan, runOnce, (p, rps, spentMs) =>
          say(
            `tune: -w ${p.workers} -m ${p.maxReq}: ${rps === null ? 'failed' : `${Math.round(rps)} req/s`} (${formatDuration(spentMs)} of ${formatDuration(budgetMs)})`,
          ),
        ),
      );
    }
    process.stdout.write(`${output(reports, opts.json)}\n`);
  } finally {
    await server.stop();
  }
}

/** One report as before; several (--works) as one object holding them, or their texts one after another. */
function output(reports: readonly TuneReport[], json: boolean): string {
  if (json) return JSON.stringify(reports.length === 1 ? reports[0] : { schema: 1, kind: 'tune-works', reports });
  return reports.map((r) => tuneTextLines(r).join('\n')).join('\n\n');
}
