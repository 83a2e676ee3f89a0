/** The outcomes of a run as an async iterable: pushed as they come, kept until read, ended with the run. */
import type { Outcome } from '../download/outcome.js';

/** A queue of outcomes read with `for await`; unread outcomes are kept (the threads cannot be slowed). */
export class OutcomeQueue implements AsyncIterable<Outcome> {
  private readonly items: Outcome[] = [];
  private waiting: (() => void) | undefined;
  private ended = false;
  private error: Error | undefined;

  /** Add one outcome. */
  push(o: Outcome): void {
    this.items.push(o);
    this.wake();
  }

  /** No more outcomes; with `error`, the iteration throws it once the kept ones are read. */
  end(error?: Error): void {
    this.ended = true;
    this.error = error;
    this.wake();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Outcome> {
    let read = 0;
    for (;;) {
      if (read < this.items.length) {
        const o = this.items[read] as Outcome;
        read += 1;
        yield o;
        continue;
      }
      if (this.ended) {
        if (this.error !== undefined) throw this.error;
        return;
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }
}
