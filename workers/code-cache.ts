/**
 * Bundles compiled with a V8 code cache made at build time: the CLI's own bundles on the main
 * thread and each pool thread's task bundle (a thread is a fresh isolate that would otherwise
 * parse and compile ~500 KB of JavaScript before its first task). The build (scripts/bundle.ts)
 * writes `<bundle>.v8cache` beside each bundle with `makeCodeCache`, and then trains them
 * (scripts/train-code-cache.ts): real runs with TRAIN_ENV set write each bundle they loaded
 * again once it has run, so the cache also holds the functions a run compiles as it goes. A stub loads the bundle through `loadWithCodeCache`, which compiles the very same
 * wrapped source with that cache. V8 checks the cache against the source and its own version
 * and flags, and compiles as usual when it does not match (a stale or missing cache costs
 * time, never correctness).
 */
import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';

/** The cache file beside a bundle. */
export const cacheFileOf = (bundle: string): string => `${bundle}.v8cache`;

/** Set (to anything) in a training run: every bundle loaded writes its cache again once it has run. */
export const TRAIN_ENV = 'FLAGFETCH_TRAIN_CODE_CACHE';

/**
 * A bundle's text: read as latin1 when it is all ASCII (the build makes its bundles so), which
 * is the same text without UTF-8 decoding and gives V8 a one-byte string; one non-ASCII byte
 * would make all ~500 KB a two-byte string, slower to read and to compile (~1 ms a thread).
 * The CLI's shebang line is left out (a comment to Node, not to V8).
 */
function sourceOf(bundle: string): string {
  const bytes = readFileSync(bundle);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8').replace(/^#!.*/, '');
}

/**
 * The bundle's source as a CommonJS module function, the same for the build and the runs. The
 * bundles have no import() (scripts/bundle.ts makes it require()): node:vm would need an
 * experimental loader for it, which Node 20 does not take together with a code cache.
 */
function compile(bundle: string, cachedData?: Buffer): Script {
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${sourceOf(bundle)}\n})`;
  return new Script(wrapped, { filename: bundle, cachedData });
}

/**
 * Write the code cache of `bundle` beside it (build time); returns its size in bytes. The
 * bundle's top level runs first unless `run` is false (outside a pool thread a task bundle
 * stops where it reads its workerData; the CLI's would run a command), so the cache also
 * holds the functions that loading it compiles.
 */
export function makeCodeCache(bundle: string, run = true): number {
  const script = compile(bundle);
  if (run) {
    try {
      runModule(script, bundle);
    } catch {
      // Expected: not a pool thread.
    }
  }
  return writeCache(script, bundle);
}

/**
 * Write the cache of a compiled (and maybe run) bundle, atomically: runs may read it
 * meanwhile, and a training run's threads write the same one.
 */
function writeCache(script: Script, bundle: string): number {
  const data = script.createCachedData();
  const temp = `${cacheFileOf(bundle)}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, cacheFileOf(bundle));
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
  const script = compile(bundle, cachedData);
  const exports = runModule(script, bundle, requireFrom);
  return process.env[TRAIN_ENV] === undefined ? exports : training(script, bundle, exports);
}

/**
 * A training run: the cache is written again with what the run compiled, as the process
 * exits, and, for a pool's task file, after each task (Piscina ends its threads without an
 * exit event). Returns the exports to use: a task file's with its task wrapped, marked as an ES
 * module's as the bundle's are, so that Piscina takes `default`.
 */
function training(script: Script, bundle: string, exports: unknown): unknown {
  // A cache that cannot be written (a read-only install) leaves the one there: never an error.
  const write = (): void => {
    try {
      writeCache(script, bundle);
    } catch {
      // The old cache stays.
    }
  };
  process.once('exit', write);
  const task = (exports as { default?: unknown }).default;
  if (typeof task !== 'function') return exports;
  const run = task as (...args: unknown[]) => Promise<unknown>;
  return {
    __esModule: true,
    default: (...args: unknown[]): Promise<unknown> => run(...args).finally(write),
  };
}

/** Run a compiled bundle as a CommonJS module; returns its exports. */
function runModule(script: Script, bundle: string, requireFrom?: NodeJS.Require): unknown {
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as unknown };
  const req = requireFrom ?? process.getBuiltinModule('node:module').createRequire(bundle);
  fn.call(module.exports, module.exports, req, module, bundle, path.dirname(bundle));
  return module.exports;
}
