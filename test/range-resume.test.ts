import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { createFlagClient } from '../src/download/client.js';
import { syntheticContent } from '../src/server/index.js';
import { chooseRange } from '../src/server/range.js';
import { draw } from '../src/server/seeded.js';
import { settingsFor } from './helpers/plans.js';
import { withServer } from './helpers/flag-server.js';
import { testCertificate } from './helpers/tls-cert.js';

const ETAG = '"abc"';

test('chooseRange: one range, suffix, open end, clamped end; several ranges or junk mean the whole file', () => {
  const cases: [Parameters<typeof chooseRange>[0], ReturnType<typeof chooseRange>][] = [
    [{}, { kind: 'whole' }],
    [{ range: 'bytes=0-99' }, { kind: 'part', start: 0, end: 99 }],
    [{ range: 'bytes=900-' }, { kind: 'part', start: 900, end: 999 }],
    [{ range: 'bytes=-100' }, { kind: 'part', start: 900, end: 999 }],
    [{ range: 'bytes=-5000' }, { kind: 'part', start: 0, end: 999 }],
    [{ range: 'bytes=990-5000' }, { kind: 'part', start: 990, end: 999 }],
    [{ range: 'bytes=1000-' }, { kind: 'unsatisfiable' }],
    [{ range: 'bytes=-0' }, { kind: 'unsatisfiable' }],
    [{ range: 'bytes=0-9,20-29' }, { kind: 'whole' }],
    [{ range: 'bytes=50-10' }, { kind: 'whole' }],
    [{ range: 'lines=1-2' }, { kind: 'whole' }],
    [{ range: 'bytes=-' }, { kind: 'whole' }],
    [
      { range: 'bytes=10-19', ifRange: ETAG },
      { kind: 'part', start: 10, end: 19 },
    ],
    [{ range: 'bytes=10-19', ifRange: '"old"' }, { kind: 'whole' }],
    [{ range: 'bytes=10-19', ifMatch: '"old"' }, { kind: 'precondition-failed' }],
    [
      { range: 'bytes=10-19', ifMatch: `"x", ${ETAG}` },
      { kind: 'part', start: 10, end: 19 },
    ],
    [{ ifMatch: '*' }, { kind: 'whole' }],
  ];
  for (const [req, want] of cases) assert.deepEqual(chooseRange(req, 1000, ETAG), want, JSON.stringify(req));
});

const BR = syntheticContent().get('/flags/br/br.gif')?.body ?? Buffer.alloc(0);

test('the server answers a range with 206, Content-Range and exactly those bytes', async () => {
  await withServer({}, async (s) => {
    const whole = await request(`${s.url}/br/br.gif`);
    assert.equal(whole.headers['accept-ranges'], 'bytes');
    const etag = String(whole.headers['etag']);
    await whole.body.dump();

    const part = await request(`${s.url}/br/br.gif`, { headers: { range: 'bytes=100-199', 'if-match': etag } });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 100-199/${BR.length}`);
    assert.equal(part.headers['content-length'], '100');
    assert.deepEqual(Buffer.from(await part.body.arrayBuffer()), BR.subarray(100, 200));

    const tail = await request(`${s.url}/br/br.gif`, { headers: { range: 'bytes=-10' } });
    assert.equal(tail.statusCode, 206);
    assert.deepEqual(Buffer.from(await tail.body.arrayBuffer()), BR.subarray(BR.length - 10));

    const beyond = await request(`${s.url}/br/br.gif`, { headers: { range: `bytes=${BR.length}-` } });
    assert.equal(beyond.statusCode, 416);
    assert.equal(beyond.headers['content-range'], `bytes */${BR.length}`);
    await beyond.body.dump();

    const changed = await request(`${s.url}/br/br.gif`, {
      headers: { range: 'bytes=0-9', 'if-match': '"something else"' },
    });
    assert.equal(changed.statusCode, 412);
    await changed.body.dump();

    assert.deepEqual(s.stats.byStatus, { '200': 1, '206': 2, '416': 1, '412': 1 });
  });
});

/** A code whose flag the server damages (fault `kind`, `rate`, `seed`) on the first request only, then serves `clean` times. */
function cutOnceCode(kind: string, rate: number, seed: number, clean: number): string {
  for (const [url] of syntheticContent()) {
    const m = /^\/flags\/([a-z]{2})\/\1\.gif$/.exec(url);
    if (
      m !== null &&
      draw(seed, kind, url, 1) < rate &&
      Array.from({ length: clean }, (_, i) => draw(seed, kind, url, i + 2)).every((d) => d >= rate)
    )
      return m[1] ?? '';
  }
  throw new Error('no such code for this seed');
}

for (const [kind, h2] of [
  ['truncate', false],
  ['reset', false],
  ['truncate', true],
  ['reset', true],
] as const) {
  const over = h2 ? ' over HTTP/2 (a stream cut), as over HTTP/1.1' : '';
  test(`--retries resumes a body cut by a ${kind} with a range request${over}: one whole, identical file`, async () => {
    const seed = 11;
    const cc = cutOnceCode(kind, 0.5, seed, 1);
    const dest = await mkdtemp(path.join(tmpdir(), 'flagfetch-range-'));
    const cert = h2 ? await testCertificate() : undefined;
    const tls = cert === undefined ? {} : { tls: { key: cert.keyPem, cert: cert.certPem } };
    await withServer({ seed, faults: [{ kind, rate: 0.5 }], ...tls }, async (s) => {
      const trust = cert === undefined ? {} : { caPem: cert.caPem, protocol: 'h2' as const };
      const client = createFlagClient(settingsFor(s.url, { dest, timeoutMs: 2000, retries: 2, ...trust }), 1);
      try {
        const o = await client.fetchFlag(cc.toUpperCase());
        assert.equal(o.kind, 'ok', `${o.reason} ${o.detail}`);
        assert.equal(o.attempts, 2);
        const served = syntheticContent().get(`/flags/${cc}/${cc}.gif`)?.body;
        assert.deepEqual(await readFile(path.join(dest, `${cc}.gif`)), served);
        assert.equal(o.bytes, served?.length);
        assert.deepEqual(await readdir(dest), [`${cc}.gif`]);
        assert.deepEqual(s.stats.byStatus, { [kind]: 1, '206': 1 });
        if (h2)
          assert.deepEqual([s.stats.sessions, s.stats.byProtocol.h1], [1, 0], 'both over the one HTTP/2 connection');
      } finally {
        await client.close();
        await rm(dest, { recursive: true, force: true });
      }
    });
  });
}

test('--retries starts afresh when a body stalled before its first byte: the deadline ends the attempt, nothing to resume', async () => {
  const seed = 11;
  // The 1st request stalls after its headers; --timeout ends that attempt; the 2nd is a fresh GET.
  const cc = cutOnceCode('stall', 0.5, seed, 2);
  const dest = await mkdtemp(path.join(tmpdir(), 'flagfetch-range-'));
  await withServer({ seed, faults: [{ kind: 'stall', rate: 0.5 }] }, async (s) => {
    const client = createFlagClient(settingsFor(s.url, { dest, timeoutMs: 300, retries: 3 }), 1);
    try {
      const o = await client.fetchFlag(cc.toUpperCase());
      assert.equal(o.kind, 'ok', `${o.reason} ${o.detail}`);
      assert.equal(o.attempts, 2);
      assert.deepEqual(
        await readFile(path.join(dest, `${cc}.gif`)),
        syntheticContent().get(`/flags/${cc}/${cc}.gif`)?.body,
      );
      assert.deepEqual(s.stats.byStatus, { stall: 1, '200': 1 });
    } finally {
      await client.close();
    }
    const none = createFlagClient(settingsFor(s.url, { dest, timeoutMs: 300, retries: 0 }), 1);
    try {
      s.reset();
      const o = await none.fetchFlag(cc.toUpperCase());
      assert.equal(o.kind, 'timeout', 'no retry left: the stall is a timeout');
      assert.equal(o.detail, 'timeout after 300 ms');
      assert.equal(o.attempts, 1);
    } finally {
      await none.close();
      await rm(dest, { recursive: true, force: true });
    }
  });
});
