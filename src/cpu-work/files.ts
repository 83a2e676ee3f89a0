/**
 * The files the --work step leaves in --dest, written once by the main thread at the end of a
 * run, atomically: `colors.json` (decode) and `SHA256SUMS` (sha256, in the format `sha256sum -c`
 * checks). Pure formatting functions, and one writer.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { readBounded } from '../read-bounded.js';
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

/** The sums a SHA256SUMS text lists, by file name (lines sha256sum would not read are left out). */
export function parseSha256Sums(text: string): Record<string, string> {
  const sums: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(\\?)([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m === null) continue;
    const name = m[1] === '' ? (m[3] ?? '') : (m[3] ?? '').replace(/\\(.)/g, (_e, c: string) => UNESCAPE[c] ?? c);
    sums[name] = m[2] ?? '';
  }
  return sums;
}

const UNESCAPE: Readonly<Record<string, string>> = { n: '\n', r: '\r', '\\': '\\' };

/**
 * Write the file `kind` leaves in `dest` (none for none and spin), merged by name with what an
 * earlier run left there (SHA256SUMS keeps only files still in `dest`, so `sha256sum -c` passes);
 * returns the path written, or undefined. Throws the file system's error when it cannot be written.
 */
export async function writeWorkFiles(dest: string, kind: WorkKind, records: WorkRecords): Promise<string | undefined> {
  if (kind !== 'decode' && kind !== 'sha256') return undefined;
  const file = path.join(dest, kind === 'decode' ? COLORS_FILE : SUMS_FILE);
  // Another run may write the file between this one's read and rename: read again, and merge
  // again until this run's entries are all there.
  for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt += 1) {
    const earlier = await readEarlier(dest, file, kind);
    const merged: WorkRecords = {
      colors: { ...earlier.colors, ...records.colors },
      sums: { ...earlier.sums, ...records.sums },
    };
    await writeFileAtomic(file, kind === 'decode' ? colorsJson(merged) : sha256Sums(merged));
    if (holds(await readEarlier(dest, file, kind), records)) break;
  }
  return file;
}

/** Tries at merging with a run that writes the same file at the same time. */
const MERGE_ATTEMPTS = 5;

/** What `file` holds now (nothing when it is missing or unreadable); sums of files gone from `dest` left out. */
async function readEarlier(dest: string, file: string, kind: 'decode' | 'sha256'): Promise<WorkRecords> {
  const text = await readBounded(file).then(
    (b) => b.toString('utf8'),
    () => '',
  );
  if (kind === 'decode') {
    try {
      const colors = JSON.parse(text) as unknown;
      return { colors: isObject(colors) ? (colors as WorkRecords['colors']) : {}, sums: {} };
    } catch {
      return { colors: {}, sums: {} };
    }
  }
  const sums = parseSha256Sums(text);
  const present = await Promise.all(Object.keys(sums).map((name) => exists(path.join(dest, name))));
  Object.keys(sums).forEach((name, i) => {
    if (present[i] !== true) delete sums[name];
  });
  return { colors: {}, sums };
}

/** True when `now` holds every entry of `mine` (colours by key, sums by name and value). */
function holds(now: WorkRecords, mine: WorkRecords): boolean {
  return (
    Object.keys(mine.colors).every((k) => k in now.colors) &&
    Object.entries(mine.sums).every(([name, sum]) => now.sums[name] === sum)
  );
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
