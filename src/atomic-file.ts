/**
 * The one atomic writer: a temp file in the destination folder, then rename over the target,
 * so readers see either the old file or the whole new one. Temp names carry the writer's pid,
 * so a sweep can tell a live run's temp files from a dead one's.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Prefix of every temp file flagfetch writes; anything else in a folder is never touched. */
export const TEMP_PREFIX = '.flagfetch-';

/** A fresh temp file name for this process, in `dir`. */
export function tempPathIn(dir: string): string {
  return path.join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

/** Write `data` to `file` atomically; the temp file is removed when anything fails. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathIn(path.dirname(path.resolve(file)));
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
