/**
 * The build's second step (`npm run build`: tsc, then this): esbuild bundles our own modules
 * into dist/app/, one CommonJS file for each kind of thread:
 *  - bin.cjs, the program users run (package.json `bin`): it turns on Node's compile cache, then
 *    loads cli.cjs, the whole command line, each command's run held in a lazy init function
 *    (esbuild's form of a dynamic `import()`), so a command evaluates only what it uses;
 *  - fetch-loop.cjs and flag-task.cjs, the task files the pools run in their threads.
 * A file per thread: a thread reads, checks and evaluates one file, with no module graph to
 * resolve; Piscina's worker.js `require()`s its task file without starting Node's ES module
 * loader. Modules shared by the main thread and the pool threads are in both kinds of file;
 * each thread has its own copy of every module anyway. Within a thread a module must run once
 * (stdout.ts and the signal traps hold state), which the check below makes sure of.
 * Other packages stay outside, loaded from node_modules as published (so Piscina's two halves,
 * its main side and its worker.js, always come from one version).
 */
import { build } from 'esbuild';
import { modulesTwiceInAThread } from './bundle-check.js';
import { dependencyPatches } from './dependency-patches.js';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages bundled into our outputs: undici (the client every download and every pool thread
 * loads) and hdr-histogram-js (the latency buckets). Compiled with our code, they share its
 * compile-cache entry; from node_modules they cost a CommonJS resolution and load per file in
 * every thread (docs/build.md has the measurement).
 */
const BUNDLED = ['undici', 'hdr-histogram-js'];

/** Every other dependency loads from node_modules as published (Piscina's two halves from one version). */
const { dependencies } = JSON.parse(readFileSync(path.join(DIST, '..', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const EXTERNAL = Object.keys(dependencies).filter((name) => !BUNDLED.includes(name));

/** The outputs each kind of thread loads: the main thread bin.cjs then cli.cjs; a pool thread its task file. */
const THREADS = [['bin.cjs', 'cli.cjs'], ['fetch-loop.cjs'], ['flag-task.cjs']] as const;

const patches = dependencyPatches();
const result = await build({
  entryPoints: {
    bin: path.join(DIST, 'src', 'bin.js'),
    cli: path.join(DIST, 'src', 'cli.js'),
    'fetch-loop': path.join(DIST, 'workers', 'fetch-loop.js'),
    'flag-task': path.join(DIST, 'workers', 'flag-task.js'),
  },
  outdir: path.join(DIST, 'app'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  external: EXTERNAL,
  // Our sources are ES modules (strict, and two of them find their files from import.meta.url):
  // the CommonJS output keeps them strict and gives them their file's URL.
  banner: { js: '"use strict"; const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
  plugins: [patches.plugin],
  metafile: true,
  logLevel: 'warning',
});

// The program runs as an executable too (its first line names Node).
chmodSync(path.join(DIST, 'app', 'bin.cjs'), 0o755);

const unused = patches.unused();
if (unused.length > 0) {
  throw new Error(
    `scripts/bundle.ts: patches no bundle used: ${unused.map((p) => `${p.dependency}/${p.file}`).join(', ')}`,
  );
}

const twice = modulesTwiceInAThread(result.metafile, THREADS);
if (twice.length > 0) {
  throw new Error(`scripts/bundle.ts: modules twice in one thread:\n  ${twice.join('\n  ')}`);
}
