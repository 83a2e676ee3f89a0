/**
 * Which origins an agent fetches from (pure). The queue is a trust boundary: whoever can
 * publish jobs could otherwise point an agent's threads at any host. Default: loopback only.
 */
import { printable } from '../countries.js';
import { UsageError } from '../errors.js';

/** The origins an agent allows; empty means loopback only. */
export type AllowList = readonly string[];

/** Parse one `--allow ORIGIN` (`http://host:port`, `https://host`); throws UsageError. */
export function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--allow '${printable(value)}' is not an origin: give one such as http://10.0.0.5:8001`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.pathname !== '/' ||
    url.search !== '' ||
    url.username !== ''
  ) {
    throw new UsageError(
      `--allow '${printable(value)}' must be a bare http(s) origin such as http://10.0.0.5:8001 (no path, no credentials)`,
    );
  }
  return url.origin;
}

/** Undefined when `baseUrl` may be fetched under `allow`, else the reason it may not. */
export function refusal(baseUrl: string, allow: AllowList): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `the server URL ${printable(baseUrl)} is malformed`;
  }
  if (allow.length === 0 ? isLoopback(url.hostname) : allow.includes(url.origin)) return undefined;
  const allowed = allow.length === 0 ? 'loopback only' : allow.join(', ');
  return `origin ${url.origin} is not allowed (${allowed}): start the agent with --allow ${url.origin}`;
}

/** True for localhost, 127.0.0.0/8 and ::1 (URL.hostname spelling). */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
