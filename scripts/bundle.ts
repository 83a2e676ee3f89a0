/**
 * The build's second step (`npm run build`: tsc, then this): esbuild bundles our own modules
 * into dist/app/, one ES module per entry point and shared chunks between them:
 *  - bin.js, the program users run (package.json `bin`), and the chunks it imports lazily
 *    (each command's run, the server, the certificate maker);
 *  - fetch-loop.js and flag-task.js, the task files the pools run in their threads.
 * Other packages stay outside, loaded from node_modules as published (so Piscina's two halves, its
 * main side and its worker.js, always come from one version). Node's compile cache (enabled by
 * bin.ts) then spares every later run the compiling.
 *
 * With code splitting, a module lands in exactly one output file, so a module that holds state
 * (stdout.ts, the signal traps, …) has one copy per thread; the check below fails the build if
 * esbuild's metafile ever shows one in two outputs.
 */
import { build } from 'esbuild';
import { modulesInSeveralOutputs } from './bundle-check.js';
import { dependencyPatches } from './dependency-patches.js';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages bundled into our outputs: undici (the client every download and every pool thread
 * loads) and hdr-histogram-js (the latency buckets). Compiled with our code, each of their
 * modules lands in one output and shares its compile-cache entry; from node_modules they cost
 * a CommonJS resolution and load per file in every thread (docs/build.md has the measurement).
 */
const BUNDLED = ['undici', 'hdr-histogram-js'];

/** Every other dependency loads from node_modules as published (Piscina's two halves from one version). */
const { dependencies } = JSON.parse(readFileSync(path.join(DIST, '..', 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const EXTERNAL = Object.keys(dependencies).filter((name) => !BUNDLED.includes(name));

const patches = dependencyPatches();
const result = await build({
  entryPoints: [
    path.join(DIST, 'src', 'bin.js'),
    path.join(DIST, 'workers', 'fetch-loop.js'),
    path.join(DIST, 'workers', 'flag-task.js'),
  ],
  outdir: path.join(DIST, 'app'),
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  external: EXTERNAL,
  // Bundled CommonJS (undici) requires Node's built-in modules; an ES module has no `require`.
  banner: {
    js: "import { createRequire as __ffRequire } from 'node:module'; const require = __ffRequire(import.meta.url);",
  },
  plugins: [patches.plugin],
  metafile: true,
  logLevel: 'warning',
});

// The program runs as an executable too (its first line names Node).
chmodSync(path.join(DIST, 'app', 'bin.js'), 0o755);

const unused = patches.unused();
if (unused.length > 0) {
  throw new Error(
    `scripts/bundle.ts: patches no bundle used: ${unused.map((p) => `${p.dependency}/${p.file}`).join(', ')}`,
  );
}

const twice = modulesInSeveralOutputs(result.metafile);
if (twice.length > 0) {
  throw new Error(`scripts/bundle.ts: modules in more than one bundle:\n  ${twice.join('\n  ')}`);
}
