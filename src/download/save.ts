/**
 * Saving flags: atomic writes (a temp file in the destination, then rename), file names the
 * server cannot choose, and the destination check done before a run starts.
 */
import { access, constants, mkdir, readdir, readdirSync, rm, rmSync, stat } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';
import { fileNameChars } from '../targets/url-list.js';
import { TEMP_PREFIX, writeFileAtomic } from '../atomic-file.js';

/** Longest country part of a `--names` file name, in UTF-16 units (cut on a grapheme boundary). */
const MAX_NAME_CHARS = 80;

/**
 * node:fs's callback API, promisified: importing node:fs/promises loads more built-in modules
 * (readline's among them) into every download's start-up and every pool thread's.
 */
const fsp = {
  access: promisify(access),
  mkdir: promisify(mkdir),
  readdir: promisify(readdir),
  rm: promisify(rm),
  stat: promisify(stat),
};

/**
 * The file name of a flag: `<cc>.gif` (lower case, as on the server), or with `--names`
 * `<Country_Name>-<CC>.gif` as flags3 did. The country name comes from the server and is
 * sanitised: no separators, no `..`, no control characters, bounded length.
 */
export function flagFileName(cc: string, country?: string): string {
  const code = cc.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) throw new Error(`not a country code: ${printable(cc)}`);
  if (country === undefined) return `${code.toLowerCase()}.gif`;
  const safe = sanitiseName(country);
  return safe === '' ? `${code}.gif` : `${safe}-${code}.gif`;
}

/** A country name as a safe file-name part: letters, digits, `_`, `-`, `.`, `'`, `(`, `)`, `,`. */
export function sanitiseName(country: string): string {
  return cutAtGrapheme(fileNameChars(country), MAX_NAME_CHARS);
}

/** The longest start of `text` of at most `max` UTF-16 units that ends on a grapheme boundary. */
export function cutAtGrapheme(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { index, segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** Write `data` to `dir/name` atomically; `name` must be a plain file name. */
export async function saveAtomic(dir: string, name: string, data: Uint8Array): Promise<void> {
  if (name.includes('/') || name.includes('\\') || name === '.' || name === '..')
    throw new Error(`unsafe file name: ${printable(name)}`);
  await writeFileAtomic(path.join(dir, name), data);
}

/** A temp file older than this is swept whoever owns it (a live run's lasts milliseconds). */
export const STALE_TEMP_MS = 10 * 60_000;

/**
 * Remove temp files left by writes that were cut short (a worker that died mid-write): this
 * process's own, those of processes no longer alive, and any older than STALE_TEMP_MS. A live
 * run's temp files in the same folder are left alone. Returns how many were removed.
 */
export async function removeStaleTemps(dir: string, nowMs = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0;
  }
  const stale: string[] = [];
  for (const name of names.filter(isTempName)) {
    const owner = ownerOf(name);
    if (owner === process.pid || (owner !== undefined && !isAlive(owner))) stale.push(name);
    else {
      const info = await fsp.stat(path.join(dir, name)).catch(() => undefined);
      if (info !== undefined && nowMs - info.mtimeMs > STALE_TEMP_MS) stale.push(name);
    }
  }
  await Promise.all(stale.map((n) => fsp.rm(path.join(dir, n), { force: true })));
  return stale.length;
}

/** Remove this process's temp files in `dir` at once (a second Ctrl-C, just before exiting). */
export function removeOwnTempsSync(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (isTempName(name) && ownerOf(name) === process.pid) rmSync(path.join(dir, name), { force: true });
  }
}

function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX) && name.endsWith('.tmp');
}

/** The pid in a temp file's name (`.flagfetch-<pid>-<hex>.tmp`), if any. */
function ownerOf(name: string): number | undefined {
  const m = /^(\d+)-/.exec(name.slice(TEMP_PREFIX.length));
  return m === null ? undefined : Number(m[1]);
}

/** True when a process with this pid exists (even one we may not signal). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * Make sure `dir` can take the flags before the run starts: create it when missing;
 * UsageError when it is a file or not writable.
 */
export async function checkDestination(dir: string): Promise<void> {
  const shown = printable(dir);
  const info = await fsp.stat(dir).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) {
    throw new UsageError(`--dest '${shown}' is a file, not a folder: choose a folder, or --no-save`);
  }
  if (info === undefined) {
    try {
      await makeFolders(dir);
    } catch (err) {
      throw new UsageError(
        `cannot create --dest '${shown}' (${codeOf(err)}): choose a folder you can write to, or --no-save`,
      );
    }
  }
  try {
    await fsp.access(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`--dest '${shown}' is not writable: choose a folder you can write to, or --no-save`);
  }
}

/**
 * `mkdir -p`, one level at a time from the nearest folder that exists. (Node's recursive
 * mkdir loops forever on some paths, such as /proc/x: it retries the parent while the kernel
 * keeps answering ENOENT.)
 */
async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    if ((await fsp.stat(p).catch(() => undefined)) !== undefined) break;
    missing.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const p of missing) {
    await fsp.mkdir(p).catch((err: unknown) => {
      if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
    });
  }
}

function codeOf(err: unknown): string {
  return err instanceof Error && 'code' in err ? String(err.code) : 'error';
}
