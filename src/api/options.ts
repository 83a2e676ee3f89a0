/**
 * The API's download options: a typed object with the CLI's defaults, turned into what the
 * command line would have given (strings, read files) and resolved by the one options module
 * (options.ts), so that both accept and refuse the same things. A refusal is a UsageError
 * naming the API's field, not the CLI's flag.
 */
import { UsageError } from '../errors.js';
import { inApiTerms } from './terms.js';
import { resolveOptions, type Options } from '../options.js';
import type { DownloadInputs, RawDownloadOptions } from '../raw-options.js';
import type { ModelName, SplitMode } from '../models/types.js';

/**
 * The CPU step on each downloaded body, on the thread that downloaded it: a built-in kind
 * (`decode`, `sha256`, `spin:MS`), or `{ module }`, the path (or file URL) of a module whose default
 * export (or `work` export) is called with each body and `{ key, file }`; it is loaded in
 * every thread that downloads, so it must not rely on the caller's state.
 */
export type WorkOption =
  | 'none'
  | 'decode'
  | 'sha256'
  | `spin:${number}`
  | {
      /** The step's module: a path (relative to the working directory) or a file URL. */
      readonly module: string | URL;
    };

/**
 * What to fetch, as download, bench and tune take it: codes, a server (base URL or template) or
 * a URL list.
 */
export interface DownloadTargetOptions {
  /** Country codes: two letters, or one letter for its 26 codes (default: download's 20 most populous; bench's and tune's all 194). */
  readonly codes?: readonly string[] | undefined;
  /** All 194 countries (`-a`). */
  readonly all?: boolean | undefined;
  /** Every code from AA to ZZ, 676 (`-e`). */
  readonly every?: boolean | undefined;
  /** At most this many codes or URLs. */
  readonly limit?: number | undefined;
  /** LOCAL (default), DELAY, ERROR (embedded when nothing listens), REMOTE, a base URL, or a URL template with `{cc}` / `{CC}`. */
  readonly server?: string | undefined;
  /** Fetch these URLs instead of flags (an array or any iterable of absolute http(s) URLs). */
  readonly urls?: Iterable<string> | AsyncIterable<string> | undefined;
}

/** How the download runs. */
export interface DownloadRunOptions {
  /** sequential, loop, threads or workers (default). */
  readonly model?: ModelName | undefined;
  /** Pool threads of the threads and workers models (default: the available parallelism). */
  readonly workers?: number | undefined;
  /** Requests in flight in total, across all workers (default 100). */
  readonly maxReq?: number | undefined;
  /** How codes are handed to workers: static or dynamic (default). */
  readonly split?: SplitMode | undefined;
  /** Folder to save the files in (default `./downloads`); null: download without saving. */
  readonly dest?: string | null | undefined;
  /** Also fetch metadata.json and save flags as `<Country_Name>-<CC>.gif`. */
  readonly names?: boolean | undefined;
  /** Download the list this many times (default 1). */
  readonly repeat?: number | undefined;
  /** Bound on one request, connect to last byte, in milliseconds (default 10,000). */
  readonly timeoutMs?: number | undefined;
  /** Retry resets, timeouts, 5xx and 429 up to this many times (default 0). */
  readonly retries?: number | undefined;
  /** Largest response accepted, in bytes (default 5 MiB). */
  readonly maxBytes?: number | undefined;
  /** same-origin (default) or any: which redirects are followed (at most 3). */
  readonly followRedirects?: 'same-origin' | 'any' | undefined;
  /** CPU work on each body (default none). */
  readonly work?: WorkOption | undefined;
  /** CA certificates (PEM text) to trust instead of the public ones. */
  readonly ca?: string | undefined;
  /** Do not verify TLS certificates. */
  readonly insecure?: boolean | undefined;
  /** LOCAL/DELAY/ERROR over HTTPS: the embedded servers, their certificate trusted. */
  readonly tls?: boolean | undefined;
  /** HTTP/2 over TLS. */
  readonly http2?: boolean | undefined;
  /** Connections carrying the requests in flight (default: one per request for HTTP/1.1, one per thread for HTTP/2). */
  readonly connections?: number | undefined;
  /** Requests started per second, on a schedule (the open model); default: none, maxReq kept in flight. */
  readonly rate?: number | undefined;
  /** With rate: constant gaps between starts (default), or poisson (random, rate on average). */
  readonly arrival?: 'constant' | 'poisson' | undefined;
  /** With arrival poisson: the seed of the gaps, for a run one can repeat. */
  readonly seed?: number | undefined;
  /** With rate: run this long, in milliseconds, the list repeated as needed (instead of repeat). */
  readonly durationMs?: number | undefined;
  /** Start the embedded flag server when nothing listens on LOCAL/DELAY/ERROR (default true). */
  readonly embedded?: boolean | undefined;
}

/** Running on agents over a queue (`flagfetch agent` processes): the fields of `download --queue`. */
export interface DownloadQueueOptions {
  /** Run on the agents of this queue, `redis://HOST:PORT` (the workers model on each); no outcomes or progress then. */
  readonly queue?: string | undefined;
  /** Shard jobs to publish (default: from the agents connected). */
  readonly shards?: number | undefined;
  /** Agents to wait for before publishing (default 1). */
  readonly agents?: number | undefined;
  /** How long to wait for them, in seconds (default 30). */
  readonly agentWaitSeconds?: number | undefined;
  /** The Redis password, given apart from the URL (the CLI's --queue-password-file). */
  readonly queuePassword?: string | undefined;
}

/** The fields of the CLI's flags, by flag, as the API names them. */
export const FIELDS: Readonly<Record<string, string>> = {
  '--limit': 'limit',
  '--max-req': 'maxReq',
  '--workers': 'workers',
  '--model': 'model',
  '--split': 'split',
  '--repeat': 'repeat',
  '--timeout': 'timeoutMs',
  '--retries': 'retries',
  '--max-bytes': 'maxBytes',
  '--follow-redirects': 'followRedirects',
  '--work': 'work',
  '--ca': 'ca',
  '--insecure': 'insecure',
  '--tls': 'tls',
  '--http2': 'http2',
  '--connections': 'connections',
  '--urls': 'urls',
  '--rate': 'rate',
  '--arrival': 'arrival',
  '--seed': 'seed',
  '--duration': 'durationMs',
  '--names': 'names',
  '--queue': 'queue',
  '--shards': 'shards',
  '--agents': 'agents',
  '--agent-wait': 'agentWaitSeconds',
  '--queue-password-file': 'queuePassword',
  '--no-save': 'dest',
  '--dest': 'dest',
  '-a': 'all',
  '-e': 'every',
};

/** Resolve the API's options, as the CLI resolves its flags; throws UsageError naming the field. */
export function resolveApiOptions(o: DownloadTargetOptions & DownloadRunOptions, urls?: readonly string[]): Options {
  const inputs: DownloadInputs = { caPem: o.ca, urlsText: urls === undefined ? undefined : urlsText(urls) };
  try {
    return resolveOptions(o.codes === undefined ? [] : [...o.codes].map(String), rawOf(o, urls !== undefined), inputs);
  } catch (err) {
    throw inApiTerms(err, FIELDS);
  }
}

/** The options as the command line would have given them. */
function rawOf(o: DownloadTargetOptions & DownloadRunOptions, hasUrls: boolean): RawDownloadOptions {
  const text = (v: string | number | undefined): string | undefined => (v === undefined ? undefined : String(v));
  const work = o.work;
  return {
    all: o.all === true,
    every: o.every === true,
    limit: text(o.limit),
    maxReq: text(o.maxReq),
    server: text(o.server),
    model: text(o.model),
    workers: text(o.workers),
    split: text(o.split),
    dest: o.dest === null ? undefined : text(o.dest),
    save: o.dest !== null,
    names: o.names === true,
    repeat: text(o.repeat),
    timeout: text(o.timeoutMs),
    retries: text(o.retries),
    maxBytes: text(o.maxBytes),
    followRedirects: text(o.followRedirects),
    work: typeof work === 'object' && work !== null ? undefined : text(work),
    ca: o.ca === undefined ? undefined : 'ca',
    insecure: o.insecure === true,
    tls: o.tls === true,
    http2: o.http2 === true,
    connections: text(o.connections),
    urls: hasUrls ? 'list' : undefined,
    rate: text(o.rate),
    arrival: text(o.arrival),
    seed: text(o.seed),
    duration: o.durationMs === undefined ? undefined : `${o.durationMs}ms`,
    embedded: o.embedded !== false,
    quiet: true,
    progress: false,
  };
}

/** The URL list as a `--urls` file's text; an entry that is not one line of text is refused. */
export function urlsText(urls: readonly string[]): string {
  urls.forEach((u, i) => {
    if (typeof u !== 'string' || /[\r\n]/.test(u) || u.trim() === '' || u.trim().startsWith('#'))
      throw new UsageError(`urls[${i}] must be an absolute http(s) URL on one line`, {
        field: 'urls',
        expected: 'an absolute http(s) URL',
      });
  });
  return urls.join('\n');
}
