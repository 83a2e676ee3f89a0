/** What `flagfetch showcase` does: the scenarios, their report and files. */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchTextLines } from '../report/bench-table.js';
import { benchJson, writeBenchOutputs } from './bench-outputs.js';
import { filesByFlag, noteSayers, type OutputChoice } from './output-flags.js';
import { checkOutputFolders, jsonText } from './write-output.js';
import { formatDuration } from '../compare/run-bench.js';
import { runOnce } from '../compare/run-once.js';
import { explainShowcase, runShowcase } from '../compare/showcase-scenarios.js';
import { stopOnInterrupt } from '../compare/suite.js';
import type { WorkKind } from '../cpu-work/kind.js';
import { EXIT_INTERRUPTED } from '../errors.js';

/** Title of the showcase's page. */
export const SHOWCASE_TITLE = 'flagfetch showcase: one event loop against worker threads';

/** Run the command with resolved options; 130 when a signal stopped it (the partial report is printed). */
export async function showcase(runs: number, out: OutputChoice, work: WorkKind = 'decode'): Promise<number> {
  await checkOutputFolders(filesByFlag(out.files));
  const { note, progress, always } = noteSayers(out);
  const t0 = performance.now();
  const stop = stopOnInterrupt(always);
  try {
    const hooks = { onProgress: progress, signal: stop.signal };
    const suites = await runShowcase(runs, availableParallelism(), runOnce, hooks, work);
    const explanation = explainShowcase(suites);
    const text = [
      ...suites.flatMap((s) => [...benchTextLines(s), '']),
      'What this shows on this machine:',
      ...explanation.map((l) => `- ${l}`),
    ];
    process.stdout.write(out.stdoutJson ? jsonText(benchJson(suites, 'showcase')) : `${text.join('\n')}\n`);
    await writeBenchOutputs(out.files, suites, note, { kind: 'showcase', title: SHOWCASE_TITLE, explanation });
    note(`showcase took ${formatDuration(performance.now() - t0)}`);
    return stop.signal.aborted ? EXIT_INTERRUPTED : 0;
  } finally {
    stop.release();
  }
}
