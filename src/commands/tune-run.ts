/** What `flagfetch tune` does once its options are resolved. */
import { TUNE_MAX_REQ, type TuneOptions } from './tune.js';
import { tuneTextLines } from '../report/bench-tune.js';
import { runOnce } from '../compare/run-once.js';
import { formatDuration } from '../compare/run-bench.js';
import { startBenchServer } from '../compare/servers.js';
import { runTune, workerSpace, type TunePlan } from '../compare/tune-run.js';

/** Run the command with resolved options. */
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
    const plan: TunePlan = {
      model: opts.model,
      split: opts.split,
      target,
      delayMs: server.delayMs,
      budgetMs: opts.budgetMs,
      space: { workers: workerSpace(opts.model, opts.maxWorkers), maxReqMin: 1, maxReqMax: TUNE_MAX_REQ },
    };
    say(
      `tune: ${opts.model} model on ${server.label} ${server.url}, budget ${formatDuration(opts.budgetMs)}; each run a fresh process`,
    );
    const report = await runTune(plan, runOnce, (p, rps, spentMs) =>
      say(
        `tune: -w ${p.workers} -m ${p.maxReq}: ${rps === null ? 'failed' : `${Math.round(rps)} req/s`} (${formatDuration(spentMs)} of ${formatDuration(opts.budgetMs)})`,
      ),
    );
    process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${tuneTextLines(report).join('\n')}\n`);
  } finally {
    await server.stop();
  }
}
