/** Issue 22 §10: no refusal message echoes the password of a URL: it shows `user:***@`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { printable } from '../src/countries.js';
import { runCli } from './helpers/run-cli.js';
import { withTempDir } from './helpers/temp-dir.js';

test('printable masks the password of any URL in it, even a malformed one', () => {
  assert.equal(printable('http://ann:s3cret@h/x'), 'http://ann:***@h/x');
  assert.equal(printable('https://t0ken@h'), 'https://***@h');
  assert.equal(printable('http://ann:p@ss@[::1'), 'http://ann:***@[::1');
  assert.equal(printable('plain text, a@b.c'), 'plain text, a@b.c');
});

test('-s base and template, --urls and agent --allow refuse credentials without echoing them', async () => {
  await withTempDir(async (dir) => {
    const list = path.join(dir, 'list.txt');
    await writeFile(list, 'http://ann:s3cret@127.0.0.1:9/a.gif\n');
    for (const args of [
      ['BR', '-s', 'http://ann:s3cret@127.0.0.1:9/flags'],
      ['BR', '-s', 'http://ann:s3cret@127.0.0.1:9/{cc}.gif'],
      ['--urls', list],
      ['agent', '--queue', 'redis://127.0.0.1:9', '--allow', 'http://ann:s3cret@10.0.0.5:8001'],
    ]) {
      const r = await runCli(args, { timeoutMs: 20_000 });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /ann:\*\*\*@/, r.stderr);
      assert.doesNotMatch(r.stderr, /s3cret/);
    }
  });
});
