/**
 * The API's serve(): the embedded flag server (LOCAL, DELAY and ERROR, `flagfetch serve`) in a
 * child process, so that it never shares the caller's event loop; on free ports unless told.
 */
import { resolveServeOptions, type RawServeOptions } from '../server/serve-options.js';
import { startEmbeddedServers } from '../server/embedded.js';
import type { ServerUrls } from '../server/serve-messages.js';
import { inApiTerms } from './terms.js';

/** What to serve: the fields of `flagfetch serve`, with its defaults, except ports (any free one). */
export interface ServeOptions {
  /** LOCAL's port (default 0: any free one). */
  readonly port?: number | undefined;
  /** DELAY's port (default 0: any free one). */
  readonly delayPort?: number | undefined;
  /** ERROR's port (default 0: any free one). */
  readonly errorPort?: number | undefined;
  /** Delay of every DELAY response (and of half the ERROR ones), in milliseconds (default 500). */
  readonly delayMs?: number | undefined;
  /** Share of ERROR requests answered 500–503 with the connection closed (default 0.25). */
  readonly errorRate?: number | undefined;
  /** Make every random choice reproducible. */
  readonly seed?: number | undefined;
  /** Serve a flags folder (DIR/<cc>/<cc>.gif + metadata.json) instead of the built-in flags. */
  readonly root?: string | undefined;
  /** Faults to inject, as `serve --fault` takes them: `reset`, `stall:0.1`… */
  readonly faults?: readonly string[] | undefined;
  /** HTTPS with HTTP/2 and HTTP/1.1, a certificate made at start (its CA in `caPem`). */
  readonly tls?: boolean | undefined;
  /** Cleartext HTTP/2 by prior knowledge instead of HTTP/1.1 (not with tls). */
  readonly h2c?: boolean | undefined;
  /** With tls: the certificate (PEM file) to serve instead of a generated one, with `key`. */
  readonly cert?: string | undefined;
  /** With tls: the private key (PEM file) of `cert`. */
  readonly key?: string | undefined;
  /** The address to listen on (default loopback: 127.0.0.1 and ::1); any other exposes the servers. */
  readonly host?: string | undefined;
  /** Each server pauses once, at its N-th request, for `pauseMs` (a stall in the middle of a run). */
  readonly pauseAfter?: number | undefined;
  /** How long that pause lasts, in milliseconds. */
  readonly pauseMs?: number | undefined;
  /** Server processes sharing each port (default 1). */
  readonly processes?: number | undefined;
  /** Connections open at once per server and address. */
  readonly maxConnections?: number | undefined;
  /** HTTP/2 streams one session may have open at once. */
  readonly maxStreams?: number | undefined;
}

/** A running flag server. */
export interface FlagServer {
  /** LOCAL's base URL (`http://localhost:PORT/flags`). */
  readonly url: string;
  /** The three servers' base URLs. */
  readonly urls: ServerUrls;
  /** With `tls`: the CA certificate (PEM) to trust (download's `ca`). */
  readonly caPem: string | undefined;
  /** Stop the servers (their process) and wait for it. */
  close(): Promise<void>;
}

const FIELDS: Readonly<Record<string, string>> = {
  '--port': 'port',
  '--delay-port': 'delayPort',
  '--error-port': 'errorPort',
  '--delay': 'delayMs',
  '--error-rate': 'errorRate',
  '--seed': 'seed',
  '--root': 'root',
  '--fault': 'faults',
  '--tls': 'tls',
  '--h2c': 'h2c',
  '--cert': 'cert',
  '--key': 'key',
  '--host': 'host',
  '--pause-after': 'pauseAfter',
  '--pause-ms': 'pauseMs',
  '--processes': 'processes',
  '--max-connections': 'maxConnections',
  '--max-streams': 'maxStreams',
};

/** The options the server's process is handed as they are, by flag. */
const PASSED_ON = [
  ['--error-rate', 'errorRate'],
  ['--seed', 'seed'],
  ['--cert', 'cert'],
  ['--key', 'key'],
  ['--host', 'host'],
  ['--pause-after', 'pauseAfter'],
  ['--pause-ms', 'pauseMs'],
  ['--processes', 'processes'],
  ['--max-connections', 'maxConnections'],
  ['--max-streams', 'maxStreams'],
] as const satisfies readonly (readonly [string, keyof RawServeOptions])[];

/** Start the flag server; resolves once all three listen. Invalid options throw UsageError naming the field. */
export async function serve(options: ServeOptions = {}): Promise<FlagServer> {
  const text = (v: string | number | undefined): string | undefined => (v === undefined ? undefined : String(v));
  const raw: RawServeOptions = {
    port: text(options.port ?? 0),
    delayPort: text(options.delayPort ?? 0),
    errorPort: text(options.errorPort ?? 0),
    delay: text(options.delayMs),
    errorRate: text(options.errorRate),
    seed: text(options.seed),
    root: options.root,
    fault: (options.faults ?? []).map(String),
    tls: options.tls === true,
    h2c: options.h2c === true,
    cert: options.cert,
    key: options.key,
    host: options.host,
    pauseAfter: text(options.pauseAfter),
    pauseMs: text(options.pauseMs),
    processes: text(options.processes),
    maxConnections: text(options.maxConnections),
    maxStreams: text(options.maxStreams),
  };
  let opts;
  try {
    opts = resolveServeOptions(raw);
  } catch (err) {
    throw inApiTerms(err, FIELDS);
  }
  const extraArgs = [
    ...PASSED_ON.flatMap(([flag, field]) => (raw[field] === undefined ? [] : [flag, String(raw[field])])),
    ...(raw.fault ?? []).flatMap((f) => ['--fault', f]),
  ];
  const servers = await startEmbeddedServers({
    ports: { local: opts.ports.LOCAL, delay: opts.ports.DELAY, error: opts.ports.ERROR },
    delayMs: opts.delayMs,
    root: opts.root,
    tls: opts.tls !== false,
    h2c: opts.h2c,
    extraArgs,
  });
  return { url: servers.urls.LOCAL, urls: servers.urls, caPem: servers.caPem, close: () => servers.stop() };
}
