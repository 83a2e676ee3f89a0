/**
 * The workers model's pool of this build, or of another build of flagfetch (its dist/src
 * folder) for before/after figures: older builds' startPool took (file, threads,
 * workerData, connect) and ran the unbundled task file.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReadyPool } from '../../src/models/pool.js';
import type { FetchSettings } from '../../src/download/settings.js';

/** Start `threads` fetch-loop threads with `settings`, each opening `connect` connections. */
export type StartFetchLoops = (threads: number, settings: FetchSettings, connect: number) => Promise<ReadyPool>;

type AnyStart = (...args: unknown[]) => Promise<ReadyPool>;

/** startPool for fetch-loop threads of the build in `distSrc` (default: this one). */
export async function fetchLoopPool(distSrc?: string): Promise<StartFetchLoops> {
  const file =
    distSrc === undefined ? '../../src/models/pool.js' : pathToFileURL(path.join(distSrc, 'models/pool.js')).href;
  const mod = (await import(file)) as { startPool: AnyStart; taskFile: (name: string) => string };
  const taskFile = mod.taskFile('fetch-loop');
  return (threads, settings, connect) =>
    mod.startPool.length === 4
      ? mod.startPool(taskFile, threads, { settings }, connect)
      : mod.startPool({ file: taskFile, threads, data: { settings } }, connect);
}
