/**
 * What a flag server serves, loaded or generated once and kept in memory: the built-in
 * synthetic flags of the 194 countries, or a real flags directory (`DIR/<cc>/<cc>.gif` +
 * `metadata.json`), keyed by request path (`/flags/br/br.gif`).
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { COUNTRY_TABLE } from '../country-data.js';
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';
import { syntheticFlag } from './synthetic-flag.js';
import { readPack } from './synthetic-pack.js';

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
  return { body, contentType, etag: etagOf(body) };
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`;
}

/** A file whose body is made on first use, then kept. */
function lazyFile(make: () => Buffer, contentType: string): FlagFile {
  let body: Buffer | undefined;
  let etag: string | undefined;
  return {
    contentType,
    get body(): Buffer {
      return (body ??= make());
    },
    get etag(): string {
      return (etag ??= etagOf(this.body));
    },
  };
}

/** The metadata.json of the original site. */
function metadataJson(iso: string, country: string, tld: string, gec: string): Buffer {
  return Buffer.from(JSON.stringify({ tld_cc: tld, iso_cc: iso, country, gec_cc: gec }));
}

let synthetic: FlagContent | undefined;

/**
 * The built-in content: a synthetic GIF89a (synthetic-flag.ts) and the real metadata for each
 * of the 194 countries. The GIFs come from the pack the build made (synthetic-pack.ts); without
 * one (tsc alone), each is made when first asked for, and its first request waits for it.
 */
export function syntheticContent(): FlagContent {
  if (synthetic !== undefined) return synthetic;
  const map = new Map<string, FlagFile>();
  const packed = readPack();
  for (const row of COUNTRY_TABLE) {
    const cc = row.iso.toLowerCase();
    const made = packed?.get(row.iso);
    map.set(
      `${FLAGS_PREFIX}/${cc}/${cc}.gif`,
      lazyFile(() => made ?? syntheticFlag(row.iso), 'image/gif'),
    );
    map.set(
      `${FLAGS_PREFIX}/${cc}/metadata.json`,
      file(metadataJson(row.iso, row.country, row.tld, row.gec), 'application/json'),
    );
  }
  synthetic = map;
  return map;
}

/** The largest file `--root` serves; bigger ones are skipped with a warning. */
export const MAX_FILE_BYTES = 16 * 2 ** 20;

/**
 * Load a flags directory once. Only regular files whose real path lies inside `root` are
 * read: symlinks leading outside it are not followed. A file that cannot be served (not a
 * regular file, over MAX_FILE_BYTES, unreadable) is skipped, and `warn` gets one line naming it.
 */
export async function loadFlagDirectory(
  root: string,
  warn: (message: string) => void = () => undefined,
): Promise<FlagContent> {
  const shown = printable(root);
  const realRoot = await realpath(root).catch(() => undefined);
  if (realRoot === undefined || !(await stat(realRoot)).isDirectory()) {
    throw new UsageError(
      `--root '${shown}' is not a folder: give a flags folder laid out as DIR/<cc>/<cc>.gif (e.g. ../shared/flags)`,
    );
  }
  const entries = await readdir(realRoot).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`--root '${shown}' cannot be read (${err.code ?? 'error'}): give a readable flags folder`);
  });
  const map = new Map<string, FlagFile>();
  for (const cc of entries.filter((n) => /^[a-z]{2}$/.test(n))) {
    for (const [name, type] of [
      [`${cc}.gif`, 'image/gif'],
      ['metadata.json', 'application/json'],
    ] as const) {
      const candidate = path.join(realRoot, cc, name);
      const got = await readInside(realRoot, candidate);
      if (typeof got === 'string') warn(`--root: skipped '${cc}/${name}': ${got}`);
      else if (got !== undefined) map.set(`${FLAGS_PREFIX}/${cc}/${name}`, file(got, type));
    }
  }
  if (![...map.keys()].some((k) => k.endsWith('.gif'))) {
    throw new UsageError(`--root '${shown}' holds no flags: expected DIR/<cc>/<cc>.gif files (e.g. ../shared/flags)`);
  }
  return map;
}

/** The file's bytes; undefined when there is no such file; a reason when it exists but is not served. */
async function readInside(realRoot: string, candidate: string): Promise<Buffer | string | undefined> {
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : `cannot be read (${code ?? 'error'})`;
  }
  if (!real.startsWith(realRoot + path.sep)) return 'a link leading outside --root (not followed)';
  try {
    const info = await stat(real);
    if (!info.isFile()) return 'not a regular file';
    if (info.size > MAX_FILE_BYTES) return `${info.size} bytes, over the ${MAX_FILE_BYTES / 2 ** 20} MB limit`;
    // O_NONBLOCK: a FIFO swapped in after the stat must not block the open.
    const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const now = await handle.stat();
      if (!now.isFile() || now.size > MAX_FILE_BYTES) return 'changed while being read';
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}
