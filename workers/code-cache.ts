/**
 * A pool thread's task bundle, compiled with the V8 code cache the build made for it: each
 * thread is a fresh isolate that would otherwise parse and compile ~500 KB of JavaScript
 * (undici's parts and ours) before its first task. The build (scripts/bundle.ts) writes
 * `<task>.cjs.v8cache` beside the bundle with `makeCodeCache`; a thread loads the bundle
 * through `loadWithCodeCache`, which compiles the very same wrapped source with that cache.
 * V8 checks the cache against the source and its own version and flags, and compiles as usual
 * when it does not match (a stale or missing cache costs time, never correctness).
 */
import { isAscii } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';

/** The cache file beside a bundle. */
export const cacheFileOf = (bundle: string): string => `${bundle}.v8cache`;

/**
 * A bundle's text: read as latin1 when it is all ASCII (the build makes the task bundles so),
 * which is the same text without UTF-8 decoding and gives V8 a one-byte string; one non-ASCII
 * byte would make all ~500 KB a two-byte string, slower to read and to compile (~1 ms a thread).
 */
function sourceOf(bundle: string): string {
  const bytes = readFileSync(bundle);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** The bundle's source as a CommonJS module function, the same for the build and the threads. */
function compile(bundle: string, cachedData?: Buffer): Script {
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${sourceOf(bundle)}\n})`;
  return new Script(wrapped, { filename: bundle, cachedData });
}

/**
 * Write the code cache of `bundle` beside it (build time); returns its size in bytes. The
 * bundle's top level runs first (outside a pool thread it stops where it reads its
 * workerData), so the cache also holds the functions that loading it compiles.
 */
export function makeCodeCache(bundle: string): number {
  const script = compile(bundle);
  try {
    run(script, bundle);
  } catch {
    // Expected: not a pool thread.
  }
  const data = script.createCachedData();
  writeFileSync(cacheFileOf(bundle), data);
  return data.length;
}

/**
 * Load `bundle` as a CommonJS module (with its code cache when there is one) and return its
 * exports. `requireFrom` is the bundle's `require`: the stub's own, which resolves from the
 * same folder (a thread then never loads node:module); by default one made for the bundle.
 */
export function loadWithCodeCache(bundle: string, requireFrom?: NodeJS.Require): unknown {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFileOf(bundle));
  } catch {
    cachedData = undefined;
  }
  return run(compile(bundle, cachedData), bundle, requireFrom);
}

/** Run a compiled bundle as a CommonJS module; returns its exports. */
function run(script: Script, bundle: string, requireFrom?: NodeJS.Require): unknown {
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as unknown };
  const req = requireFrom ?? process.getBuiltinModule('node:module').createRequire(bundle);
  fn.call(module.exports, module.exports, req, module, bundle, path.dirname(bundle));
  return module.exports;
}
