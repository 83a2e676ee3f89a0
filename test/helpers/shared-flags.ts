/**
 * Where the real flags data set is: $FLAGFETCH_FLAGS_DIR, else ../shared/flags beside the
 * repository. Tests that need it skip with a visible note when it is absent.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Absolute path of the real flags directory, or undefined when it is not on this machine. */
export const SHARED_FLAGS: string | undefined = (() => {
  const dir = process.env['FLAGFETCH_FLAGS_DIR'] ?? path.join(repoRoot, '..', 'shared', 'flags');
  return existsSync(path.join(dir, 'br', 'br.gif')) ? dir : undefined;
})();

/** Pass as node:test's `skip` option: a reason string when the real set is missing. */
export const skipWithoutSharedFlags: string | false =
  SHARED_FLAGS === undefined
    ? 'real flags set not found (set FLAGFETCH_FLAGS_DIR or put ../shared/flags beside the repo)'
    : false;

/** The repository root (tests run from dist/test/...). */
export const REPO_ROOT = repoRoot;
