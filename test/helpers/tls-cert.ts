/**
 * A throw-away CA and a server certificate it signs for localhost, 127.0.0.1 and ::1, made
 * with the openssl command (absent: `undefined`, and the TLS tests skip with a note).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** PEM texts of a test CA and of the server certificate and key it signed. */
export interface TestCertificate {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

let made: TestCertificate | undefined | null = null;

/** The test certificate (made once per process), or undefined when openssl is missing. */
export function testCertificate(): TestCertificate | undefined {
  if (made !== null) return made;
  const dir = mkdtempSync(path.join(tmpdir(), 'flagfetch-cert-'));
  const at = (f: string): string => path.join(dir, f);
  const ossl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  try {
    ossl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=flagfetch test CA',
    );
    ossl('req', ...ec, '-keyout', at('key.pem'), '-out', at('leaf.csr'), '-subj', '/CN=localhost');
    writeFileSync(at('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n');
    const sign = ['-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '2'];
    ossl('x509', '-req', '-in', at('leaf.csr'), ...sign, '-out', at('cert.pem'), '-extfile', at('ext.cnf'));
    const read = (f: string): string => readFileSync(at(f), 'utf8');
    made = { caPem: read('ca.pem'), certPem: read('cert.pem'), keyPem: read('key.pem') };
  } catch {
    made = undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return made;
}

/** Why the TLS tests were skipped, or false to run them. */
export function skipWithoutOpenssl(): string | false {
  return testCertificate() === undefined ? 'openssl is not installed: TLS tests skipped' : false;
}
