/**
 * The esbuild plugins of the CLI's bundles (scripts/bundle.ts): the program's bundle requires
 * each lazily loaded module's own bundle through its stub; those bundles take in the packages a
 * run needs as it starts and leave the rest, and the certificate maker, outside.
 */
import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A path from `fromDir` to `file`, as an import specifier. */
export function specifier(fromDir: string, file: string): string {
  const rel = path.relative(fromDir, file).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * For the CLI's bundle: every module it imports lazily (what a command runs, X-run.js, and
 * the like) becomes a require of the stub of that module's own bundle, built beside it with
 * .cjs (an import() of CommonJS would start the ES module loader and lex the whole file).
 * Collects them in `lazy`.
 */
export function lazyOwnBundles(fromDir: string, lazy: Set<string>): Plugin {
  return {
    name: 'lazy-own-bundles',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const file = path.resolve(args.resolveDir, args.path);
        lazy.add(file);
        return { path: specifier(fromDir, file.replace(/\.js$/, '.start.cjs')), external: true };
      });
    },
  };
}

/**
 * For those bundles: modules loaded lazily that have a bundle of their own (below) stay
 * outside, imported from where tsc put them, so they never weigh on a command that does not
 * need them (@peculiar/x509 is ~780 KB).
 */
export function certificateOutside(srcDir: string, outDir: string): Plugin {
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

/**
 * For the CLI's bundle: commander requires node:child_process as it loads (~2 ms of every
 * command's start-up) for subcommands that are executables of their own, which flagfetch has
 * none of; it gets a stand-in that loads node:child_process if spawn is ever called.
 */
export function lazyChildProcess(): Plugin {
  return {
    name: 'lazy-child-process',
    setup(b) {
      b.onResolve({ filter: /^node:child_process$/ }, (args) =>
        /commander[\\/]lib[\\/]command\.js$/.test(args.importer)
          ? { path: 'node:child_process', namespace: 'lazy-child-process' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
        contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };\n",
        loader: 'js',
      }));
    },
  };
}

/**
 * For the CLI's lazy bundles, which take Piscina in: Piscina starts its threads on its own
 * worker.js, found beside its index.js; bundled, it is found in node_modules instead. A Piscina
 * whose text differs fails the build (an upgrade changed it).
 */
export function piscinaWorkerFile(): Plugin {
  const from = "(0, node_path_1.resolve)(__dirname, 'worker.js')";
  return {
    name: 'piscina-worker-file',
    setup(b) {
      b.onLoad({ filter: /piscina[\\/]dist[\\/]index\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(from)) throw new Error(`piscina-worker-file: '${from}' not found in ${args.path}`);
        return {
          contents: text.replace(
            from,
            "(0, node_path_1.resolve)((0, node_path_1.dirname)(require.resolve('piscina')), 'worker.js')",
          ),
          loader: 'js',
        };
      });
    },
  };
}

/** Packages the CLI's lazy bundles take in (their code then comes with the bundle's code cache). */
const INLINED_PACKAGES = /^(undici|hdr-histogram-js|piscina)(\/|$)/;

/**
 * For the CLI's lazy bundles: packages stay outside, loaded from node_modules as published
 * (BullMQ finds its Lua scripts beside itself), except what a run needs as it starts: the
 * client's parts of undici, the HDR histogram class and Piscina (piscinaWorkerFile).
 */
export function packagesOutside(): Plugin {
  return {
    name: 'packages-outside',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith('node:') || INLINED_PACKAGES.test(args.path)
          ? undefined
          : { path: args.path, external: true },
      );
    },
  };
}
