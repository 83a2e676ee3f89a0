/**
 * The build's third step (`npm run build`: tsc, bundle, this): the embedded server's 194
 * synthetic flags made once into dist/synthetic-flags.bin (src/server/synthetic-pack.ts),
 * so that no server spends ~1 ms a flag making them while it is being measured. Skipped when
 * the pack is newer than every module that makes the flags.
 */
import { statSync } from 'node:fs';
import { writeFileAtomic } from '../src/atomic-file.js';
import { COUNTRY_TABLE } from '../src/country-data.js';
import { syntheticFlag } from '../src/server/synthetic-flag.js';
import { packFlags, PACK_FILE } from '../src/server/synthetic-pack.js';

/** The compiled modules the flags depend on: a newer one makes the pack stale. */
const MAKERS = [
  'server/synthetic-flag.js',
  'server/gif.js',
  'server/lzw.js',
  'server/random.js',
  'server/seeded.js',
  'country-data.js',
];

const mtimeMs = (url: URL | string): number => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
};

const newest = Math.max(...MAKERS.map((m) => mtimeMs(new URL(`../src/${m}`, import.meta.url))));
if (mtimeMs(PACK_FILE) <= newest) {
  const flags = new Map(COUNTRY_TABLE.map((row) => [row.iso, syntheticFlag(row.iso)]));
  await writeFileAtomic(PACK_FILE, packFlags(flags));
}
