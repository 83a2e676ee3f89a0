/**
 * Writing a command's output files (--export-json, --export-csv, …): each atomically, with
 * the folder checked before minutes of measuring. Cheap to import: no report code here.
 */
// fs.promises read when called: importing node:fs/promises loads 8 built-in modules in every download.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { RunFailure, UsageError } from '../errors.js';
import { tempPathIn, writeFileAtomic } from '../atomic-file.js';
import { printable } from '../countries.js';

/** Where the run writes its own files (--dest), so that no report path lands on one of them. */
export interface OutputContext {
  readonly dest?: string | null | undefined;
}

/**
 * Fail early (before minutes of measuring) when an output cannot be written: an empty name, a
 * folder or anything else that is not a regular file (a FIFO or a character device such as
 * /dev/stdout is written through instead), a path in --dest (the run's own files are there), a
 * folder that does not exist or where nothing can be written (checked by writing and removing
 * a temp file there, which also catches read-only file systems). `files` maps a flag to its file.
 */
export async function checkOutputFolders(
  files: Readonly<Record<string, string | undefined>>,
  context: OutputContext = {},
): Promise<void> {
  for (const [flag, file] of Object.entries(files)) {
    if (file !== undefined) await checkOutput(flag, file, context);
  }
}

async function checkOutput(flag: string, file: string, context: OutputContext): Promise<void> {
  const shown = printable(file);
  if (file.trim() === '') throw new UsageError(`${flag} '${shown}' is empty: give a file name`);
  const way = await outputWay(flag, file);
  if (way.through) return;
  const dir = path.dirname(way.file);
  const isDir = await fsp.stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new UsageError(`${flag} ${shown}: folder ${dir} does not exist; create it or choose another path`);
  await refuseInDest(flag, file, dir, context.dest);
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

/** A report file in --dest could replace a file the run writes there (a flag, colors.json): refused. */
async function refuseInDest(flag: string, file: string, dir: string, dest: string | null | undefined): Promise<void> {
  if (dest === null || dest === undefined) return;
  const real = (p: string): Promise<string> => fsp.realpath(p).catch(() => path.resolve(p));
  if ((await real(dir)) !== (await real(dest))) return;
  throw new UsageError(
    `${flag} ${printable(file)} is in --dest ${printable(dest)}, where the run writes its files: choose a path outside --dest`,
  );
}

/** The names of this process's own output streams: written through, whatever they lead to (a file too). */
const STDIO_PATH = /^\/(dev\/(stdout|stderr|fd\/\d+)|proc\/self\/fd\/\d+)$/;

/** process.stdout or process.stderr when `file` names one of them (they may be sockets, which cannot be opened by name). */
function stdioOf(file: string): NodeJS.WriteStream | undefined {
  const fd = /(\d+|stdout|stderr)$/.exec(STDIO_PATH.test(file) ? file : '')?.[1];
  if (fd === '1' || fd === 'stdout') return process.stdout;
  if (fd === '2' || fd === 'stderr') return process.stderr;
  return undefined;
}

function writeStream(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}

/**
 * How a report path is written: `through` (opened and written in place) for a FIFO or a
 * character device (/dev/stdout, a terminal), never replaced; otherwise atomically at `file`,
 * a symbolic link's target (the link stays). Anything else that exists and is not a regular
 * file (a folder, a socket, a link to nothing) is refused.
 */
async function outputWay(flag: string, file: string): Promise<{ file: string; through: boolean }> {
  const shown = printable(file);
  const link = await fsp.lstat(file).catch(() => undefined);
  if (link === undefined) return { file: path.resolve(file), through: false };
  const info = await fsp.stat(file).catch(() => undefined);
  if (info === undefined) throw new UsageError(`${flag} ${shown} is a link to nothing: give a file name`);
  if (info.isDirectory()) throw new UsageError(`${flag} ${shown} is a folder: give a file name`);
  if (info.isFIFO() || info.isCharacterDevice() || STDIO_PATH.test(file)) return { file, through: true };
  if (!info.isFile()) throw new UsageError(`${flag} ${shown} exists and is not a regular file: give a file name`);
  return { file: link.isSymbolicLink() ? await fsp.realpath(file) : path.resolve(file), through: false };
}

/**
 * Write one output: atomically, or through a FIFO or device the user named (outputWay); a path
 * that cannot be written is the user's to fix, a failed write (a full disk) fails the run.
 */
export async function writeOutput(flag: string, file: string, text: string): Promise<void> {
  try {
    const way = await outputWay(flag, file);
    const std = stdioOf(way.file);
    if (!way.through) await writeFileAtomic(way.file, text);
    else if (std !== undefined) await writeStream(std, text);
    else await fsp.writeFile(way.file, text, { flag: 'a' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new UsageError(
        `${flag} ${printable(file)}: cannot write it (${code}); check that its folder exists and is writable`,
      );
    }
    if (typeof code === 'string') throw new RunFailure(`${flag} ${printable(file)}: cannot write it (${code})`);
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
