/**
 * What users get from the registry: the package packed (`npm pack`), installed from the
 * tarball into a fresh TypeScript project (moduleResolution nodenext, from the local npm cache
 * where it can), the examples type-checked and run there (a download with a CPU step of its own,
 * and a bench of two configurations whose verdict is printed), and the installed `flagfetch`
 * bin run against a real flag server.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { withServer } from './helpers/flag-server.js';
import { REPO_ROOT } from './helpers/shared-flags.js';

const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** Run a command in `cwd`; its output, or a failure that shows it. */
async function sh(cmd: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(cmd, [...args], { cwd, timeout: 240_000, maxBuffer: 32 * 2 ** 20 });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, {
      cause: err,
    });
  }
}

/** A fresh project with the packed tarball installed and the examples copied in. */
async function installedProject(dir: string): Promise<string> {
  const packed = JSON.parse(
    await sh(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], REPO_ROOT),
  ) as { filename: string; files: { path: string }[] }[];
  const tarball = path.join(dir, packed[0]?.filename ?? '');
  const project = path.join(dir, 'project');
  await cp(path.join(REPO_ROOT, 'examples'), path.join(project, 'examples'), {
    recursive: true,
    filter: (f) => !f.endsWith('tsconfig.json'),
  });
  await writeFile(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const compilerOptions = {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    rootDir: '.',
    outDir: 'out',
    types: ['node'],
    typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
  };
  await writeFile(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['examples'] }));
  // From the cache npm ci filled; the registry only for what is missing there.
  await sh(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], project);
  return project;
}

test('the packed package installs, type-checks and runs the examples, and its bin runs', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ff-pack-'));
  try {
    const project = await installedProject(dir);
    const installed = path.join(project, 'node_modules', 'flagfetch');
    assert.deepEqual((await readdir(installed)).filter((f) => !['README.md', 'LICENSE'].includes(f)).sort(), [
      'dist',
      'package.json',
    ]);
    await sh(process.execPath, [TSC, '-p', '.'], project);
    const examples = (await readdir(path.join(project, 'out', 'examples'))).filter((f) => f.endsWith('.js'));
    assert.ok(examples.includes('download-urls.js'), examples.join(', '));
    const out = await sh(process.execPath, [path.join('out', 'examples', 'download-urls.js')], project);
    assert.match(out, /^20 of 20 downloaded on 2 threads, 0 errors;/);
    assert.ok(examples.includes('bench-verdict.js'), examples.join(', '));
    const verdict = await sh(process.execPath, [path.join('out', 'examples', 'bench-verdict.js')], project);
    assert.match(verdict, /^loop m50 decode: \d+ requests\/s over 3 runs$/m, verdict);
    assert.match(verdict, /^workers w2 m50 \w+ decode: \d+ requests\/s over 3 runs$/m, verdict);
    // Any of the verdict's four wordings (help, within noise, cost: "ran only", too few runs).
    assert.match(
      verdict,
      /^(Worker threads|Too few runs).* workers -w 2 -m 50,? ran (only )?[\d.]+× .*the loop at -m 50/m,
      verdict,
    );
    // The installed bin's file, run with this Node (its #! line would find the system's, maybe older).
    const bin = await realpath(path.join(project, 'node_modules', '.bin', 'flagfetch'));
    await withServer({}, async (server) => {
      const json = JSON.parse(
        await sh(process.execPath, [bin, 'BR', 'FR', 'ZZ', '-s', server.url, '--no-save', '--json'], project),
      ) as {
        ok: number;
        notFound: number;
      };
      assert.deepEqual([json.ok, json.notFound], [2, 1]);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
