/**
 * The whole-process commands bench/startup.ts times side by side: node itself, flagfetch's
 * start-up and downloads, the seed's Python flags2_asyncio.py and curl. Each download
 * starts from an empty folder (untimed; see emptied) and is checked afterwards: the right counts
 * printed and 194 files saved.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TimedCommand } from './interleave.js';

/** bench/lib/flags2 in the repository (the Python scripts are not compiled, so not in dist). */
const FLAGS2_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bench/lib/flags2');

/** A Python interpreter for the flags2 scripts, and whether it has httpx and tqdm (the original's imports). */
export interface Python {
  readonly exe: string;
  readonly httpx: boolean;
}

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

/** The seed's flags2_asyncio.py (when httpx is there) and the standard-library stand-in, each `-e -m 100`. */
export function pythonCommands(python: Python, url: string, tmp: string): TimedCommand[] {
  const scripts = python.httpx ? ['flags2_asyncio.py', 'flags2_asyncio_stdlib.py'] : ['flags2_asyncio_stdlib.py'];
  return scripts.map((script) => {
    const cwd = path.join(tmp, script.replace('.py', ''));
    const dir = path.join(cwd, 'downloaded');
    return {
      name: `${script} -e -m 100`,
      argv: [python.exe, path.join(FLAGS2_DIR, script), '-e', '-m', '100'],
      cwd,
      env: { FLAGS2_LOCAL_URL: url },
      prepare: () => emptied(dir),
      check: expect(dir, 194, EVERY_LINES),
    };
  });
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
