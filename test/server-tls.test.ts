import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, Client, request } from 'undici';
import { startFlagServer, syntheticContent, type FlagServer, type FlagServerOptions } from '../src/server/index.js';
import { makeLocalCertificate, type TlsMaterial } from '../src/server/tls.js';
import { connectH2 as connectTo, h2get } from './helpers/h2-raw.js';

const BR = syntheticContent().get('/flags/br/br.gif')?.body ?? Buffer.alloc(0);
let material: TlsMaterial | undefined;

/** One certificate for the whole file (made as `serve --tls` makes it). */
async function certificate(): Promise<TlsMaterial> {
  material ??= await makeLocalCertificate();
  return material;
}

async function withTls(options: FlagServerOptions, body: (s: FlagServer, ca: string) => Promise<void>): Promise<void> {
  const m = await certificate();
  const s = await startFlagServer({ ...options, tls: m });
  try {
    await body(s, m.caPem ?? '');
  } finally {
    await s.close();
  }
}

function connectH2(s: FlagServer, ca: string): Promise<http2.ClientHttp2Session> {
  return connectTo(s.url, ca);
}

/**
 * Node's own check of an IPv6 literal against an IP SAN regressed in the security releases of
 * June 2026 (v22.23.1, v24.17.0; nodejs/node issue 64144, fixed by PR 64145): where it does not
 * match, ::1 is left out of the test with a note, as no certificate could pass it.
 */
const ipv6SansMatch =
  tls.checkServerIdentity('::1', { subject: {}, subjectaltname: 'IP Address:::1' } as tls.PeerCertificate) ===
  undefined;

test('the generated certificate is trusted through its CA for localhost, 127.0.0.1 and ::1, and refused without it', async (t) => {
  if (!ipv6SansMatch)
    t.diagnostic(`::1 left out: Node ${process.version} matches no IPv6 SAN (nodejs/node issue 64144)`);
  await withTls({ hosts: ['127.0.0.1', '::1'] }, async (s, ca) => {
    const dispatcher = new Agent({ connect: { ca } });
    try {
      for (const host of ['localhost', '127.0.0.1', ...(ipv6SansMatch ? ['[::1]'] : [])]) {
        const res = await request(`https://${host}:${s.port}/flags/br/br.gif`, { dispatcher });
        assert.equal(res.statusCode, 200, host);
        assert.deepEqual(Buffer.from(await res.body.arrayBuffer()), BR, host);
      }
      await assert.rejects(
        request(`https://localhost:${s.port}/flags/br/br.gif`),
        /self-signed|unable to (get|verify)|certificate/i,
      );
    } finally {
      await dispatcher.close();
    }
  });
});

test('HTTP/1.1 by ALPN on the same port: node:https with the CA', async () => {
  await withTls({}, async (s, ca) => {
    const got = await new Promise<{ status: number; version: string; bytes: number }>((resolve, reject) => {
      https
        .get(`https://localhost:${s.port}/flags/br/br.gif`, { ca }, (res) => {
          let bytes = 0;
          res.on('data', (d: Buffer) => (bytes += d.length));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, version: res.httpVersion, bytes }));
        })
        .on('error', reject);
    });
    assert.deepEqual(got, { status: 200, version: '1.1', bytes: BR.length });
    assert.equal(s.stats.byProtocol.h1, 1);
    assert.equal(s.stats.byProtocol.h2, 0);
  });
});

test('HTTP/2: 40 requests on one session run as concurrent streams; the stats count the session, the streams and their peak', async () => {
  await withTls({ delayMs: 150 }, async (s, ca) => {
    const session = await connectH2(s, ca);
    try {
      const codes = ['br', 'cn', 'in', 'us', 'id', 'pk', 'ng', 'bd'];
      const all = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          h2get(session, `/flags/${codes[i % 8] ?? 'br'}/${codes[i % 8] ?? 'br'}.gif`),
        ),
      );
      assert.ok(all.every((r) => r.status === 200 && r.bytes.length === r.declared && r.rstCode === 0));
      assert.deepEqual(all[0]?.bytes, BR);
      assert.equal(s.stats.sessions, 1);
      assert.equal(s.stats.streams, 40);
      assert.equal(s.stats.byProtocol.h2, 40);
      assert.equal(s.stats.connections, 1);
      assert.ok(
        s.stats.peakStreamsPerSession > 1,
        `peak ${s.stats.peakStreamsPerSession}: the streams were not concurrent`,
      );
      assert.equal((await h2get(session, '/flags/zz/zz.gif')).status, 404);
    } finally {
      session.close();
    }
  });
});

test('HTTP/2 faults hit one stream: reset is an RST_STREAM, truncate ends short, ERROR statuses keep the session; the others go on', async () => {
  await withTls({ faults: [{ kind: 'reset', rate: 1 }] }, async (s, ca) => {
    const session = await connectH2(s, ca);
    const [a, b] = await Promise.all([h2get(session, '/flags/br/br.gif'), h2get(session, '/flags/cn/cn.gif')]);
    assert.equal(a.rstCode, http2.constants.NGHTTP2_INTERNAL_ERROR);
    assert.ok(a.bytes.length < a.declared);
    assert.equal(
      b.rstCode,
      http2.constants.NGHTTP2_INTERNAL_ERROR,
      'the second stream on the same session was answered too',
    );
    assert.equal(s.stats.byStatus['reset'], 2);
    session.close();
  });
  await withTls({ faults: [{ kind: 'truncate', rate: 1 }] }, async (s, ca) => {
    const session = await connectH2(s, ca);
    const r = await h2get(session, '/flags/br/br.gif');
    assert.equal(r.status, 200);
    assert.ok(r.bytes.length < r.declared, `${r.bytes.length} of ${r.declared}`);
    session.close();
  });
  await withTls({ errorRate: 0.5, seed: 5 }, async (s, ca) => {
    const session = await connectH2(s, ca);
    const statuses: number[] = [];
    for (const cc of ['br', 'cn', 'in', 'us', 'id', 'pk', 'ng', 'bd', 'ru', 'jp', 'mx', 'ph'])
      statuses.push((await h2get(session, `/flags/${cc}/${cc}.gif`)).status);
    assert.ok(statuses.some((x) => x >= 500) && statuses.some((x) => x === 200), statuses.join(' '));
    assert.equal(s.stats.sessions, 1, 'every answer, errors included, came over the one session');
    session.close();
  });
});

test(
  'TLS limits: a socket that never completes the handshake and an idle HTTP/2 session are closed',
  { timeout: 20_000 },
  async () => {
    await withTls({ limits: { headersTimeoutMs: 300, idleTimeoutMs: 300 } }, async (s, ca) => {
      const silent = net.connect(s.port, '127.0.0.1');
      silent.on('error', () => undefined);
      const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
      const session = await connectH2(s, ca);
      assert.equal((await h2get(session, '/flags/br/br.gif')).status, 200);
      await Promise.all([silentClosed, new Promise<void>((resolve) => session.once('close', () => resolve()))]);
      const h1 = tls.connect({
        port: s.port,
        host: '127.0.0.1',
        servername: 'localhost',
        ca,
        ALPNProtocols: ['http/1.1'],
      });
      h1.on('error', () => undefined);
      let text = '';
      h1.on('data', (d: Buffer) => (text += d.toString('latin1')));
      await new Promise<void>((resolve) => h1.once('close', () => resolve()));
      assert.match(text, /^HTTP\/1\.1 408 /, 'silent HTTP/1.1 over TLS gets 408 at the headers deadline');
    });
  },
);

test('h2c: cleartext HTTP/2 by prior knowledge (node:http2, undici useH2c) multiplexes; an HTTP/1.1 request gets no answer', async () => {
  const s = await startFlagServer({ h2c: true, delayMs: 100 });
  try {
    assert.match(s.url, /^http:\/\//);
    const session = http2.connect(s.url.replace('/flags', ''));
    const all = await Promise.all(['br', 'cn', 'in', 'us', 'fr'].map((cc) => h2get(session, `/flags/${cc}/${cc}.gif`)));
    session.close();
    assert.ok(all.every((r) => r.status === 200 && r.bytes.length === r.declared));
    assert.ok(s.stats.peakStreamsPerSession > 1, `peak ${s.stats.peakStreamsPerSession}`);
    const client = new Client(s.url.replace('/flags', ''), { useH2c: true, pipelining: 10 } as Client.Options);
    const res = await client.request({ path: '/flags/br/br.gif', method: 'GET' });
    assert.deepEqual(Buffer.from(await res.body.arrayBuffer()), BR);
    await client.close();
    assert.equal(s.stats.byProtocol.h2, 6);
    assert.equal(s.stats.byProtocol.h1, 0);
    const h1 = net.connect(s.port, '127.0.0.1', () => h1.write('GET /flags/br/br.gif HTTP/1.1\r\nHost: x\r\n\r\n'));
    let text = '';
    h1.on('data', (d: Buffer) => (text += d.toString('latin1')));
    h1.on('error', () => undefined);
    await new Promise<void>((resolve) => h1.once('close', () => resolve()));
    assert.doesNotMatch(text, /^HTTP\/1\.1 200/);
    assert.equal(s.stats.byProtocol.h1, 0);
  } finally {
    await s.close();
  }
});

test('HTTP/1.1 over TLS: reset sends a TCP RST under the TLS session, truncate ends short; the server goes on', async () => {
  for (const kind of ['reset', 'truncate'] as const) {
    await withTls({ faults: [{ kind, rate: 1 }] }, async (s, ca) => {
      const got = await new Promise<{ bytes: number; declared: number; error: string }>((resolve) => {
        let bytes = 0;
        let declared = -1;
        const req = https.get(`https://localhost:${s.port}/flags/br/br.gif`, { ca, agent: false }, (res) => {
          declared = Number(res.headers['content-length']);
          res.on('data', (d: Buffer) => (bytes += d.length));
          res.on('error', (e: NodeJS.ErrnoException) => resolve({ bytes, declared, error: e.code ?? e.message }));
          res.on('end', () => resolve({ bytes, declared, error: 'end' }));
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve({ bytes, declared, error: e.code ?? e.message }));
      });
      assert.ok(got.bytes < got.declared, `${kind}: ${got.bytes} of ${got.declared}`);
      if (kind === 'reset') assert.equal(got.error, 'ECONNRESET');
      assert.equal(s.stats.byStatus[kind], 1);
      const session = await connectH2(s, ca);
      assert.equal((await h2get(session, '/flags/cn/cn.gif')).status, 200, 'still serving');
      session.close();
    });
  }
});
