/**
 * The build (docs/build.md): one CommonJS bundle in dist/app for each kind of thread (the
 * program's bin.cjs and cli.cjs, the pools' task files), no module of ours twice in one thread,
 * undici and hdr-histogram-js bundled, every other package loaded from node_modules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { modulesTwiceInAThread } from '../scripts/bundle-check.js';
import { dependencyPatches, h2ConstantsRead, type DependencyPatch } from '../scripts/dependency-patches.js';
import { REPO_ROOT } from './helpers/shared-flags.js';

const APP = path.join(REPO_ROOT, 'dist', 'app');

/** A metafile's outputs, from output name to the inputs it holds. */
function outputs(held: Record<string, string[]>): Pick<Metafile, 'outputs'> {
  const entries = Object.entries(held).map(([out, inputs]) => [
    out,
    { bytes: 0, imports: [], exports: [], inputs: Object.fromEntries(inputs.map((i) => [i, { bytesInOutput: 1 }])) },
  ]);
  return { outputs: Object.fromEntries(entries) as Metafile['outputs'] };
}

test('the metafile check names a module twice in one thread and an output no thread loads', () => {
  const threads = [['bin.cjs', 'cli.cjs'], ['task.cjs']];
  assert.deepEqual(
    modulesTwiceInAThread(
      outputs({ 'dist/app/bin.cjs': ['src/stdout.js'], 'dist/app/cli.cjs': ['src/stdout.js', 'src/x.js'] }),
      threads,
    ),
    ['src/stdout.js (bin.cjs, cli.cjs)'],
  );
  // The same module in two threads' files is two threads' own copies: allowed.
  assert.deepEqual(
    modulesTwiceInAThread(outputs({ 'dist/app/cli.cjs': ['src/x.js'], 'dist/app/task.cjs': ['src/x.js'] }), threads),
    [],
  );
  assert.deepEqual(modulesTwiceInAThread(outputs({ 'dist/app/new.cjs': ['src/y.js'] }), threads), [
    'new.cjs (loaded by no thread named in scripts/bundle.ts)',
  ]);
});

test('dist/app: the program (executable, turning on the compile cache first), the command line and the two task files', () => {
  const bin = path.join(APP, 'bin.cjs');
  assert.ok((statSync(bin).mode & 0o111) !== 0, 'bin.cjs is executable');
  const text = readFileSync(bin, 'utf8');
  assert.match(text, /^#!\/usr\/bin\/env node\n/);
  assert.ok(text.indexOf('enableCompileCache') < text.indexOf('"./cli.cjs"'), 'the cache is on before the CLI loads');
  assert.doesNotMatch(
    text,
    /^\/\/ (?:dist\/)?(?:src|workers)\/(?!bin\.js)/m,
    'bin.cjs holds no module of ours but itself',
  );
  assert.deepEqual(readdirSync(APP).sort(), ['bin.cjs', 'cli.cjs', 'fetch-loop.cjs', 'flag-task.cjs']);
});

test('dist/app: undici and hdr-histogram-js bundled in each file that uses them; other packages loaded from node_modules', () => {
  const texts = readdirSync(APP)
    .filter((f) => f.endsWith('.cjs'))
    .map((f) => [f, readFileSync(path.join(APP, f), 'utf8')] as const);
  const holders = (pkg: string): string[] =>
    texts.filter(([, t]) => t.includes(`// node_modules/${pkg}/`)).map(([f]) => f);
  for (const [file, text] of texts) {
    const copied = [...text.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]);
    for (const pkg of copied) assert.ok(pkg === 'undici' || pkg === 'hdr-histogram-js', `${file} holds ${pkg}'s code`);
    assert.doesNotMatch(text, /require\("undici[^"]*"\)/, `${file} loads undici from node_modules`);
  }
  assert.deepEqual(holders('undici'), ['cli.cjs', 'fetch-loop.cjs', 'flag-task.cjs'], 'undici is bundled');
  const loads = texts.flatMap(([, t]) => [...t.matchAll(/require\("(piscina|commander)"\)/g)].map((m) => m[1]));
  assert.deepEqual([...new Set(loads)].sort(), ['commander', 'piscina'], 'piscina and commander load by name');
});

test("dist/app: undici's HTTP/2 constants, copied at build time, equal this Node's node:http2 constants", () => {
  const holder = readdirSync(APP)
    .map((f) => readFileSync(path.join(APP, f), 'utf8'))
    .map((t) => /\} = (\{ "HTTP2_HEADER_AUTHORITY"[^}]*\});/.exec(t)?.[1])
    .filter((m) => m !== undefined);
  assert.equal(holder.length, 3, 'the patched constants are in each output holding undici');
  for (const copied of holder) assert.deepEqual(JSON.parse(copied), h2ConstantsRead());
});

test('a dependency patch fails the build on another version, on text not found once, and when unused', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-patch-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pkg = path.join(dir, 'node_modules', 'dep');
  await mkdir(pkg, { recursive: true });
  await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: 'dep', version: '1.0.0', main: 'a.js' }));
  await writeFile(path.join(pkg, 'a.js'), "module.exports = 'old'\n");
  await writeFile(path.join(dir, 'entry.js'), "import v from 'dep'; console.log(v);\n");
  const patch = (over: Partial<DependencyPatch>): DependencyPatch => ({
    dependency: 'dep',
    version: '1.0.0',
    file: 'a.js',
    find: "'old'",
    replace: () => "'new'",
    why: 'test',
    gain: 'test',
    ...over,
  });
  const bundle = async (p: DependencyPatch, entry = 'entry.js'): Promise<{ text: string; unused: number }> => {
    const patches = dependencyPatches([p]);
    const out = await build({
      entryPoints: [path.join(dir, entry)],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      plugins: [patches.plugin],
    });
    return { text: out.outputFiles[0]?.text ?? '', unused: patches.unused().length };
  };
  const ok = await bundle(patch({}));
  assert.match(ok.text, /"new"/);
  assert.equal(ok.unused, 0);
  await assert.rejects(bundle(patch({ version: '1.0.1' })), /dep 1\.0\.0 is installed; .*written for 1\.0\.1/);
  await assert.rejects(bundle(patch({ find: "'gone'" })), /not found exactly once/);
  await writeFile(path.join(dir, 'other.js'), 'console.log(1);\n');
  assert.equal((await bundle(patch({}), 'other.js')).unused, 1);
});
