/**
 * Certificates for `serve --tls`: made at start, in memory, for localhost, 127.0.0.1 and ::1
 * (a throw-away CA that signs one server certificate, ECDSA P-256, so that strict verifiers
 * such as Python 3.13's accept it), or read from `--cert FILE --key FILE`. The library
 * (@peculiar/x509 over Node's WebCrypto) is imported only here, only for --tls.
 */
import { readFile } from 'node:fs/promises';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { UsageError } from '../errors.js';
import { printable } from '../countries.js';
import type { TlsIdentity } from './secure-transport.js';

/** What a TLS server presents, and the certificate a client should trust (PEM). */
export interface TlsMaterial extends TlsIdentity {
  /** The CA certificate clients trust (curl --cacert, SSL_CERT_FILE); undefined for --cert files. */
  readonly caPem: string | undefined;
}

/** Names the generated certificate is valid for. */
export const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'] as const;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** A fresh CA and a server certificate it signs for LOCAL_NAMES, valid from an hour ago for a year. */
export async function makeLocalCertificate(): Promise<TlsMaterial> {
  await import('reflect-metadata'); // @peculiar/x509 needs the Reflect metadata API (tsyringe)
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const notBefore = new Date(Date.now() - 3_600_000);
  const notAfter = new Date(Date.now() + 365 * DAY_MS);
  const serial = (): string =>
    Buffer.from(webcrypto.getRandomValues(new Uint8Array(12)))
      .toString('hex')
      .replace(/^./, '1');
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=flagfetch serve --tls local CA, O=flagfetch',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost, O=flagfetch',
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        LOCAL_NAMES.map((n) => ({ type: n.includes('.') || n.includes(':') ? 'ip' : 'dns', value: n }) as const),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  const caPem = ca.toString('pem') + '\n';
  return { key, cert: leaf.toString('pem') + '\n' + caPem, caPem };
}

/** Read `--cert` and `--key` (PEM) and check that they make a usable pair. */
export async function readCertificate(certFile: string, keyFile: string): Promise<TlsMaterial> {
  const read = async (flag: string, file: string): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
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
      `--cert '${printable(certFile)}' and --key '${printable(keyFile)}' are not a usable PEM certificate and key (${reason}): give the server certificate and its private key`,
    );
  }
  return { key, cert, caPem: undefined };
}
