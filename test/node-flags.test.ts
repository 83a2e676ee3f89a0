import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NODE_FLAGS } from '../src/node-flags.js';

const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../../package.json', import.meta.url));

test('the shebang of the CLI, npm start and the benchmarks run Node with the same flags', async () => {
  const shebang = (await readFile(CLI, 'utf8')).split('\n')[0] ?? '';
  assert.match(shebang, /^#!\/usr\/bin\/env -S node( --[\w-]+=\w+)*$/);
  assert.deepEqual(shebang.split(' ').slice(3), [...NODE_FLAGS]);
  const start = (JSON.parse(await readFile(PACKAGE, 'utf8')) as { scripts: { start: string } }).scripts.start;
  assert.equal(start, `node ${NODE_FLAGS.join(' ')} dist/src/cli.js showcase`);
});

test('Node accepts the flags: the CLI runs with them', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [...NODE_FLAGS, CLI, '--version']);
  assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
});
