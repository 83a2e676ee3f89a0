/** What `flagfetch bench` does once its options are resolved. */
import type { Workload } from '../compare/bench-options.js';
import type { MatrixSpec } from '../compare/matrix.js';
import { benchTextLines } from '../report/bench-table.js';
import { buildMatrix } from '../compare/matrix.js';
import { benchJson, writeBenchOutputs } from './bench-outputs.js';
import { filesByFlag, noteSayers, type OutputChoice } from './output-flags.js';
import { checkOutputFolders, jsonText } from './write-output.js';
import { runOnce } from '../compare/run-once.js';
import { runSuite, stopOnInterrupt } from '../compare/suite.js';
import { everyRunFailed } from '../compare/failed-configs.js';
import { RunFailure } from '../errors.js';
import { checkTrustInputs } from './download-inputs.js';
import { EXIT_INTERRUPTED } from '../errors.js';

/** Validated bench options. */
export interface BenchOptions extends Workload {
  readonly matrix: MatrixSpec;
  /** Measured runs of every configuration, at least. */
  readonly runs: number;
  /** Most measured runs of a configuration while its ratio's interval is wide. */
  readonly maxRuns: number;
  readonly warmup: number;
  readonly outputs: OutputChoice;
  /** `--queue … --agents N --agent-wait S` for every run, with bench --queue. */
  readonly runArgs: readonly string[];
}

/** Run the command with resolved options; 130 when a signal stopped it (the partial report is printed). */
export async function bench(opts: BenchOptions): Promise<number> {
  const out = opts.outputs;
  await checkOutputFolders(filesByFlag(out.files));
  await checkTrustInputs(opts);
  const { note, progress, always } = noteSayers(out);
  const matrix = buildMatrix(opts.matrix);
  const { configs } = matrix;
  const notes =
    opts.runArgs.length === 0
      ? matrix.notes
      : [...matrix.notes, 'workers runs went through the queue (--queue); the other models ran here'];
  const stop = stopOnInterrupt(always);
  try {
    const result = await runSuite({ title: 'flagfetch bench', ...opts, configs, notes }, runOnce, {
      onProgress: progress,
      signal: stop.signal,
    });
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
