/**
 * Make sure the server a run targets is there: for LOCAL, DELAY and ERROR, when nothing
 * listens on the port, start the embedded flag server in a child process for the run.
 */
import { UsageError } from '../errors.js';
import { isPortOpen, startEmbeddedServers } from './embedded.js';
import type { ServerTarget } from '../models/types.js';

/** A server made ready for a run; stop() ends an embedded one (no-op otherwise). */
export interface ReadyServer {
  stop(): Promise<void>;
}

const EMBEDDABLE = new Set(['LOCAL', 'DELAY', 'ERROR']);

/** Start the embedded server when `target` names an original-site label with nothing listening. */
export async function ensureServer(
  target: ServerTarget,
  embedded: boolean,
  say: (line: string) => void,
): Promise<ReadyServer> {
  const none: ReadyServer = { stop: () => Promise.resolve() };
  if (!EMBEDDABLE.has(target.label)) return none;
  const url = new URL(target.url);
  const port = Number(url.port);
  if (await isPortOpen(url.hostname, port)) return none;
  if (!embedded) {
    throw new UsageError(
      `nothing listens on ${url.host} (${target.label}): start 'flagfetch serve' there, or drop --no-embedded`,
    );
  }
  const ports = { local: 0, delay: 0, error: 0 };
  ports[target.label.toLowerCase() as keyof typeof ports] = port;
  const servers = await startEmbeddedServers({ ports });
  say(
    `no server on ${url.host}: started the embedded ${target.label} server for this run (a child process; 'flagfetch serve' keeps one running)`,
  );
  return { stop: () => servers.stop() };
}
