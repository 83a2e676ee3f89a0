/**
 * The build's second step (`npm run build`: tsc, then this), with esbuild:
 *  - dist/src/cli.cjs, the program users run (package.json `bin`): cli.ts with commander and
 *    every command's flags in one CommonJS file, so `--version` and `--help` read one file and
 *    never start Node's ES module loader; what it loads lazily (a command's X-run.js, …) is a
 *    bundle of its own beside its source (X-run.cjs: our modules, packages left outside);
 *  - dist/workers/bundled/<task>.cjs for each Piscina task file (fetch-loop, flag-task), with
 *    everything it imports (our modules, undici's parts, the HDR histogram class): a thread
 *    reads and compiles one file instead of resolving and loading ~60 modules (measured in
 *    bench/startup.ts), and leaves out what it does not run (leanUndici);
 *  - the certificate maker of `serve --tls` (below).
 * The first two are CommonJS: import.meta.url becomes the bundle's own URL (same folder depth
 * as the file it stands for, so relative paths still hold).
 */
import { build, type Plugin } from 'esbuild';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeCodeCache } from '../workers/code-cache.js';
import { leanUndici } from './lean-undici.js';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The task files the pools run, by base name. */
const TASKS = ['fetch-loop', 'flag-task'];

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
} as const;

/** A path from `fromDir` to `file`, as an import specifier. */
function specifier(fromDir: string, file: string): string {
  const rel = path.relative(fromDir, file).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * For cli.cjs: every module it imports lazily (what a command runs, X-run.js, and the like)
 * becomes a require of that module's own bundle, built beside it with .cjs (an import() of
 * CommonJS would start the ES module loader and lex the whole file). Collects them in `lazy`.
 */
function lazyOwnBundles(fromDir: string, lazy: Set<string>): Plugin {
  return {
    name: 'lazy-own-bundles',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const file = path.resolve(args.resolveDir, args.path);
        lazy.add(file);
        return { path: specifier(fromDir, file.replace(/\.js$/, '.cjs')), external: true };
      });
    },
  };
}

/**
 * For those bundles: modules loaded lazily that have a bundle of their own (below) stay
 * outside, imported from where tsc put them, so they never weigh on a command that does not
 * need them (@peculiar/x509 is ~780 KB).
 */
function certificateOutside(srcDir: string, outDir: string): Plugin {
  const outside = path.join(srcDir, 'server', 'certificate.js');
  return {
    name: 'certificate-outside',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        const file = path.resolve(args.resolveDir, args.path);
        if (args.kind !== 'dynamic-import' || file !== outside) return undefined;
        return { path: specifier(outDir, file), external: true };
      });
    },
  };
}

const SRC = path.join(DIST, 'src');
const lazy = new Set<string>();
await build({
  ...common,
  entryPoints: [path.join(SRC, 'cli.js')],
  outfile: path.join(SRC, 'cli.cjs'),
  supported: { 'dynamic-import': false },
  plugins: [lazyOwnBundles(SRC, lazy)],
});

await Promise.all([
  // Each beside its source, so the paths it finds from import.meta.url still hold. Only our
  // own modules: packages load from node_modules as published (Piscina finds its worker file
  // beside itself, BullMQ its Lua scripts).
  ...[...lazy].map((file) =>
    build({
      ...common,
      entryPoints: [file],
      outfile: file.replace(/\.js$/, '.cjs'),
      packages: 'external',
      plugins: [certificateOutside(SRC, path.dirname(file))],
    }),
  ),
  build({
    ...common,
    entryPoints: TASKS.map((name) => path.join(DIST, 'workers', `${name}.js`)),
    outdir: path.join(DIST, 'workers', 'bundled'),
    outExtension: { '.js': '.cjs' },
    // import() becomes require(): a thread compiles its bundle with node:vm (code cache, below),
    // where import() would need an experimental flag.
    supported: { 'dynamic-import': false },
    plugins: [leanUndici(path.join(DIST, 'src', 'download', 'max-header-size.js'))],
  }),
  build({
    ...common,
    entryPoints: [path.join(DIST, 'workers', 'code-cache.js')],
    outfile: path.join(DIST, 'workers', 'bundled', 'code-cache.cjs'),
  }),
  // The certificate `serve --tls` makes at start: @peculiar/x509 and its ~40 modules in one ES
  // module (server/tls.ts loads it, or the unbundled module when this step did not run).
  build({
    entryPoints: [path.join(DIST, 'src', 'server', 'certificate.js')],
    outfile: path.join(DIST, 'src', 'server', 'bundled', 'certificate.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  }),
]);

/**
 * Make a task bundle all ASCII: a thread reads it as latin1, a one-byte string for V8
 * (workers/code-cache.ts). esbuild already escapes non-ASCII text in strings, identifiers and
 * regular expressions (its default charset); what is left is in comments, where an escape
 * reads as well.
 */
function asciiOnly(file: string): void {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

// What a pool runs for each task: a stub that loads its bundle with the V8 code cache made
// here (workers/code-cache.ts): a thread comes up without compiling ~500 KB from scratch.
// The stub passes its own require (same folder): the thread never loads node:module.
for (const name of TASKS) {
  const bundled = path.join(DIST, 'workers', 'bundled');
  asciiOnly(path.join(bundled, `${name}.cjs`));
  makeCodeCache(path.join(bundled, `${name}.cjs`));
  writeFileSync(
    path.join(bundled, `${name}.start.cjs`),
    `'use strict';\n// Made by scripts/bundle.ts: ${name}.cjs compiled with its V8 code cache (workers/code-cache.ts).\n` +
      `module.exports = require('./code-cache.cjs').loadWithCodeCache(require('node:path').join(__dirname, '${name}.cjs'), require);\n`,
  );
}
