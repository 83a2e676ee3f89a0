/**
 * The reference docs (TypeDoc, typedoc.json): the API's entry point builds them without a
 * warning, warnings being errors there, so an undocumented export fails this test; and the same
 * settings do refuse a module with an undocumented export.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './helpers/shared-flags.js';

const TYPEDOC = path.join(REPO_ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');

/** Run typedoc with the settings in `options`, in `cwd`, writing nothing; its exit code and output. */
function typedoc(options: string, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TYPEDOC, '--options', options, '--emit', 'none'],
      { cwd, timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, output: stdout + stderr }),
    );
  });
}

test('the API reference builds without a warning: every export documented, every type it shows included', async () => {
  const { code, output } = await typedoc(path.join(REPO_ROOT, 'typedoc.json'), REPO_ROOT);
  assert.equal(code, 0, output);
  assert.doesNotMatch(output, /warning|error/i, output);
});

test('the same settings fail a module with an undocumented export', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ff-typedoc-'));
  try {
    await writeFile(
      path.join(dir, 'index.ts'),
      '/** Documented. */\nexport function documented(): number {\n  return 1;\n}\n\nexport function bare(): number {\n  return 2;\n}\n',
    );
    const compilerOptions = {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      noEmit: true,
    };
    await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }));
    const settings = JSON.parse(await readFile(path.join(REPO_ROOT, 'typedoc.json'), 'utf8')) as object;
    await writeFile(
      path.join(dir, 'typedoc.json'),
      JSON.stringify({ ...settings, entryPoints: ['index.ts'], tsconfig: 'tsconfig.json' }),
    );
    const { code, output } = await typedoc(path.join(dir, 'typedoc.json'), dir);
    assert.notEqual(code, 0, output);
    assert.match(output, /bare.*does not have any documentation/, output);
    assert.doesNotMatch(output, /documented, defined in/, output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
