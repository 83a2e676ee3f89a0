/**
 * The build's second step (`npm run build`: tsc, then this): each Piscina task file
 * (dist/workers/fetch-loop.js, flag-task.js) with everything it imports — our modules,
 * undici's parts, the HDR histogram class — bundled by esbuild into one CommonJS file,
 * dist/workers/bundled/<name>.cjs, which is what the pools load (models/pool.ts taskFile).
 * A thread then reads and compiles one file instead of resolving and loading ~60 ES and
 * CommonJS modules, and loads only what its task runs (measured in bench/startup.ts).
 * Also the certificate maker of `serve --tls` (below).
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The task files the pools run, by base name. */
const TASKS = ['fetch-loop', 'flag-task'];

await build({
  entryPoints: TASKS.map((name) => path.join(DIST, 'workers', `${name}.js`)),
  outdir: path.join(DIST, 'workers', 'bundled'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // import.meta.url does not exist in CommonJS: the bundle's own URL stands in (undici-parts
  // resolves the lazily loaded Agent from it, and node_modules is found from there).
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
});

// The certificate `serve --tls` makes at start: @peculiar/x509 and its ~40 modules in one ES
// module (server/tls.ts loads it, or the unbundled module when this step did not run).
await build({
  entryPoints: [path.join(DIST, 'src', 'server', 'certificate.js')],
  outfile: path.join(DIST, 'src', 'server', 'bundled', 'certificate.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
