/** What a serve process tells its parent (embedded server) or cluster primary. */
import type { ServerStatsSnapshot } from './stats.js';

/** The three servers' URLs by label. */
export interface ServerUrls {
  /** LOCAL: every answer at once. */
  LOCAL: string;
  /** DELAY: every answer delayed (0.5 s unless told). */
  DELAY: string;
  /** ERROR: a share of answers 500–503 with the connection closed, half of them delayed. */
  ERROR: string;
}

/** What a serve process tells its parent (embedded server) or cluster primary once it listens. */
export interface ReadyMessage {
  readonly type: 'flagfetch-ready';
  readonly urls: ServerUrls;
  /** With a generated TLS certificate: the CA certificate (PEM) clients should trust. */
  readonly caPem?: string | undefined;
}

/** Ask an embedded serve process for its counters: send `{ type: 'flagfetch-stats' }`, get this back. */
export interface StatsMessage {
  readonly type: 'flagfetch-stats';
  readonly stats: Readonly<Record<keyof ServerUrls, ServerStatsSnapshot>>;
}
