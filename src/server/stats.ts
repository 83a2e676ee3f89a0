/**
 * What a server saw, so tests can check what clients really did: requests, responses by
 * status (or by fault), and the peak number of requests in flight.
 */

/** Counters of one server (all its hosts). */
export interface ServerStats {
  readonly requests: number;
  readonly inFlight: number;
  readonly peakInFlight: number;
  /** Responses by status (`"200"`, `"404"`) or by fault without a status (`"reset"`, `"stall"`). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Zero every counter (requests still in flight stay counted as in flight). */
  reset(): void;
}

/** The mutable side of ServerStats, used by the request handler. */
export class StatsRecorder implements ServerStats {
  requests = 0;
  inFlight = 0;
  peakInFlight = 0;
  byStatus: Record<string, number> = {};

  arrive(): void {
    this.requests += 1;
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

  reset(): void {
    this.requests = 0;
    this.peakInFlight = this.inFlight;
    this.byStatus = {};
  }
}
