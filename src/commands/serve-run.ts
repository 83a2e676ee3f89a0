/**
 * What `flagfetch serve` does: check what can be checked once (the host, --root, the
 * certificate), then start the servers in this process or in a cluster (serve-cluster.ts),
 * print where they listen, and wait for a signal.
 */
import cluster from 'node:cluster';
import { printable } from '../countries.js';
import { loadFlagDirectory, syntheticContent, type FlagContent } from '../server/content.js';
import type { ReadyMessage, ServerUrls } from '../server/serve-messages.js';
import { runWorker, startWorkers } from '../server/serve-cluster.js';
import type { ServeOptions } from '../server/serve-options.js';
import { answerStats, startThree, untilSignal, urlsOf } from '../server/serve-process.js';
import type { TlsMaterial } from '../server/tls.js';
import { checkOutputFolders, writeOutput } from './write-output.js';

/** Serve as the options say: one process, or a cluster primary with --processes N (or one of its workers). */
export async function serve(opts: ServeOptions): Promise<void> {
  if (cluster.isWorker) return runWorker(opts);
  const warn = (line: string): boolean => process.stderr.write(`warning: ${line}\n`);
  if (opts.exposed) {
    warn(
      `--host ${printable(opts.shownHost)} is not a loopback address: the flag servers (errors and ` +
        `faults on demand) are reachable from the network`,
    );
  }
  const content = opts.root === undefined ? syntheticContent() : await loadFlagDirectory(opts.root, warn);
  const tls = await tlsMaterial(opts);
  if (opts.writeCa !== undefined && tls?.caPem !== undefined) await writeCa(opts.writeCa, tls.caPem);
  await (opts.processes > 1 ? runPrimary(opts, content, tls) : runServers(opts, content, tls));
}

/** The generated CA, as any report file: checked, then written atomically or through a FIFO or /dev/stdout. */
async function writeCa(file: string, pem: string): Promise<void> {
  await checkOutputFolders({ '--write-ca': file });
  await writeOutput('--write-ca', file, pem);
}

async function tlsMaterial(opts: ServeOptions): Promise<TlsMaterial | undefined> {
  if (opts.tls === false) return undefined;
  const { makeLocalCertificate, readCertificate } = await import('../server/tls.js');
  return 'certFile' in opts.tls ? readCertificate(opts.tls.certFile, opts.tls.keyFile) : makeLocalCertificate();
}

/** Start the three servers in this process; returns once they are closed by a signal. */
async function runServers(opts: ServeOptions, content: FlagContent, tls: TlsMaterial | undefined): Promise<void> {
  const servers = await startThree(opts, content, tls);
  const urls = urlsOf(opts, servers);
  const stopAnswering = answerStats(servers);
  const signalled = untilSignal(); // trap signals before saying ready: a parent may send one at once
  announce(opts, { type: 'flagfetch-ready', urls, caPem: tls?.caPem }, content);
  await signalled;
  stopAnswering();
  await Promise.all(servers.map((s) => s.close()));
}

/** Fork the cluster workers; print once all listen; stop them on a signal. */
async function runPrimary(opts: ServeOptions, content: FlagContent, tls: TlsMaterial | undefined): Promise<void> {
  const workers = await startWorkers(opts, tls);
  const signalled = untilSignal();
  announce(opts, { ...workers.ready, caPem: tls?.caPem }, content);
  await signalled;
  await workers.stop();
}

/** Tell the parent (embedded server) and the user where the servers listen. */
function announce(opts: ServeOptions, ready: ReadyMessage, content: FlagContent): void {
  if (process.send !== undefined) process.send(ready);
  printListening(opts, ready.urls, content);
}

function printListening(opts: ServeOptions, urls: ServerUrls, content: FlagContent): void {
  const flags = [...content.keys()].filter((k) => k.endsWith('.gif')).length;
  const what = opts.root === undefined ? `the built-in synthetic flags (${flags})` : `${flags} flags from ${opts.root}`;
  const faults =
    opts.faults.length === 0 ? '' : `; faults: ${opts.faults.map((f) => `${f.kind}:${f.rate}`).join(', ')}`;
  const pause =
    opts.pause === undefined ? '' : `; each server pauses ${opts.pause.ms} ms at request ${opts.pause.afterRequests}`;
  const ca = opts.writeCa === undefined ? '' : `, CA certificate in ${opts.writeCa}`;
  const tls =
    opts.tls !== false ? `; HTTPS (HTTP/2 and HTTP/1.1)${ca}` : opts.h2c ? '; cleartext HTTP/2 only (h2c)' : '';
  const lines = [
    `serving ${what}${opts.seed === undefined ? '' : `, seed ${opts.seed}`}${faults}${pause}${tls}`,
    `LOCAL  ${urls.LOCAL}`,
    `DELAY  ${urls.DELAY}  (every response waits ${opts.delayMs} ms)`,
    `ERROR  ${urls.ERROR}  (${Math.round(opts.errorRate * 100)} % answered 500–503, half the rest wait ${opts.delayMs} ms)`,
    `${opts.processes > 1 ? `${opts.processes} processes. ` : ''}Press Ctrl-C to stop.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
