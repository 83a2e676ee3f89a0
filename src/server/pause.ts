/**
 * A server-wide pause, once (`serve --pause-after N --pause-ms MS`): when the N-th request
 * arrives, nothing leaves the server for MS milliseconds — no answer, DELAY's and ERROR's
 * included — as a stop-the-world garbage collection or a stalled disk would. Requests keep
 * arriving and wait; at the end of the pause every one held is answered. The demonstration
 * of coordinated omission: a closed-model client sends nothing while it waits.
 */
import { performance } from 'node:perf_hooks';

/** When the pause comes and how long it lasts. */
export interface PauseSpec {
  /** The pause starts as this request (counted from 1 since start or reset) arrives. */
  readonly afterRequests: number;
  readonly ms: number;
}

/** The pause's state on one server. */
export class Pause {
  private arrivals = 0;
  private untilMs = 0;

  constructor(private readonly spec: PauseSpec) {}

  /** Count one arrival (the N-th starts the pause). */
  arrive(): void {
    this.arrivals += 1;
    if (this.arrivals === this.spec.afterRequests) this.untilMs = performance.now() + this.spec.ms;
  }

  /** How long an answer must still be held, in milliseconds (0: not paused). */
  holdMs(): number {
    return Math.max(0, this.untilMs - performance.now());
  }

  /** Count again from zero: the next N-th arrival pauses once more. */
  reset(): void {
    this.arrivals = 0;
    this.untilMs = 0;
  }
}
