/**
 * The manifest of every change the build makes to a dependency's source, and the esbuild
 * plugin that makes them (scripts/bundle.ts). The rule (docs/build.md): a dependency is
 * rewritten only where that buys at least 5 % of a start-up figure on Node 24, measured side
 * by side with and without it; each patch names the exact version it was written and measured
 * for, replaces one exact text found once, and the build fails when any of that no longer
 * holds (another version installed, the text changed, the file no longer bundled), so that a
 * patch is looked at again rather than silently applied to code it was not written for.
 */
import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One rewrite of one file of a dependency. */
export interface DependencyPatch {
  /** The package, as named in package.json `dependencies` (pinned there to `version`). */
  readonly dependency: string;
  /** The exact version the patch was written and measured for. */
  readonly version: string;
  /** The file, inside the package. */
  readonly file: string;
  /** The exact text replaced; it must occur once in the file. */
  readonly find: string;
  /** What replaces it (computed at build time). */
  readonly replace: () => string;
  /** What else of the file the stand-in relies on; a problem found fails the build. */
  readonly check?: (text: string) => string | undefined;
  /** What it changes, and why. */
  readonly why: string;
  /** The start-up gain measured side by side on Node 24, and how. */
  readonly gain: string;
}

/** The HTTP/2 constants undici's client-h2.js destructures at load, in its order. */
export const H2_CONSTANTS_READ = [
  'HTTP2_HEADER_AUTHORITY',
  'HTTP2_HEADER_METHOD',
  'HTTP2_HEADER_PATH',
  'HTTP2_HEADER_SCHEME',
  'HTTP2_HEADER_CONTENT_LENGTH',
  'HTTP2_HEADER_EXPECT',
  'HTTP2_HEADER_STATUS',
  'HTTP2_HEADER_PROTOCOL',
  'NGHTTP2_REFUSED_STREAM',
  'NGHTTP2_CANCEL',
] as const;

/** The values of H2_CONSTANTS_READ on the Node that runs the build (and the tests, which compare). */
export function h2ConstantsRead(): Record<string, string | number> {
  const { constants } = process.getBuiltinModule('node:http2');
  return Object.fromEntries(H2_CONSTANTS_READ.map((name) => [name, constants[name as keyof typeof constants]]));
}

const CLIENT_H2_LOAD = `let http2
try {
  http2 = require('node:http2')
} catch {
  // @ts-ignore
  http2 = { constants: {} }
}

const {
  constants: {
${H2_CONSTANTS_READ.map((n) => `    ${n}`).join(',\n')}
  }
} = http2
`;

/** Every patch the build applies. */
export const PATCHES: readonly DependencyPatch[] = [
  {
    dependency: 'undici',
    version: '7.30.3',
    file: 'lib/dispatcher/client-h2.js',
    find: CLIENT_H2_LOAD,
    replace: () =>
      '// flagfetch build (scripts/dependency-patches.ts): node:http2 loads when an HTTP/2 connection is made.\n' +
      "let http2 = { connect: (...args) => require('node:http2').connect(...args) }\n\n" +
      `const {\n${H2_CONSTANTS_READ.map((n) => `  ${n}`).join(',\n')}\n} = ${JSON.stringify(h2ConstantsRead())}\n`,
    check: (text) => {
      const uses = new Set([...text.matchAll(/\bhttp2\.(\w+)/g)].map((m) => m[1]));
      const other = [...uses].filter((u) => u !== 'connect' && u !== 'constants');
      return other.length === 0 ? undefined : `it uses node:http2's ${other.join(', ')}, which the stand-in lacks`;
    },
    why:
      "undici's HTTP/2 client loads node:http2 as soon as undici's Client loads, to read ten constants " +
      '(pseudo-header names and RFC 9113 error codes), even when every server speaks HTTP/1.1; on Node 24 ' +
      'that built-in is the largest single part of a pool thread coming up. The constants are copied from ' +
      'node:http2 at build time (and compared with it by test/build.test.ts on every Node the suite runs on); ' +
      'node:http2 itself loads on the first HTTP/2 connection. undici reads nothing else of node:http2 at load.',
    gain:
      'a fetch-loop pool of 2 threads up: 215 -> 145 ms, medians of 12 alternating fresh processes ' +
      '(bench/lib/thread-startup.js pool 2, Node 24.21.0, machine shared: load 6); bench/results/startup.md ' +
      'has the quiet run.',
  },
];

/** The esbuild plugin applying PATCHES, and the patches a build did not use (the build fails on any). */
export function dependencyPatches(patches: readonly DependencyPatch[] = PATCHES): {
  plugin: Plugin;
  unused: () => DependencyPatch[];
} {
  const used = new Set<DependencyPatch>();
  const plugin: Plugin = {
    name: 'dependency-patches',
    setup(build) {
      for (const patch of patches) {
        const file = `node_modules/${patch.dependency}/${patch.file}`;
        const filter = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
        build.onLoad({ filter }, (args) => {
          const installed = versionOf(patch.dependency, args.path);
          if (installed !== patch.version)
            throw new Error(
              `${patch.dependency} ${installed} is installed; its patch in scripts/dependency-patches.ts ` +
                `was written for ${patch.version}: re-measure it and update or drop it`,
            );
          const text = readFileSync(args.path, 'utf8');
          const at = text.indexOf(patch.find);
          if (at < 0 || text.indexOf(patch.find, at + 1) >= 0)
            throw new Error(`${file}: the text its patch replaces is not found exactly once`);
          const problem = patch.check?.(text);
          if (problem !== undefined) throw new Error(`${file}: ${problem}`);
          used.add(patch);
          return { contents: text.replace(patch.find, patch.replace()), loader: 'js' };
        });
      }
    },
  };
  return { plugin, unused: () => patches.filter((p) => !used.has(p)) };
}

/** The version of the installed `dependency` that `file` belongs to. */
function versionOf(dependency: string, file: string): string {
  const folder = `node_modules${path.sep}${dependency}${path.sep}`;
  const manifest = path.join(file.slice(0, file.lastIndexOf(folder) + folder.length), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
