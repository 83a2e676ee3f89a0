import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import https from 'node:https';
import tls from 'node:tls';
import { parseFault, startFlagServer, syntheticContent, type FlagServer } from '../src/server/index.js';
import { testCertificate } from './helpers/tls-cert.js';
import { connectH2, h2get } from './helpers/h2-raw.js';

const BR = syntheticContent().get('/flags/br/br.gif')?.body ?? Buffer.alloc(0);

/** A TLS flag server (HTTP/2 and HTTP/1.1) with `fault` at rate 1, or the options given. */
async function withTlsServer(
  options: Parameters<typeof startFlagServer>[0],
  body: (s: FlagServer, ca: string) => Promise<void>,
): Promise<void> {
  const cert = await testCertificate();
  const s = await startFlagServer({ ...options, tls: { key: cert.keyPem, cert: cert.certPem } });
  try {
    await body(s, cert.caPem);
  } finally {
    await s.close();
  }
}

/** How a session ended: the GOAWAY code it received (undefined: none) once it closed. */
function goawayOf(session: http2.ClientHttp2Session): Promise<number | undefined> {
  let code: number | undefined;
  session.on('goaway', (c: number) => (code = c));
  return new Promise((resolve) => session.once('close', () => resolve(code)));
}

/** One HTTP/1.1 GET over TLS on a fresh connection: status, bytes, headers, or the error code. */
function h1get(
  s: FlagServer,
  ca: string,
): Promise<{ status: number; bytes: number; connection: string; error: string }> {
  return new Promise((resolve) => {
    let status = 0;
    let bytes = 0;
    let connection = '';
    const req = https.get(`${s.url}/br/br.gif`, { ca, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      connection = String(res.headers.connection ?? '');
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ status, bytes, connection, error: '' }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ status, bytes, connection, error: e.code ?? e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status, bytes, connection, error: e.code ?? e.message }));
  });
}

test('refuse over HTTP/2: RST_STREAM REFUSED_STREAM before any answer; the session stays', async () => {
  await withTlsServer({ faults: [parseFault('refuse:1')] }, async (s, ca) => {
    const session = await connectH2(s.url, ca);
    const [a, b] = await Promise.all([h2get(session, '/flags/br/br.gif'), h2get(session, '/flags/cn/cn.gif')]);
    for (const r of [a, b]) assert.deepEqual([r.status, r.rstCode], [0, http2.constants.NGHTTP2_REFUSED_STREAM]);
    assert.equal((await h2get(session, '/flags/zz/zz.gif')).status, 404, 'the same session answers on');
    assert.equal(s.stats.byStatus['refuse'], 2);
    assert.equal(s.stats.sessions, 1);
    session.close();
  });
});

test('goaway over HTTP/2: the answer whole, then GOAWAY NO_ERROR and the session closed', async () => {
  await withTlsServer({ faults: [parseFault('goaway:1')] }, async (s, ca) => {
    const session = await connectH2(s.url, ca);
    const ended = goawayOf(session);
    const r = await h2get(session, '/flags/br/br.gif');
    assert.deepEqual([r.status, r.rstCode], [200, 0]);
    assert.deepEqual(r.bytes, BR);
    assert.equal(await ended, http2.constants.NGHTTP2_NO_ERROR);
    assert.equal(s.stats.byStatus['goaway'], 1);
  });
});

test('goaway-error over HTTP/2: GOAWAY INTERNAL_ERROR, and every stream in flight is lost', async () => {
  await withTlsServer({ faults: [parseFault('goaway-error:1')], delayMs: 50 }, async (s, ca) => {
    const session = await connectH2(s.url, ca);
    const ended = goawayOf(session);
    const all = await Promise.all(['br', 'cn', 'in'].map((cc) => h2get(session, `/flags/${cc}/${cc}.gif`)));
    assert.ok(
      all.every((r) => r.status === 0 && r.bytes.length === 0),
      JSON.stringify(all.map((r) => r.status)),
    );
    assert.equal(await ended, http2.constants.NGHTTP2_INTERNAL_ERROR);
    assert.ok((s.stats.byStatus['goaway-error'] ?? 0) >= 1);
  });
});

test('the stream limit is announced in SETTINGS (SETTINGS_MAX_CONCURRENT_STREAMS)', async () => {
  await withTlsServer({ limits: { maxStreams: 1 } }, async (s, ca) => {
    const session = await connectH2(s.url, ca);
    if (session.remoteSettings.maxConcurrentStreams !== 1)
      await new Promise((resolve) => session.once('remoteSettings', resolve));
    assert.equal(session.remoteSettings.maxConcurrentStreams, 1);
    session.close();
  });
});

test('the same faults over HTTP/1.1: refuse and goaway-error close the connection unanswered, goaway says Connection: close', async () => {
  for (const kind of ['refuse', 'goaway-error'] as const) {
    await withTlsServer({ faults: [parseFault(`${kind}:1`)] }, async (s, ca) => {
      const r = await h1get(s, ca);
      assert.equal(r.status, 0, kind);
      assert.notEqual(r.error, '', kind);
      assert.equal(s.stats.byStatus[kind], 1);
    });
  }
  await withTlsServer({ faults: [parseFault('goaway:1')] }, async (s, ca) => {
    assert.deepEqual(await h1get(s, ca), { status: 200, bytes: BR.length, connection: 'close', error: '' });
  });
});

test('http1Only: ALPN offers HTTP/1.1 alone, as a server without HTTP/2', async () => {
  await withTlsServer({ http1Only: true }, async (s, ca) => {
    const alpn = await new Promise<string | false>((resolve, reject) => {
      const socket = tls.connect({
        port: s.port,
        host: '127.0.0.1',
        servername: 'localhost',
        ca,
        ALPNProtocols: ['h2', 'http/1.1'],
      });
      socket.once('secureConnect', () => {
        resolve(socket.alpnProtocol ?? false);
        socket.destroy();
      });
      socket.once('error', reject);
    });
    assert.equal(alpn, 'http/1.1');
    const r = await h1get(s, ca);
    assert.deepEqual([r.status, r.bytes, r.error], [200, BR.length, '']);
    assert.deepEqual(s.stats.byProtocol, { h1: 1, h2: 0 });
  });
});

test('--fault parses the new kinds', () => {
  for (const kind of ['refuse', 'goaway', 'goaway-error'])
    assert.deepEqual(parseFault(`${kind}:0.5`), { kind, rate: 0.5 });
});
