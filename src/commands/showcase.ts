/**
 * `flagfetch showcase` (= `npm start`): the four models on the embedded LOCAL and DELAY
 * servers in under a minute, the tables with ratios to the single loop, a plain explanation,
 * and report.html in the current folder.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { parseCount } from '../flags.js';
import { benchTextLines } from '../report/bench-table.js';
import { checkOutputFolders, writeBenchOutputs, type OutputFiles } from './outputs.js';
import { formatDuration } from '../compare/run-bench.js';
import { runOnce } from '../compare/run-once.js';
import { explainShowcase, runShowcase } from '../compare/showcase-scenarios.js';
import { stopOnInterrupt } from '../compare/suite.js';

/** Title of the showcase's page. */
export const SHOWCASE_TITLE = 'flagfetch showcase: one event loop against worker threads';

interface RawShowcaseOptions extends OutputFiles {
  runs?: string;
}

/** Add `showcase` to the program. */
export function registerShowcaseCommand(program: Command): void {
  program
    .command('showcase')
    .description(
      'compare the four models on the embedded LOCAL and DELAY servers in about a minute; writes report.html',
    )
    .option('--runs <N>', 'measured runs per configuration (after 1 warm-up)', '3')
    .option('--html <FILE>', 'the HTML report', 'report.html')
    .option('--json <FILE>', 'also write the results as JSON')
    .option('--csv <FILE>', 'also write one CSV row per configuration')
    .action(async (raw: RawShowcaseOptions) => {
      const runs = parseCount('--runs', raw.runs, 1, 100, 3);
      await showcase(runs, { html: raw.html, json: raw.json, csv: raw.csv });
    });
}

async function showcase(runs: number, files: OutputFiles): Promise<void> {
  await checkOutputFolders(files);
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const t0 = performance.now();
  const stop = stopOnInterrupt(say);
  try {
    const suites = await runShowcase(runs, availableParallelism(), runOnce, { onProgress: say, signal: stop.signal });
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
