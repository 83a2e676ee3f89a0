/**
 * The whole-process commands bench/startup.ts times side by side: node itself, flagfetch's
 * start-up and downloads, Fluent Python's flags2_asyncio.py (from $FLAGS2_DIR) and our
 * standard-library stand-in, and curl. Each download
 * starts from an empty folder (untimed; see emptied) and is checked afterwards: the right counts
 * printed and 194 files saved.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TimedCommand } from './interleave.js';

/** Our stand-in, bench/lib/stdlib-flags.py in the repository (Python is not compiled, so not in dist). */
const STDLIB_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bench/lib/stdlib-flags.py');

/** The book's two files the seed row needs. */
const BOOK_FILES = ['flags2_asyncio.py', 'flags2_common.py'] as const;

/** A Python interpreter, and whether it has httpx and tqdm (the book's script imports them). */
export interface Python {
  readonly exe: string;
  readonly httpx: boolean;
}

/** Where Fluent Python's flags2 scripts are ($FLAGS2_DIR), or why the book's row is left out. */
export type BookScripts = { readonly dir: string } | { readonly missing: string };

/** The book's getflags folder named by $FLAGS2_DIR, checked for the files the row runs. */
export function bookScripts(python: Python | undefined, dir = process.env['FLAGS2_DIR']): BookScripts {
  if (dir === undefined || dir === '') return { missing: 'FLAGS2_DIR is not set' };
  const absent = BOOK_FILES.filter((f) => !existsSync(path.join(dir, f)));
  if (absent.length > 0) return { missing: `FLAGS2_DIR (${dir}) has no ${absent.join(' or ')}` };
  if (python === undefined) return { missing: 'no python3 here' };
  if (!python.httpx) return { missing: `${python.exe} has no httpx and tqdm` };
  return { dir: path.resolve(dir) };
}

/**
 * Runs the book's flags2_asyncio.py as `python3 flags2_asyncio.py ARGS` would, with its LOCAL
 * server pointed at this run's: argv is [dir, url, ...args]. The book's LOCAL URL is a constant
 * in flags2_common.py, so it is set on the module before the script imports it; the script is
 * compiled from source as Python does for a main script. One line of simple statements, so
 * that the results can show the command as run.
 */
const RUN_BOOK_SCRIPT = [
  'import sys',
  'folder, url = sys.argv[1], sys.argv[2]',
  'sys.path.insert(0, folder)',
  'import flags2_common',
  "flags2_common.SERVERS['LOCAL'] = url",
  "script = folder + '/flags2_asyncio.py'",
  'sys.argv = [script] + sys.argv[3:]',
  "exec(compile(open(script).read(), script, 'exec'), {'__name__': '__main__', '__file__': script})",
].join('; ');

/** The first python3 that runs, preferring one with httpx and tqdm (Debian: python3-httpx python3-tqdm). */
export function findPython(): Python | undefined {
  const resolved = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const candidates = ['/usr/bin/python3', resolved.status === 0 ? resolved.stdout.trim() : ''].filter(Boolean);
  const runs = (exe: string, code: string): boolean => spawnSync(exe, ['-c', code], { stdio: 'ignore' }).status === 0;
  const usable = candidates.filter((exe) => runs(exe, 'pass'));
  const withHttpx = usable.find((exe) => runs(exe, 'import httpx, tqdm'));
  if (withHttpx !== undefined) return { exe: withHttpx, httpx: true };
  return usable[0] === undefined ? undefined : { exe: usable[0], httpx: false };
}

let moved = 0;

/**
 * Empty `dir` (untimed, before a run): the last run's folder is moved aside, into a folder
 * the suite removes at its end, not deleted. Deleting 194 files leaves the file system work to
 * do after (ext4 frees and discards their blocks at its next journal commit, within 5 s here),
 * which would land in the middle of the next timed runs, whichever command they are.
 */
async function emptied(dir: string): Promise<void> {
  const aside = path.join(path.dirname(dir), 'moved-aside');
  await mkdir(aside, { recursive: true });
  await rename(dir, path.join(aside, String((moved += 1)))).catch(() => undefined);
  await mkdir(dir, { recursive: true });
}

/** A check that the run printed `lines` and left `files` files in `dir`. */
function expect(dir: string, files: number, lines: readonly string[]): (stdout: string) => Promise<string | undefined> {
  return async (stdout) => {
    const missing = lines.find((l) => !stdout.includes(l));
    if (missing !== undefined) return `did not print '${missing}': ${stdout.slice(-300)}`;
    const saved = (await readdir(dir)).filter((f) => f.endsWith('.gif')).length;
    return saved === files ? undefined : `saved ${saved} files, not ${files}`;
  };
}

const EVERY_LINES = ['194 flags downloaded.', '482 not found.'];
const ALL_LINES = ['194 flags downloaded.'];

/** flagfetch's rows, for the build whose CLI is `cli` run by `node`, names prefixed with `label`. */
export function flagfetchCommands(
  cli: string,
  url: string,
  tmp: string,
  label = '',
  node = process.execPath,
): TimedCommand[] {
  const dl = (name: string, args: readonly string[], lines: readonly string[]): TimedCommand => {
    const dir = path.join(tmp, `${label}${name}`.replace(/[^a-z0-9]+/gi, '-'));
    return {
      name: `${label}${name}`,
      argv: [node, cli, ...args, '-s', url, '-o', dir],
      prepare: () => emptied(dir),
      check: expect(dir, 194, lines),
    };
  };
  return [
    { name: `${label}flagfetch --version`, argv: [node, cli, '--version'] },
    { name: `${label}flagfetch --help`, argv: [node, cli, '--help'] },
    dl('flagfetch -e', ['-e'], EVERY_LINES),
    dl('flagfetch -e --model loop', ['-e', '--model', 'loop'], EVERY_LINES),
    dl('flagfetch -a -m 100', ['-a', '-m', '100'], ALL_LINES),
    dl('flagfetch -a -m 100 --model loop', ['-a', '-m', '100', '--model', 'loop'], ALL_LINES),
  ];
}

/** Row names of the book's script and of our stand-in. */
export const BOOK_ROW = 'flags2_asyncio.py -e -m 100';
export const STDLIB_ROW = 'stdlib-flags.py -e -m 100';

/** The book's flags2_asyncio.py (when $FLAGS2_DIR has it) and our standard-library stand-in, each `-e -m 100`. */
export function pythonCommands(python: Python, book: BookScripts, url: string, tmp: string): TimedCommand[] {
  const row = (name: string, argv: string[]): TimedCommand => {
    const cwd = path.join(tmp, name.split(' ')[0]?.replace('.py', '') ?? 'python');
    const dir = path.join(cwd, 'downloaded');
    return { name, argv, cwd, prepare: () => emptied(dir), check: expect(dir, 194, EVERY_LINES) };
  };
  const args = ['-e', '-m', '100'];
  return [
    ...('dir' in book ? [row(BOOK_ROW, [python.exe, '-c', RUN_BOOK_SCRIPT, book.dir, url, ...args])] : []),
    row(STDLIB_ROW, [python.exe, STDLIB_SCRIPT, url, ...args]),
  ];
}

/** `curl --parallel --parallel-max 100` fetching the 194 flags into a folder (its URL list written once). */
export async function curlCommand(url: string, codes: readonly string[], tmp: string): Promise<TimedCommand> {
  const dir = path.join(tmp, 'curl');
  const config = path.join(tmp, 'curl-urls.txt');
  const lines = codes.map((cc) => `url = "${url}/${cc}/${cc}.gif"\noutput = "${path.join(dir, `${cc}.gif`)}"\n`);
  await writeFile(config, lines.join(''));
  return {
    name: 'curl --parallel --parallel-max 100 (194 URLs)',
    argv: ['curl', '--parallel', '--parallel-max', '100', '--silent', '--show-error', '--fail', '--config', config],
    prepare: () => emptied(dir),
    check: expect(dir, 194, []),
  };
}
