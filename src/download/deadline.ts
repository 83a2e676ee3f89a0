/**
 * `--timeout MS` as curl's `--max-time`: one attempt, from sending (connecting included) to
 * its last byte, gets MS milliseconds, however slowly the server dribbles. undici's own
 * headers/body timeouts bound only each wait, and on a coarse clock; this one is precise to
 * the millisecond. A retry (after its backoff, which does not count) gets a fresh MS.
 *
 * One timer per client, not one per attempt: every attempt of a client has the same MS, so
 * their deadlines come in the order the attempts start, and a queue in that order needs one
 * timer, set for the earliest deadline still open. (A Node timer per attempt, set and cleared
 * for every request, is a measurable share of a request's CPU on a fast server; the queue costs
 * next to nothing.)
 */
import { performance } from 'node:perf_hooks';
import { FetchFailure, timeoutFailure } from './classify.js';

/** The error an attempt ends with when its time is up. */
export class DeadlineExpired extends FetchFailure {}

/** One attempt's place in the queue. */
interface Entry {
  readonly at: number;
  readonly expire: (err: DeadlineExpired) => void;
  open: boolean;
}

/** The deadlines of one client's attempts, all `ms` long, in the order they started. */
export class Deadlines {
  private entries: Entry[] = [];
  private head = 0;
  private open = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly ms: number) {}

  /** Entries held: the open ones and closed ones not yet dropped (never more than twice the open ones and 64). */
  get held(): number {
    return this.entries.length - this.head;
  }

  /** True while the queue's timer is set (only when a deadline is open). */
  get waiting(): boolean {
    return this.timer !== undefined;
  }

  /** Open a deadline `ms` from now; `expire` is called once if it is not closed by then. */
  add(expire: (err: DeadlineExpired) => void): Entry {
    const entry: Entry = { at: performance.now() + this.ms, expire, open: true };
    this.entries.push(entry);
    this.open += 1;
    if (this.timer === undefined) this.wake(this.ms);
    return entry;
  }

  /** Close a deadline (its attempt ended, or paused for a retry's backoff). */
  close(entry: Entry): void {
    if (!entry.open) return;
    entry.open = false;
    this.open -= 1;
    this.trim();
  }

  /** Drop closed entries from the head; compact when a slow attempt holds many closed ones behind it. */
  private trim(): void {
    while (this.head < this.entries.length && this.entries[this.head]?.open === false) this.head += 1;
    const queued = this.entries.length - this.head;
    if (this.head > 0 && (this.head === this.entries.length || this.head >= queued)) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    if (queued > 2 * this.open + 64) {
      this.entries = this.entries.filter((e) => e.open);
      this.head = 0;
    }
    if (this.open === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private wake(ms: number): void {
    // Set only while a deadline is open (trim clears it), as a timer per attempt was.
    this.timer = setTimeout(() => this.due(), Math.max(1, Math.ceil(ms)));
  }

  /** The timer fired: expire every deadline that is due, then wait for the earliest still open. */
  private due(): void {
    this.timer = undefined;
    const now = performance.now();
    for (let i = this.head; i < this.entries.length; i += 1) {
      const e = this.entries[i];
      if (e === undefined || !e.open) continue;
      if (e.at > now) break;
      this.close(e);
      e.expire(new DeadlineExpired(timeoutFailure(this.ms)));
      i = this.head - 1;
    }
    this.trim();
    const next = this.entries[this.head];
    if (next !== undefined && this.timer === undefined) this.wake(next.at - performance.now());
  }
}

/** The clock of one request's attempts; `expire` is what the GET does when time is up. */
export class Deadline {
  private entry: Entry | undefined;
  private expire: ((err: DeadlineExpired) => void) | undefined;

  constructor(private readonly deadlines: Deadlines) {}

  /** Start the first attempt's clock; `expire` is called once if it runs out. */
  start(expire: (err: DeadlineExpired) => void): void {
    this.expire = expire;
    this.arm();
  }

  /** Start a fresh attempt's clock. */
  arm(): void {
    this.pause();
    if (this.expire !== undefined) this.entry = this.deadlines.add(this.expire);
  }

  /** Stop the clock (between attempts, or when the request has ended). */
  pause(): void {
    if (this.entry !== undefined) this.deadlines.close(this.entry);
    this.entry = undefined;
  }
}
