/**
 * The worker bundles' esbuild plugin (scripts/bundle.ts): what a pool thread need not load
 * as it starts, in undici's parts.
 *  - undici's HTTP/2 client requires node:http2 as it loads (~2 ms of each thread's start-up,
 *    for the few HTTP/2 runs): it gets a stand-in with node:http2's constants (as this Node
 *    has them) that loads node:http2 on its first connect;
 *  - node:http (~1 ms): undici's client reads only its maxHeaderSize as it loads, which it gets
 *    from src/download/max-header-size.ts; its core/util.js keeps IncomingMessage for one
 *    check in destroy(), made on the constructor's name first and against node:http's class
 *    only when the name matches (an IncomingMessage exists only once node:http is loaded);
 *  - llhttp's build for CPUs without WebAssembly SIMD (72 KB to parse) is required from
 *    node_modules in the rare case it is needed.
 * A rewrite that no longer finds its text fails the build (an undici upgrade changed it).
 */
import type { Plugin } from 'esbuild';
import { constants as http2Constants } from 'node:http2';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const CLIENT_H2 = /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/;
const CLIENT = /undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/;
const CORE_UTIL = /undici[\\/]lib[\\/]core[\\/]util\.js$/;

/** undici's core/util.js without node:http at load: [text, replacement]. */
const UTIL_REWRITES: readonly (readonly [string, string])[] = [
  ["const { IncomingMessage } = require('node:http')\n", ''],
  [
    'if (Object.getPrototypeOf(stream).constructor === IncomingMessage) {',
    'const { constructor } = Object.getPrototypeOf(stream)\n' +
      "    if (constructor?.name === 'IncomingMessage' && constructor === require('node:http').IncomingMessage) {",
  ],
];

/** `text` with each rewrite made exactly once; throws when one is not found. */
function rewrite(file: string, text: string, rewrites: readonly (readonly [string, string])[]): string {
  return rewrites.reduce((t, [from, to]) => {
    if (t.split(from).length !== 2) throw new Error(`lean-undici: ${file} no longer has ${JSON.stringify(from)}`);
    return t.replace(from, to);
  }, text);
}

/** The plugin; `maxHeaderSizeModule` is the built src/download/max-header-size.js. */
export function leanUndici(maxHeaderSizeModule: string): Plugin {
  return {
    name: 'lean-undici',
    setup(b) {
      b.onResolve({ filter: /^node:http2?$/ }, (args) => {
        if (args.path === 'node:http2' && CLIENT_H2.test(args.importer)) return { path: 'http2', namespace: 'lean' };
        if (args.path === 'node:http' && CLIENT.test(args.importer)) return { path: 'http', namespace: 'lean' };
        return undefined;
      });
      b.onLoad({ filter: /^http2$/, namespace: 'lean' }, () => ({
        contents:
          `const constants = ${JSON.stringify(http2Constants)};\n` +
          `module.exports = { constants, connect: (...args) => require('node:http2').connect(...args) };\n`,
        loader: 'js',
      }));
      b.onLoad({ filter: /^http$/, namespace: 'lean' }, () => ({
        contents:
          `const { maxHeaderSize } = require(${JSON.stringify(maxHeaderSizeModule)});\n` +
          `module.exports = { get maxHeaderSize() { return maxHeaderSize(); } };\n`,
        loader: 'js',
        resolveDir: path.dirname(maxHeaderSizeModule),
      }));
      b.onLoad({ filter: CORE_UTIL }, (args) => ({
        contents: rewrite(args.path, readFileSync(args.path, 'utf8'), UTIL_REWRITES),
        loader: 'js',
      }));
      b.onResolve({ filter: /^\.\.\/llhttp\/llhttp-wasm\.js$/ }, () => ({
        path: 'undici/lib/llhttp/llhttp-wasm.js',
        external: true,
      }));
    },
  };
}
