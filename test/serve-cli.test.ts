import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { Agent, request } from 'undici';
import { CLI, runCli } from './helpers/run-cli.js';
import { ON_FREE_PORTS, startServe as serve } from './helpers/serve-process.js';
import { SHARED_FLAGS, skipWithoutSharedFlags } from './helpers/shared-flags.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isPortOpen, startEmbeddedServers } from '../src/server/embedded.js';

test('serve prints three URLs that answer, and SIGTERM stops it promptly with keep-alive connections open', async () => {
  const s = await serve();
  const agent = new http.Agent({ keepAlive: true });
  try {
    const ok = await request(`${s.urls.LOCAL}/br/br.gif`);
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['content-type'], 'image/gif');
    await ok.body.arrayBuffer();
    const missing = await request(`${s.urls.LOCAL}/zz/zz.gif`);
    assert.equal(missing.statusCode, 404);
    await missing.body.dump();
    const t0 = performance.now();
    const delayed = await request(`${s.urls.DELAY}/br/br.gif`);
    await delayed.body.dump();
    assert.ok(performance.now() - t0 >= 48);
    await new Promise<void>((resolve) =>
      http.get(`${s.urls.LOCAL}/cn/cn.gif`, { agent }, (res) => res.resume().on('end', resolve)),
    );
  } finally {
    const t0 = performance.now();
    s.child.kill('SIGTERM');
    assert.equal(await s.exited, 0);
    assert.ok(performance.now() - t0 < 3000);
    agent.destroy();
  }
});

test('serve --root serves the real bytes', { skip: skipWithoutSharedFlags }, async () => {
  const s = await serve(['--root', SHARED_FLAGS ?? '']);
  try {
    const res = await request(`${s.urls.LOCAL}/br/br.gif`);
    assert.deepEqual(
      Buffer.from(await res.body.arrayBuffer()),
      await readFile(path.join(SHARED_FLAGS ?? '', 'br', 'br.gif')),
    );
  } finally {
    s.child.kill('SIGTERM');
    await s.exited;
  }
});

test('serve: a port in use, a missing --root, a bad --fault are one line and exit 2', async () => {
  const s = await serve();
  try {
    const port = new URL(s.urls.LOCAL).port;
    for (const args of [
      ['--port', port],
      ['--root', '/nonexistent/flags'],
      ['--fault', 'bogus'],
      ['--error-rate', '2'],
      ['--port', '70000'],
    ]) {
      const r = await runCli(
        [
          'serve',
          '--host',
          '127.0.0.1',
          '--delay-port',
          '0',
          '--error-port',
          '0',
          ...(args[0] === '--port' ? [] : ['--port', '0']),
          ...args,
        ],
        { timeoutMs: 20_000 },
      );
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^error: [^\n]+\n$/, args.join(' '));
    }
  } finally {
    s.child.kill('SIGTERM');
    await s.exited;
  }
});

test('embedded servers run in a child process on free ports and stop', async () => {
  const servers = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, delayMs: 20 });
  const port = Number(new URL(servers.urls.LOCAL).port);
  try {
    const res = await request(`${servers.urls.LOCAL}/br/br.gif`);
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    assert.equal(await isPortOpen('localhost', port), true);
  } finally {
    await servers.stop();
  }
  assert.equal(await isPortOpen('localhost', port), false);
});

test('serve --host: empty is refused; a non-loopback address prints one warning line', async () => {
  for (const host of ['', '  ']) {
    const r = await runCli(['serve', '--host', host, '--port', '0', '--delay-port', '0', '--error-port', '0'], {
      timeoutMs: 20_000,
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: --host must not be empty[^\n]*\n$/);
  }
  // 192.0.2.1 (TEST-NET-1) is on no machine: the warning comes first, then listening fails; nothing ever listens off loopback.
  const r = await runCli(['serve', '--host', '192.0.2.1', '--port', '0', '--delay-port', '0', '--error-port', '0'], {
    timeoutMs: 20_000,
  });
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 2, r.stderr);
  assert.match(
    lines[0] ?? '',
    /^warning: --host 192\.0\.2\.1 is not a loopback address: the flag servers .* reachable from the network$/,
  );
  assert.match(lines[1] ?? '', /^error: cannot listen on 192\.0\.2\.1/);
  const quiet = await serve(['--max-connections', '50']);
  quiet.child.kill('SIGTERM');
  assert.equal(await quiet.exited, 0);
});

test('serve: a port in use is one line naming the port and the flag that frees it, exit 2 (one process or a cluster)', async () => {
  const blocker = http.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = String((blocker.address() as { port: number }).port);
  try {
    for (const processes of ['1', '2']) {
      const r = await runCli(
        ['serve', '--processes', processes, '--host', '127.0.0.1', '--port', '0', '--error-port', '0'].concat([
          '--delay-port',
          port,
        ]),
        { timeoutMs: 20_000 },
      );
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `error: port ${port} is in use on 127.0.0.1 (use --delay-port 0 or another port)\n`);
    }
  } finally {
    blocker.close();
  }
});

test('serve --seed: two download runs get the same answers (each run names itself in x-flagfetch-run, threads included)', async () => {
  const s = await serve(['--seed', '7', '--delay', '0']);
  try {
    const answers = async (model: string): Promise<string[]> => {
      const r = await runCli(['-a', '-s', s.urls.ERROR, '--model', model, '--no-save', '--retries', '0', '-v']);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout
        .split('\n')
        .filter((line) => /^[A-Z]{2} /.test(line))
        .sort();
    };
    const first = await answers('workers');
    const second = await answers('workers');
    const third = await answers('loop');
    assert.equal(first.length, 194);
    assert.ok(
      first.some((line) => / error: HTTP 50\d/.test(line)),
      'the ERROR server answered some with 5xx',
    );
    assert.deepEqual(second, first);
    assert.deepEqual(third, first);
  } finally {
    s.child.kill('SIGTERM');
    await s.exited;
  }
});

test('serve --processes 2: a missing --root or a port in use is one error line and exit 2, at once (no worker left waiting); with --tls every process presents the one certificate', async () => {
  const blocker = http.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = String((blocker.address() as { port: number }).port);
  try {
    for (const args of [
      ['--root', '/nonexistent/flags', '--port', '0'],
      ['--port', port],
    ]) {
      const r = await runCli(
        ['serve', '--processes', '2', '--host', '127.0.0.1', '--delay-port', '0', '--error-port', '0', ...args],
        { timeoutMs: 20_000 },
      );
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^error: [^\n]+\n$/, args.join(' '));
      assert.equal(r.stdout, '');
    }
  } finally {
    blocker.close();
  }
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-cluster-tls-'));
  const ok = await serve(['--processes', '2', '--tls', '--write-ca', path.join(dir, 'ca.pem')]);
  try {
    const ca = await readFile(path.join(dir, 'ca.pem'), 'utf8');
    // Six fresh connections, spread over both processes: each verifies against the one CA.
    for (let i = 0; i < 6; i += 1) {
      const dispatcher = new Agent({ connect: { ca } });
      const res = await request(`${ok.urls.LOCAL}/br/br.gif`, { dispatcher });
      assert.equal(res.statusCode, 200);
      await res.body.dump();
      await dispatcher.close();
    }
  } finally {
    ok.child.kill('SIGTERM');
    assert.equal(await ok.exited, 0);
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve --root: a file it cannot serve is skipped with one warning line naming it, never a stack trace', async () => {
  const { mkdtemp, mkdir, writeFile, rm, open } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const base = await mkdtemp(path.join(tmpdir(), 'flagfetch-serve-root-'));
  try {
    await mkdir(path.join(base, 'br'));
    await mkdir(path.join(base, 'us'));
    await writeFile(path.join(base, 'br', 'br.gif'), 'GIF89a-br');
    const big = await open(path.join(base, 'us', 'us.gif'), 'w');
    await big.truncate(3 * 2 ** 30);
    await big.close();
    let stderr = '';
    let lineArrived = (): void => undefined;
    const firstLine = new Promise<void>((resolve) => (lineArrived = resolve));
    const s = await serve(['--root', base], (d) => {
      stderr += d;
      if (stderr.includes('\n')) lineArrived();
    });
    try {
      await firstLine;
      assert.match(stderr, /^warning: --root: skipped 'us\/us\.gif': 3221225472 bytes, over the 16 MB limit\n$/);
      assert.equal((await request(`${s.urls.LOCAL}/us/us.gif`)).statusCode, 404);
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});

test('serve: bad --max-connections, --cert without --key, --write-ca without --tls, unusable --cert are one line and exit 2', async () => {
  for (const args of [
    ['--max-connections', '0'],
    ['--cert', '/etc/hostname'],
    ['--write-ca', 'x.pem'],
    ['--cert', '/etc/hostname', '--key', '/etc/hostname'],
    ['--tls', '--h2c'],
    ['--tls', '--write-ca', ''],
  ]) {
    const r = await runCli(
      ['serve', '--host', '127.0.0.1', '--port', '0', '--delay-port', '0', '--error-port', '0', ...args],
      { timeoutMs: 20_000 },
    );
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^error: [^\n]+\n$/, args.join(' '));
  }
});

test('serve --tls --write-ca: https URLs that the written CA verifies (undici; curl over HTTP/2 when installed); --cert/--key serve given files', async () => {
  const { mkdtemp, readdir, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { execFileSync } = await import('node:child_process');
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-tls-'));
  try {
    const caFile = path.join(dir, 'ca.pem');
    const s = await serve(['--tls', '--write-ca', caFile]);
    try {
      assert.match(s.urls.LOCAL, /^https:\/\/127\.0\.0\.1:\d+\/flags$/);
      const ca = await readFile(caFile, 'utf8');
      assert.match(ca, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
      assert.deepEqual(await readdir(dir), ['ca.pem'], 'written atomically: no temp file left');
      const dispatcher = new Agent({ connect: { ca } });
      const res = await request(`${s.urls.DELAY}/br/br.gif`, { dispatcher });
      assert.equal(res.statusCode, 200);
      await res.body.dump();
      await dispatcher.close();
      let curl = true;
      try {
        execFileSync('curl', ['--version'], { stdio: 'ignore' });
      } catch {
        curl = false;
      }
      if (curl) {
        const out = execFileSync(
          'curl',
          [
            '-s',
            '--http2',
            '--cacert',
            caFile,
            '-o',
            '/dev/null',
            '-w',
            '%{http_code} %{http_version}',
            `${s.urls.LOCAL.replace('127.0.0.1', 'localhost')}/cn/cn.gif`,
          ],
          { encoding: 'utf8' },
        );
        assert.equal(out, '200 2');
      }
    } finally {
      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0);
    }
    const { makeLocalCertificate } = await import('../src/server/tls.js');
    const m = await makeLocalCertificate();
    await writeFile(path.join(dir, 'cert.pem'), m.cert);
    await writeFile(path.join(dir, 'key.pem'), m.key);
    const own = await serve(['--cert', path.join(dir, 'cert.pem'), '--key', path.join(dir, 'key.pem')]);
    try {
      const dispatcher = new Agent({ connect: { ca: m.caPem ?? '' } });
      const res = await request(`${own.urls.ERROR.replace('/flags', '')}/flags/metadata.json`, { dispatcher });
      assert.ok(res.statusCode === 404 || res.statusCode >= 500);
      await res.body.dump();
      await dispatcher.close();
    } finally {
      own.child.kill('SIGTERM');
      await own.exited;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('embedded servers over TLS hand back the CA to trust, and their stats on request', async () => {
  const servers = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, delayMs: 20, tls: true });
  try {
    assert.match(servers.urls.LOCAL, /^https:\/\/localhost:\d+\/flags$/);
    const dispatcher = new Agent({ connect: { ca: servers.caPem ?? '' }, allowH2: true });
    for (const cc of ['br', 'cn', 'in']) {
      const res = await request(`${servers.urls.LOCAL}/${cc}/${cc}.gif`, { dispatcher });
      assert.equal(res.statusCode, 200);
      await res.body.dump();
    }
    await dispatcher.close();
    const stats = await servers.stats();
    assert.equal(stats.LOCAL.requests, 3);
    assert.equal(stats.LOCAL.byProtocol.h2, 3, 'undici with allowH2 negotiated HTTP/2');
    assert.equal(stats.DELAY.requests, 0);
  } finally {
    await servers.stop();
  }
});

test('serve --root: an unreadable file (EACCES) is skipped with one warning line (run as nobody when root)', async (t) => {
  const { mkdtemp, mkdir, writeFile, rm, chmod } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const base = await mkdtemp(path.join(tmpdir(), 'flagfetch-eacces-'));
  try {
    for (const cc of ['br', 'cn']) {
      await mkdir(path.join(base, cc));
      await writeFile(path.join(base, cc, `${cc}.gif`), 'GIF89a');
    }
    await chmod(path.join(base, 'cn', 'cn.gif'), 0o000);
    for (const dir of [base, path.join(base, 'br'), path.join(base, 'cn')]) await chmod(dir, 0o755);
    await chmod(path.join(base, 'br', 'br.gif'), 0o644);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const args = ['serve', ...ON_FREE_PORTS, '--root', base];
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...asNobody });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Ctrl-C')) resolve();
      });
      void exited.then(() => resolve());
    });
    if (!stdout.includes('Ctrl-C') && /Cannot find module|EACCES: permission denied, open '.*cli\.js'/.test(stderr)) {
      t.skip('the user nobody cannot read this checkout');
      return;
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.equal(stderr, "warning: --root: skipped 'cn/cn.gif': cannot be read (EACCES)\n");
    assert.match(stdout, /^serving 1 flags from /);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});
