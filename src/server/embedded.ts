/**
 * The embedded flag servers: `flagfetch serve` in a child process, so that the server never
 * shares the client's event loop or skews its timing. Used by `download` when nothing
 * listens on LOCAL/DELAY/ERROR, and by bench, tune and the showcase.
 */
import net from 'node:net';
import { CLI_FILE } from '../install-paths.js';
import type { ReadyMessage, ServerUrls, StatsMessage } from './serve-messages.js';

/** Embedded servers running in a child process. */
export interface EmbeddedServers {
  readonly urls: ServerUrls;
  /** With `tls: true`: the CA certificate (PEM) to trust for the servers' https URLs. */
  readonly caPem: string | undefined;
  /** The child's process id (benchmarks read its CPU time). */
  readonly pid: number | undefined;
  /** The three servers' counters now (requests, connections, HTTP/2 streams…). */
  stats(): Promise<StatsMessage['stats']>;
  /** SIGTERM the child and wait for it (SIGKILL after 2 s). */
  stop(): Promise<void>;
}

/** What to start. */
export interface EmbeddedOptions {
  /** Ports of LOCAL, DELAY and ERROR (0 = any free one). */
  readonly ports: { local: number; delay: number; error: number };
  readonly delayMs?: number;
  readonly root?: string;
  /** HTTPS with HTTP/2 and HTTP/1.1, a certificate made at start for localhost, 127.0.0.1 and ::1 (its CA in `caPem`). */
  readonly tls?: boolean;
  /** Cleartext HTTP/2 by prior knowledge (h2c) instead of HTTP/1.1 (not with tls). */
  readonly h2c?: boolean;
  /** More `serve` arguments, e.g. faults. */
  readonly extraArgs?: readonly string[];
}

/** True when something accepts TCP connections on host:port (for localhost: 127.0.0.1 or ::1). */
export async function isPortOpen(host: string, port: number, timeoutMs = 300): Promise<boolean> {
  const hosts = host === 'localhost' ? ['127.0.0.1', '::1'] : [host.replace(/^\[|\]$/g, '')];
  const answers = await Promise.all(hosts.map((h) => canConnect(h, port, timeoutMs)));
  return answers.includes(true);
}

function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Start LOCAL, DELAY and ERROR in a child process and wait until they listen. */
export function startEmbeddedServers(opts: EmbeddedOptions): Promise<EmbeddedServers> {
  const args = [
    'serve',
    '--port',
    String(opts.ports.local),
    '--delay-port',
    String(opts.ports.delay),
    '--error-port',
    String(opts.ports.error),
  ];
  if (opts.delayMs !== undefined) args.push('--delay', String(opts.delayMs));
  if (opts.root !== undefined) args.push('--root', opts.root);
  if (opts.tls === true) args.push('--tls');
  if (opts.h2c === true) args.push('--h2c');
  args.push(...(opts.extraArgs ?? []));
  // node:child_process on use: a run against a server that is already up never loads it.
  const { fork } = process.getBuiltinModule('node:child_process');
  const child = fork(CLI_FILE, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stats = (): Promise<StatsMessage['stats']> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: StatsMessage): void => {
        if (m.type !== 'flagfetch-stats') return;
        child.off('message', onMessage);
        resolve(m.stats);
      };
      child.on('message', onMessage);
      child.send({ type: 'flagfetch-stats' }, (err) => {
        if (err !== null) reject(err);
      });
    });
  return new Promise((resolve, reject) => {
    child.once('message', (m: ReadyMessage) => {
      if (m.type !== 'flagfetch-ready') return;
      resolve({
        urls: m.urls,
        caPem: m.caPem,
        pid: child.pid,
        stats,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
          child.kill('SIGTERM');
          await exited;
          clearTimeout(killer);
        },
      });
    });
    child.once('exit', (code) =>
      reject(new Error(`the embedded flag server exited (code ${code}): ${stderr.trim().split('\n')[0] ?? ''}`)),
    );
  });
}
