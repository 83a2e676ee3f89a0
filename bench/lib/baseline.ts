/**
 * Another commit of this repository built side by side, to measure what a change costs:
 * `git archive REV` into a temp folder, the repository's node_modules linked in, tsc. Returns
 * the built cli.js, or why it could not be built (the suite then reports the target n/a).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A built copy of REV: its cli.js and the commit it came from. */
export interface BaselineBuild {
  readonly cli: string;
  readonly commit: string;
  /** The temp folder it was built in (remove it when done). */
  readonly dir: string;
}

/** The commit that added `file` (its first, when it was added more than once). */
export function commitAdding(repo: string, file: string): string {
  const added = execFileSync('git', ['log', '--diff-filter=A', '--format=%H', '--', file], {
    cwd: repo,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1);
  if (added === undefined || added === '') throw new Error(`no commit added ${file}`);
  return added;
}

/**
 * The commit before the one that added `file` (the change's first commit), or `override`
 * when given (e.g. an environment variable).
 */
export function commitBefore(repo: string, file: string, override?: string): string {
  const rev = override ?? `${commitAdding(repo, file)}^`;
  return execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], { cwd: repo, encoding: 'utf8' }).trim();
}

/** How many commits `rev..HEAD` holds: what the baseline lacks besides the change measured. */
export function commitsSince(repo: string, rev: string): number {
  return Number(execFileSync('git', ['rev-list', '--count', `${rev}..HEAD`], { cwd: repo, encoding: 'utf8' }).trim());
}

/** Build `commit` of `repo` in a temp folder; throws with git's or tsc's message when it cannot. */
export async function buildBaseline(repo: string, commit: string): Promise<BaselineBuild> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-baseline-'));
  execFileSync('bash', ['-c', `git -C "${repo}" archive "${commit}" | tar -x -C "${dir}"`], { stdio: 'pipe' });
  await symlink(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  execFileSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
    stdio: 'pipe',
  });
  // Builds since the bundling step run their CLI and task files from esbuild bundles.
  const bundle = path.join(dir, 'dist', 'scripts', 'bundle.js');
  if (existsSync(bundle)) execFileSync(process.execPath, [bundle], { cwd: dir, stdio: 'pipe' });
  // The program's file, by era: dist/app/bin.cjs (a CommonJS bundle a thread), dist/app/bin.js
  // (ES module bundles and chunks), dist/src/cli.cjs, dist/src/cli.js.
  const candidates = [
    ['app', 'bin.cjs'],
    ['app', 'bin.js'],
    ['src', 'cli.cjs'],
    ['src', 'cli.js'],
  ].map((p) => path.join(dir, 'dist', ...p));
  return { cli: candidates.find((file) => existsSync(file)) ?? '', commit, dir };
}
