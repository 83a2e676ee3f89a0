/**
 * Issue 9, files and counts: a run never removes a live run's temp files; a closed stdout, a
 * second Ctrl-C and a full disk leave no temp file and end with the documented exit code;
 * checking an impossible --dest ends at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, runCli } from './helpers/run-cli.js';
import { withServer } from './helpers/flag-server.js';

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-files-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function temps(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
}

function start(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
}

/** Resolves with the first `n` lines the child writes on stdout. */
async function firstLines(child: ChildProcessWithoutNullStreams, n: number): Promise<string[]> {
  let text = '';
  for await (const chunk of child.stdout) {
    text += String(chunk);
    if (text.split('\n').length > n) break;
  }
  return text.split('\n').slice(0, n);
}

function collect(stream: NodeJS.ReadableStream): () => string {
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

/** Resolves once `predicate` holds, checked on every server request (polling the server's counters). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('a run sweeps only temp files of dead owners or older than the bound: a live run keeps its own', async () => {
  await withServer({}, async (s) => {
    await withDir(async (dest) => {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
      const live = path.join(dest, `.flagfetch-${process.pid}-aaaaaaaaaaaa.tmp`);
      const gone = path.join(dest, `.flagfetch-${dead}-bbbbbbbbbbbb.tmp`);
      const old = path.join(dest, `.flagfetch-${process.pid}-cccccccccccc.tmp`);
      await Promise.all([writeFile(live, 'x'), writeFile(gone, 'x'), writeFile(old, 'x')]);
      const hourAgo = new Date(Date.now() - 3_600_000);
      await utimes(old, hourAgo, hourAgo);
      const r = await runCli(['BR', '-s', s.url, '-o', dest, '--model', 'loop']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(existsSync(path.join(dest, 'br.gif')));
      assert.ok(existsSync(live), 'the temp file of a live process is left alone');
      assert.ok(!existsSync(gone), 'the temp file of a dead process is swept');
      assert.ok(!existsSync(old), 'a temp file older than the bound is swept');
    });
  });
});

for (const { name, args, lines, model } of [
  { name: '-a -v --repeat 50 -o D | head -3', args: ['-a', '-v', '--repeat', '50'], lines: 3, model: 'workers' },
  { name: '-a -o D | head -1', args: ['-a'], lines: 1, model: 'loop' },
]) {
  test(`stdout closed early (${name}): stops as if interrupted, no temp file, no stack trace, exit 141`, async () => {
    await withServer({ delayMs: 300 }, async (s) => {
      await withDir(async (dest) => {
        const child = start([...args, '-s', s.url, '-o', dest, '--model', model, '-m', '20']);
        const stderr = collect(child.stderr);
        const exited = once(child, 'exit');
        // A temp file of this run's: a run that stops as it should sweeps it; one that just exits leaves it.
        await writeFile(path.join(dest, `.flagfetch-${child.pid ?? 0}-eeeeeeeeeeee.tmp`), '');
        assert.equal((await firstLines(child, lines)).length, lines);
        child.stdout.destroy();
        const [code] = (await exited) as [number | null];
        assert.equal(code, 141, stderr());
        assert.doesNotMatch(stderr(), /Error|EPIPE|\n\s+at /);
        assert.deepEqual(await temps(dest), []);
      });
    });
  });
}

test('a second Ctrl-C still removes temp files (synchronously) before exiting 130', async () => {
  await withServer({ delayMs: 10_000 }, async (s) => {
    await withDir(async (dest) => {
      const child = start(['-e', '-s', s.url, '-o', dest, '-m', '4', '--model', 'loop']);
      const stderr = collect(child.stderr);
      const exited = once(child, 'exit');
      // A temp file of this run's, as a write cut short by the second Ctrl-C would leave.
      const mine = path.join(dest, `.flagfetch-${child.pid ?? 0}-dddddddddddd.tmp`);
      await writeFile(mine, '');
      await until(() => s.stats.inFlight >= 4);
      child.kill('SIGINT');
      await until(() => stderr().includes('SIGINT: stopping'));
      child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 130, stderr());
      assert.match(stderr(), /SIGINT again/);
      assert.deepEqual(await temps(dest), []);
    });
  });
});

test('a full disk: every failed save makes the run fail (exit 1) and the reason names the cause', async (t) => {
  await withDir(async (dir) => {
    const small = path.join(dir, 'small');
    await mkdir(small);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24k', 'tmpfs', small]);
    if (mounted.status !== 0) {
      t.skip('cannot mount a tmpfs here (needs root): full-disk test skipped');
      return;
    }
    try {
      await withServer({}, async (s) => {
        const r = await runCli(['-a', '-s', s.url, '-o', small, '--model', 'loop', '-m', '8']);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /^Errors: save failed: no space left on device \(ENOSPC\) ×\d+/m);
        assert.match(
          r.stderr,
          /^error: \d+ flags could not be saved \(save failed: no space left on device \(ENOSPC\)\)/m,
        );
        assert.deepEqual(await temps(small), []);
      });
    } finally {
      spawnSync('umount', [small]);
    }
  });
});

test('checking --dest ends at once either way, even where mkdir -p would spin (/proc)', async (t) => {
  if (!existsSync('/proc/self')) return t.skip('no /proc here');
  const r = await runCli(['BR', '-o', '/proc/flagfetch/x', '-s', 'http://127.0.0.1:1/flags'], { timeoutMs: 20_000 });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^error: cannot create --dest '\/proc\/flagfetch\/x' \(ENOENT\)/);
});

/** Pids of live processes whose environment holds `marker` (Linux /proc; others: none seen). */
async function processesWith(marker: string): Promise<number[]> {
  const pids = (await readdir('/proc').catch(() => [])).filter((p) => /^\d+$/.test(p));
  const found: number[] = [];
  for (const pid of pids) {
    const env = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
    if (env.includes(marker)) found.push(Number(pid));
  }
  return found;
}

for (const { name, args } of [
  { name: 'bench', args: ['bench', '--models', 'loop', '-m', '5', '--runs', '1', '--warmup', '0'] },
  { name: 'tune', args: ['tune', '--model', 'loop', '--budget', '2'] },
]) {
  test(`${name} with stdout closed: its server (over TLS) stopped, its temp dir and files swept, files written, exit 141`, async () => {
    await withDir(async (dir) => {
      // Its own TMPDIR: the CA folder of the embedded servers goes there, and marks its processes.
      const tmp = path.join(dir, 'tmp');
      await mkdir(tmp);
      const out = path.join(dir, 'out.json');
      const child = spawn(process.execPath, [CLI, ...args, '-l', '5', '--repeat', '1', '--tls', '--export-json', out], {
        stdio: 'pipe',
        env: { ...process.env, TMPDIR: tmp },
      });
      const stderr = collect(child.stderr);
      const exited = once(child, 'exit');
      child.stdout.destroy();
      const [code] = (await exited) as [number | null];
      assert.equal(code, 141, stderr());
      assert.doesNotMatch(stderr(), /Error|EPIPE|\n\s+at /);
      // Node's compile cache (turned on by the program, docs/build.md) lives in the temp folder too.
      const left = (await readdir(tmp)).filter((f) => f !== 'node-compile-cache');
      assert.deepEqual(left, [], 'the CA folder is removed');
      assert.deepEqual(await processesWith(`TMPDIR=${tmp}`), [], 'no server or run left running');
      assert.deepEqual((await readdir(dir)).sort(), ['out.json', 'tmp'], 'the file written, no temp file beside it');
    });
  });
}
