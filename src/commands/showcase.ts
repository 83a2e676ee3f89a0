/**
 * `flagfetch showcase` (= `npm start`): the four models on the embedded LOCAL and DELAY
 * servers and with CPU work per download, in about a minute, the tables with ratios to the
 * single loop, a plain explanation, and report.html in the current folder.
 */
import { guardRun } from '../stdout.js';
import { Command } from 'commander';
import { parseCount } from '../flags.js';
import { UsageError } from '../errors.js';
import { parseWork, WORK_HELP } from '../cpu-work/kind.js';
import { addOutputOptions, resolveOutputs, SHOWCASE_OUTPUTS, type RawOutputOptions } from './output-flags.js';

interface RawShowcaseOptions extends RawOutputOptions {
  runs?: string;
  work?: string;
}

/** Add `showcase` to the program. */
export function registerShowcaseCommand(program: Command): void {
  const cmd = program
    .command('showcase')
    .description(
      'compare the four models on the embedded LOCAL and DELAY servers and with CPU work per download, ' +
        'in about a minute; writes report.html',
    )
    .option('--runs <N>', 'measured runs per configuration (after 1 warm-up)', '3')
    .option('--work <KIND>', `${WORK_HELP}: the CPU work of the third scenario (default: decode)`);
  addOutputOptions(cmd, SHOWCASE_OUTPUTS).action(async (raw: RawShowcaseOptions) => {
    const runs = parseCount('--runs', raw.runs, 1, 100, 3);
    const work = parseWork('--work', raw.work ?? 'decode');
    if (work === 'none')
      throw new UsageError('--work none leaves the CPU-work scenario without work: use decode, sha256 or spin:MS');
    const outputs = resolveOutputs('showcase', raw, SHOWCASE_OUTPUTS);
    const { showcase } = await import('./showcase-run.js');
    process.exitCode = await guardRun(() => showcase(runs, outputs, work));
  });
}
