/**
 * The options bench() and tune() share: what every run fetches and how, with the CLI's
 * defaults. They are handed to the one resolver of bench's and tune's flags
 * (compare/bench-settings.ts) as the flags' text, so both accept and refuse the same things;
 * a refusal is a UsageError naming the API's field.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import type { RawWorkloadOptions } from '../compare/bench-options.js';
import type { WorkKind } from '../cpu-work/kind.js';
import type { Protocol } from '../download/settings.js';
import type { SplitMode } from '../models/types.js';
import { checkCaPem } from '../targets/resolve.js';
import { urlsText, type DownloadTargetOptions } from './options.js';
import { inApiTerms } from './terms.js';

/** A built-in CPU step every run does on each body: none, decode, sha256 or spin:MS. */
export type BuiltInWork = Exclude<WorkKind, `module:${string}`>;

/** What every run of a bench or tune fetches and how: the flags bench and tune share, with their defaults. */
export interface WorkloadOptions extends DownloadTargetOptions {
  /** Largest share (0 to 1) of a run's requests not found or failed before its configuration fails. */
  readonly maxFailed?: number | undefined;
  /** Passes over the codes in every run (default 20). */
  readonly repeat?: number | undefined;
  /** How codes are handed to workers: static or dynamic (default). */
  readonly split?: SplitMode | undefined;
  /** Delay of the embedded DELAY server, in milliseconds (default 500). */
  readonly delayMs?: number | undefined;
  /** CPU work on each body in every run (default none). */
  readonly work?: BuiltInWork | undefined;
  /** Work kinds to compare, a dimension (instead of `work`). */
  readonly works?: readonly BuiltInWork[] | undefined;
  /** Protocols to compare: h1, h2 (HTTP/2 over TLS) (default h1). */
  readonly protocols?: readonly Protocol[] | undefined;
  /** HTTP/2 over TLS in every run: the same as `protocols: ['h2']`. */
  readonly http2?: boolean | undefined;
  /** The embedded servers over HTTPS (implied by h2). */
  readonly tls?: boolean | undefined;
  /** Connection counts to compare (default: one per request for h1, one per thread for h2). */
  readonly connections?: number | readonly number[] | undefined;
  /** CA certificates (PEM text) every run trusts, for an https server. */
  readonly ca?: string | undefined;
  /** Every run skips certificate verification. */
  readonly insecure?: boolean | undefined;
  /** Aborting stops as Ctrl-C does: the run in progress is ended and left out, the partial report returned. */
  readonly signal?: AbortSignal | undefined;
  /** Called with each progress line the command would write on stderr (what runs, runs done, ETA). */
  readonly onProgress?: ((line: string) => void) | undefined;
}

/** The shared fields of the CLI's flags, by flag, as the API names them. */
export const WORKLOAD_FIELDS: Readonly<Record<string, string>> = {
  '--limit': 'limit',
  '--server': 'server',
  '--urls': 'urls',
  '--max-failed': 'maxFailed',
  '--repeat': 'repeat',
  '--split': 'split',
  '--delay': 'delayMs',
  '--work': 'work',
  '--works': 'works',
  '--protocols': 'protocols',
  '--http2': 'http2',
  '--tls': 'tls',
  '--connections': 'connections',
  '--ca': 'ca',
  '--insecure': 'insecure',
  '-a': 'all',
  '-e': 'every',
};

/** A number or a list as the flag's text (`1,2,4`). */
export function listText(v: number | string | readonly (number | string)[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'object' ? v.join(',') : String(v);
}

/** The shared options as the command line would have given them; `caFile` holds `ca`, `hasUrls` a list. */
function workloadRaw(o: WorkloadOptions, caFile: string | undefined, hasUrls: boolean): RawWorkloadOptions {
  return {
    all: o.all === true,
    every: o.every === true,
    limit: listText(o.limit),
    server: o.server,
    urls: hasUrls ? 'list' : undefined,
    maxFailed: listText(o.maxFailed),
    repeat: listText(o.repeat),
    split: o.split,
    delay: listText(o.delayMs),
    work: o.work,
    works: listText(o.works),
    protocols: listText(o.protocols),
    http2: o.http2 === true,
    tls: o.tls === true,
    connections: listText(o.connections),
    ca: caFile,
    insecure: o.insecure === true,
  };
}

/** What a resolver of bench's or tune's flags is handed: the codes, the shared flags' text, the URL list's text. */
export type Resolver<S> = (
  codes: readonly string[],
  raw: RawWorkloadOptions,
  inputs: { readonly urlsText?: string | undefined },
) => S;

/**
 * Resolve the options with `resolve` and run with `run`, the URL list collected and
 * `ca` written to a temp file every run trusts (removed at the end); a UsageError names the API's fields.
 */
export async function withWorkload<S, R>(
  o: WorkloadOptions,
  fields: Readonly<Record<string, string>>,
  resolve: Resolver<S>,
  run: (settings: S) => Promise<R>,
): Promise<R> {
  const list = await collect(o.urls);
  let dir: string | undefined;
  try {
    let caFile: string | undefined;
    if (o.ca !== undefined) {
      checkCaPem('ca', o.ca);
      dir = await mkdtemp(path.join(tmpdir(), 'flagfetch-ca-'));
      caFile = path.join(dir, 'ca.pem');
      await writeFileAtomic(caFile, o.ca);
    }
    const inputs = list === undefined ? {} : { urlsText: urlsText(list) };
    const codes = o.codes === undefined ? [] : [...o.codes].map(String);
    return await run(resolve(codes, workloadRaw(o, caFile, list !== undefined), inputs));
  } catch (err) {
    throw inApiTerms(err, fields);
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

/** An iterable or async iterable of URLs as an array. */
async function collect(urls: WorkloadOptions['urls']): Promise<string[] | undefined> {
  if (urls === undefined) return undefined;
  const list: string[] = [];
  for await (const u of urls) list.push(u);
  return list;
}
