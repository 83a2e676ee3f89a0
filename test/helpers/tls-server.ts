/**
 * An HTTPS flag server for the client's tests: node:http2's secure server answering HTTP/2
 * and HTTP/1.1 on one port (ALPN), serving the synthetic flags, after `delayMs`. It counts
 * what the client's claims are held against: TLS connections, HTTP/1.1 requests, HTTP/2
 * streams and the peak of streams open at once on one connection.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { syntheticContent } from '../../src/server/index.js';
import type { TestCertificate } from './tls-cert.js';

/** What the server saw. */
export interface TlsServerStats {
  connections: number;
  h1Requests: number;
  h2Streams: number;
  /** Most streams open at once on one HTTP/2 connection. */
  peakStreamsPerConnection: number;
}

/** A running test server. */
export interface TlsFlagServer {
  /** `https://127.0.0.1:PORT/flags` */
  readonly url: string;
  readonly port: number;
  readonly stats: TlsServerStats;
  close(): Promise<void>;
}

/** Start one on `host` (127.0.0.1), port 0. */
export async function startTlsFlagServer(
  cert: TestCertificate,
  delayMs = 0,
  host = '127.0.0.1',
): Promise<TlsFlagServer> {
  const content = syntheticContent();
  const stats: TlsServerStats = { connections: 0, h1Requests: 0, h2Streams: 0, peakStreamsPerConnection: 0 };
  const server = http2.createSecureServer({ key: cert.keyPem, cert: cert.certPem, allowHTTP1: true });
  const open = new Map<object, number>();
  server.on('secureConnection', () => (stats.connections += 1));
  server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    const session = req.httpVersion === '2.0' ? req.stream.session : undefined;
    if (session !== undefined) {
      stats.h2Streams += 1;
      const now = (open.get(session) ?? 0) + 1;
      open.set(session, now);
      stats.peakStreamsPerConnection = Math.max(stats.peakStreamsPerConnection, now);
      res.once('close', () => open.set(session, (open.get(session) ?? 1) - 1));
    } else stats.h1Requests += 1;
    const f = content.get(req.url);
    setTimeout(() => {
      if (f === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      else res.writeHead(200, { 'content-type': 'image/gif', 'content-length': f.body.length }).end(f.body);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s: import('node:net').Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return {
    url: `https://${host}:${port}/flags`,
    port,
    stats,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
