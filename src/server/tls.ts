/**
 * Certificates for `serve --tls`: made at start, in memory, for localhost, 127.0.0.1 and ::1
 * (certificate.ts), or read from `--cert FILE --key FILE`. Loaded only for --tls.
 */
import { readBounded } from '../read-bounded.js';
import { createSecureContext } from 'node:tls';
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';
import type { TlsIdentity } from './h2-transport.js';

/** What a TLS server presents, and the certificate a client should trust (PEM). */
export interface TlsMaterial extends TlsIdentity {
  /** The CA certificate clients trust (curl --cacert, SSL_CERT_FILE); undefined for --cert files. */
  readonly caPem: string | undefined;
}

/** A certificate made at start (certificate.ts, loaded only here: @peculiar/x509 is large). */
export async function makeLocalCertificate(): Promise<TlsMaterial> {
  const maker = await import('./certificate.js');
  return maker.makeLocalCertificate();
}

/** Read `--cert` and `--key` (PEM) and check that they make a usable pair. */
export async function readCertificate(certFile: string, keyFile: string): Promise<TlsMaterial> {
  const read = async (flag: string, file: string): Promise<string> => {
    try {
      return (await readBounded(file)).toString('utf8');
    } catch (err) {
      throw new UsageError(
        `${flag} '${printable(file)}' cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): give a PEM file`,
      );
    }
  };
  const cert = await read('--cert', certFile);
  const key = await read('--key', keyFile);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0] ?? 'invalid';
    throw new UsageError(
      `--cert '${printable(certFile)}' and --key '${printable(keyFile)}' are not a usable PEM certificate ` +
        `and key (${reason}): give the server certificate and its private key`,
    );
  }
  return { key, cert, caPem: undefined };
}
