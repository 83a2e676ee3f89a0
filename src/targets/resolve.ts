/**
 * The download options that say what to fetch and how to connect: codes or a URL list or a
 * template (--urls, -s with {cc}), and TLS and the protocol (--tls, --ca, --insecure,
 * --http2). Pure, as options.ts: files were read by the command; messages name the flag and the fix.
 */
import { UsageError } from '../errors.js';
import { printable, selectCodes } from '../countries.js';
import type { ServerTarget } from '../models/types.js';
import type { FetchSettings } from '../download/settings.js';
import { isTemplate, templateWork, urlListWork, type TargetKind, type UrlTargets } from './url-list.js';
import type { DownloadInputs, RawDownloadOptions } from '../raw-options.js';

/** What a run fetches: the keys handed out (codes, or URLs), the server shown, and URL targets if any. */
export interface ResolvedWork {
  readonly keys: readonly string[];
  readonly server: ServerTarget;
  readonly targets: UrlTargets | undefined;
  readonly kind: TargetKind;
}

const EMBEDDABLE = new Set(['LOCAL', 'DELAY', 'ERROR']);

/** Base URLs of the original site's servers. */
export const SERVER_URLS = {
  LOCAL: 'http://localhost:8001/flags',
  DELAY: 'http://localhost:8002/flags',
  ERROR: 'http://localhost:8003/flags',
  REMOTE: 'http://flupy.org/data/flags',
} as const;

/** The work of a download: --urls, a {cc} template, or codes on the flags site's layout. */
export function resolveWork(
  args: readonly string[],
  raw: RawDownloadOptions,
  inputs: DownloadInputs,
  limit: number | undefined,
): ResolvedWork {
  if (raw.urls !== undefined) return urlsWork(args, raw, inputs, limit);
  const value = raw.server ?? 'LOCAL';
  const keys = selectCodes({ args, all: raw.all === true, every: raw.every === true, limit });
  if (isTemplate(value)) {
    if (raw.names === true) throw new UsageError('--names needs the flags site layout: drop it with a {cc} template');
    if (raw.tls === true) throw new UsageError(`--tls is for LOCAL, DELAY and ERROR: write the template with https://`);
    return { keys, server: { label: 'URL', url: value }, targets: templateWork(value, keys).targets, kind: 'template' };
  }
  let server = resolveServer(value);
  if (raw.tls === true) {
    if (!EMBEDDABLE.has(server.label))
      throw new UsageError(`--tls is for LOCAL, DELAY and ERROR (embedded servers): for a URL, write https://`);
    server = { ...server, url: server.url.replace(/^http:/, 'https:') };
  }
  return { keys, server, targets: undefined, kind: 'flags' };
}

function urlsWork(
  args: readonly string[],
  raw: RawDownloadOptions,
  inputs: DownloadInputs,
  limit: number | undefined,
): ResolvedWork {
  const source = printable(raw.urls ?? '');
  if (args.length > 0 || raw.all === true || raw.every === true)
    throw new UsageError(`--urls replaces country codes: drop the codes, -a and -e`);
  if (raw.names === true) throw new UsageError('--names needs the flags site layout: drop it with --urls');
  if (raw.tls === true) throw new UsageError('--tls is for LOCAL, DELAY and ERROR: list https:// URLs instead');
  const work = urlListWork(inputs.urlsText ?? '', source);
  const keys = limit === undefined ? work.keys : work.keys.slice(0, limit);
  const targets: Record<string, UrlTargets[string]> = {};
  for (const k of keys) {
    const t = work.targets[k];
    if (t !== undefined) targets[k] = t;
  }
  return { keys, server: { label: 'URL', url: new URL(keys[0] ?? '').origin }, targets, kind: 'list' };
}

/** --ca and --insecure as typed (download, bench, tune). */
export interface RawTrustFlags {
  ca?: string;
  insecure?: boolean;
}

/** --ca with --insecure is a UsageError (one trusts a CA, the other verifies nothing). */
export function checkTrustFlags(raw: RawTrustFlags): void {
  if (raw.ca !== undefined && raw.insecure === true)
    throw new UsageError('--ca and --insecure contradict each other: trust the CA with --ca, or verify nothing');
}

/** A UsageError unless `pem`, the contents of `--ca file`, holds a PEM certificate. */
export function checkCaPem(file: string, pem: string): void {
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new UsageError(
      `--ca '${printable(file)}' holds no PEM certificate: give the CA's certificate file ('flagfetch serve --tls --write-ca FILE' writes one)`,
    );
}

/** TLS trust and protocol of a download: --ca, --insecure, --http2. */
export function resolveTransport(
  raw: RawDownloadOptions,
  inputs: DownloadInputs,
  work: ResolvedWork,
): Pick<FetchSettings, 'caPem' | 'insecure' | 'protocol'> {
  checkTrustFlags(raw);
  const caPem = inputs.caPem;
  if (raw.ca !== undefined) checkCaPem(raw.ca, caPem ?? '');
  if (raw.http2 === true) {
    const urls = work.targets === undefined ? [work.server.url] : Object.values(work.targets).map((t) => t.url);
    const plain = urls.find((u) => !u.startsWith('https:'));
    if (plain !== undefined)
      throw new UsageError(
        `--http2 needs HTTPS (HTTP/2 over TLS), but '${printable(plain)}' is http: add --tls (LOCAL, DELAY, ERROR) or use https:// URLs`,
      );
  }
  return {
    caPem: raw.ca === undefined ? undefined : caPem,
    insecure: raw.insecure === true,
    protocol: raw.http2 === true ? 'h2' : 'h1',
  };
}

/** A server label (LOCAL, DELAY, ERROR, REMOTE, any case) or an http(s) base URL. */
export function resolveServer(value: string): ServerTarget {
  const label = value.toUpperCase();
  if (label in SERVER_URLS) {
    const known = label as keyof typeof SERVER_URLS;
    return { label: known, url: SERVER_URLS[known] };
  }
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    throw new UsageError(
      `unknown server '${printable(value)}': use LOCAL, DELAY, ERROR, REMOTE or a base URL such as http://127.0.0.1:8001/flags`,
    );
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]/i.test(value)) {
    throw new UsageError(
      `server URL '${printable(value)}' has no host: use a base URL such as http://127.0.0.1:8001/flags`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `malformed server URL '${printable(value)}': use a base URL such as http://127.0.0.1:8001/flags`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `server URL '${printable(value)}' is not http or https: use a base URL such as http://127.0.0.1:8001/flags`,
    );
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(
      `server URL '${printable(value)}' must be a plain base URL, without query, fragment or credentials`,
    );
  }
  return { label: 'URL', url: url.href.replace(/\/+$/, '') };
}
