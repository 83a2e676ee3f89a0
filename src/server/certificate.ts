/**
 * The certificate `serve --tls` makes at start, in memory: a throw-away CA that signs one
 * server certificate for localhost, 127.0.0.1 and ::1 (ECDSA P-256, so that strict verifiers
 * such as Python 3.13's accept the chain), with @peculiar/x509 over Node's WebCrypto.
 * Loaded only by `serve --tls` (server/tls.ts): @peculiar/x509 and its dependencies are large.
 */
import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata API (tsyringe)
import * as x509 from '@peculiar/x509';
import { createPrivateKey, webcrypto } from 'node:crypto';

/** A generated key and certificate chain (PEM), and the CA certificate clients trust. */
export interface LocalCertificate {
  readonly key: string;
  readonly cert: string;
  readonly caPem: string;
}

/** Names the generated certificate is valid for. */
export const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'] as const;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/**
 * A fresh CA and a server certificate it signs for LOCAL_NAMES, valid from an hour ago for a
 * year unless `leafValid` says otherwise (tests make expired ones with it).
 */
export async function makeLocalCertificate(
  leafValid: { notBefore?: Date; notAfter?: Date } = {},
): Promise<LocalCertificate> {
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
    notBefore: leafValid.notBefore ?? notBefore,
    notAfter: leafValid.notAfter ?? notAfter,
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
