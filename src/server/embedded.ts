/**
 * The embedded flag servers: `flagfetch serve` in a child process, so that the server never
 * shares the client's event loop or skews its timing. Used by `download` when nothing
 * listens on LOCAL/DELAY/ERROR, and by bench, tune and the showcase.
 */
import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ReadyMessage, ServerUrls } from './ready.js';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

/** Embedded servers running in a child process. */
export interface EmbeddedServers {
  readonly urls: ServerUrls;
  /** SIGTERM the child and wait for it (SIGKILL after 2 s). */
  stop(): Promise<void>;
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

/** Start LOCAL, DELAY and ERROR (port 0 = any free one; `extraArgs` for serve, e.g. faults) in a child process and wait until they listen. */
export function startEmbeddedServers(opts: {
  ports: { local: number; delay: number; error: number };
  delayMs?: number;
  root?: string;
  extraArgs?: readonly string[];
}): Promise<EmbeddedServers> {
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
  args.push(...(opts.extraArgs ?? []));
  const child = fork(CLI, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('message', (m: ReadyMessage) => {
      if (m.type !== 'flagfetch-ready') return;
      resolve({
        urls: m.urls,
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
