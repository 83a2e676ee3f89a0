/** Issue 22 §6: every input read has a size bound, whatever the file type (a device, a pipe, stdin). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { once } from 'node:events';
import { readBounded } from '../src/read-bounded.js';
import { CLI, runCli } from './helpers/run-cli.js';

test('readBounded: /dev/zero stops with EFBIG at the bound; a small file is read whole', async () => {
  await assert.rejects(readBounded('/dev/zero', 1 << 20), { code: 'EFBIG' });
  assert.equal((await readBounded('/etc/hostname', 1 << 20)).length > 0, true);
});

test('--urls /dev/zero, --ca /dev/zero, serve --cert /dev/zero: one line, EFBIG, exit 2, at once', async () => {
  const cases: [string[], RegExp][] = [
    [['--urls', '/dev/zero', '--no-save'], /^error: --urls cannot read '\/dev\/zero' \(EFBIG\)/],
    [
      ['BR', '--ca', '/dev/zero', '-s', 'https://127.0.0.1:9/flags', '--no-save'],
      /^error: --ca cannot read .*\(EFBIG\)/,
    ],
    [['bench', '--ca', '/dev/zero', '-s', 'https://127.0.0.1:9/flags'], /^error: --ca cannot read .*\(EFBIG\)/],
    [
      ['serve', '--port', '0', '--delay-port', '0', '--error-port', '0', '--cert', '/dev/zero', '--key', '/dev/zero'],
      /^error: --cert '\/dev\/zero' cannot be read \(EFBIG\)/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args, { timeoutMs: 30_000 });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('--urls - with /dev/zero on stdin: EFBIG, exit 2', async () => {
  const zero = openSync('/dev/zero', 'r');
  try {
    const child = spawn(process.execPath, [CLI, '--urls', '-', '--no-save'], { stdio: [zero, 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^error: --urls cannot read stdin \(EFBIG\)/);
  } finally {
    closeSync(zero);
  }
});
