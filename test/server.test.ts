import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { request } from 'undici';
import { ALL_CODES } from '../src/countries.js';
import { UsageError } from '../src/errors.js';
import { loadFlagDirectory, startFlagServer, syntheticContent } from '../src/server/index.js';
import { SHARED_FLAGS, skipWithoutSharedFlags } from './helpers/shared-flags.js';
import { withServer } from './helpers/flag-server.js';

async function get(
  url: string,
  headers: Record<string, string> = {},
  method: 'GET' | 'HEAD' | 'POST' = 'GET',
): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  const res = await request(url, { method, headers });
  return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()), headers: res.headers };
}

/** Send a raw request line (paths no URL parser would let through) and return the status. */
function rawStatus(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

test(
  'rooted at the real set, every one of the 194 flags comes back byte-identical, with its metadata',
  { skip: skipWithoutSharedFlags },
  async () => {
    const root = SHARED_FLAGS ?? '';
    await withServer({ content: await loadFlagDirectory(root) }, async (s) => {
      for (const cc of ALL_CODES.map((c) => c.toLowerCase())) {
        const flag = await get(`${s.url}/${cc}/${cc}.gif`);
        assert.equal(flag.status, 200, cc);
        assert.equal(flag.headers['content-type'], 'image/gif');
        assert.deepEqual(flag.body, await readFile(path.join(root, cc, `${cc}.gif`)), cc);
      }
      const meta = await get(`${s.url}/br/metadata.json`);
      assert.deepEqual(JSON.parse(meta.body.toString()), {
        tld_cc: '.br',
        iso_cc: 'BR',
        country: 'Brazil',
        gec_cc: 'BR',
      });
      assert.equal(meta.headers['content-type'], 'application/json');
    });
  },
);

test('synthetic content: 194 GIF89a flags sized like the real set, and the real names', () => {
  const content = syntheticContent();
  const gifs = [...content.entries()].filter(([k]) => k.endsWith('.gif')).map(([, f]) => f.body);
  assert.equal(gifs.length, 194);
  for (const g of gifs) {
    assert.equal(g.subarray(0, 6).toString('latin1'), 'GIF89a');
    assert.equal(g[g.length - 1], 0x3b);
  }
  const sizes = gifs.map((g) => g.length).sort((a, b) => a - b);
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  assert.ok((sizes[0] ?? 0) >= 1000 && (sizes.at(-1) ?? 0) <= 37_000, `${sizes[0]}..${sizes.at(-1)}`);
  assert.ok(mean > 10_000 && mean < 14_000, `mean ${mean}`);
  const meta = JSON.parse(content.get('/flags/ci/metadata.json')?.body.toString() ?? '{}') as { country?: string };
  assert.equal(meta.country, "Côte d'Ivoire");
});

test('unknown codes are 404; HEAD, ETag/304 and 405 behave', async () => {
  await withServer({}, async (s) => {
    assert.equal((await get(`${s.url}/zz/zz.gif`)).status, 404);
    assert.equal((await get(`${s.url}/br/cn.gif`)).status, 404);
    assert.equal((await get(`${s.url}/BR/BR.gif`)).status, 404);
    const head = await get(`${s.url}/br/br.gif`, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.ok(Number(head.headers['content-length']) > 1000);
    const etag = String(head.headers['etag']);
    assert.equal((await get(`${s.url}/br/br.gif`, { 'if-none-match': etag })).status, 304);
    const post = await get(`${s.url}/br/br.gif`, {}, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers['allow'], 'GET, HEAD');
  });
});

test('every traversal form is refused', async () => {
  await withServer({}, async (s) => {
    const targets = [
      '/flags/../etc/passwd',
      '/flags/br/../../etc/passwd',
      '/flags/%2e%2e/%2e%2e/etc/passwd',
      '/flags/%2E%2E/x',
      '/flags/br%2fbr.gif',
      '/flags/br%2Fbr.gif',
      '/flags/br%5cbr.gif',
      '/flags/br\\br.gif',
      '/flags/br/br.gif%00',
      '//etc/passwd',
      '/etc/passwd',
      'http://evil.example/flags/../../etc/passwd',
      '/flags/br/br.gif/..',
      '/flags/./br/br.gif',
    ];
    for (const t of targets) {
      const status = await rawStatus(s.port, t);
      assert.ok(status === 400 || status === 404, `${t} → ${status}`);
    }
    assert.equal(s.stats.byStatus['200'] ?? 0, 0);
  });
});

test('DELAY responses take at least the delay; peak in flight is counted', async () => {
  await withServer({ delayMs: 120 }, async (s) => {
    const t0 = performance.now();
    await Promise.all(['br', 'cn', 'in', 'us', 'fr'].map((cc) => get(`${s.url}/${cc}/${cc}.gif`)));
    assert.ok(performance.now() - t0 >= 118);
    assert.equal(s.stats.peakInFlight, 5);
    assert.equal(s.stats.requests, 5);
  });
});

async function errorStatuses(seed: number, paths: readonly string[]): Promise<number[]> {
  const statuses: number[] = [];
  await withServer({ errorRate: 0.25, errorDelayMs: 0, seed }, async (s) => {
    for (const p of paths) statuses.push((await get(`${s.url}${p}`)).status);
  });
  return statuses;
}

test('ERROR: the error share lies within statistical bounds and is the same for the same seed, in any order', async () => {
  const codes = ALL_CODES.map((c) => c.toLowerCase());
  const paths = Array.from(
    { length: 3000 },
    (_, i) => `/${codes[i % codes.length] ?? 'br'}/${codes[i % codes.length] ?? 'br'}.gif`,
  );
  const a = await errorStatuses(7, paths);
  const errors = a.filter((st) => st >= 500).length;
  const sigma = Math.sqrt(3000 * 0.25 * 0.75);
  assert.ok(Math.abs(errors - 750) < 4 * sigma, `${errors} errors of 3000`);
  assert.ok(a.every((st) => st === 200 || (st >= 500 && st <= 503)));
  assert.deepEqual(await errorStatuses(7, paths), a);
  const firstPass = paths.slice(0, 194);
  const reversed = await errorStatuses(7, [...firstPass].reverse());
  assert.deepEqual(reversed.reverse(), a.slice(0, 194), 'per-path answers do not depend on arrival order');
  assert.notDeepEqual(await errorStatuses(8, paths), a);
});

test('close() with open keep-alive connections returns promptly', async () => {
  const s = await startFlagServer({});
  for (const cc of ['br', 'cn', 'in']) await get(`${s.url}/${cc}/${cc}.gif`);
  const t0 = performance.now();
  await s.close();
  assert.ok(performance.now() - t0 < 1000);
});

test('a port in use is a UsageError naming it', async () => {
  await withServer({}, async (s) => {
    await assert.rejects(
      startFlagServer({ port: s.port }),
      (e: unknown) => e instanceof UsageError && e.message.includes(String(s.port)),
    );
  });
});

test('--root that is missing or holds no flags is a UsageError', async () => {
  await assert.rejects(loadFlagDirectory('/nonexistent/flags'), UsageError);
  await assert.rejects(loadFlagDirectory(path.dirname(new URL(import.meta.url).pathname)), /holds no flags/);
});

test('symlinks in --root that lead outside it are not followed', async () => {
  const { mkdtemp, mkdir, writeFile, symlink, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const base = await mkdtemp(path.join(tmpdir(), 'flagfetch-root-'));
  try {
    const root = path.join(base, 'root');
    const outside = path.join(base, 'outside');
    await mkdir(path.join(root, 'br'), { recursive: true });
    await mkdir(path.join(root, 'cn'), { recursive: true });
    await mkdir(outside);
    await writeFile(path.join(root, 'br', 'br.gif'), 'GIF89a-inside');
    await writeFile(path.join(outside, 'secret.gif'), 'secret');
    await symlink(path.join(outside, 'secret.gif'), path.join(root, 'cn', 'cn.gif'));
    await symlink(outside, path.join(root, 'us'));
    const content = await loadFlagDirectory(root);
    assert.deepEqual([...content.keys()], ['/flags/br/br.gif']);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});

test('If-None-Match: *, a list holding the ETag and a weak W/ tag get 304 (RFC 9110); other tags get the body', async () => {
  await withServer({}, async (s) => {
    const url = `${s.url}/br/br.gif`;
    const etag = String((await get(url, {}, 'HEAD')).headers['etag']);
    for (const inm of ['*', `"nope", ${etag}`, `W/${etag}`, `"a","b" , W/${etag}`]) {
      const res = await get(url, { 'if-none-match': inm });
      assert.equal(res.status, 304, inm);
      assert.equal(res.body.length, 0, inm);
      assert.equal(res.headers['etag'], etag);
    }
    for (const inm of ['"nope"', 'W/"nope", "other"', etag.slice(0, -2) + '"']) {
      const res = await get(url, { 'if-none-match': inm });
      assert.equal(res.status, 200, inm);
      assert.ok(res.body.length > 1000);
    }
    assert.equal((await get(url, { 'if-none-match': '*' }, 'HEAD')).status, 304);
    assert.equal((await get(`${s.url}/zz/zz.gif`, { 'if-none-match': '*' })).status, 404, '* matches only what exists');
  });
});

test('--seed: a run that names itself (x-flagfetch-run) gets the same answers however many runs came before; its retries can differ', async () => {
  const codes = ALL_CODES.slice(0, 60).map((c) => c.toLowerCase());
  await withServer({ errorRate: 0.5, errorDelayMs: 0, seed: 42 }, async (s) => {
    const pass = async (headers: Record<string, string>): Promise<number[]> => {
      const out: number[] = [];
      for (const cc of codes) out.push((await get(`${s.url}/${cc}/${cc}.gif`, headers)).status);
      return out;
    };
    const first = await pass({ 'x-flagfetch-run': 'run-a' });
    const retry = await pass({ 'x-flagfetch-run': 'run-a' });
    const second = await pass({ 'x-flagfetch-run': 'run-b' });
    assert.deepEqual(second, first, 'a later run sees what the first saw');
    assert.notDeepEqual(retry, first, "a run's second request for a path is a new draw (a retry can succeed)");
    const anonymous1 = await pass({});
    const anonymous2 = await pass({});
    assert.notDeepEqual(anonymous2, anonymous1, 'without the header the server-wide count goes on');
    assert.deepEqual(anonymous1, first, 'the first anonymous pass draws like a fresh run');
    s.reset();
    assert.deepEqual(await pass({}), first, 'reset() starts the server-wide count over');
  });
});

test('--root: a FIFO, a folder and a 3 GiB sparse file named like flags are skipped with one warning each; the rest is served', async () => {
  const { mkdtemp, mkdir, writeFile, rm, open } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const base = await mkdtemp(path.join(tmpdir(), 'flagfetch-root-'));
  try {
    for (const cc of ['br', 'cn', 'in', 'us']) await mkdir(path.join(base, cc));
    await writeFile(path.join(base, 'br', 'br.gif'), 'GIF89a-ok');
    execFileSync('mkfifo', [path.join(base, 'cn', 'cn.gif')]);
    await mkdir(path.join(base, 'in', 'in.gif'));
    const sparse = await open(path.join(base, 'us', 'us.gif'), 'w');
    await sparse.truncate(3 * 2 ** 30);
    await sparse.close();
    const warnings: string[] = [];
    const content = await loadFlagDirectory(base, (line) => warnings.push(line));
    assert.deepEqual([...content.keys()], ['/flags/br/br.gif']);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /cn\/cn\.gif': not a regular file$/);
    assert.match(warnings[1] ?? '', /in\/in\.gif': not a regular file$/);
    assert.match(warnings[2] ?? '', /us\/us\.gif': 3221225472 bytes, over the 16 MB limit$/);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});
