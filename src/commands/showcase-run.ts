/** What `flagfetch showcase` does: the scenarios, their report and files. */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchTextLines } from '../report/bench-table.js';
import { checkOutputFolders, writeBenchOutputs, type OutputFiles } from './outputs.js';
import { formatDuration } from '../compare/run-bench.js';
import { runOnce } from '../compare/run-once.js';
import { explainShowcase, runShowcase } from '../compare/showcase-scenarios.js';
import { stopOnInterrupt } from '../compare/suite.js';
import type { WorkKind } from '../download/work-kind.js';

/** Title of the showcase's page. */
export const SHOWCASE_TITLE = 'flagfetch showcase: one event loop against worker threads';

/** Run the command with resolved options. */
export async function showcase(runs: number, files: OutputFiles, work: WorkKind = 'decode'): Promise<void> {
  await checkOutputFolders(files);
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const t0 = performance.now();
  const stop = stopOnInterrupt(say);
  try {
    const hooks = { onProgress: say, signal: stop.signal };
    const suites = await runShowcase(runs, availableParallelism(), runOnce, hooks, work);
    const explanation = explainShowcase(suites);
    const out = [
      ...suites.flatMap((s) => [...benchTextLines(s), '']),
      'What this shows on this machine:',
      ...explanation.map((l) => `- ${l}`),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    await writeBenchOutputs(files, suites, say, { title: SHOWCASE_TITLE, explanation });
    say(`showcase took ${formatDuration(performance.now() - t0)}`);
  } finally {
    stop.release();
  }
}
