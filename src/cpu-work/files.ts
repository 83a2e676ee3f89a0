/**
 * The files the --work step leaves in --dest, written once by the main thread at the end of a
 * run, atomically: `colors.json` (decode) and `SHA256SUMS` (sha256, in the format `sha256sum -c`
 * checks). Pure formatting functions, and one writer.
 */
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import type { WorkKind } from './kind.js';
import { WORK_FILES } from '../targets/url-list.js';
import type { WorkRecords } from './step.js';

/** File name of the decode step's results. */
export const COLORS_FILE = WORK_FILES.colors;
/** File name of the sha256 step's results. */
export const SUMS_FILE = WORK_FILES.sums;

/** colors.json: one entry per key, keys sorted, two-space indent. */
export function colorsJson(records: WorkRecords): string {
  const sorted = Object.fromEntries(Object.entries(records.colors).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/**
 * SHA256SUMS as GNU sha256sum writes it: `<hex>  <name>` per file, sorted by name; a name
 * holding a backslash or a newline is escaped and its line starts with a backslash.
 */
export function sha256Sums(records: WorkRecords): string {
  return Object.keys(records.sums)
    .sort()
    .map((name) => {
      const sum = records.sums[name] ?? '';
      if (!/[\\\n\r]/.test(name)) return `${sum}  ${name}\n`;
      const escaped = name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
      return `\\${sum}  ${escaped}\n`;
    })
    .join('');
}

/**
 * Write the file `kind` leaves in `dest` (none for none and spin); returns the path written,
 * or undefined. Throws the file system's error when it cannot be written.
 */
export async function writeWorkFiles(dest: string, kind: WorkKind, records: WorkRecords): Promise<string | undefined> {
  if (kind === 'decode') {
    const file = path.join(dest, COLORS_FILE);
    await writeFileAtomic(file, colorsJson(records));
    return file;
  }
  if (kind === 'sha256') {
    const file = path.join(dest, SUMS_FILE);
    await writeFileAtomic(file, sha256Sums(records));
    return file;
  }
  return undefined;
}
