/**
 * The bounded async loop every model uses: `lanes` loops run side by side, each claiming
 * the next item and awaiting its work, so at most `lanes` pieces of work are in flight.
 */

/**
 * Run `work` on claimed items with at most `lanes` in flight, until `claim` returns
 * undefined or `signal` aborts (work already started is awaited, never abandoned).
 */
export async function runBounded<T>(
  lanes: number,
  claim: () => T | undefined,
  work: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const lane = async (): Promise<void> => {
    while (signal?.aborted !== true) {
      const item = claim();
      if (item === undefined) return;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
}
