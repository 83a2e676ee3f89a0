/**
 * The build's second step (`npm run build`: tsc, then this), with esbuild:
 *  - dist/src/cli.cjs, the program users run (package.json `bin`): cli.ts with commander and
 *    every command's flags in one CommonJS file, so `--version` and `--help` read one file and
 *    never start Node's ES module loader. What a command runs (its X-run.js) and every other
 *    dynamic import stay out of it, loaded from dist/src as built by tsc when needed;
 *  - dist/workers/bundled/<task>.cjs for each Piscina task file (fetch-loop, flag-task), with
 *    everything it imports (our modules, undici's parts, the HDR histogram class): a thread
 *    reads and compiles one file instead of resolving and loading ~60 modules (measured in
 *    bench/startup.ts);
 *  - the certificate maker of `serve --tls` (below).
 * The first two are CommonJS: import.meta.url becomes the bundle's own URL (same folder depth
 * as the file it stands for, so relative paths still hold).
 */
import { build, type Plugin } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Leave every relative dynamic import out of the bundle, its path rewritten from the bundle's folder. */
function lazyImportsOutside(outDir: string): Plugin {
  return {
    name: 'lazy-imports-outside',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const rel = path.relative(outDir, path.resolve(args.resolveDir, args.path)).split(path.sep).join('/');
        return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
      });
    },
  };
}

await Promise.all([
  build({
    ...common,
    entryPoints: [path.join(DIST, 'src', 'cli.js')],
    outfile: path.join(DIST, 'src', 'cli.cjs'),
    plugins: [lazyImportsOutside(path.join(DIST, 'src'))],
  }),
  build({
    ...common,
    entryPoints: TASKS.map((name) => path.join(DIST, 'workers', `${name}.js`)),
    outdir: path.join(DIST, 'workers', 'bundled'),
    outExtension: { '.js': '.cjs' },
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
