/**
 * The start-up bench's Python rows: the book's scripts are found only where $FLAGS2_DIR names
 * them (never shipped), and our standard-library stand-in does the seed's job on its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFlagServer } from '../src/server/index.js';
import { bookScripts, findPython, pythonCommands, BOOK_ROW, STDLIB_ROW } from '../bench/lib/startup-commands.js';

const PYTHON = findPython();

test("the book's row needs FLAGS2_DIR with both of its files, and a python3 with httpx", async () => {
  const withHttpx = { exe: 'python3', httpx: true };
  assert.deepEqual(bookScripts(withHttpx, undefined), { missing: 'FLAGS2_DIR is not set' });
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-flags2-'));
  try {
    assert.deepEqual(bookScripts(withHttpx, dir), {
      missing: `FLAGS2_DIR (${dir}) has no flags2_asyncio.py or flags2_common.py`,
    });
    await writeFile(path.join(dir, 'flags2_asyncio.py'), '');
    await writeFile(path.join(dir, 'flags2_common.py'), '');
    assert.deepEqual(bookScripts(withHttpx, dir), { dir });
    assert.deepEqual(bookScripts(undefined, dir), { missing: 'no python3 here' });
    assert.deepEqual(bookScripts({ exe: 'python3', httpx: false }, dir), { missing: 'python3 has no httpx and tqdm' });
    const rows = (book: ReturnType<typeof bookScripts>): string[] =>
      pythonCommands(withHttpx, book, 'http://127.0.0.1:1/flags', dir).map((c) => c.name);
    assert.deepEqual(rows({ dir }), [BOOK_ROW, STDLIB_ROW]);
    assert.deepEqual(rows({ missing: 'FLAGS2_DIR is not set' }), [STDLIB_ROW]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test(
  'the standard-library stand-in fetches every code and prints the flags2 counts',
  { skip: PYTHON === undefined ? 'no python3 here' : false },
  async () => {
    const server = await startFlagServer({});
    const tmp = await mkdtemp(path.join(tmpdir(), 'flagfetch-stdlib-'));
    try {
      const [stand] = pythonCommands(PYTHON ?? { exe: 'python3', httpx: false }, { missing: '' }, server.url, tmp);
      assert.ok(stand !== undefined && stand.cwd !== undefined);
      await stand.prepare?.();
      const [exe = '', ...args] = stand.argv;
      const { stdout } = await promisify(execFile)(exe, args, { cwd: stand.cwd, encoding: 'utf8' });
      assert.match(stdout, /^Searching for 676 flags: from AA to ZZ$/m);
      assert.match(stdout, /^194 flags downloaded\.$/m);
      assert.match(stdout, /^482 not found\.$/m);
      assert.doesNotMatch(stdout, /errors?\./);
      const saved = await readdir(path.join(stand.cwd, 'downloaded'));
      assert.equal(saved.filter((f) => /^[A-Z]{2}\.gif$/.test(f)).length, 194);
      assert.equal(await stand.check?.(stdout), undefined);
    } finally {
      await server.close();
      await rm(tmp, { recursive: true, force: true });
    }
  },
);
