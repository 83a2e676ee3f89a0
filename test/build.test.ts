/**
 * The build (docs/build.md): the program and the task files are ES module bundles in dist/app
 * that share chunks, each of our modules (and of undici and hdr-histogram-js, bundled) in exactly one of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { modulesInSeveralOutputs } from '../scripts/bundle-check.js';
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

test('the metafile check names a module that lands in two outputs, and passes one that does not', () => {
  assert.deepEqual(
    modulesInSeveralOutputs(outputs({ 'a.js': ['src/stdout.js', 'src/x.js'], 'b.js': ['src/stdout.js'] })),
    ['src/stdout.js (a.js, b.js)'],
  );
  assert.deepEqual(modulesInSeveralOutputs(outputs({ 'a.js': ['src/x.js'], 'b.js': ['src/y.js'] })), []);
});

test('dist/app: the program (executable, turning on the compile cache first) and the two task files', () => {
  const bin = path.join(APP, 'bin.js');
  assert.ok((statSync(bin).mode & 0o111) !== 0, 'bin.js is executable');
  const text = readFileSync(bin, 'utf8');
  assert.match(text, /^#!\/usr\/bin\/env node\n/);
  assert.ok(text.indexOf('enableCompileCache') < text.indexOf('import("./'), 'the cache is on before the CLI loads');
  for (const task of ['fetch-loop.js', 'flag-task.js']) assert.ok(statSync(path.join(APP, task)).isFile(), task);
});

test('dist/app: undici and hdr-histogram-js bundled once; other packages imported from node_modules', () => {
  const texts = readdirSync(APP)
    .filter((f) => f.endsWith('.js'))
    .map((f) => [f, readFileSync(path.join(APP, f), 'utf8')] as const);
  const holders = (pkg: string): string[] =>
    texts.filter(([, t]) => t.includes(`// node_modules/${pkg}/`)).map(([f]) => f);
  for (const [file, text] of texts) {
    const copied = [...text.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]);
    for (const pkg of copied) assert.ok(pkg === 'undici' || pkg === 'hdr-histogram-js', `${file} holds ${pkg}'s code`);
    assert.doesNotMatch(text, /from\s+"undici[^"]*"/, `${file} imports undici from node_modules`);
  }
  assert.ok(holders('undici').length >= 1, 'undici is bundled');
  const imports = texts.flatMap(([, t]) => [...t.matchAll(/from\s+"(piscina|commander)[^"]*"/g)]);
  assert.ok(imports.length >= 2, 'piscina and commander are imported by name');
});

test("dist/app: undici's HTTP/2 constants, copied at build time, equal this Node's node:http2 constants", () => {
  const holder = readdirSync(APP)
    .map((f) => readFileSync(path.join(APP, f), 'utf8'))
    .map((t) => /\} = (\{ "HTTP2_HEADER_AUTHORITY"[^}]*\});/.exec(t)?.[1])
    .filter((m) => m !== undefined);
  assert.equal(holder.length, 1, 'the patched constants are in one output');
  assert.deepEqual(JSON.parse(holder[0] ?? '{}'), h2ConstantsRead());
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
