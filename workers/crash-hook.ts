/**
 * Test hook, read only by the task files: FLAGFETCH_CRASH_WORKER=<worker>:<after N codes>
 * makes one pool thread exit abruptly once it has finished N codes, to test what the models
 * do when a thread dies (workers: the worker with that id; threads: the thread that arrived
 * that many-th at the start-up barrier).
 */

/** The worker (or thread) to crash and after how many codes; -1 when not asked. */
export function crashPoint(): { worker: number; count: number } {
  const m = /^(\d+):(\d+)$/.exec(process.env['FLAGFETCH_CRASH_WORKER'] ?? '');
  return m === null ? { worker: -1, count: -1 } : { worker: Number(m[1]), count: Number(m[2]) };
}
