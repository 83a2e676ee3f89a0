/** What `flagfetch bench` runs: resolve its flags, check, run (compare/bench-all.ts), print, write. */
import { resolveBenchSettings, type BenchSettings, type RawBenchFlags } from '../compare/bench-settings.js';
import { benchTextLines } from '../report/bench-table.js';
import { benchJson, writeBenchOutputs } from './bench-outputs.js';
import {
  BENCH_OUTPUTS,
  filesByFlag,
  noteSayers,
  resolveOutputs,
  type OutputChoice,
  type RawOutputOptions,
} from './output-flags.js';
import { checkOutputFolders, jsonText } from './write-output.js';
import { benchAll } from '../compare/bench-all.js';
import { stopOnInterrupt } from '../compare/suite.js';
import { everyRunFailed } from '../compare/failed-configs.js';
import { RunFailure } from '../errors.js';
import { checkTrustInputs } from './download-inputs.js';
import { EXIT_INTERRUPTED } from '../errors.js';

/** Validated bench options: the run's settings and where its results go. */
export interface BenchOptions extends BenchSettings {
  readonly outputs: OutputChoice;
}

/** Raw flags of the bench command: its run flags and its output flags. */
export type RawBenchOptions = RawBenchFlags & RawOutputOptions;

/** Validate the bench flags (pure apart from reading the core count); throws UsageError. `inputs`: the --urls file. */
export function resolveBenchOptions(
  args: readonly string[],
  raw: RawBenchOptions,
  inputs: { readonly urlsText?: string | undefined } = {},
): BenchOptions {
  const { codes, ...outputs } = resolveOutputs('bench', raw, BENCH_OUTPUTS);
  return { ...resolveBenchSettings([...codes, ...args], raw, inputs), outputs };
}

/** Run the command with resolved options; 130 when a signal stopped it (the partial report is printed). */
export async function bench(opts: BenchOptions): Promise<number> {
  const out = opts.outputs;
  await checkOutputFolders(filesByFlag(out.files));
  await checkTrustInputs(opts);
  const { note, progress, always } = noteSayers(out);
  const stop = stopOnInterrupt(always);
  try {
    const result = await benchAll(opts, { onProgress: progress, signal: stop.signal });
    process.stdout.write(
      out.stdoutJson ? jsonText(benchJson([result], 'bench')) : `${benchTextLines(result).join('\n')}\n`,
    );
    await writeBenchOutputs(out.files, [result], note, { kind: 'bench' });
    if (stop.signal.aborted) return EXIT_INTERRUPTED;
    const failed = everyRunFailed(result.configs, result.target.kind);
    if (failed !== undefined) throw new RunFailure(failed);
    return 0;
  } finally {
    stop.release();
  }
}
