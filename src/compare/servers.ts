/**
 * The server a bench, tune or showcase talks to: for LOCAL, DELAY and ERROR the embedded
 * servers are started on free ports (a child process, over TLS when asked: their CA is
 * written to a temp file every run trusts with --ca) and stopped at the end; a URL is used as given.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedServers } from '../server/embedded.js';
import { writeFileAtomic } from '../atomic-file.js';
import type { ServerTarget } from '../models/types.js';

/** The DELAY server's delay when none is given: the original site's 0.5 s. */
export const DEFAULT_DELAY_MS = 500;

/** A server ready for a bench. */
export interface BenchServer {
  readonly label: string;
  readonly url: string;
  /** The DELAY server's delay, or null when it does not apply. */
  readonly delayMs: number | null;
  /** The CA certificate file of embedded servers over TLS, for `--ca`. */
  readonly caFile?: string | undefined;
  stop(): Promise<void>;
}

/** Start the embedded servers for a label (any free port; over HTTPS with `tls`), or pass a URL through. */
export async function startBenchServer(
  target: ServerTarget,
  delayMs: number = DEFAULT_DELAY_MS,
  tls = false,
): Promise<BenchServer> {
  if (target.label !== 'LOCAL' && target.label !== 'DELAY' && target.label !== 'ERROR') {
    return { label: target.label, url: target.url, delayMs: null, stop: () => Promise.resolve() };
  }
  const servers = await startEmbeddedServers({ ports: { local: 0, delay: 0, error: 0 }, delayMs, tls });
  let dir: string | undefined;
  try {
    const caFile = servers.caPem === undefined ? undefined : path.join((dir = await caDir()), 'ca.pem');
    if (caFile !== undefined) await writeFileAtomic(caFile, servers.caPem ?? '');
    return {
      label: target.label,
      url: servers.urls[target.label],
      delayMs: target.label === 'DELAY' ? delayMs : null,
      caFile,
      stop: async () => {
        await servers.stop();
        if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await servers.stop();
    throw err;
  }
}

function caDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'flagfetch-ca-'));
}

/** A URL list written to a temp file for every run's `--urls`; remove() deletes it. */
export interface UrlsFile {
  readonly file: string | undefined;
  remove(): Promise<void>;
}

/** Write `urls` (one a line) to a fresh temp folder; nothing when there is no list. */
export async function writeUrlsFile(urls: readonly string[] | undefined): Promise<UrlsFile> {
  if (urls === undefined) return { file: undefined, remove: () => Promise.resolve() };
  const dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-urls-'));
  const file = path.join(dir, 'urls.txt');
  await writeFileAtomic(file, `${urls.join('\n')}\n`);
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
