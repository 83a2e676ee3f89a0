/**
 * The build's second step (`npm run build`: tsc, then this), with esbuild:
 *  - dist/src/cli.bundle.cjs, the program users run: cli.ts with commander and every
 *    command's flags in one CommonJS file, so `--version` and `--help` read one file and never
 *    start Node's ES module loader; dist/src/cli.cjs (package.json `bin`) is the stub that
 *    loads it. What it loads lazily (a command's X-run.js, …) is a bundle of its own beside its
 *    source (X-run.cjs: our modules, undici's parts and the HDR histogram class; other packages
 *    left outside), loaded through its stub X-run.start.cjs;
 *  - dist/workers/bundled/<task>.cjs for each Piscina task file (fetch-loop, flag-task), with
 *    everything it imports (our modules, undici's parts, the HDR histogram class): a thread
 *    reads and compiles one file instead of resolving and loading ~60 modules (measured in
 *    bench/startup.ts), and leaves out what it does not run (leanUndici), also loaded through
 *    a stub (<task>.start.cjs, the file the pool runs);
 *  - the certificate maker of `serve --tls` (below).
 * Every stub compiles its bundle with a V8 code cache (workers/code-cache.ts), made here and
 * then trained by real runs (scripts/train-code-cache.ts). The bundles are CommonJS:
 * import.meta.url becomes the bundle's own URL (same folder depth as the file it stands for,
 * so relative paths still hold).
 */
import { build } from 'esbuild';
import path from 'node:path';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeCodeCache } from '../workers/code-cache.js';
import { leanUndici } from './lean-undici.js';
import {
  certificateOutside,
  lazyChildProcess,
  lazyOwnBundles,
  packagesOutside,
  piscinaWorkerFile,
  specifier,
} from './cli-plugins.js';

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

const SRC = path.join(DIST, 'src');
/** What undici's client.js reads its header size limit from in our bundles (scripts/lean-undici.ts). */
const MAX_HEADER_SIZE = path.join(SRC, 'download', 'max-header-size.js');
const BUNDLED = path.join(DIST, 'workers', 'bundled');
const lazy = new Set<string>();
await build({
  ...common,
  entryPoints: [path.join(SRC, 'cli.js')],
  outfile: path.join(SRC, 'cli.bundle.cjs'),
  supported: { 'dynamic-import': false },
  plugins: [lazyOwnBundles(SRC, lazy), lazyChildProcess()],
});

await Promise.all([
  // Each beside its source, so the paths it finds from import.meta.url still hold.
  ...[...lazy].map((file) =>
    build({
      ...common,
      entryPoints: [file],
      outfile: file.replace(/\.js$/, '.cjs'),
      // import() becomes require(), as in the task bundles (workers/code-cache.ts says why).
      supported: { 'dynamic-import': false },
      plugins: [
        certificateOutside(SRC, path.dirname(file)),
        packagesOutside(),
        leanUndici(MAX_HEADER_SIZE),
        piscinaWorkerFile(),
      ],
    }),
  ),
  build({
    ...common,
    entryPoints: TASKS.map((name) => path.join(DIST, 'workers', `${name}.js`)),
    outdir: BUNDLED,
    outExtension: { '.js': '.cjs' },
    // import() becomes require(): a thread compiles its bundle with node:vm (code cache, below),
    // where import() would need an experimental flag.
    supported: { 'dynamic-import': false },
    plugins: [leanUndici(MAX_HEADER_SIZE)],
  }),
  build({
    ...common,
    entryPoints: [path.join(DIST, 'workers', 'code-cache.js')],
    outfile: path.join(BUNDLED, 'code-cache.cjs'),
  }),
  // The certificate `serve --tls` makes at start: @peculiar/x509 and its ~40 modules in one
  // CommonJS file (server/tls.ts requires it, or imports the unbundled module when this step
  // did not run).
  build({
    ...common,
    entryPoints: [path.join(DIST, 'src', 'server', 'certificate.js')],
    outfile: path.join(DIST, 'src', 'server', 'bundled', 'certificate.cjs'),
  }),
]);

/**
 * Make a bundle all ASCII: a thread or the CLI reads it as latin1, a one-byte string for V8
 * (workers/code-cache.ts). esbuild already escapes non-ASCII text in strings, identifiers and
 * regular expressions (its default charset); what is left is in comments, where an escape
 * reads as well.
 */
function asciiOnly(file: string): void {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

/**
 * A stub: it loads `name` (beside it) with loadWithCodeCache and its own require (a thread never
 * loads node:module). A task stub holds the loader: a thread's second file to find, read and
 * compile cost ~0.4 ms of its start-up; the CLI's share code-cache.cjs (it loads several).
 */
async function stubText(stub: string, name: string, ownLoader: boolean): Promise<string> {
  const loader = ownLoader ? './code-cache.js' : specifier(path.dirname(stub), path.join(BUNDLED, 'code-cache.cjs'));
  const code =
    `// Made by scripts/bundle.ts: ${name} compiled with its V8 code cache (workers/code-cache.ts).\n` +
    `module.exports = require('${loader}').loadWithCodeCache(require('node:path').join(__dirname, '${name}'), require);\n`;
  if (!ownLoader) return `'use strict';\n${code}`;
  const stdin = { contents: code, resolveDir: path.join(DIST, 'workers') };
  const out = await build({ stdin, bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false });
  return out.outputFiles[0]?.text ?? '';
}

/**
 * Write `stub`, which loads `bundle` with its V8 code cache (workers/code-cache.ts), and the
 * bundle's first cache: a pool's task bundle (`task`) with its top level run, the CLI's only
 * compiled (their top level would run a command); scripts/train-code-cache.ts trains them after.
 */
async function stubAndCache(bundle: string, stub: string, task: boolean, shebang = ''): Promise<void> {
  asciiOnly(bundle);
  makeCodeCache(bundle, task);
  writeFileSync(stub, shebang + (await stubText(stub, path.basename(bundle), task)));
}

// What a pool runs for each task, what users run, and what the CLI loads lazily: stubs.
for (const name of TASKS) {
  await stubAndCache(path.join(BUNDLED, `${name}.cjs`), path.join(BUNDLED, `${name}.start.cjs`), true);
}
await stubAndCache(path.join(SRC, 'cli.bundle.cjs'), path.join(SRC, 'cli.cjs'), false, '#!/usr/bin/env node\n');
chmodSync(path.join(SRC, 'cli.cjs'), 0o755);
for (const file of lazy) await stubAndCache(file.replace(/\.js$/, '.cjs'), file.replace(/\.js$/, '.start.cjs'), false);
