/**
 * The server a bench, tune or showcase talks to: for LOCAL, DELAY and ERROR the embedded
 * servers are started on free ports (a child process) and stopped at the end; a URL is used as given.
 */
import { startEmbeddedServers } from '../server/embedded.js';
import type { ServerTarget } from '../models/types.js';

/** The DELAY server's delay when none is given: the original site's 0.5 s. */
export const DEFAULT_DELAY_MS = 500;

/** A server ready for a bench. */
export interface BenchServer {
  readonly label: string;
  readonly url: string;
  /** The DELAY server's delay, or null when it does not apply. */
  readonly delayMs: number | null;
  stop(): Promise<void>;
}

/** Start the embedded servers for a label (any free port), or pass a URL through. */
export async function startBenchServer(target: ServerTarget, delayMs: number = DEFAULT_DELAY_MS): Promise<BenchServer> {
  if (target.label !== 'LOCAL' && target.label !== 'DELAY' && target.label !== 'ERROR') {
    return { label: target.label, url: target.url, delayMs: null, stop: () => Promise.resolve() };
  }
  const servers = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, delayMs });
  return {
    label: target.label,
    url: servers.urls[target.label],
    delayMs: target.label === 'DELAY' ? delayMs : null,
    stop: () => servers.stop(),
  };
}
