/** What `flagfetch bench` does once its options are resolved. */
import type { BenchOptions } from './bench.js';
import { benchTextLines } from '../report/bench-table.js';
import { buildMatrix } from '../compare/matrix.js';
import { writeBenchOutputs, checkOutputFolders } from './outputs.js';
import { runOnce } from '../compare/run-once.js';
import { runSuite, stopOnInterrupt } from '../compare/suite.js';

/** Run the command with resolved options. */
export async function bench(opts: BenchOptions): Promise<void> {
  await checkOutputFolders(opts.outputs);
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const { configs, notes } = buildMatrix(opts.matrix);
  const stop = stopOnInterrupt(say);
  try {
    const result = await runSuite({ title: 'flagfetch bench', ...opts, configs, notes }, runOnce, {
      onProgress: say,
      signal: stop.signal,
    });
    process.stdout.write(`${benchTextLines(result).join('\n')}\n`);
    await writeBenchOutputs(opts.outputs, [result], say);
  } finally {
    stop.release();
  }
}
