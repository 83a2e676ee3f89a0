/**
 * Where a queue lives: `--queue redis://[user:password@]host[:port][/db]` (or `rediss://` for
 * TLS), validated like any other flag (pure). Messages never show the password.
 */
import { printable } from '../countries.js';
import { UsageError } from '../errors.js';

/** A validated queue URL, and the same URL fit to print. */
export interface QueueTarget {
  /** The URL as given, password included: only ever handed to the Redis client. */
  readonly url: string;
  /** The URL with any password replaced by `***`, for messages and reports. */
  readonly shown: string;
}

const EXAMPLE = 'such as redis://127.0.0.1:6379';

/** Parse the value of `flag` (`--queue`) as a redis:// or rediss:// URL; throws UsageError. */
export function parseQueueUrl(flag: string, value: string): QueueTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} '${printable(value)}' is not a URL: give a Redis URL ${EXAMPLE}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(
      `${flag} '${printable(shownUrl(url))}' is not a redis:// or rediss:// URL: give one ${EXAMPLE}`,
    );
  }
  if (url.hostname === '')
    throw new UsageError(`${flag} '${printable(shownUrl(url))}' names no host: give one ${EXAMPLE}`);
  if (!/^(\/\d{0,2})?$/.test(url.pathname) || url.search !== '' || url.hash !== '') {
    throw new UsageError(
      `${flag} '${printable(shownUrl(url))}' may only end in a database number (/0 … /99): ${EXAMPLE}/0`,
    );
  }
  return { url: value, shown: shownUrl(url) };
}

function shownUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href.replace(/\/$/, '');
}
