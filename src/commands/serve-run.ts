/** What `flagfetch serve` does: start the servers (or a cluster of them) and wait for a signal. */
import cluster from 'node:cluster';
import { loadFlagDirectory, syntheticContent, type FlagContent } from '../server/content.js';
import { startFlagServer, type FlagServer } from '../server/flag-server.js';
import { type ServeOptions } from '../server/serve-options.js';
import type { ReadyMessage, ServerUrls } from '../server/ready.js';

/** Serve as the options say: one process, or a cluster primary with --processes N. */
export async function serve(opts: ServeOptions): Promise<void> {
  if (opts.processes > 1 && cluster.isPrimary) await runPrimary(opts);
  else await runServers(opts);
}

async function runServers(opts: ServeOptions): Promise<void> {
  const content = opts.root === undefined ? syntheticContent() : await loadFlagDirectory(opts.root);
  const servers = await startThree(opts, content);
  const urls = urlsOf(opts, servers);
  const ready: ReadyMessage = { type: 'flagfetch-ready', urls };
  if (process.send !== undefined) process.send(ready);
  if (!cluster.isWorker) printListening(opts, urls, content);
  await untilSignal();
  await Promise.all(servers.map((s) => s.close()));
}

async function startThree(opts: ServeOptions, content: FlagContent): Promise<FlagServer[]> {
  const common = { hosts: opts.hosts, content, seed: opts.seed, faults: opts.faults };
  const started: FlagServer[] = [];
  try {
    started.push(await startFlagServer({ ...common, port: opts.ports.LOCAL }));
    started.push(await startFlagServer({ ...common, port: opts.ports.DELAY, delayMs: opts.delayMs }));
    started.push(
      await startFlagServer({
        ...common,
        port: opts.ports.ERROR,
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

function urlsOf(opts: ServeOptions, servers: readonly FlagServer[]): ServerUrls {
  const host = opts.shownHost.includes(':') ? `[${opts.shownHost}]` : opts.shownHost;
  const url = (i: number): string => `http://${host}:${servers[i]?.port ?? 0}/flags`;
  return { LOCAL: url(0), DELAY: url(1), ERROR: url(2) };
}

function printListening(opts: ServeOptions, urls: ServerUrls, content: FlagContent): void {
  const flags = [...content.keys()].filter((k) => k.endsWith('.gif')).length;
  const what = opts.root === undefined ? `the built-in synthetic flags (${flags})` : `${flags} flags from ${opts.root}`;
  const faults =
    opts.faults.length === 0 ? '' : `; faults: ${opts.faults.map((f) => `${f.kind}:${f.rate}`).join(', ')}`;
  const lines = [
    `serving ${what}${opts.seed === undefined ? '' : `, seed ${opts.seed}`}${faults}`,
    `LOCAL  ${urls.LOCAL}`,
    `DELAY  ${urls.DELAY}  (every response waits ${opts.delayMs} ms)`,
    `ERROR  ${urls.ERROR}  (${Math.round(opts.errorRate * 100)} % answered 500–503, half the rest wait ${opts.delayMs} ms)`,
    `${opts.processes > 1 ? `${opts.processes} processes. ` : ''}Press Ctrl-C to stop.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Fork `processes` cluster workers running the servers; print once the first listens; stop them on a signal. */
async function runPrimary(opts: ServeOptions): Promise<void> {
  const workers = Array.from({ length: opts.processes }, () => cluster.fork());
  const first = await Promise.race(
    workers.map(
      (w) =>
        new Promise<ReadyMessage>((resolve, reject) => {
          w.on('message', (m: ReadyMessage) => {
            if (m.type === 'flagfetch-ready') resolve(m);
          });
          w.on('exit', (code) => reject(new Error(`a server process exited with code ${code}`)));
        }),
    ),
  );
  const content = opts.root === undefined ? syntheticContent() : await loadFlagDirectory(opts.root);
  if (process.send !== undefined) process.send(first);
  printListening(opts, first.urls, content);
  await untilSignal();
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) return resolve();
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
}

/** Resolves on the first SIGINT or SIGTERM (or when the parent of an embedded server goes away). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (process.send !== undefined) process.once('disconnect', done);
  });
}
