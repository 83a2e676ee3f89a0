/**
 * Ctrl-C and SIGTERM during a run: the first stops dispatching (the models give requests in
 * flight a grace period, then report what they did); a second exits at once with 130.
 */
import { EXIT_INTERRUPTED } from './errors.js';

/** Trap SIGINT/SIGTERM for the length of a run; `say` writes a line to stderr, `stopping` says what the first signal does. */
export function trapSignals(
  say: (line: string) => void,
  stopping = 'stopping; requests in flight get up to 2 s (press Ctrl-C again to quit at once)',
): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      say(`${name} again: exiting now`);
      process.exit(EXIT_INTERRUPTED);
    }
    say(`${name}: ${stopping}`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
