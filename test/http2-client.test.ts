import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFlagClient } from '../src/download/client.js';
import { runPlan } from '../src/models/index.js';
import { ALL_CODES } from '../src/countries.js';
import { settingsFor, planFor } from './helpers/plans.js';
import { testCertificate } from './helpers/tls-cert.js';
import { startTlsFlagServer } from './helpers/tls-server.js';
import { withServer } from './helpers/flag-server.js';
import { runCli } from './helpers/run-cli.js';
import type { FlagServer } from '../src/server/index.js';

test('HTTP/2: one connection carries many streams at once (peak counted by the server)', async () => {
  const cert = await testCertificate();
  // The delay keeps every stream open until the others have arrived.
  const server = await startTlsFlagServer(cert, 50);
  try {
    const r = await runPlan(
      planFor('loop', ALL_CODES.slice(0, 40), server.url, {
        maxReq: 20,
        fetch: settingsFor(server.url, { caPem: cert.caPem, protocol: 'h2' }),
      }),
    );
    assert.equal(r.counters.ok, 40);
    assert.deepEqual([r.protocol, r.connections], ['h2', 1]);
    assert.equal(server.stats.connections, 1);
    assert.equal(server.stats.h2Streams, 40);
    assert.equal(server.stats.h1Requests, 0);
    assert.equal(server.stats.peakStreamsPerConnection, 20, 'all 20 requests in flight shared the one connection');
  } finally {
    await server.close();
  }
});

test('HTTP/2 with --connections 2: the streams are spread over two connections, the in-flight bound kept', async () => {
  const cert = await testCertificate();
  const server = await startTlsFlagServer(cert, 50);
  try {
    const client = createFlagClient(settingsFor(server.url, { caPem: cert.caPem, protocol: 'h2' }), 10, undefined, 2);
    assert.equal(await client.connect(10), 2);
    const outcomes = await Promise.all(ALL_CODES.slice(0, 10).map((cc) => client.fetchFlag(cc)));
    await client.close();
    assert.ok(outcomes.every((o) => o.kind === 'ok'));
    assert.equal(server.stats.connections, 2);
    assert.equal(server.stats.peakStreamsPerConnection, 5);
  } finally {
    await server.close();
  }
});

test('HTTP/2 in the workers model: one connection per worker thread by default', async () => {
  const cert = await testCertificate();
  const server = await startTlsFlagServer(cert, 20);
  try {
    const r = await runPlan(
      planFor('workers', ALL_CODES.slice(0, 60), server.url, {
        maxReq: 20,
        workers: 2,
        fetch: settingsFor(server.url, { caPem: cert.caPem, protocol: 'h2' }),
      }),
    );
    assert.equal(r.counters.ok, 60);
    assert.deepEqual([r.protocol, r.connections], ['h2', 2]);
    assert.equal(server.stats.connections, 2);
    assert.equal(server.stats.h2Streams, 60);
    assert.ok(server.stats.peakStreamsPerConnection > 1, 'streams ran concurrently on a connection');
  } finally {
    await server.close();
  }
});

/** A TLS flag server that speaks HTTP/1.1 only (ALPN offers http/1.1 alone), answering after `delayMs`. */
async function withHttp1OnlyServer(
  delayMs: number,
  body: (s: FlagServer, caPem: string) => Promise<void>,
): Promise<void> {
  const cert = await testCertificate();
  await withServer({ tls: { key: cert.keyPem, cert: cert.certPem }, http1Only: true, delayMs }, (s) =>
    body(s, cert.caPem),
  );
}

test('--http2 against a server without HTTP/2: ALPN says HTTP/1.1, so each model falls back to a connection per request and reports HTTP/1.1', async () => {
  await withHttp1OnlyServer(30, async (s, caPem) => {
    for (const model of ['loop', 'workers', 'threads'] as const) {
      s.reset();
      const r = await runPlan(
        planFor(model, ALL_CODES.slice(0, 40), s.url, {
          maxReq: 20,
          workers: 2,
          fetch: settingsFor(s.url, { caPem, protocol: 'h2' }),
        }),
      );
      assert.equal(r.counters.ok, 40, model);
      assert.deepEqual([r.protocol, r.connections], ['h1', 20], model);
      assert.equal(s.stats.byProtocol.h2, 0, model);
      // One HTTP/1.1 connection (per thread) would have served them one at a time: a peak of 1 (2).
      // Well above that, not all 20: on a loaded machine the threads model's dispatch lags.
      assert.ok(s.stats.peakInFlight > 4, `${model}: peak ${s.stats.peakInFlight} of the 20 requests in flight`);
    }
  });
});

test('--http2 fallback without connections opened ahead: the first answer says HTTP/1.1 and the requests waiting get connections of their own', async () => {
  await withHttp1OnlyServer(300, async (s, caPem) => {
    const client = createFlagClient(settingsFor(s.url, { caPem, protocol: 'h2' }), 10);
    assert.equal(client.protocol(), undefined, 'nothing connected yet');
    const outcomes = await Promise.all(ALL_CODES.slice(0, 10).map((cc) => client.fetchFlag(cc)));
    await client.close();
    assert.ok(outcomes.every((o) => o.kind === 'ok'));
    assert.equal(client.protocol(), 'h1');
    assert.equal(s.stats.connections, 10);
    assert.ok(s.stats.peakInFlight >= 9, `peak ${s.stats.peakInFlight}: the requests waited on one connection`);
  });
});

test('--http2 against a server without HTTP/2 on the command line: a warning says HTTP/1.1 was used, the JSON says h1', async () => {
  await withHttp1OnlyServer(0, async (s, caPem) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-h1only-'));
    try {
      const caFile = path.join(dir, 'ca.pem');
      await writeFile(caFile, caPem);
      const run = await runCli([
        '-s',
        s.url,
        '--ca',
        caFile,
        '--http2',
        '-m',
        '4',
        '--model',
        'loop',
        '--no-save',
        '--json',
        'BR',
        'FR',
        'CN',
        'IN',
      ]);
      assert.equal(run.code, 0, run.stderr);
      const j = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.deepEqual([j['ok'], j['protocol'], j['connections']], [4, 'h1', 4]);
      assert.equal(
        run.stderr,
        'warning: --http2: the server answered HTTP/1.1 (ALPN), not HTTP/2: the requests went over 4 HTTP/1.1 connections, one in flight on each\n',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
