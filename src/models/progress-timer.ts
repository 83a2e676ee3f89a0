/** The one progress timer of every model: counts per lane or worker, ~10 times a second. */
import type { Counters } from '../stats/counters.js';
import type { RunHooks } from './types.js';

/** How often progress is reported while a run goes on, in milliseconds. */
export const PROGRESS_EVERY_MS = 100;

/**
 * Call `hooks.onProgress` (codes done) and `hooks.onCounters` (the counts) with `read()` every
 * PROGRESS_EVERY_MS until `finish()`, which stops the timer and reports once more (the final
 * counts). Nothing runs without a hook.
 */
export function startProgress(hooks: RunHooks, read: () => readonly Counters[]): { finish(): void } {
  const { onProgress, onCounters } = hooks;
  if (onProgress === undefined && onCounters === undefined) return { finish: () => undefined };
  const report = (): void => {
    const counters = read();
    onProgress?.(counters.map((c) => c.total));
    onCounters?.(counters);
  };
  const timer = setInterval(report, PROGRESS_EVERY_MS);
  let done = false;
  return {
    finish: () => {
      if (done) return;
      done = true;
      clearInterval(timer);
      report();
    },
  };
}
