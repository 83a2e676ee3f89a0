/**
 * What a server saw, so tests and benchmarks can check what clients really did: requests,
 * responses by status (or by fault), the peak number of requests in flight, connections
 * (open, peak, refused over the cap) and, for HTTP/2, sessions and the peak number of
 * streams one session carried at once (proof that a client multiplexed).
 */

/** The counters as plain data (what `stats` answers over IPC for an embedded server). */
export interface ServerStatsSnapshot {
  readonly requests: number;
  readonly inFlight: number;
  readonly peakInFlight: number;
  /** Responses by status (`"200"`, `"404"`) or by fault without a status (`"reset"`, `"stall"`). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests by protocol: `h1` (HTTP/1.x, plain or TLS) and `h2`. */
  readonly byProtocol: Readonly<{ h1: number; h2: number }>;
  /** TCP connections accepted (TLS or not, any protocol). */
  readonly connections: number;
  readonly openConnections: number;
  readonly peakOpenConnections: number;
  /** Connections closed at once because `maxConnections` were open. */
  readonly refusedConnections: number;
  /** HTTP/2 sessions opened. */
  readonly sessions: number;
  /** HTTP/2 streams (requests) opened; equals `byProtocol.h2`. */
  readonly streams: number;
  /** The most streams one HTTP/2 session had open at the same time. */
  readonly peakStreamsPerSession: number;
}

/** Counters of one server (all its hosts). */
export interface ServerStats extends ServerStatsSnapshot {
  /** Zero every counter (what is open now stays counted as open). */
  reset(): void;
  /** A copy of the counters as plain data. */
  snapshot(): ServerStatsSnapshot;
}

/** The mutable side of ServerStats, used by the request handler and the transport. */
export class StatsRecorder implements ServerStats {
  requests = 0;
  inFlight = 0;
  peakInFlight = 0;
  byStatus: Record<string, number> = {};
  byProtocol = { h1: 0, h2: 0 };
  connections = 0;
  openConnections = 0;
  peakOpenConnections = 0;
  refusedConnections = 0;
  sessions = 0;
  streams = 0;
  peakStreamsPerSession = 0;

  arrive(protocol: 'h1' | 'h2'): void {
    this.requests += 1;
    this.byProtocol[protocol] += 1;
    this.inFlight += 1;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
  }

  leave(): void {
    this.inFlight -= 1;
  }

  answer(status: number | string): void {
    const key = String(status);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
  }

  connect(): void {
    this.connections += 1;
    this.openConnections += 1;
    if (this.openConnections > this.peakOpenConnections) this.peakOpenConnections = this.openConnections;
  }

  disconnect(): void {
    this.openConnections -= 1;
  }

  refuse(): void {
    this.refusedConnections += 1;
  }

  /** A stream opened on a session that now has `open` streams open. */
  stream(open: number): void {
    this.streams += 1;
    if (open > this.peakStreamsPerSession) this.peakStreamsPerSession = open;
  }

  reset(): void {
    this.requests = 0;
    this.peakInFlight = this.inFlight;
    this.byStatus = {};
    this.byProtocol = { h1: 0, h2: 0 };
    this.connections = 0;
    this.peakOpenConnections = this.openConnections;
    this.refusedConnections = 0;
    this.sessions = 0;
    this.streams = 0;
    this.peakStreamsPerSession = 0;
  }

  snapshot(): ServerStatsSnapshot {
    const {
      requests,
      inFlight,
      peakInFlight,
      connections,
      openConnections,
      peakOpenConnections,
      refusedConnections,
      sessions,
      streams,
      peakStreamsPerSession,
    } = this;
    return {
      requests,
      inFlight,
      peakInFlight,
      byStatus: { ...this.byStatus },
      byProtocol: { ...this.byProtocol },
      connections,
      openConnections,
      peakOpenConnections,
      refusedConnections,
      sessions,
      streams,
      peakStreamsPerSession,
    };
  }
}
