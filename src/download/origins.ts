/**
 * A client's connection sets, one per origin (a URL list may span several): each set holds
 * up to `connections` connections of `streams` slots (see connections.ts). The in-flight
 * bound stays the caller's (the model's lanes), whatever the number of origins.
 */
import type { Dispatcher } from 'undici';
import { spokenByAll, type FetchSettings, type Protocol } from './settings.js';
import { Connections, type ConnectionOptions, type SetPlan } from './connections.js';

/**
 * How many connections a client keeps per origin and how many requests share one: 1 for
 * HTTP/1.1, lanes ÷ connections (rounded up) for HTTP/2; and how many connections when HTTP/2
 * was asked for and the server speaks HTTP/1.1 only (the HTTP/1.1 plan).
 */
export type ConnectionPlan = SetPlan;

/**
 * The connection plan of a client with `lanes` requests in flight over at most `connections`
 * connections (undefined: one per lane over HTTP/1.1, one over HTTP/2).
 */
export function connectionPlan(settings: FetchSettings, lanes: number, connections?: number): ConnectionPlan {
  const h1 = Math.max(1, Math.min(lanes, connections ?? lanes));
  if (settings.protocol !== 'h2') return { connections: h1, streams: 1, fallback: h1 };
  const n = Math.max(1, Math.min(lanes, connections ?? 1));
  return { connections: n, streams: Math.ceil(lanes / n), fallback: h1 };
}

/** undici connection options of `settings` (timeouts, TLS trust, ALPN). */
export function connectionOptions(settings: FetchSettings): ConnectionOptions {
  return {
    keepAliveTimeout: 30_000,
    headersTimeout: settings.timeoutMs,
    bodyTimeout: settings.timeoutMs,
    connectTimeout: settings.timeoutMs,
    caPem: settings.caPem,
    insecure: settings.insecure,
    h2: settings.protocol === 'h2',
  };
}

/** The origins a client's work goes to: the targets' (in order of first use), or the base URL's. */
export function originsOf(settings: FetchSettings): string[] {
  if (settings.targets === undefined) return [new URL(settings.baseUrl).origin];
  const origins = new Set<string>();
  for (const t of Object.values(settings.targets)) origins.add(new URL(t.url).origin);
  return [...origins];
}

/** Connection sets by origin, made on first use. */
export class Origins {
  private readonly sets = new Map<string, Connections>();
  private readonly options: ConnectionOptions;

  constructor(
    private readonly settings: FetchSettings,
    private readonly plan: ConnectionPlan,
    private readonly wrap: (d: Dispatcher) => Dispatcher,
  ) {
    this.options = connectionOptions(settings);
  }

  /** The connection set of `origin`. */
  of(origin: string): Connections {
    let set = this.sets.get(origin);
    if (set === undefined) {
      set = new Connections(origin, this.options, this.plan, this.wrap);
      this.sets.set(origin, set);
    }
    return set;
  }

  /** Open up to `n` connections ahead, shared out evenly over the work's origins; resolves with how many are open. */
  async open(n: number): Promise<number> {
    const origins = originsOf(this.settings);
    const each = Math.floor(n / origins.length);
    const extra = n % origins.length;
    const opened = await Promise.all(origins.map((o, i) => this.of(o).open(each + (i < extra ? 1 : 0))));
    return opened.reduce((a, b) => a + b, 0);
  }

  /**
   * The protocol the client's connections speak: HTTP/1.1 when any origin answered HTTP/1.1
   * (undefined: no connection has answered yet).
   */
  protocol(): Protocol | undefined {
    return spokenByAll([...this.sets.values()].map((s) => s.protocol));
  }

  /** Close every set. */
  async close(): Promise<void> {
    await Promise.all([...this.sets.values()].map((s) => s.close()));
  }
}
