#!/usr/bin/env node
/**
 * The `flagfetch` program (package.json `bin`). It turns on Node's compile cache first, so that
 * every module loaded after this one reads the code V8 compiled in an earlier run from disk
 * instead of compiling it again (what TypeScript's own `tsc` does); the environment variable
 * carries the same cache to the pool's threads and to bench's child runs, which Node enables
 * before their first module. NODE_DISABLE_COMPILE_CACHE=1 turns it off; NODE_COMPILE_CACHE=DIR
 * moves it (default: a folder in the system's temporary directory).
 */
import module from 'node:module';
import { packageVersion } from './install-paths.js';
import { guardStdout } from './stdout.js';

/** The oldest Node.js flagfetch runs on (package.json `engines`). */
const OLDEST = [22, 12] as const;

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
  guardStdout();
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const cache = module.enableCompileCache();
  if (cache.directory !== undefined) process.env['NODE_COMPILE_CACHE'] ??= cache.directory;
  await import('./cli.js');
}
