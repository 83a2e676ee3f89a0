/**
 * The request slots of a connection set: an idle stack handed out in constant time, the
 * requests waiting for one, and how many slots each connection has (1 over HTTP/1.1, its
 * streams over HTTP/2). When a set falls back from HTTP/2 to HTTP/1.1 its connections keep
 * fewer slots: the extra ones are dropped as they come back.
 */
import type { Dispatcher } from 'undici';

/** Slots of up to `perConnection` requests on each connection; `more` makes a new connection's first slot when one may be made. */
export class Slots {
  private idle: Dispatcher[] = [];
  private readonly waiting: ((d: Dispatcher) => void)[] = [];
  private readonly count = new Map<Dispatcher, number>();

  constructor(
    private perConnection: number,
    private readonly more: () => Dispatcher | undefined,
  ) {}

  /** An idle slot, or undefined. */
  pop(): Dispatcher | undefined {
    return this.idle.pop();
  }

  /** The next slot to become free. */
  wait(): Promise<Dispatcher> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A new connection `d`, whose first slot its maker hands out; with `all`, its other slots too. */
  track(d: Dispatcher, all: boolean): void {
    this.count.set(d, 1);
    if (all) this.grant(d, this.perConnection - 1);
  }

  /** Every connection gets its full share of slots (at `perConnection`, when given). */
  fill(perConnection = this.perConnection): void {
    if (perConnection < this.perConnection) {
      this.idle = this.idle.filter((d) => {
        const n = this.count.get(d) ?? 0;
        if (n > perConnection) this.count.set(d, n - 1);
        return n <= perConnection;
      });
    }
    this.perConnection = perConnection;
    for (const [d, n] of this.count) this.grant(d, perConnection - n);
    this.serveWaiting();
  }

  /** A slot is free again once its request (body included) has ended; one beyond the share is dropped. */
  release(d: Dispatcher): void {
    const n = this.count.get(d) ?? 0;
    if (n > this.perConnection) {
      this.count.set(d, n - 1);
      this.serveWaiting();
    } else this.give(d);
  }

  /** Hand out `n` more slots of `d`. */
  private grant(d: Dispatcher, n: number): void {
    for (let i = 0; i < n; i += 1) {
      this.count.set(d, (this.count.get(d) ?? 0) + 1);
      this.give(d);
    }
  }

  /** A slot to the first request waiting, or back to the idle stack. */
  private give(d: Dispatcher): void {
    const next = this.waiting.shift();
    if (next === undefined) this.idle.push(d);
    else next(d);
  }

  /** Requests waiting get the first slots of new connections while there may be more. */
  private serveWaiting(): void {
    while (this.waiting.length > 0) {
      const d = this.more();
      if (d === undefined) return;
      this.waiting.shift()?.(d);
    }
  }
}
