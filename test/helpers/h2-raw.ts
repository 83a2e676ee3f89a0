/** node:http2 by hand, for tests that must see frames undici hides: RST codes, GOAWAY, streams refused. */
import http2 from 'node:http2';

/** What one stream got: status, body, its RST code (0 when it ended cleanly) and the Content-Length it declared. */
export interface H2Got {
  readonly status: number;
  readonly bytes: Buffer;
  readonly rstCode: number;
  readonly declared: number;
}

/** One HTTP/2 GET on `session`; never rejects (a broken stream resolves with what arrived). */
export function h2get(session: http2.ClientHttp2Session, path: string): Promise<H2Got> {
  return new Promise((resolve) => {
    const stream = session.request({ ':path': path });
    const chunks: Buffer[] = [];
    let status = 0;
    let declared = -1;
    stream.on('response', (h) => {
      status = Number(h[':status']);
      declared = Number(h['content-length'] ?? -1);
    });
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('error', () => undefined);
    stream.on('close', () => resolve({ status, bytes: Buffer.concat(chunks), rstCode: stream.rstCode ?? 0, declared }));
  });
}

/** An HTTP/2 session to the server of base URL `url` (https, trusting `ca`; or h2c without it). */
export function connectH2(url: string, ca?: string): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(new URL(url).origin, ca === undefined ? {} : { ca });
    session.on('error', () => undefined);
    session.once('connect', () => resolve(session));
    session.once('close', () => reject(new Error('session closed before it connected')));
  });
}
