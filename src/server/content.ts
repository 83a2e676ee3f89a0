/**
 * What a flag server serves, loaded or generated once and kept in memory: the built-in
 * synthetic flags of the 194 countries, or a real flags directory (`DIR/<cc>/<cc>.gif` +
 * `metadata.json`), keyed by request path (`/flags/br/br.gif`).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { COUNTRY_TABLE } from '../country-data.js';
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';
import { draw } from './seeded.js';
import { GIF_OVERHEAD_BYTES, gifDataBytes, stripedGif } from './gif.js';

/** One file, ready to send. */
export interface FlagFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

/** Files by request path. */
export type FlagContent = ReadonlyMap<string, FlagFile>;

/** Where the flags live on the server: the original site's `/flags`. */
export const FLAGS_PREFIX = '/flags';

function file(body: Buffer, contentType: string): FlagFile {
  return { body, contentType, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"` };
}

/** The metadata.json of the original site. */
function metadataJson(iso: string, country: string, tld: string, gec: string): Buffer {
  return Buffer.from(JSON.stringify({ tld_cc: tld, iso_cc: iso, country, gec_cc: gec }));
}

/** Size of a synthetic flag: log-normal like the real set (median ≈ 9.9 KB, mean ≈ 12 KB, 1.2–36 KB). */
export function syntheticSizeBytes(cc: string): number {
  const u1 = Math.max(draw(1, 'size-a', cc, 1), 1e-9);
  const u2 = draw(1, 'size-b', cc, 1);
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.round(Math.min(36_000, Math.max(1_200, Math.exp(Math.log(8_900) + 0.62 * normal))));
}

function syntheticFlag(cc: string): Buffer {
  const target = syntheticSizeBytes(cc);
  let pixels = Math.max(6, Math.floor(((target - GIF_OVERHEAD_BYTES) * 8) / 9.1));
  while (pixels > 6 && GIF_OVERHEAD_BYTES + gifDataBytes(pixels) > target) pixels -= 6;
  const height = Math.max(2, Math.round(Math.sqrt(pixels / 1.5)));
  const width = Math.max(3, Math.floor(pixels / height));
  const colour = (i: number): [number, number, number] => {
    const v = Math.floor(draw(7, `colour${i}`, cc, 1) * 0xffffff);
    return [v >> 16, (v >> 8) & 0xff, v & 0xff];
  };
  return stripedGif(width, height, [colour(0), colour(1), colour(2)]);
}

let synthetic: FlagContent | undefined;

/** The built-in content: a synthetic GIF89a and the real metadata for each of the 194 countries. */
export function syntheticContent(): FlagContent {
  if (synthetic !== undefined) return synthetic;
  const map = new Map<string, FlagFile>();
  for (const row of COUNTRY_TABLE) {
    const cc = row.iso.toLowerCase();
    map.set(`${FLAGS_PREFIX}/${cc}/${cc}.gif`, file(syntheticFlag(row.iso), 'image/gif'));
    map.set(
      `${FLAGS_PREFIX}/${cc}/metadata.json`,
      file(metadataJson(row.iso, row.country, row.tld, row.gec), 'application/json'),
    );
  }
  synthetic = map;
  return map;
}

/**
 * Load a flags directory once. Only regular files whose real path lies inside `root` are
 * read: symlinks leading outside it are skipped, not followed.
 */
export async function loadFlagDirectory(root: string): Promise<FlagContent> {
  const shown = printable(root);
  const realRoot = await realpath(root).catch(() => undefined);
  if (realRoot === undefined || !(await stat(realRoot)).isDirectory()) {
    throw new UsageError(
      `--root '${shown}' is not a folder: give a flags folder laid out as DIR/<cc>/<cc>.gif (e.g. ../shared/flags)`,
    );
  }
  const map = new Map<string, FlagFile>();
  for (const cc of (await readdir(realRoot)).filter((n) => /^[a-z]{2}$/.test(n))) {
    for (const [name, type] of [
      [`${cc}.gif`, 'image/gif'],
      ['metadata.json', 'application/json'],
    ] as const) {
      const body = await readInside(realRoot, path.join(realRoot, cc, name));
      if (body !== undefined) map.set(`${FLAGS_PREFIX}/${cc}/${name}`, file(body, type));
    }
  }
  if (![...map.keys()].some((k) => k.endsWith('.gif'))) {
    throw new UsageError(`--root '${shown}' holds no flags: expected DIR/<cc>/<cc>.gif files (e.g. ../shared/flags)`);
  }
  return map;
}

async function readInside(realRoot: string, candidate: string): Promise<Buffer | undefined> {
  const real = await realpath(candidate).catch(() => undefined);
  if (real === undefined || !real.startsWith(realRoot + path.sep)) return undefined;
  const info = await stat(real);
  return info.isFile() ? readFile(real) : undefined;
}
