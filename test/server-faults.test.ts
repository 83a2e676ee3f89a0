import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startFlagServer, parseFault, syntheticContent, type FlagServer } from '../src/server/index.js';
import { UsageError } from '../src/errors.js';

interface Got {
  status: number;
  declared: number;
  received: number;
  error: string | null;
  elapsedMs: number;
  headers: http.IncomingHttpHeaders;
}

/** GET with node:http, reporting what arrived even when the response breaks. */
function fetchRaw(url: string, giveUpMs = 5000): Promise<Got> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let got: Got = { status: 0, declared: -1, received: 0, error: null, elapsedMs: 0, headers: {} };
    const done = (error: string | null): void => resolve({ ...got, error, elapsedMs: performance.now() - t0 });
    const req = http.get(url, { agent: false }, (res) => {
      got = {
        ...got,
        status: res.statusCode ?? 0,
        declared: Number(res.headers['content-length'] ?? -1),
        headers: res.headers,
      };
      res.on('data', (d: Buffer) => (got.received += d.length));
      res.on('end', () => done(null));
      res.on('error', (e) => done(e.message));
      res.on('aborted', () => done('aborted'));
    });
    req.on('error', (e) => done(e.message));
    req.setTimeout(giveUpMs, () => req.destroy(new Error('gave up')));
  });
}

async function withFault(spec: string, body: (s: FlagServer) => Promise<void>): Promise<void> {
  const s = await startFlagServer({ faults: [parseFault(spec)], seed: 3 });
  try {
    await body(s);
  } finally {
    await s.close();
  }
}

const FLAG_BYTES = syntheticContent().get('/flags/br/br.gif')?.body.length ?? 0;

test('reset: the connection is destroyed mid-body', async () => {
  await withFault('reset:1', async (s) => {
    const g = await fetchRaw(`${s.url}/br/br.gif`);
    assert.equal(g.status, 200);
    assert.ok(g.received < FLAG_BYTES);
    assert.notEqual(g.error, null);
  });
});

test('truncate: fewer bytes than Content-Length, then the connection closes', async () => {
  await withFault('truncate:1', async (s) => {
    const g = await fetchRaw(`${s.url}/br/br.gif`);
    assert.equal(g.declared, FLAG_BYTES);
    assert.ok(g.received < g.declared, `${g.received} of ${g.declared}`);
  });
});

test('stall: headers, then silence', async () => {
  await withFault('stall:1', async (s) => {
    const g = await fetchRaw(`${s.url}/br/br.gif`, 300);
    assert.equal(g.status, 200);
    assert.equal(g.received, 0);
    assert.equal(g.error, 'gave up');
  });
});

test('slow: the body is trickled over more than a second', async () => {
  await withFault('slow:1', async (s) => {
    const g = await fetchRaw(`${s.url}/br/br.gif`);
    assert.equal(g.received, FLAG_BYTES);
    assert.ok(g.elapsedMs > 1000, `${g.elapsedMs} ms`);
  });
});

test('status: 500–503, or 429 with Retry-After', async () => {
  await withFault('status:1', async (s) => {
    const seen = new Set<number>();
    for (const cc of [
      'br',
      'cn',
      'in',
      'us',
      'fr',
      'de',
      'jp',
      'mx',
      'ng',
      'pk',
      'ru',
      'bd',
      'id',
      'ph',
      'vn',
      'et',
      'eg',
      'ir',
      'tr',
      'cd',
    ]) {
      const g = await fetchRaw(`${s.url}/${cc}/${cc}.gif`);
      seen.add(g.status);
      if (g.status === 429) assert.equal(g.headers['retry-after'], '1');
      else assert.ok(g.status >= 500 && g.status <= 503, String(g.status));
    }
    assert.ok(seen.size >= 3, [...seen].join(' '));
  });
});

test('jitter: answers still arrive whole; 404 stays 404 under faults', async () => {
  await withFault('jitter:1', async (s) => {
    const g = await fetchRaw(`${s.url}/br/br.gif`);
    assert.equal(g.received, FLAG_BYTES);
  });
  await withFault('reset:1', async (s) => {
    assert.equal((await fetchRaw(`${s.url}/zz/zz.gif`)).status, 404);
  });
});

test('a fault at a rate hits about that share, the same requests for the same seed', async () => {
  const run = async (): Promise<number[]> => {
    const statuses: number[] = [];
    await withFault('status:0.3', async (s) => {
      for (let i = 0; i < 400; i += 1) statuses.push((await fetchRaw(`${s.url}/br/br.gif`)).status);
    });
    return statuses;
  };
  const a = await run();
  const hit = a.filter((st) => st !== 200).length;
  assert.ok(hit > 80 && hit < 160, `${hit} of 400`);
  assert.deepEqual(await run(), a);
});

test('--fault parsing: kinds, rates, and one-line errors', () => {
  assert.deepEqual(parseFault('reset'), { kind: 'reset', rate: 0.1 });
  assert.deepEqual(parseFault('STALL:0.5'), { kind: 'stall', rate: 0.5 });
  for (const bad of ['bogus', 'reset:2', 'reset:', 'reset:x', 'reset:0.1:3'])
    assert.throws(() => parseFault(bad), UsageError, bad);
});
