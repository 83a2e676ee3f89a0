/**
 * TLS and HTTP/2 transports. Over TLS: HTTP/2 and HTTP/1.1 on the same port, chosen by ALPN
 * (node:http2 with allowHTTP1), with the limits of the plain one: the TLS handshake and
 * HTTP/1.1 headers within headersTimeoutMs, idle HTTP/1.1 connections and HTTP/2 sessions
 * without open streams closed after idleTimeoutMs. In clear text (h2c): HTTP/2 only, by prior
 * knowledge (no HTTP/1.1 on that port). Each session's open streams are counted so a test can
 * see that a client really multiplexed. Over TLS without HTTP/2 (http1Only): HTTP/1.1 alone,
 * as a server that does not speak HTTP/2. Imported lazily: only --tls and --h2c pay for node:http2.
 */
import http2 from 'node:http2';
import https from 'node:https';
import { checkIntervalMs, type ServerLimits } from './limits.js';
import type { StatsRecorder } from './stats.js';
import { http1Options, track, type FlagHandler, type TransportMaker } from './transport.js';

/** Key and certificate chain (PEM) a TLS server presents. */
export interface TlsIdentity {
  readonly key: string;
  readonly cert: string;
}

/**
 * HTTP/2 + HTTP/1.1 over TLS presenting `tls`; with `http1Only`, HTTP/1.1 alone (ALPN offers
 * `http/1.1` only, as nginx without `http2 on` does): a server a client asking for HTTP/2
 * must notice and cope with.
 */
export function secureTransport(
  handle: FlagHandler,
  limits: ServerLimits,
  stats: StatsRecorder,
  tls: TlsIdentity,
  http1Only = false,
): TransportMaker {
  if (http1Only) {
    const options = { ...http1Options(limits), key: tls.key, cert: tls.cert, ALPNProtocols: ['http/1.1'] };
    return () =>
      track(https.createServer({ ...options, handshakeTimeout: limits.headersTimeoutMs }, handle), limits, stats);
  }
  return () => {
    const server = http2.createSecureServer({
      key: tls.key,
      cert: tls.cert,
      allowHTTP1: true,
      handshakeTimeout: limits.headersTimeoutMs,
      settings: { maxConcurrentStreams: limits.maxStreams },
    });
    // HTTP/1.1 on this server: node:http's deadlines, read by Node when it starts listening.
    Object.assign(server, {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.idleTimeoutMs,
      connectionsCheckingInterval: checkIntervalMs(limits),
    });
    server.on('request', handle);
    server.on('session', (session) => watchSession(session, limits, stats));
    return track(server, limits, stats);
  };
}

/** Cleartext HTTP/2 by prior knowledge (h2c): undici's `useH2c`, curl's `--http2-prior-knowledge`. */
export function cleartextTransport(handle: FlagHandler, limits: ServerLimits, stats: StatsRecorder): TransportMaker {
  return () => {
    const server = http2.createServer({ settings: { maxConcurrentStreams: limits.maxStreams } });
    server.on('request', handle);
    server.on('session', (session) => watchSession(session, limits, stats));
    return track(server, limits, stats);
  };
}

/** Count a session's streams; close it once it has been idle with no open stream for idleTimeoutMs. */
function watchSession(session: http2.ServerHttp2Session, limits: ServerLimits, stats: StatsRecorder): void {
  let open = 0;
  stats.sessions += 1;
  session.on('stream', (stream) => {
    open += 1;
    stats.stream(open);
    stream.once('close', () => (open -= 1));
  });
  session.setTimeout(limits.idleTimeoutMs, () => {
    if (open === 0) session.close();
  });
  session.on('error', () => session.destroy());
}
