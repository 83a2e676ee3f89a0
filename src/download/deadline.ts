/**
 * `--timeout MS` as curl's `--max-time`: one attempt, from sending (connecting included) to
 * its last byte, gets MS milliseconds, however slowly the server dribbles. undici's own
 * headers/body timeouts bound only each wait, and on a coarse clock; this is one precise timer
 * per attempt. A retry (after its backoff, which does not count) gets a fresh MS.
 */
import { FetchFailure, timeoutFailure } from './classify.js';

/** The error an attempt ends with when its time is up. */
export class DeadlineExpired extends FetchFailure {}

/** The clock of one request's attempts; `expire` is what the GET does when time is up. */
export class Deadline {
  private timer: NodeJS.Timeout | undefined;
  private expire: ((err: DeadlineExpired) => void) | undefined;

  constructor(readonly ms: number) {}

  /** Start the first attempt's clock; `expire` is called once if it runs out. */
  start(expire: (err: DeadlineExpired) => void): void {
    this.expire = expire;
    this.arm();
  }

  /** Start a fresh attempt's clock. */
  arm(): void {
    this.pause();
    const expire = this.expire;
    if (expire === undefined) return;
    this.timer = setTimeout(() => expire(new DeadlineExpired(timeoutFailure(this.ms))), this.ms);
  }

  /** Stop the clock (between attempts, or when the request has ended). */
  pause(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
