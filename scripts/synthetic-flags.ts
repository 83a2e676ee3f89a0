/**
 * The build's third step (`npm run build`: tsc, bundle, this): the embedded server's 194
 * synthetic flags made once into dist/src/synthetic-flags.bin (src/server/synthetic-pack.ts),
 * so that no server spends ~1 ms a flag making them while it is being measured. Skipped when
 * the pack is newer than every module that makes the flags.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/atomic-file.js';
import { COUNTRY_TABLE } from '../src/country-data.js';
import { syntheticFlag } from '../src/server/synthetic-flag.js';
import { packFlags, PACK_URL } from '../src/server/synthetic-pack.js';

/** The compiled modules the flags depend on: a newer one makes the pack stale. */
const MAKERS = [
  'server/synthetic-flag.js',
  'server/gif.js',
  'server/lzw.js',
  'server/random.js',
  'server/seeded.js',
  'country-data.js',
];

const mtimeMs = (url: URL): number => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
};

const pack = fileURLToPath(PACK_URL);
const newest = Math.max(...MAKERS.map((m) => mtimeMs(new URL(`../src/${m}`, import.meta.url))));
if (mtimeMs(PACK_URL) <= newest) {
  const flags = new Map(COUNTRY_TABLE.map((row) => [row.iso, syntheticFlag(row.iso)]));
  await writeFileAtomic(pack, packFlags(flags));
}
