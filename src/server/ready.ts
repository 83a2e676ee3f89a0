/** What a serve process tells its parent (embedded server) or cluster primary. */

/** The three servers' URLs by label. */
export type ServerUrls = { LOCAL: string; DELAY: string; ERROR: string };

/** What a serve process tells its parent (embedded server) or cluster primary once it listens. */
export interface ReadyMessage {
  readonly type: 'flagfetch-ready';
  readonly urls: ServerUrls;
}
