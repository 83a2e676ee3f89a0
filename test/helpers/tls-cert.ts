/**
 * A throw-away CA and a server certificate it signs for localhost, 127.0.0.1 and ::1: the
 * one `flagfetch serve --tls` makes (src/server/tls.ts), made once per test process.
 */
import { makeLocalCertificate } from '../../src/server/tls.js';

/** PEM texts of a test CA and of the server certificate and key it signed. */
export interface TestCertificate {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

let made: Promise<TestCertificate> | undefined;

/** The test certificate (made once per process). */
export function testCertificate(): Promise<TestCertificate> {
  made ??= makeLocalCertificate().then((m) => {
    if (m.caPem === undefined) throw new Error('makeLocalCertificate gave no CA');
    return { caPem: m.caPem, certPem: m.cert, keyPem: m.key };
  });
  return made;
}
