/**
 * Saving flags: atomic writes (a temp file in the destination, then rename), file names the
 * server cannot choose, and the destination check done before a run starts.
 */
import { constants } from 'node:fs';
import { access, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';
import { TEMP_PREFIX, writeFileAtomic } from '../atomic-file.js';

/** Longest country part of a `--names` file name, in characters. */
const MAX_NAME_CHARS = 80;

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
  return country
    .normalize('NFC')
    .replace(/\s+/gu, '_')
    .replace(/[^\p{L}\p{N}_\-.'(),]/gu, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.\-_]+/, '')
    .slice(0, MAX_NAME_CHARS);
}

/** Write `data` to `dir/name` atomically; `name` must be a plain file name. */
export async function saveAtomic(dir: string, name: string, data: Uint8Array): Promise<void> {
  if (name.includes('/') || name.includes('\\') || name === '.' || name === '..')
    throw new Error(`unsafe file name: ${printable(name)}`);
  await writeFileAtomic(path.join(dir, name), data);
}

/** Remove temp files left by writes that were cut short (a worker that died mid-write). */
export async function removeStaleTemps(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const stale = names.filter((n) => n.startsWith(TEMP_PREFIX) && n.endsWith('.tmp'));
  await Promise.all(stale.map((n) => rm(path.join(dir, n), { force: true })));
  return stale.length;
}

/**
 * Make sure `dir` can take the flags before the run starts: create it when missing;
 * UsageError when it is a file or not writable.
 */
export async function checkDestination(dir: string): Promise<void> {
  const shown = printable(dir);
  const info = await stat(dir).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) {
    throw new UsageError(`--dest '${shown}' is a file, not a folder: choose a folder, or --no-save`);
  }
  if (info === undefined) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new UsageError(
        `cannot create --dest '${shown}' (${codeOf(err)}): choose a folder you can write to, or --no-save`,
      );
    }
  }
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`--dest '${shown}' is not writable: choose a folder you can write to, or --no-save`);
  }
}

function codeOf(err: unknown): string {
  return err instanceof Error && 'code' in err ? String(err.code) : 'error';
}
