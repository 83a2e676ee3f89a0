/**
 * The one atomic writer: a temp file in the destination folder, then rename over the target,
 * so readers see either the old file or the whole new one. Temp names carry the writer's pid,
 * so a sweep can tell a live run's temp files from a dead one's.
 */
import { rename, rm, writeFile } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';

/** Prefix of every temp file flagfetch writes; anything else in a folder is never touched. */
export const TEMP_PREFIX = '.flagfetch-';

// The callback API, promisified: node:fs/promises loads 8 more built-in modules in every thread.
const writeFileAsync = promisify(writeFile);
const renameAsync = promisify(rename);
const rmAsync = promisify(rm);

/** A fresh temp file name for this process, in `dir`. */
export function tempPathIn(dir: string): string {
  return path.join(dir, `${TEMP_PREFIX}${process.pid}-${randomHex()}.tmp`);
}

/**
 * 12 random hex digits. The temp is opened with O_EXCL ('wx'), which refuses any existing name,
 * links included: the name need only be unlikely, not secret, so Math.random serves, and no
 * thread that saves files loads node:crypto (and the built-in modules under it) for it.
 */
function randomHex(): string {
  return Math.floor(Math.random() * 2 ** 48)
    .toString(16)
    .padStart(12, '0');
}

/** Write `data` to `file` atomically; the temp file is removed when anything fails. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathIn(path.dirname(path.resolve(file)));
  try {
    await writeFileAsync(temp, data, { flag: 'wx' });
    await renameAsync(temp, file);
  } catch (err) {
    await rmAsync(temp, { force: true });
    throw err;
  }
}
