/**
 * What stops a run early: Ctrl-C, SIGTERM or SIGHUP (a closed terminal) (the first stops dispatching: the models give
 * requests in flight a grace period, then report what they did; a second cleans up at once,
 * synchronously, and exits 130), and stdout closing (stops the same way, silently).
 */
import { EXIT_INTERRUPTED } from './errors.js';
import { onStdoutClosed } from './stdout.js';

/** The signals that stop a run: a closed terminal (SIGHUP) stops it as SIGTERM does, with its report. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Trap SIGINT/SIGTERM/SIGHUP and stdout closing for the length of a run; `say` writes a line to
 * stderr, `stopping` says what the first signal does, `cleanUp` runs (synchronously) before a
 * second signal exits.
 */
export function trapSignals(
  say: (line: string) => void,
  stopping = 'stopping; requests in flight get up to 2 s (press Ctrl-C again to quit at once)',
  cleanUp: () => void = () => undefined,
): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      say(`${name} again: exiting now`);
      cleanUp();
      process.exit(EXIT_INTERRUPTED);
    }
    say(`${name}: ${stopping}`);
    controller.abort();
  };
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  const offStdout = onStdoutClosed(() => controller.abort());
  return {
    signal: controller.signal,
    release: () => {
      for (const name of STOP_SIGNALS) process.off(name, onSignal);
      offStdout();
    },
  };
}
