/**
 * Issue 22 §13: with --ca given, a certificate that has expired or names another host ends the
 * run with its cause in the one line (not "trust its CA with --ca"); a --ca PEM with valid
 * armour and garbage inside is refused before the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeLocalCertificate } from '../src/server/certificate.js';
import { runCli } from './helpers/run-cli.js';
import { testCertificate, type TestCertificate } from './helpers/tls-cert.js';
import { startTlsFlagServer } from './helpers/tls-server.js';
import { withTempDir } from './helpers/temp-dir.js';

/** Download BR from `cert`'s server on `host` with its CA given: the run's exit code and stderr. */
async function withCaFrom(cert: TestCertificate, host: string): Promise<{ code: number; stderr: string }> {
  const server = await startTlsFlagServer(cert, 0, host);
  try {
    let result = { code: -1, stderr: '' };
    await withTempDir(async (dir) => {
      const ca = path.join(dir, 'ca.pem');
      await writeFile(ca, cert.caPem);
      result = await runCli(['BR', '-s', server.url, '--ca', ca, '--no-save', '--retries', '0']);
    });
    return result;
  } finally {
    await server.close();
  }
}

test('--ca given, a certificate for another name: the one line says so', async () => {
  // The test certificate is for localhost, 127.0.0.1 and ::1, not 127.0.0.2.
  const r = await withCaFrom(await testCertificate(), '127.0.0.2');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error: no server could be trusted at .* \(certificate name\): .*not for this host name/m);
  assert.doesNotMatch(r.stderr, /trust its CA/);
});

test('--ca given, an expired certificate: the one line says so', async () => {
  const expired = await makeLocalCertificate({ notAfter: new Date(Date.now() - 60_000) });
  const cert = { caPem: expired.caPem, certPem: expired.cert, keyPem: expired.key };
  const r = await withCaFrom(cert, '127.0.0.1');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error: no server could be trusted at .* \(certificate expired\): .*has expired/m);
  assert.doesNotMatch(r.stderr, /trust its CA/);
});

test('--ca: valid armour with garbage inside is refused before the run, exit 2', async () => {
  await withTempDir(async (dir) => {
    const ca = path.join(dir, 'garbage.pem');
    await writeFile(ca, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    for (const args of [
      ['BR', '-s', 'https://127.0.0.1:9/flags', '--ca', ca],
      ['bench', '-s', 'https://127.0.0.1:9/flags', '--ca', ca],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^error: --ca '.*garbage\.pem': certificate 1 of 1 is not a valid certificate/);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
