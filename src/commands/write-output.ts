/**
 * Writing a command's output files (--export-json, --export-csv, …): each atomically, with
 * the folder checked before minutes of measuring. Cheap to import: no report code here.
 */
// fs.promises read when called: importing node:fs/promises loads 8 built-in modules in every download.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { tempPathIn, writeFileAtomic } from '../atomic-file.js';
import { printable } from '../countries.js';

/**
 * Fail early (before minutes of measuring) when an output cannot be written: an empty name, a
 * folder, a folder that does not exist or where nothing can be written (checked by writing and
 * removing a temp file there, which also catches read-only file systems). `files` maps a flag
 * to its file.
 */
export async function checkOutputFolders(files: Readonly<Record<string, string | undefined>>): Promise<void> {
  for (const [flag, file] of Object.entries(files)) {
    if (file !== undefined) await checkOutput(flag, file);
  }
}

async function checkOutput(flag: string, file: string): Promise<void> {
  const shown = printable(file);
  if (file.trim() === '') throw new UsageError(`${flag} '${shown}' is empty: give a file name`);
  const info = await fsp.stat(file).catch(() => undefined);
  if (info?.isDirectory() === true) throw new UsageError(`${flag} ${shown} is a folder: give a file name`);
  const dir = path.dirname(path.resolve(file));
  const isDir = await fsp.stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new UsageError(`${flag} ${shown}: folder ${dir} does not exist; create it or choose another path`);
  const probe = tempPathIn(dir);
  try {
    await fsp.writeFile(probe, '', { flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${flag} ${shown}: cannot write in ${dir} (${code}); choose another path`);
  } finally {
    await fsp.rm(probe, { force: true });
  }
}

/** Write one output atomically; a path that cannot be written is the user's to fix. */
export async function writeOutput(flag: string, file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new UsageError(`${flag} ${file}: cannot write it (${code}); check that its folder exists and is writable`);
    }
    throw err;
  }
}

/** JSON text with floats rounded to 3 decimals (no 13.004999999999999), ending with a newline. */
export function jsonText(value: unknown, indent?: number): string {
  const round = (_key: string, v: unknown): unknown =>
    typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v;
  return `${JSON.stringify(value, round, indent)}\n`;
}

/** Write each file asked for (`files[kind]`) with the text `texts[kind]()` makes, and say each path written. */
export async function writeFiles<K extends string>(
  files: Readonly<Partial<Record<K, string | undefined>>>,
  flags: Readonly<Record<K, string>>,
  texts: Readonly<Record<K, () => string>>,
  say: (line: string) => void,
): Promise<void> {
  for (const kind of Object.keys(texts) as K[]) {
    const file = files[kind];
    if (file === undefined) continue;
    await writeOutput(flags[kind], file, texts[kind]());
    say(`wrote ${file}`);
  }
}
