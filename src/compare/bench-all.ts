/**
 * A whole bench as the command and the API run it: the matrix built from the settings, the
 * server started, every configuration run in fresh processes, the server stopped. Measures and
 * returns the result (`--json`, `--export-json`, the API's result); never prints.
 */
import type { BenchSettings } from './bench-settings.js';
import { buildMatrix } from './matrix.js';
import { runOnce } from './run-once.js';
import { runSuite } from './suite.js';
import type { BenchResult } from './types.js';

/** Progress lines and a stop signal: a stopped bench ends the run in progress and reports the rest. */
export interface BenchAllHooks {
  readonly onProgress?: ((line: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Run the bench the settings describe; a stop signal gives the partial result. */
export async function benchAll(opts: BenchSettings, hooks: BenchAllHooks = {}): Promise<BenchResult> {
  const { configs, notes } = buildMatrix(opts.matrix);
  const queued = 'workers runs went through the queue (--queue); the other models ran here';
  return runSuite(
    { title: 'flagfetch bench', ...opts, configs, notes: opts.runArgs.length === 0 ? notes : [...notes, queued] },
    runOnce,
    { onProgress: hooks.onProgress, signal: hooks.signal },
  );
}
