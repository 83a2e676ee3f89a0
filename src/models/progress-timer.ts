/** The one progress timer of every model: codes done per lane or worker, ~10 times a second. */
import type { RunHooks } from './types.js';

/** How often progress is reported while a run goes on, in milliseconds. */
export const PROGRESS_EVERY_MS = 100;

/**
 * Call `hooks.onProgress` with `read()` every PROGRESS_EVERY_MS until `finish()`, which
 * stops the timer and reports once more (the final counts). Nothing runs without the hook.
 */
export function startProgress(hooks: RunHooks, read: () => readonly number[]): { finish(): void } {
  const report = hooks.onProgress;
  if (report === undefined) return { finish: () => undefined };
  const timer = setInterval(() => report(read()), PROGRESS_EVERY_MS);
  let done = false;
  return {
    finish: () => {
      if (done) return;
      done = true;
      clearInterval(timer);
      report(read());
    },
  };
}
