#!/usr/bin/env node
/**
 * The `flagfetch` program (package.json `bin`, bundled to dist/app/bin.cjs). It turns on Node's
 * compile cache, then loads the command line (dist/app/cli.cjs), so that everything of ours is
 * compiled after the cache is on and read from disk in later runs instead of compiled again
 * (what TypeScript's own `tsc` does). That is why this file imports nothing of ours: a module
 * it imported would be compiled before the cache, and would be a second copy beside cli.cjs's.
 * The environment variable carries the same cache to the pool's threads and to bench's child
 * runs, which Node enables before their first module. NODE_DISABLE_COMPILE_CACHE=1 turns it
 * off; NODE_COMPILE_CACHE=DIR moves it (default: a folder in the system's temporary directory).
 */
import module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

/** The oldest Node.js flagfetch runs on (package.json `engines`). */
const OLDEST = [22, 12] as const;

/** Exit code when stdout was closed early (128 + SIGPIPE), as src/stdout.ts's. */
const EXIT_STDOUT_CLOSED = 141;

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < OLDEST[0] || (major === OLDEST[0] && minor < OLDEST[1])) {
  process.stderr.write(
    `error: flagfetch needs Node.js ${OLDEST.join('.')} or later, and this is ${process.versions.node}: ` +
      'install Node.js 22 or 24, or run it from its clone with `npx flagfetch` (the clone brings its own Node)\n',
  );
  process.exit(2);
}
// `flagfetch --version` alone answers before the command line (commander and every command's
// options) loads: what scripts call to check an install should cost little more than Node.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.on('error', () => process.exit(EXIT_STDOUT_CLOSED));
  // dist/app/bin.cjs (and tsc's dist/src/bin.js) sit two folders below the package's root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${pkg.version}\n`);
} else {
  const cache = module.enableCompileCache();
  if (cache.directory !== undefined) process.env['NODE_COMPILE_CACHE'] ??= cache.directory;
  createRequire(import.meta.url)('./cli.cjs');
}
