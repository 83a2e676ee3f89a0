import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';
import { createFlagClient } from '../src/download/client.js';
import { runPlan } from '../src/models/index.js';
import { POP20 } from '../src/countries.js';
import { settingsFor, planFor } from './helpers/plans.js';
import { testCertificate } from './helpers/tls-cert.js';
import { startTlsFlagServer } from './helpers/tls-server.js';

test('https: the CA trusted through the settings (--ca) makes real TLS downloads; without it, a certificate error', async () => {
  const cert = await testCertificate();
  const server = await startTlsFlagServer(cert);
  try {
    const trusted = createFlagClient(settingsFor(server.url, { caPem: cert.caPem }), 2);
    assert.equal(await trusted.connect(2), 2);
    const ok = await trusted.fetchFlag('BR');
    assert.equal(ok.kind, 'ok');
    assert.ok(ok.bytes > 0);
    assert.equal((await trusted.fetchFlag('ZZ')).kind, 'not-found');
    await trusted.close();
    assert.equal(server.stats.h1Requests, 2);
    assert.equal(server.stats.h2Streams, 0);

    const untrusted = createFlagClient(settingsFor(server.url), 1);
    const bad = await untrusted.fetchFlag('BR');
    await untrusted.close();
    assert.deepEqual([bad.kind, bad.reason], ['network', 'certificate']);
    assert.match(
      bad.detail,
      /certificate not trusted \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED|UNABLE_TO_VERIFY/,
    );
  } finally {
    await server.close();
  }
});

test('https: a name the certificate does not hold is a certificate error; insecure skips every check', async () => {
  const cert = await testCertificate();
  // The certificate is for localhost, 127.0.0.1 and ::1, not 127.0.0.2.
  const server = await startTlsFlagServer(cert, 0, '127.0.0.2');
  try {
    const insecure = createFlagClient(settingsFor(server.url, { insecure: true }), 1);
    assert.equal((await insecure.fetchFlag('BR')).kind, 'ok');
    await insecure.close();
    const wrongName = createFlagClient(settingsFor(server.url, { caPem: cert.caPem }), 1);
    const named = await wrongName.fetchFlag('BR');
    await wrongName.close();
    assert.equal(named.reason, 'certificate name');
  } finally {
    await server.close();
  }
});

test('loop and workers over TLS: handshakes are start-up (connectMs, connections), counts add up', async () => {
  const cert = await testCertificate();
  const server = await startTlsFlagServer(cert);
  try {
    for (const model of ['loop', 'workers'] as const) {
      const before = server.stats.connections;
      const r = await runPlan(
        planFor(model, POP20, server.url, {
          maxReq: 8,
          workers: 2,
          fetch: settingsFor(server.url, { caPem: cert.caPem }),
        }),
      );
      assert.equal(r.counters.ok, 20, model);
      assert.equal(r.protocol, 'h1');
      assert.equal(r.connections, 8, model);
      assert.ok(r.connectMs > 0);
      assert.equal(server.stats.connections - before, 8, `${model}: every connection was opened ahead and reused`);
    }
  } finally {
    await server.close();
  }
});

test('download over https: --ca trusts the CA, no flag is one line and exit 1, --insecure says so', async () => {
  const cert = await testCertificate();
  const server = await startTlsFlagServer(cert);
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-ca-'));
  try {
    const caFile = path.join(dir, 'ca.pem');
    await writeFile(caFile, cert.caPem);
    const args = ['BR', 'FR', '-s', server.url, '--no-save', '--model', 'loop'];
    const trusted = await runCli([...args, '--ca', caFile, '--json']);
    assert.equal(trusted.code, 0, trusted.stderr);
    const j = JSON.parse(trusted.stdout) as Record<string, unknown>;
    assert.deepEqual([j['ok'], j['protocol'], j['connections']], [2, 'h1', 2]);
    assert.equal(trusted.stderr, '');

    const untrusted = await runCli(args);
    assert.equal(untrusted.code, 1);
    assert.equal(untrusted.stderr.trim().split('\n').length, 1, untrusted.stderr);
    assert.match(
      untrusted.stderr,
      /^error: no server could be trusted at https:.*\(certificate\): trust its CA with --ca FILE/,
    );

    const insecure = await runCli([...args, '--insecure']);
    assert.equal(insecure.code, 0, insecure.stderr);
    assert.equal(insecure.stderr, 'warning: --insecure: TLS certificates are not verified\n');
    assert.match(insecure.stdout, /^ {2}2 flags downloaded\.$/m);

    const h2 = await runCli([...args, '--ca', caFile, '--http2', '-m', '2', '--json']);
    assert.equal(h2.code, 0, h2.stderr);
    const k = JSON.parse(h2.stdout) as Record<string, unknown>;
    assert.deepEqual([k['ok'], k['protocol'], k['connections']], [2, 'h2', 1]);
    assert.ok(server.stats.h2Streams >= 2);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
