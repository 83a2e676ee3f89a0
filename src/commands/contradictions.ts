/**
 * Options that contradict each other are a usage error naming both (`-a -e`, `-m 5
 * --max_req 10`, `--split` with a model other than workers, `-w` with one that has no pool threads). Only what the user
 * typed counts: a command's defaults never contradict anything (commander tells the two
 * apart with getOptionValueSource).
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/** Throw a UsageError when the download options typed on the command line contradict each other. */
export function rejectContradictions(cmd: Command): void {
  const typed = (key: string): boolean => {
    const source = cmd.getOptionValueSource(key);
    return source === 'cli' || source === 'env';
  };
  const model = String(cmd.getOptionValue('model') ?? 'workers').toLowerCase();
  if (typed('all') && typed('every'))
    throw new UsageError('-a/--all and -e/--every contradict each other: give one of them');
  if (typed('maxReq') && typed('max_req'))
    throw new UsageError('-m/--max-req and --max_req are the same option given twice: give one of them');
  if (model !== 'workers' && typed('split'))
    throw new UsageError(
      `--split applies to the workers model only, not --model ${model}: drop --split or use --model workers`,
    );
  if (model !== 'workers' && model !== 'threads' && typed('workers'))
    throw new UsageError(
      `-w/--workers applies to the threads and workers models only, not --model ${model}: drop -w or use --model workers`,
    );
}
