/**
 * Issue 22 §2: a report path that exists and is not a regular file is written through (a
 * FIFO, a device, /dev/stdout) or refused before the run, never replaced; a report path in
 * --dest is refused; serve --tls --write-ca follows the same rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstat, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';
import { startServe } from './helpers/serve-process.js';
import { withServer } from './helpers/flag-server.js';
import { withTempDir } from './helpers/temp-dir.js';

/**
 * A FIFO at `file`, held open read-write and non-blocking (so a writer never waits for a
 * reader, and a test never hangs on a FIFO that was replaced); read() takes what is buffered.
 */
function makeFifo(file: string): { read(): string; close(): void } {
  execFileSync('mkfifo', [file]);
  const fd = openSync(file, constants.O_RDWR | constants.O_NONBLOCK);
  return {
    read: () => {
      const buf = Buffer.alloc(1 << 16);
      let text = '';
      for (;;) {
        let n: number;
        try {
          n = readSync(fd, buf);
        } catch {
          return text; // EAGAIN: nothing more buffered
        }
        text += buf.subarray(0, n).toString();
      }
    },
    close: () => closeSync(fd),
  };
}

test('--export-json: a FIFO and /dev/stdout are written through, a link keeps being a link', async () => {
  await withServer({}, async (s) => {
    await withTempDir(async (dir) => {
      const fifo = path.join(dir, 'pipe');
      const pipe = makeFifo(fifo);
      try {
        const r = await runCli(['BR', '-s', s.url, '--no-save', '--export-json', fifo]);
        assert.equal(r.code, 0, r.stderr);
        assert.ok((await lstat(fifo)).isFIFO(), 'still a FIFO');
        assert.equal((JSON.parse(pipe.read()) as { ok: number }).ok, 1);
      } finally {
        pipe.close();
      }

      const out = await runCli(['BR', '-s', s.url, '--no-save', '--quiet', '--export-json', '/dev/stdout']);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /"ok": 1/);

      const target = path.join(dir, 'target.json');
      await writeFile(target, 'old');
      const link = path.join(dir, 'link.json');
      await symlink(target, link);
      const viaLink = await runCli(['BR', '-s', s.url, '--no-save', '--export-json', link]);
      assert.equal(viaLink.code, 0, viaLink.stderr);
      assert.ok((await lstat(link)).isSymbolicLink(), 'the link stays a link');
      assert.equal((JSON.parse(await readFile(target, 'utf8')) as { ok: number }).ok, 1);
    });
  });
});

test('--export-json: a device is written through, never replaced (a full one fails the run in one line)', async (t) => {
  await withServer({}, async (s) => {
    await withTempDir(async (dir) => {
      const full = path.join(dir, 'full');
      try {
        execFileSync('mknod', [full, 'c', '1', '7'], { stdio: 'ignore' });
      } catch {
        t.skip('mknod needs root');
        return;
      }
      const r = await runCli(['BR', '-s', s.url, '--no-save', '--export-json', full]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^error: --export-json .*full: cannot write it \(ENOSPC\)\n$/m);
      assert.ok((await stat(full)).isCharacterDevice(), 'still the device');
    });
  });
});

test('--export-json: a socket, a link to nothing and a path in --dest are refused before the run, exit 2', async () => {
  await withTempDir(async (dir) => {
    const sock = path.join(dir, 'sock');
    const listener = net.createServer();
    await new Promise<void>((resolve) => listener.listen(sock, resolve));
    try {
      await symlink(path.join(dir, 'nowhere', 'x'), path.join(dir, 'dangling'));
      const dest = path.join(dir, 'D');
      // No server is asked: the checks come before any run.
      const base = ['BR', '-s', 'http://127.0.0.1:9/flags'];
      const cases: [string[], RegExp][] = [
        [[...base, '--no-save', '--export-json', sock], /is not a regular file/],
        [[...base, '--no-save', '--export-json', path.join(dir, 'dangling')], /is a link to nothing/],
        [
          [...base, '-o', dest, '--export-json', path.join(dest, 'br.gif')],
          /is in --dest .*choose a path outside --dest/,
        ],
        [[...base, '-o', dest, '--export-json', path.join(dest, 'colors.json'), '--work', 'decode'], /is in --dest/],
      ];
      for (const [args, message] of cases) {
        const r = await runCli(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^error: --export-json .*${message.source}`));
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      }
      assert.ok((await lstat(sock)).isSocket(), 'the socket is left alone');
    } finally {
      listener.close();
    }
  });
});

test('serve --tls --write-ca: a FIFO gets the PEM and stays a FIFO; a socket is refused, exit 2', async () => {
  await withTempDir(async (dir) => {
    const fifo = path.join(dir, 'ca-pipe');
    const pipe = makeFifo(fifo);
    const s = await startServe(['--tls', '--write-ca', fifo]);
    try {
      assert.ok((await lstat(fifo)).isFIFO(), 'still a FIFO');
      assert.match(pipe.read(), /^-----BEGIN CERTIFICATE-----/);
    } finally {
      pipe.close();
      s.child.kill('SIGTERM');
      await s.exited;
    }
    const sock = path.join(dir, 'sock');
    const listener = net.createServer();
    await new Promise<void>((resolve) => listener.listen(sock, resolve));
    try {
      const r = await runCli(
        ['serve', '--port', '0', '--delay-port', '0', '--error-port', '0', '--tls', '--write-ca', sock],
        {
          timeoutMs: 20_000,
        },
      );
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^error: --write-ca .* is not a regular file/);
      assert.ok((await lstat(sock)).isSocket());
    } finally {
      listener.close();
    }
  });
});
