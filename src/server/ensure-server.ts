/**
 * Make sure the server a run targets is there: for LOCAL, DELAY and ERROR, when nothing
 * listens on the port, start the embedded flag server in a child process for the run.
 */
import { UsageError } from '../errors.js';
import { isPortOpen, startEmbeddedServers } from './embedded.js';
import type { ServerTarget } from '../models/types.js';

/** A server made ready for a run; stop() ends an embedded one (no-op otherwise). */
export interface ReadyServer {
  /** The CA certificate (PEM) of embedded servers started over TLS, for the client to trust. */
  readonly caPem?: string | undefined;
  stop(): Promise<void>;
}

const EMBEDDABLE = new Set(['LOCAL', 'DELAY', 'ERROR']);

/**
 * Start the embedded server when `target` names an original-site label with nothing listening
 * (over TLS with `tls`: its certificate comes back as caPem). With `tls`, a server already
 * listening must speak TLS: a plain one is a UsageError saying so.
 */
export async function ensureServer(
  target: ServerTarget,
  embedded: boolean,
  say: (line: string) => void,
  tls = false,
): Promise<ReadyServer> {
  const none: ReadyServer = { stop: () => Promise.resolve() };
  if (!EMBEDDABLE.has(target.label)) return none;
  const url = new URL(target.url);
  const port = Number(url.port);
  if (await isPortOpen(url.hostname, port)) {
    if (tls && !(await speaksTls(url.hostname, port)))
      throw new UsageError(
        `something listens on ${url.host} without TLS (${target.label}): stop it and let --tls start the embedded servers, or drop --tls`,
      );
    return none;
  }
  if (!embedded) {
    throw new UsageError(
      `nothing listens on ${url.host} (${target.label}): start 'flagfetch serve' there, or drop --no-embedded`,
    );
  }
  const ports = { local: 0, delay: 0, error: 0 };
  ports[target.label.toLowerCase() as keyof typeof ports] = port;
  const servers = await startEmbeddedServers({ ports, tls });
  const how = tls ? ' over HTTPS (its certificate trusted for this run)' : '';
  say(
    `no server on ${url.host}: started the embedded ${target.label} server${how} for this run (a ` +
      `child process; 'flagfetch serve${tls ? ' --tls' : ''}' keeps one running)`,
  );
  return { caPem: servers.caPem, stop: () => servers.stop() };
}

/** True when the server on host:port completes a TLS handshake (its certificate unchecked). */
async function speaksTls(host: string, port: number): Promise<boolean> {
  const tls = await import('node:tls');
  const hosts = host === 'localhost' ? ['127.0.0.1', '::1'] : [host.replace(/^\[|\]$/g, '')];
  const tries = hosts.map(
    (h) =>
      new Promise<boolean>((resolve) => {
        const socket = tls.connect({ host: h, port, rejectUnauthorized: false, servername: 'localhost' });
        const done = (yes: boolean): void => {
          socket.destroy();
          resolve(yes);
        };
        socket.setTimeout(2000, () => done(false));
        socket.once('secureConnect', () => done(true));
        socket.once('error', () => done(false));
      }),
  );
  return (await Promise.all(tries)).includes(true);
}
