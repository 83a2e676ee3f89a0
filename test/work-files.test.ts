/**
 * Issue 22 §7, §11, §12, §14, §15: what a run leaves in --dest. A download named like a work file gets
 * a `-2` name; colors.json of a URL list is keyed by saved file name; a failed decode's latency
 * leaves the work out, as a successful one's does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { syntheticContent } from '../src/server/index.js';
import { stripedGif } from '../src/server/gif.js';
import { fileNamesFor } from '../src/targets/url-list.js';
import { parseSha256Sums } from '../src/cpu-work/files.js';
import { runCli } from './helpers/run-cli.js';
import { withServer } from './helpers/flag-server.js';
import { withTempDir } from './helpers/temp-dir.js';

/** Synthetic content plus `extra` paths, each serving Brazil's flag. */
function contentWith(
  extra: readonly string[],
): Map<string, ReturnType<typeof syntheticContent> extends ReadonlyMap<string, infer F> ? F : never> {
  const content = new Map(syntheticContent());
  const br = content.get('/flags/br/br.gif');
  assert.ok(br !== undefined);
  for (const p of extra) content.set(p, br);
  return content;
}

test('a download named colors.json or SHA256SUMS gets a -2 name; sha256sum -c passes', async (t) => {
  assert.deepEqual(fileNamesFor(['http://h/a/SHA256SUMS', 'http://h/b/colors.json', 'http://h/c/sha256sums']), [
    'SHA256SUMS-2',
    'colors-2.json',
    'sha256sums-3',
  ]);
  await withServer({ content: contentWith(['/x/SHA256SUMS', '/y/colors.json']) }, async (s) => {
    await withTempDir(async (dir) => {
      const origin = new URL(s.url).origin;
      const list = path.join(dir, 'list.txt');
      await writeFile(list, [`${origin}/x/SHA256SUMS`, `${origin}/y/colors.json`, `${s.url}/fr/fr.gif`].join('\n'));
      const dest = path.join(dir, 'D');
      const r = await runCli(['--urls', list, '-o', dest, '--work', 'sha256', '--model', 'loop']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((await readdir(dest)).sort(), ['SHA256SUMS', 'SHA256SUMS-2', 'colors-2.json', 'fr.gif']);
      const sums = await readFile(path.join(dest, 'SHA256SUMS'), 'utf8');
      assert.match(sums, /^[0-9a-f]{64} {2}SHA256SUMS-2$/m);
      try {
        execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dest, stdio: 'pipe' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') t.diagnostic('sha256sum not installed: not run');
        else throw err;
      }
    });
  });
});

test('colors.json of a URL list is keyed by the saved file name; of flags, by country code', async () => {
  await withServer({ content: contentWith(['/x/brazil.gif']) }, async (s) => {
    await withTempDir(async (dir) => {
      const origin = new URL(s.url).origin;
      const list = path.join(dir, 'list.txt');
      await writeFile(list, [`${origin}/x/brazil.gif`, `${s.url}/fr/fr.gif`].join('\n'));
      const dest = path.join(dir, 'D');
      const r = await runCli(['--urls', list, '-o', dest, '--work', 'decode', '--model', 'threads', '-w', '2']);
      assert.equal(r.code, 0, r.stderr);
      const colors = JSON.parse(await readFile(path.join(dest, 'colors.json'), 'utf8')) as object;
      assert.deepEqual(Object.keys(colors), ['brazil.gif', 'fr.gif']);
    });
  });
});

test('a failed decode: its latency leaves the work out, as a successful one does', async () => {
  const content = new Map(syntheticContent());
  const br = content.get('/flags/br/br.gif');
  assert.ok(br !== undefined);
  // Pixels for 4000×3990, then the screen and the frame said to be 4000×4000: nearly every
  // pixel is decoded before the stream runs short.
  const gif = Buffer.from(
    stripedGif(4000, 3990, [
      [0, 155, 58],
      [254, 223, 0],
      [0, 39, 118],
    ]),
  );
  gif.writeUInt16LE(4000, 8);
  const descriptor = gif.indexOf(Buffer.from([0x2c, 0, 0, 0, 0, 4000 & 0xff, 4000 >> 8]));
  assert.ok(descriptor > 0);
  gif.writeUInt16LE(4000, descriptor + 7);
  content.set('/flags/br/br.gif', { ...br, body: gif, etag: '"short"' });
  await withServer({ content }, async (s) => {
    const r = await runCli(['BR', '-s', s.url, '--no-save', '--work', 'decode', '--json', '--model', 'loop']);
    assert.equal(r.code, 1, 'nothing was downloaded');
    assert.match(r.stderr, /^error: nothing downloaded: 1 of 1 failed \(invalid image\), e\.g\. http:/);
    const json = JSON.parse(r.stdout) as { errors: number; workMs: number; latencyMs: { max: number } };
    assert.equal(json.errors, 1);
    assert.ok(json.workMs > 20, `the decode worked a while: ${json.workMs} ms`);
    assert.ok(
      json.latencyMs.max < json.workMs,
      `latency ${json.latencyMs.max} ms leaves out ${json.workMs} ms of work`,
    );
  });
});

test('a save that fails on a folder (EISDIR) says so, not "free space"', async () => {
  await withServer({}, async (s) => {
    await withTempDir(async (dest) => {
      await mkdir(path.join(dest, 'br.gif'));
      const r = await runCli(['BR', 'FR', '-s', s.url, '-o', dest, '--model', 'loop']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /^error: 1 flag could not be saved \(save failed: .*\(EISDIR\)\): a folder in --dest has the name/m,
      );
      assert.doesNotMatch(r.stderr, /free space/);
    });
  });
});

test('runs sharing a --dest: SHA256SUMS and colors.json merge by name; sha256sum -c passes', async (t) => {
  await withServer({}, async (s) => {
    await withTempDir(async (dest) => {
      const run = (codes: string[], work: string): ReturnType<typeof runCli> =>
        runCli([...codes, '-s', s.url, '-o', dest, '--work', work, '--model', 'loop']);
      for (const r of [await run(['BR', 'FR'], 'sha256'), await run(['DE', 'US'], 'sha256')])
        assert.equal(r.code, 0, r.stderr);
      const names = async (): Promise<string[]> =>
        Object.keys(parseSha256Sums(await readFile(path.join(dest, 'SHA256SUMS'), 'utf8'))).sort();
      assert.deepEqual(await names(), ['br.gif', 'de.gif', 'fr.gif', 'us.gif']);
      // A file gone from --dest leaves the list at the next run; two runs at once keep both.
      await rm(path.join(dest, 'br.gif'));
      const both = await Promise.all([run(['A'], 'sha256'), run(['C'], 'sha256')]);
      for (const r of both) assert.equal(r.code, 0, r.stderr);
      const listed = await names();
      assert.ok(!listed.includes('br.gif'));
      for (const f of ['de.gif', 'fr.gif', 'us.gif', 'ar.gif', 'cn.gif']) assert.ok(listed.includes(f), f);
      try {
        execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dest, stdio: 'pipe' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') t.diagnostic('sha256sum not installed: not run');
        else throw err;
      }
      for (const r of [await run(['BR'], 'decode'), await run(['DE'], 'decode')]) assert.equal(r.code, 0, r.stderr);
      const colors = JSON.parse(await readFile(path.join(dest, 'colors.json'), 'utf8')) as object;
      assert.deepEqual(Object.keys(colors), ['BR', 'DE']);
    });
  });
});
