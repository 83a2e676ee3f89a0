import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFlagClient } from '../src/download/client.js';
import { checkDestination, flagFileName, sanitiseName } from '../src/download/save.js';
import { UsageError } from '../src/errors.js';
import type { FetchSettings } from '../src/download/settings.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hits: number) => void;

/** A real HTTP server on 127.0.0.1 whose answer per request is `handler`; counts requests per path. */
async function serve(handler: Handler): Promise<{ base: string; hits: Map<string, number>; close(): Promise<void> }> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const n = (hits.get(req.url ?? '') ?? 0) + 1;
    hits.set(req.url ?? '', n);
    handler(req, res, n);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/flags`,
    hits,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(5000, 7), Buffer.from([0x3b])]);

function settings(base: string, more: Partial<FetchSettings> = {}): FetchSettings {
  return {
    baseUrl: base,
    timeoutMs: 2000,
    retries: 0,
    maxBytes: 5_000_000,
    followRedirects: 'same-origin',
    dest: null,
    names: false,
    ...more,
  };
}

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'flagfetch-client-'));
}

test('200 is ok and saved byte-identical with no temp file left; 404 is not found; 503 is an error with its reason', async () => {
  const s = await serve((req, res) => {
    if (req.url === '/flags/br/br.gif') res.writeHead(200, { 'content-type': 'image/gif' }).end(GIF);
    else if (req.url === '/flags/xx/xx.gif') res.writeHead(503).end('busy');
    else res.writeHead(404).end('no');
  });
  const dest = await tempDir();
  const client = createFlagClient(settings(s.base, { dest }), 2);
  try {
    const ok = await client.fetchFlag('BR');
    assert.equal(ok.kind, 'ok');
    assert.equal(ok.bytes, GIF.length);
    assert.deepEqual(await readFile(path.join(dest, 'br.gif')), GIF);
    const missing = await client.fetchFlag('ZZ');
    assert.equal(missing.kind, 'not-found');
    const failed = await client.fetchFlag('XX');
    assert.deepEqual(
      [failed.kind, failed.reason, failed.detail],
      ['http-error', 'http 503', 'HTTP 503 - Service Unavailable'],
    );
    assert.deepEqual(await readdir(dest), ['br.gif']);
  } finally {
    await client.close();
    await s.close();
    await rm(dest, { recursive: true, force: true });
  }
});

test('a body shorter than its Content-Length is an error and never a saved file', async () => {
  const s = await serve((_req, res) => {
    res.writeHead(200, { 'content-length': String(GIF.length) });
    res.write(GIF.subarray(0, 1000));
    setTimeout(() => res.socket?.destroy(), 20);
  });
  const dest = await tempDir();
  const client = createFlagClient(settings(s.base, { dest }), 1);
  try {
    const o = await client.fetchFlag('BR');
    assert.equal(o.kind, 'network');
    assert.equal(o.reason, 'truncated', o.detail);
    assert.deepEqual(await readdir(dest), []);
  } finally {
    await client.close();
    await s.close();
    await rm(dest, { recursive: true, force: true });
  }
});

test('--max-bytes caps a response, with or without Content-Length', async () => {
  const s = await serve((req, res) => {
    if (req.url?.startsWith('/flags/br/')) res.writeHead(200).end(GIF);
    else {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(GIF.subarray(0, 3000));
      res.end(GIF.subarray(3000));
    }
  });
  const client = createFlagClient(settings(s.base, { maxBytes: 2000 }), 1);
  try {
    for (const cc of ['BR', 'CN']) {
      const o = await client.fetchFlag(cc);
      assert.deepEqual([o.kind, o.reason], ['http-error', 'too large'], cc);
    }
  } finally {
    await client.close();
    await s.close();
  }
});

test('--timeout bounds a stalled response, and a stop signal cancels one', async () => {
  const s = await serve((_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.flushHeaders();
  });
  const client = createFlagClient(settings(s.base, { timeoutMs: 150 }), 2);
  try {
    const o = await client.fetchFlag('BR');
    assert.deepEqual([o.kind, o.reason, o.detail], ['timeout', 'timeout', 'timeout after 150 ms']);
    assert.ok(o.latencyMs >= 140 && o.latencyMs < 1500, `latency ${o.latencyMs}`);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 30);
    const patient = createFlagClient(settings(s.base, { timeoutMs: 5000 }), 1);
    const cancelled = await patient.fetchFlag('CN', stop.signal);
    await patient.close();
    assert.equal(cancelled.kind, 'cancelled');
  } finally {
    await client.close();
    await s.close();
  }
});

test('--retries retries 5xx and 429 (Retry-After) through undici, never 404', async () => {
  const s = await serve((req, res, n) => {
    if (req.url === '/flags/br/br.gif') {
      if (n <= 2) res.writeHead(503).end('busy');
      else res.writeHead(200).end(GIF);
    } else if (req.url === '/flags/cn/cn.gif') {
      if (n === 1) res.writeHead(429, { 'retry-after': '0' }).end('slow down');
      else res.writeHead(200).end(GIF);
    } else res.writeHead(404).end('no');
  });
  const client = createFlagClient(settings(s.base, { retries: 3 }), 2);
  try {
    const br = await client.fetchFlag('BR');
    assert.deepEqual([br.kind, br.attempts], ['ok', 3]);
    const cn = await client.fetchFlag('CN');
    assert.deepEqual([cn.kind, cn.attempts], ['ok', 2]);
    const zz = await client.fetchFlag('ZZ');
    assert.deepEqual([zz.kind, zz.attempts], ['not-found', 1]);
    assert.equal(s.hits.get('/flags/zz/zz.gif'), 1);
  } finally {
    await client.close();
    await s.close();
  }
});

test('retries give up after N more attempts with the last status as the reason', async () => {
  const s = await serve((_req, res) => res.writeHead(502).end('bad'));
  const client = createFlagClient(settings(s.base, { retries: 2 }), 1);
  try {
    const o = await client.fetchFlag('BR');
    assert.deepEqual([o.kind, o.reason, o.attempts], ['http-error', 'http 502', 3]);
    assert.equal(s.hits.get('/flags/br/br.gif'), 3);
  } finally {
    await client.close();
    await s.close();
  }
});

test('redirects: same origin followed, other origins refused, at most 3, a malformed Location is a bad redirect', async () => {
  const other = await serve((_req, res) => res.writeHead(200).end(GIF));
  const s = await serve((req, res) => {
    const url = req.url ?? '';
    if (url === '/flags/br/br.gif') res.writeHead(302, { location: '/moved/br.gif' }).end();
    else if (url === '/moved/br.gif') res.writeHead(200).end(GIF);
    else if (url === '/flags/cn/cn.gif') res.writeHead(301, { location: `${other.base}/cn/cn.gif` }).end();
    else if (url.startsWith('/loop')) res.writeHead(307, { location: `/loop${url.length}` }).end();
    else if (url === '/flags/in/in.gif') res.writeHead(302, { location: '/loop' }).end();
    else if (url === '/flags/de/de.gif') res.writeHead(302, { location: 'http://[::1' }).end();
    else res.writeHead(404).end();
  });
  const client = createFlagClient(settings(s.base), 2);
  const anyClient = createFlagClient(settings(s.base, { followRedirects: 'any' }), 2);
  try {
    assert.equal((await client.fetchFlag('BR')).kind, 'ok');
    assert.equal((await client.fetchFlag('CN')).reason, 'redirect off origin');
    assert.equal((await anyClient.fetchFlag('CN')).kind, 'ok');
    assert.equal((await client.fetchFlag('IN')).reason, 'too many redirects');
    const malformed = await client.fetchFlag('DE');
    assert.deepEqual([malformed.kind, malformed.reason], ['http-error', 'bad redirect'], malformed.detail);
  } finally {
    await client.close();
    await anyClient.close();
    await s.close();
    await other.close();
  }
});

test('--names saves <Country_Name>-<CC>.gif, and a hostile name from the server cannot leave --dest', async () => {
  const names: Record<string, string> = { br: 'Brazil', us: 'United States', xx: '../../etc/passwd\u0000\n/..' };
  const s = await serve((req, res) => {
    const m = /^\/flags\/([a-z]{2})\/(metadata\.json|[a-z]{2}\.gif)$/.exec(req.url ?? '');
    const name = m?.[1] === undefined ? undefined : names[m[1]];
    if (m === null || name === undefined) res.writeHead(404).end();
    else if (m[2] === 'metadata.json')
      res.writeHead(200).end(JSON.stringify({ country: name, iso_cc: (m[1] ?? '').toUpperCase() }));
    else res.writeHead(200).end(GIF);
  });
  const dest = await tempDir();
  const client = createFlagClient(settings(s.base, { dest, names: true }), 2);
  try {
    for (const cc of ['BR', 'US', 'XX', 'ZZ']) await client.fetchFlag(cc);
    assert.deepEqual(
      (await readdir(dest)).sort(),
      ['Brazil-BR.gif', 'United_States-US.gif', 'etcpasswd_.-XX.gif'].sort(),
    );
  } finally {
    await client.close();
    await s.close();
    await rm(dest, { recursive: true, force: true });
  }
});

test('file names: lower-case code, sanitised country names, codes validated', () => {
  assert.equal(flagFileName('BR'), 'br.gif');
  assert.equal(flagFileName('ci', "Côte d'Ivoire"), "Côte_d'Ivoire-CI.gif");
  assert.equal(sanitiseName('a/b\\c..d\u0007e'), 'abc.de');
  assert.equal(sanitiseName('x'.repeat(500)).length, 80);
  assert.equal(flagFileName('BR', '///'), 'BR.gif');
  assert.throws(() => flagFileName('../x'));
});

test('--dest that is a file or cannot be created is a UsageError; a missing folder is created', async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, 'file');
    await writeFile(file, 'x');
    await assert.rejects(
      checkDestination(file),
      (e: unknown) => e instanceof UsageError && /is a file/.test(e.message),
    );
    await assert.rejects(checkDestination(path.join(file, 'sub')), UsageError);
    await checkDestination(path.join(dir, 'new', 'deeper'));
    assert.deepEqual(await readdir(path.join(dir, 'new')), ['deeper']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
