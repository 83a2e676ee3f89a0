/**
 * `npm install` in a clone (package.json `prepare`, after the build): puts the clone's own
 * program on node_modules/.bin, as npm does for a dependency's `bin`. `npx flagfetch …` then
 * runs this build at once; without the link npx finds no local `flagfetch` and installs a copy
 * of the clone into its own cache, rebuilding it, before every first run.
 */
import { lstatSync, mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { CLI_FILE, PACKAGE_ROOT } from '../src/install-paths.js';

const bin = path.join(PACKAGE_ROOT, 'node_modules', '.bin');
const link = path.join(bin, 'flagfetch');
mkdirSync(bin, { recursive: true });
/** What is at `link` now: a link of ours to replace, nothing, or something else to leave alone. */
function existing(): 'link' | 'none' | 'other' {
  try {
    return lstatSync(link).isSymbolicLink() ? 'link' : 'other';
  } catch {
    return 'none';
  }
}

const found = existing();
if (found === 'link') unlinkSync(link);
if (found !== 'other') symlinkSync(path.relative(bin, CLI_FILE), link);
