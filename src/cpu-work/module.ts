/**
 * A CPU step of the caller's own (the API's `work: { module }`): a module exporting one
 * function, loaded in every thread that downloads, since a function cannot cross threads.
 */
import type { WorkItem } from './kind.js';

/** Reason (errorsByReason) of a body whose own step threw (from the reasons vocabulary). */
export { WORK_FAILED } from '../download/reasons.js';

/** The step: called with each body and its names, on the thread that downloaded it; a throw fails that body. */
export type WorkFunction = (body: Uint8Array, item: WorkItem) => void;

/**
 * Load the step exported by the module at `file` (an absolute path): its default export or
 * its `work` export. In a task bundle import() is require(), which wraps a module once more
 * (its namespace as `default`): the search looks a few levels down.
 */
export async function loadWorkModule(file: string): Promise<WorkFunction> {
  const loaded: unknown = await import(file);
  let at: unknown = loaded;
  for (let depth = 0; depth < 3 && typeof at === 'object' && at !== null; depth += 1) {
    const named = (at as { work?: unknown }).work;
    if (typeof named === 'function') return named as WorkFunction;
    at = (at as { default?: unknown }).default;
  }
  if (typeof at === 'function') return at as WorkFunction;
  throw new Error(`${file} exports no work function: export default (body, item) => …`);
}
