import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { request } from 'undici';
import { CLI, runCli } from './helpers/run-cli.js';
import { SHARED_FLAGS, skipWithoutSharedFlags } from './helpers/shared-flags.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isPortOpen, startEmbeddedServers } from '../src/server/embedded.js';

interface Running {
  child: ChildProcess;
  urls: { LOCAL: string; DELAY: string; ERROR: string };
  exited: Promise<number | null>;
}

/** Start `flagfetch serve` on free ports and read the URLs it prints. */
async function serve(extra: readonly string[] = []): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--port',
      '0',
      '--delay-port',
      '0',
      '--error-port',
      '0',
      '--host',
      '127.0.0.1',
      '--delay',
      '50',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let out = '';
  const urls = await new Promise<Running['urls']>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const find = (label: string): string | undefined => new RegExp(`^${label}\\s+(http://\\S+)`, 'm').exec(out)?.[1];
      const [l, d2, e] = [find('LOCAL'), find('DELAY'), find('ERROR')];
      if (l !== undefined && d2 !== undefined && e !== undefined) resolve({ LOCAL: l, DELAY: d2, ERROR: e });
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  return { child, urls, exited };
}

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
