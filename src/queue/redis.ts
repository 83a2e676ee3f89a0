/**
 * The one place that loads BullMQ and ioredis (lazily: only `--queue` and `agent` pay for
 * them) and opens Redis connections. ioredis would retry a lost connection forever and
 * queue commands meanwhile; here each connection gives up after a few reconnects
 * (RECONNECT_DELAYS_MS), and the first one to give up settles `lost`, so a coordinator or an
 * agent can report it in one line and exit instead of hanging. BullMQ's blocking connections need
 * maxRetriesPerRequest: null, which is fine: a closed connection fails its commands at once.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { UsageError } from '../errors.js';
import type { QueueTarget } from './target.js';

/** The two packages, loaded on first use. */
export interface QueueLib {
  readonly bullmq: typeof import('bullmq');
  readonly Redis: typeof Redis;
}

/** Load BullMQ and ioredis (dynamic imports). */
export async function loadQueueLib(): Promise<QueueLib> {
  const [bullmq, ioredis] = await Promise.all([import('bullmq'), import('ioredis')]);
  return { bullmq, Redis: ioredis.Redis };
}

const RECONNECT_DELAYS_MS = [100, 200, 400, 800, 1000];

/** Open connections to one Redis, watched: `lost` rejects with the reason when any is lost. */
export class RedisLink {
  private readonly clients: Redis[] = [];
  private closing = false;
  private lastError = '';
  private fail: (reason: string) => void = () => undefined;
  /** Settles (with the reason) when a connection gave up reconnecting; never resolves otherwise. */
  readonly lost: Promise<string>;

  constructor(
    readonly lib: QueueLib,
    readonly target: QueueTarget,
  ) {
    this.lost = new Promise((resolve) => {
      this.fail = resolve;
    });
  }

  /** A new connection; `blocking` for BullMQ Workers and QueueEvents. */
  client(blocking: boolean, name?: string): Redis {
    const options: RedisOptions = {
      maxRetriesPerRequest: blocking ? null : 2,
      connectTimeout: 5000,
      retryStrategy: (times) => RECONNECT_DELAYS_MS[times - 1] ?? null,
      ...(name === undefined ? {} : { connectionName: name }),
      ...(this.target.password === null ? {} : { password: this.target.password }),
    };
    const client = new this.lib.Redis(this.target.url, options);
    client.on('error', (err: Error) => {
      this.lastError = err.message;
    });
    client.on('end', () => {
      if (!this.closing) this.fail(this.lastError === '' ? 'connection closed' : this.lastError);
    });
    this.clients.push(client);
    return client;
  }

  /** Wait until the first connection answers PING on its database; UsageError naming the URL when it cannot. */
  async ready(client: Redis, flag: string): Promise<void> {
    try {
      await Promise.race([client.ping(), this.lost.then((why) => Promise.reject(new Error(why)))]);
    } catch (err) {
      const why = this.lastError !== '' ? this.lastError : err instanceof Error ? err.message : String(err);
      throw new UsageError(
        `cannot reach the queue at ${this.target.shown} (${why}): start Redis there, or fix ${flag}`,
      );
    }
    // ioredis selects the URL's database on connect, but when Redis refuses it (out of range)
    // it goes on with database 0: ask again here, where the refusal can be reported.
    if (this.target.db === 0) return;
    await client.select(this.target.db).catch((err: unknown) => {
      const why = err instanceof Error ? err.message : String(err);
      throw new UsageError(
        `${flag} ${this.target.shown}: that Redis has no database ${this.target.db} (${why}): ` +
          `use one it has (0 to 15 unless redis.conf sets 'databases')`,
      );
    });
  }

  /** The one-line message for a lost connection. */
  lostMessage(reason: string): string {
    return `lost the queue at ${this.target.shown} (${reason}): is Redis still running?`;
  }

  /**
   * Close BullMQ's objects (they close the connections they made themselves), then every
   * connection of ours. Once the server is gone nothing waits for it: ours are cut first.
   */
  async close(owners: readonly ({ close(): Promise<void> } | undefined)[] = []): Promise<void> {
    const gone = new Promise<void>((resolve) => void this.lost.then(() => resolve()));
    const closing = Promise.allSettled(owners.map((o) => o?.close() ?? Promise.resolve()));
    await Promise.race([closing, gone]);
    this.closing = true;
    for (const c of this.clients) c.disconnect();
    await closing;
  }
}
