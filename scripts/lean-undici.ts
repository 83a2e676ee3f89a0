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
 *  - node:assert and the 4 internal modules it loads: undici only calls assert(value, message)
 *    (the build checks it), which a stand-in does, loading node:assert when an assertion
 *    fails (the AssertionError it throws then names the stand-in's line, not undici's);
 *  - llhttp's constants (~0.5 ms: character tables, method and status maps built as it
 *    loads): undici's HTTP/1.1 client reads only ERROR and TYPE (the build checks it), which
 *    it gets as data, taken from the module at build time;
 *  - llhttp's build for CPUs without WebAssembly SIMD (72 KB to parse) is required from
 *    node_modules in the rare case it is needed.
 * A rewrite that no longer finds its text fails the build (an undici upgrade changed it).
 */
import type { Plugin } from 'esbuild';
import { constants as http2Constants } from 'node:http2';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const CLIENT_H2 = /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/;
const CLIENT = /undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/;
const CLIENT_H1 = /undici[\\/]lib[\\/]dispatcher[\\/]client-h1\.js$/;
const CORE_UTIL = /undici[\\/]lib[\\/]core[\\/]util\.js$/;
const UNDICI_LIB = /undici[\\/]lib[\\/].*\.js$/;

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

/** The parts of llhttp's constants undici's HTTP/1.1 client reads, as data. */
function llhttpConstants(): string {
  const { ERROR, TYPE } = createRequire(import.meta.url)('undici/lib/llhttp/constants.js') as Record<string, object>;
  return `module.exports = ${JSON.stringify({ ERROR, TYPE })};\n`;
}

/** The require in client-h1.js that gets llhttpConstants(). */
const H1_CONSTANTS = "const constants = require('../llhttp/constants.js')";

/**
 * An undici module as the bundles have it; throws if it uses node:assert beyond assert(…), or
 * (client-h1.js) llhttp's constants beyond ERROR and TYPE.
 */
function undiciModule(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (/\bassert\.\w/.test(text)) throw new Error(`lean-undici: ${file} uses node:assert beyond assert(value, message)`);
  const other = /\bconstants\b(?!\.(ERROR|TYPE)\b)/;
  if (CLIENT_H1.test(file) && (!text.includes(H1_CONSTANTS) || other.test(text.replace(H1_CONSTANTS, '')))) {
    throw new Error(`lean-undici: ${file} uses llhttp's constants beyond ERROR and TYPE`);
  }
  return CORE_UTIL.test(file) ? rewrite(file, text, UTIL_REWRITES) : text;
}

/** The plugin; `maxHeaderSizeModule` is the built src/download/max-header-size.js. */
export function leanUndici(maxHeaderSizeModule: string): Plugin {
  return {
    name: 'lean-undici',
    setup(b) {
      b.onResolve({ filter: /^node:(http2?|assert)$/ }, (args) => {
        if (args.path === 'node:http2' && CLIENT_H2.test(args.importer)) return { path: 'http2', namespace: 'lean' };
        if (args.path === 'node:http' && CLIENT.test(args.importer)) return { path: 'http', namespace: 'lean' };
        if (args.path === 'node:assert' && UNDICI_LIB.test(args.importer)) return { path: 'assert', namespace: 'lean' };
        return undefined;
      });
      b.onResolve({ filter: /^\.\.\/llhttp\/constants\.js$/ }, (args) =>
        CLIENT_H1.test(args.importer) ? { path: 'llhttp-constants', namespace: 'lean' } : undefined,
      );
      b.onLoad({ filter: /^llhttp-constants$/, namespace: 'lean' }, () => ({
        contents: llhttpConstants(),
        loader: 'js',
      }));
      b.onLoad({ filter: /^assert$/, namespace: 'lean' }, () => ({
        contents: `module.exports = function assert(value, message) { if (!value) require('node:assert')(value, message); };\n`,
        loader: 'js',
      }));
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
      b.onLoad({ filter: UNDICI_LIB }, (args) => ({ contents: undiciModule(args.path), loader: 'js' }));
      b.onResolve({ filter: /^\.\.\/llhttp\/llhttp-wasm\.js$/ }, () => ({
        path: 'undici/lib/llhttp/llhttp-wasm.js',
        external: true,
      }));
    },
  };
}
