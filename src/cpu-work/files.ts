/**
 * The files the --work step leaves in --dest, written once by the main thread at the end of a
 * run, atomically: `colors.json` (decode) and `SHA256SUMS` (sha256, in the format `sha256sum -c`
 * checks). Pure formatting functions, and one writer.
 */
// fs.promises read when called: importing node:fs/promises loads 8 built-in modules in every download.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { TEMP_PREFIX, writeFileAtomic } from '../atomic-file.js';
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
  // Read, merge and rename under a lock: a run writing at the same time would otherwise
  // rename its own merge over this one's.
  await withLock(path.join(dest, LOCK_FILE), async () => {
    const earlier = await readEarlier(dest, file, kind);
    const merged: WorkRecords = {
      colors: { ...earlier.colors, ...records.colors },
      sums: { ...earlier.sums, ...records.sums },
    };
    await writeFileAtomic(file, kind === 'decode' ? colorsJson(merged) : sha256Sums(merged));
  });
  return file;
}

/** The lock runs take to merge their work files in one --dest (it holds its owner's pid). */
const LOCK_FILE = `${TEMP_PREFIX}work.lock`;
/** Longest wait for a live owner's lock before taking it anyway (a merge takes milliseconds). */
const LOCK_WAIT_MS = 10_000;

/** Run `body` holding the lock file `lock`; a lock whose owner is dead, or held too long, is taken over. */
async function withLock(lock: string, body: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await fsp.writeFile(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // An empty lock is one being written: its owner is alive.
      const owner = (await fsp.readFile(lock, 'utf8').catch(() => '')).trim();
      if ((owner !== '' && !isAlive(Number(owner))) || Date.now() > deadline) await fsp.rm(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  try {
    await body();
  } finally {
    await fsp.rm(lock, { force: true });
  }
}

/** True when a process `pid` runs (one we may not signal runs too). */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function exists(file: string): Promise<boolean> {
  return fsp.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
