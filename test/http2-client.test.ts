import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFlagClient } from '../src/download/client.js';
import { runPlan } from '../src/models/index.js';
import { ALL_CODES } from '../src/countries.js';
import { settingsFor, planFor } from './helpers/plans.js';
import { testCertificate } from './helpers/tls-cert.js';
import { startTlsFlagServer } from './helpers/tls-server.js';

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
