/**
 * Soft stop → grace → hard stop, the one way every model stops: when the run's signal aborts
 * (Ctrl-C), dispatching stops at once (`onSoft`), requests in flight get GRACE_MS to finish,
 * then the hard stop aborts them (`hard` signal, and `onHard` for threads to be told).
 */

/** Grace period for in-flight requests after Ctrl-C, in milliseconds. */
export const GRACE_MS = 2000;

/**
 * Let a signal that arrived while this thread was busy reach its handler: a signal is only
 * read in the event loop's poll phase, and two turns of setImmediate go through one. Awaited
 * after synchronous work and before a run ends, so that no Ctrl-C is lost.
 */
export async function letSignalsIn(): Promise<void> {
  for (let turn = 0; turn < 2; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** What to do on each stop. */
export interface StopActions {
  /** Called once when the soft signal aborts (stop handing out work). */
  readonly onSoft?: () => void;
  /** Called once when the grace period is over (abort what is in flight). */
  readonly onHard?: () => void;
  /** Grace period, in milliseconds; GRACE_MS unless given. */
  readonly graceMs?: number;
}

/** A watch on a run's soft signal; dispose() when the run ends (clears the grace timer). */
export interface StopWatch {
  /** Aborts when the grace period after the soft stop is over. */
  readonly hard: AbortSignal;
  dispose(): void;
}

/** Watch `soft`: on abort, onSoft at once, then after the grace period `hard` aborts and onHard runs. */
export function watchStop(soft: AbortSignal | undefined, actions: StopActions = {}): StopWatch {
  const hard = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    actions.onSoft?.();
    timer = setTimeout(() => {
      hard.abort();
      actions.onHard?.();
    }, actions.graceMs ?? GRACE_MS);
    timer.unref();
  };
  if (soft?.aborted === true) onAbort();
  else soft?.addEventListener('abort', onAbort, { once: true });
  return {
    hard: hard.signal,
    dispose: () => {
      soft?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
