/**
 * undici parses HTTP/1.1 with llhttp compiled to WebAssembly. V8 compiles it at once with its
 * baseline compiler (Liftoff) and later re-compiles the hot parser function with TurboFan: a
 * large compile on a background thread, once per thread that parses (the main thread of a loop
 * run, each worker thread), and a process cannot exit until it is done (Node drains V8's
 * background tasks first). The TurboFan code parses no faster (a thread's warm CPU per request
 * is the same either way), so a run keeps the baseline code and spares that CPU
 * (bench/startup.ts shows a whole run's CPU).
 *
 * The switch is a V8 flag, set at run time, after this process has loaded the modules it
 * needs: any flag change makes V8 reject Node's code cache for built-in modules loaded
 * afterwards (a fresh worker thread then boots much slower), so the models call
 * this once their threads are up and their modules loaded, before the first connection
 * compiles llhttp. Not in the build's training runs (scripts/train-code-cache.ts): a code
 * cache written after a flag change would carry it, and V8 would reject it in every real run.
 */
import { setFlagsFromString } from 'node:v8';

let set = false;

/** From now on V8 compiles WebAssembly with Liftoff only, in every thread (once per process). */
export function keepBaselineWasm(): void {
  if (set) return;
  set = true;
  if (process.env['FLAGFETCH_TRAIN_CODE_CACHE'] !== undefined) return;
  setFlagsFromString('--liftoff-only');
}
