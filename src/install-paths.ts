/**
 * Where the installed package keeps its files, found from its root (the folder holding
 * flagfetch's package.json), so that the same paths hold from tsc's output (dist/src/…, what
 * tests import) and from the bundles (dist/app/…, what users run).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above `from` holding a package.json (flagfetch's own: dist/ has none). */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`flagfetch: no package.json above ${from}`);
  }
}

/** The package's root folder. */
export const PACKAGE_ROOT = packageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The program users run (package.json `bin`): the bundle of src/bin.ts. */
export const CLI_FILE = path.join(PACKAGE_ROOT, 'dist', 'app', 'bin.cjs');

/** A pool's task file (`fetch-loop`, `flag-task`): the bundle of workers/<name>.ts. */
export function taskFile(name: string): string {
  return path.join(PACKAGE_ROOT, 'dist', 'app', `${name}.cjs`);
}

/** The embedded server's synthetic flags, made at build time (scripts/synthetic-flags.ts). */
export const PACK_FILE = path.join(PACKAGE_ROOT, 'dist', 'synthetic-flags.bin');

/** The package's version, from its package.json. */
export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return version;
}
