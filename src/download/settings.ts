/** How one download behaves: the settings every client (main thread or worker) is made from. */
import type { WorkKind } from '../cpu-work/kind.js';
import type { UrlTargets } from '../targets/url-list.js';

/**
 * The request header that names a run to the flag server (`serve --seed` counts each run's
 * requests apart, so a run's answers do not depend on the runs before it): one value per run,
 * the same on every connection and thread of it, up to 64 letters, digits, `.`, `_` or `-`.
 */
export const RUN_HEADER = 'x-flagfetch-run';

/** HTTP/1.1, or HTTP/2 over TLS (ALPN) with many streams per connection. */
export type Protocol = 'h1' | 'h2';

/**
 * What several connections (origins, threads) speak together: HTTP/1.1 when any answered
 * HTTP/1.1, HTTP/2 when all that answered did (undefined: none answered).
 */
export function spokenByAll(spoken: readonly (Protocol | undefined)[]): Protocol | undefined {
  return spoken.includes('h1') ? 'h1' : spoken.includes('h2') ? 'h2' : undefined;
}

/** Everything one download needs besides its code. Plain data: it crosses into worker threads. */
export interface FetchSettings {
  /** Base URL of the flags, no trailing slash: `http://localhost:8001/flags`. */
  readonly baseUrl: string;
  /** Bound on one attempt as a whole, connect to last byte, in milliseconds (curl's --max-time). */
  readonly timeoutMs: number;
  /** Extra attempts for errors worth retrying (reset, timeout, 5xx, 429). */
  readonly retries: number;
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Redirects: followed only to the same origin, or to any. At most 3. */
  readonly followRedirects: 'same-origin' | 'any';
  /** Folder to save flags in, or null for --no-save. */
  readonly dest: string | null;
  /** Also fetch metadata.json and save as `<Country_Name>-<CC>.gif` (flags3). */
  readonly names: boolean;
  /** CPU work done on each body after it arrived (`--work`); absent means none. */
  readonly work?: WorkKind | undefined;
  /**
   * A 200 must be a GIF (flags): a body that does not start with GIF87a/GIF89a, or a
   * Content-Type neither image/gif nor absent, is an error `not a GIF`. Default true; false
   * accepts any body (downloads that are not flags).
   */
  readonly gifOnly?: boolean;
  /** CA certificates (PEM) trusted besides the public ones: --ca FILE, or the embedded TLS servers'. */
  readonly caPem?: string | undefined;
  /** Skip certificate verification (--insecure). */
  readonly insecure?: boolean | undefined;
  /** 'h2' (--http2): HTTP/2 over TLS, several streams per connection. Default 'h1'. */
  readonly protocol?: Protocol | undefined;
  /** Names this run to the server: sent as RUN_HEADER on every request (absent: not sent). */
  readonly runId?: string | undefined;
  /** A URL list or template (--urls, -s with {cc}): each key's URL and file name instead of the flag path. */
  readonly targets?: UrlTargets | undefined;
}
