/**
 * One serve process: LOCAL, DELAY and ERROR started together (all or none), its stats for
 * a parent that asks over IPC (serve-messages.ts), and the wait for Ctrl-C or SIGTERM.
 */
import type { FlagContent } from './content.js';
import { startFlagServer, type FlagServer } from './flag-server.js';
import type { TlsIdentity } from './h2-transport.js';
import type { ServeOptions } from './serve-options.js';
import type { ServerUrls, StatsMessage } from './serve-messages.js';

/** Start the three servers; if one cannot start, the others are closed and the error thrown. */
export async function startThree(
  opts: ServeOptions,
  content: FlagContent,
  tls: TlsIdentity | undefined,
): Promise<FlagServer[]> {
  const common = {
    hosts: opts.hosts,
    content,
    seed: opts.seed,
    faults: opts.faults,
    pause: opts.pause,
    tls,
    h2c: opts.h2c,
    limits: { maxConnections: opts.maxConnections, maxStreams: opts.maxStreams },
  };
  const started: FlagServer[] = [];
  try {
    started.push(await startFlagServer({ ...common, port: opts.ports.LOCAL, portFlag: '--port' }));
    started.push(
      await startFlagServer({ ...common, port: opts.ports.DELAY, portFlag: '--delay-port', delayMs: opts.delayMs }),
    );
    started.push(
      await startFlagServer({
        ...common,
        port: opts.ports.ERROR,
        portFlag: '--error-port',
        errorRate: opts.errorRate,
        errorDelayMs: opts.delayMs,
      }),
    );
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    throw err;
  }
  return started;
}

/** URLs as a user types them (`localhost`, not the addresses behind it). */
export function urlsOf(opts: ServeOptions, servers: readonly FlagServer[]): ServerUrls {
  const host = opts.shownHost.includes(':') ? `[${opts.shownHost}]` : opts.shownHost;
  const scheme = opts.tls === false ? 'http' : 'https';
  const url = (i: number): string => `${scheme}://${host}:${servers[i]?.port ?? 0}/flags`;
  return { LOCAL: url(0), DELAY: url(1), ERROR: url(2) };
}

/** Answer a parent's stats requests until the servers close. */
export function answerStats(servers: readonly FlagServer[]): () => void {
  const onMessage = (m: { type?: string }): void => {
    if (m.type !== 'flagfetch-stats' || process.send === undefined) return;
    const [l, d, e] = servers.map((s) => s.stats.snapshot());
    if (l === undefined || d === undefined || e === undefined) return;
    const reply: StatsMessage = { type: 'flagfetch-stats', stats: { LOCAL: l, DELAY: d, ERROR: e } };
    process.send(reply);
  };
  process.on('message', onMessage);
  return () => process.off('message', onMessage);
}

/** Resolves on the first SIGINT, SIGTERM or SIGHUP (or when the parent of an embedded server goes away). */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(name, done);
      process.off('disconnect', done);
      resolve();
    };
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(name, done);
    if (process.send !== undefined) process.once('disconnect', done);
  });
}
