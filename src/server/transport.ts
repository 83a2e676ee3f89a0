/**
 * The sockets under the flag server. Plain HTTP/1.1 here (node:http); TLS with HTTP/2 in
 * secure-transport.ts, loaded only for --tls. Both get the same limits (limits.ts) and feed
 * the same connection counters.
 */
import http from 'node:http';
import type net from 'node:net';
import { checkIntervalMs, type ServerLimits } from './limits.js';
import type { FlagRequest, FlagResponse } from './respond.js';
import type { StatsRecorder } from './stats.js';

/** A server ready to listen, and a way to end every connection it holds. */
export interface Transport {
  readonly server: net.Server;
  /** Destroy every open connection (after server.close()). */
  destroyAll(): void;
}

/** The handler every transport calls for a request (HTTP/1.x or an HTTP/2 stream). */
export type FlagHandler = (req: FlagRequest, res: FlagResponse) => void;

/** Builds one transport per listening address. */
export type TransportMaker = () => Transport;

/** Cap `server`'s connections and count them (TCP level, before any TLS). */
export function track(server: net.Server, limits: ServerLimits, stats: StatsRecorder): Transport {
  const sockets = new Set<net.Socket>();
  server.maxConnections = limits.maxConnections;
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    stats.connect();
    socket.once('close', () => {
      sockets.delete(socket);
      stats.disconnect();
    });
  });
  server.on('drop', () => stats.refuse());
  return {
    server,
    destroyAll: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** node:http server options of `limits`: deadlines for headers and request, idle keep-alive closed. */
export function http1Options(limits: ServerLimits): http.ServerOptions {
  return {
    keepAlive: true,
    noDelay: true,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.idleTimeoutMs,
    connectionsCheckingInterval: checkIntervalMs(limits),
  };
}

/** Plain HTTP/1.1 with deadlines for headers and request, idle keep-alive closed, connections capped. */
export function plainTransport(handle: FlagHandler, limits: ServerLimits, stats: StatsRecorder): TransportMaker {
  return () => track(http.createServer(http1Options(limits), handle), limits, stats);
}
